"""Running a connection's diagnostics: `POST .../validations`, then polling `result_url`.

The official plugin polls every 500 ms. Diagnostics usually take seconds but can take minutes, so
we start at 500 ms and back off gently (x1.5 up to 4 s): a fast result costs at most one short
interval, a slow one costs few requests. A `Retry-After` on a 202 sets the next wait. Nothing
waits past the deadline: the last check happens at the deadline itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from connect_gate.errors import ServiceError
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.models import Connection, text
from connect_gate.heroku.session import Answer, HerokuSession
from connect_gate.workflow import Progress


@dataclass(frozen=True, slots=True)
class PollPlan:
    first: float = 0.5
    factor: float = 1.5
    cap: float = 4.0

    def waits(self) -> tuple[float, ...]:
        """The first dozen intervals, for documentation and tests."""
        waits, wait = [], self.first
        for _ in range(12):
            waits.append(wait)
            wait = min(wait * self.factor, self.cap)
        return tuple(waits)


DIAGNOSTICS_POLLING = PollPlan()


def run_validations(
    session: HerokuSession,
    connection: Connection,
    deadline: Deadline,
    progress: Progress,
    plan: PollPlan = DIAGNOSTICS_POLLING,
) -> object:
    """Start the diagnostics of `connection` and return their result payload when ready."""
    what = f"Heroku Connect connection `{connection.name}`"
    started = session.post(f"{connection.api_url}/validations", what, deadline)
    result_url = text(started.data, "result_url", f"POST {connection.api_url}/validations")
    with progress.group(f"Heroku Connect diagnostics of {connection.name}"):
        progress.line(f"started; waiting for the results (at most {deadline.remaining():.0f} s)")
        return _poll(session, connection, result_url, deadline=deadline, progress=progress, plan=plan)


def _poll(
    session: HerokuSession,
    connection: Connection,
    result_url: str,
    *,
    deadline: Deadline,
    progress: Progress,
    plan: PollPlan,
) -> object:
    begun, polls, interval = deadline.clock.monotonic(), 0, plan.first
    wait = min(interval, deadline.remaining())  # results are never ready at once: wait before asking
    while True:
        deadline.sleep(wait)
        answer = session.get(result_url, f"diagnostics result of `{connection.name}`", deadline)
        polls += 1
        waited = deadline.clock.monotonic() - begun
        if answer.status == 200:
            if answer.data is None:
                raise ServiceError(
                    f"the Heroku Connect API answered GET {result_url} with 200 and no results"
                )
            progress.line(f"results ready after {waited:.1f} s ({_checks(polls)})")
            return answer.data
        if answer.status != 202:
            raise ServiceError(
                f"the Heroku Connect API answered GET {result_url} with {answer.status}, "
                "expected 202 (running) or 200 (done)"
            )
        if deadline.remaining() <= 0:
            raise ServiceError(
                f"the diagnostics of connection `{connection.name}` were not ready after {waited:.1f} s "
                f"({_checks(polls)}); gave up at the deadline {deadline.hint}"
            )
        interval = min(interval * plan.factor, plan.cap)
        wait = min(_retry_after(answer) or interval, deadline.remaining())
        progress.line(f"still running after {waited:.1f} s ({_checks(polls)}); next check in {wait:.1f} s")


def _checks(polls: int) -> str:
    return f"{polls} check" + ("" if polls == 1 else "s")


def _retry_after(answer: Answer) -> float | None:
    try:
        value = float(answer.headers.get("Retry-After", ""))
    except ValueError:
        return None
    return value if value >= 0 else None

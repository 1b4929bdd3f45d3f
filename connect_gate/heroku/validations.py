"""Running connections' diagnostics: `POST .../validations`, then polling each `result_url`.

As the official plugin does (heroku/heroku-connect-plugin, src/commands/connect/diagnose.ts): a
`GET result_url` every 500 ms until it answers 200; any other 2xx means "still running". We wait
the first 500 ms before asking (results are never ready at once), so we make no more requests
than the plugin. A `Retry-After` on a 202 sets that connection's next wait. Nothing waits past a
connection's deadline: its last check happens at the deadline itself.

Several connections (`resource: all`) are started first, then polled together, so N connections
take about as long as the slowest one, not the sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from connect_gate.clock import Clock
from connect_gate.errors import ServiceError
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.models import Connection, text
from connect_gate.heroku.session import Answer, HerokuSession
from connect_gate.workflow import Progress


@dataclass(frozen=True, slots=True)
class PollPlan:
    first: float = 0.5
    factor: float = 1.0
    cap: float = 0.5

    def waits(self) -> tuple[float, ...]:
        """The first dozen intervals, for documentation and tests."""
        waits, wait = [], self.first
        for _ in range(12):
            waits.append(wait)
            wait = min(wait * self.factor, self.cap)
        return tuple(waits)


DIAGNOSTICS_POLLING = PollPlan()  # the plugin's cadence: every 500 ms
TOGETHER = 0.05  # seconds: checks due this close to one another go out in the same round


@dataclass(frozen=True, slots=True)
class Started:
    """A connection whose diagnostics run on Heroku's side, to be collected from `result_url`."""

    connection: Connection
    result_url: str
    deadline: Deadline


def start_validations(session: HerokuSession, connection: Connection, deadline: Deadline) -> Started:
    """Ask Heroku to run the diagnostics of `connection`; they are collected by `collect_results`."""
    url = f"{connection.api_url}/validations"
    started = session.post(url, f"Heroku Connect connection `{connection.name}`", deadline)
    return Started(connection, text(started.data, "result_url", f"POST {url}"), deadline)


def run_validations(
    session: HerokuSession,
    connection: Connection,
    deadline: Deadline,
    progress: Progress,
    plan: PollPlan = DIAGNOSTICS_POLLING,
) -> object:
    """Start the diagnostics of `connection` and return their result payload when ready."""
    started = start_validations(session, connection, deadline)
    return collect_results(session, [started], progress, plan)[0]


def collect_results(
    session: HerokuSession,
    started: Sequence[Started],
    progress: Progress,
    plan: PollPlan = DIAGNOSTICS_POLLING,
) -> list[object]:
    """Poll every started diagnostics together; their payloads, in the order given. Time is read
    and waited through the deadlines' clock."""
    if not started:
        return []
    clock = started[0].deadline.clock
    names = ", ".join(s.connection.name for s in started)
    with progress.group(f"Heroku Connect diagnostics of {names}"):
        polls = [_Polling(s, clock.monotonic(), plan) for s in started]
        for poll in polls:
            poll.say(
                progress, len(polls), f"started; waiting for the results (at most {poll.remaining():.0f} s)"
            )
        while waiting := [p for p in polls if p.payload is None]:
            due = min(p.next_at for p in waiting)
            clock.sleep(max(0.0, due - clock.monotonic()))
            for poll in waiting:
                if poll.next_at <= clock.monotonic() + TOGETHER:
                    poll.check(session, progress, len(polls), plan, clock)
        return [p.payload for p in polls]


class _Polling:
    """One connection's polling state."""

    def __init__(self, started: Started, now: float, plan: PollPlan) -> None:
        self.started = started
        self.begun = now
        self.polls = 0
        self.interval = plan.first
        self.next_at = now + min(plan.first, started.deadline.remaining())
        self.payload: object = None

    def remaining(self) -> float:
        return self.started.deadline.remaining()

    def say(self, progress: Progress, count: int, line: str) -> None:
        progress.line(line if count == 1 else f"{self.started.connection.name}: {line}")

    def check(
        self, session: HerokuSession, progress: Progress, count: int, plan: PollPlan, clock: Clock
    ) -> None:
        name, url = self.started.connection.name, self.started.result_url
        answer = session.get(url, f"diagnostics result of `{name}`", self.started.deadline)
        self.polls += 1
        waited = clock.monotonic() - self.begun
        if answer.status == 200:
            if answer.data is None:
                raise ServiceError(f"the Heroku Connect API answered GET {url} with 200 and no results")
            self.payload = answer.data
            self.say(progress, count, f"results ready after {waited:.1f} s ({_checks(self.polls)})")
            return
        if not 200 <= answer.status < 300:  # the plugin, too, polls again on any other 2xx
            raise ServiceError(
                f"the Heroku Connect API answered GET {url} with {answer.status}, "
                "expected 202 (running) or 200 (done)"
            )
        if self.remaining() <= 0:
            raise ServiceError(
                f"the diagnostics of connection `{name}` were not ready after {waited:.1f} s "
                f"({_checks(self.polls)}); gave up at the deadline {self.started.deadline.hint}"
            )
        self.interval = min(self.interval * plan.factor, plan.cap)
        wait = min(_retry_after(answer) or self.interval, self.remaining())
        self.next_at = clock.monotonic() + wait
        self.say(
            progress,
            count,
            f"still running after {waited:.1f} s ({_checks(self.polls)}); next check in {wait:.1f} s",
        )


def _checks(polls: int) -> str:
    return f"{polls} check" + ("" if polls == 1 else "s")


def _retry_after(answer: Answer) -> float | None:
    try:
        value = float(answer.headers.get("Retry-After", ""))
    except ValueError:
        return None
    return value if value >= 0 else None

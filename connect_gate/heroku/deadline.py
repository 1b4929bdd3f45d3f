"""A point in time that waiting must not pass, named after the input that sets it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from connect_gate.clock import SYSTEM_CLOCK, Clock

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Deadline:
    at: float  # clock.monotonic() value
    seconds: float  # the budget it was made with, for messages
    input_name: str  # the input a user raises when it is too short, e.g. `timeout`
    clock: Clock = field(default=SYSTEM_CLOCK, compare=False, repr=False)  # what waiting reads and sleeps

    @classmethod
    def after(cls, seconds: float, input_name: str, clock: Clock = SYSTEM_CLOCK) -> Deadline:
        return cls(clock.monotonic() + seconds, seconds, input_name, clock)

    def remaining(self) -> float:
        return max(0.0, self.at - self.clock.monotonic())

    def elapsed(self) -> float:
        return self.seconds - (self.at - self.clock.monotonic())

    def sleep(self, seconds: float) -> None:
        self.clock.sleep(seconds)

    @property
    def hint(self) -> str:
        """How a message explains the limit: `(input `timeout`: 300 s)`."""
        return f"(input `{self.input_name}`: {self.seconds:g} s)"


class DeadlinePassedError(Exception):
    """The work was still waiting when the deadline (plus its grace) passed; it was left behind."""


@dataclass
class _Outcome(Generic[T]):
    value: T | None = None
    error: BaseException | None = None
    done: bool = False


def finish_within(deadline: Deadline, grace: float, work: Callable[[], T]) -> T:
    """`work()`'s result, or DeadlinePassedError once the deadline plus `grace` has passed.

    Socket timeouts bound each read, not a whole answer: a server that sends a byte a second, or
    retries that each wait their full timeout, would outlast any deadline. The work runs in a
    daemon thread that is abandoned (its socket with it) when the time is up; the process ends
    soon after anyway, with exit status 3.
    """
    outcome: _Outcome[T] = _Outcome()

    def run() -> None:
        try:
            outcome.value = work()
        except BaseException as exc:  # handed to the caller's thread below
            outcome.error = exc
        outcome.done = True

    thread = threading.Thread(target=run, name="connect-gate-request", daemon=True)
    thread.start()
    # The bound is in real time: a deadline on a test's virtual clock leaves the work unbounded.
    thread.join(deadline.remaining() + grace if deadline.clock is SYSTEM_CLOCK else None)
    if not outcome.done:
        raise DeadlinePassedError
    if outcome.error is not None:
        raise outcome.error
    return outcome.value  # type: ignore[return-value]

"""A point in time that waiting must not pass, named after the input that sets it."""

from __future__ import annotations

from dataclasses import dataclass, field

from connect_gate.clock import SYSTEM_CLOCK, Clock


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

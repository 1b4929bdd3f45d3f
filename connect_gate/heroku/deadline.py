"""A point in time that waiting must not pass, named after the input that sets it."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Deadline:
    at: float  # time.monotonic() value
    seconds: float  # the budget it was made with, for messages
    input_name: str  # the input a user raises when it is too short, e.g. `timeout`

    @classmethod
    def after(cls, seconds: float, input_name: str) -> Deadline:
        return cls(time.monotonic() + seconds, seconds, input_name)

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def elapsed(self) -> float:
        return self.seconds - (self.at - time.monotonic())

    @property
    def hint(self) -> str:
        """How a message explains the limit: `(input `timeout`: 300 s)`."""
        return f"(input `{self.input_name}`: {self.seconds:g} s)"

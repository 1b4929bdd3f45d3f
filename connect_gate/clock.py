"""Time as the gate sees it: the deadlines and polling loops read and wait through a Clock.

Tests pass one whose `sleep` only moves the hands (tests/fake_heroku.py: SteppingClock), so a
wait of minutes takes none; the gate itself uses the system's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Clock:
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], float] = time.time  # epoch seconds (to read a rate limit's reset time)
    sleep: Callable[[float], None] = time.sleep


SYSTEM_CLOCK = Clock()

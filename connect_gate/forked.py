"""Work done by a forked copy of this process while this one goes on: the machine's other core.

Only ever an optimisation. When no second process can be had (no `fork`, one CPU, a thread
running that a fork would copy mid-step) or the child fails in any way (an exception, a signal,
a result that cannot be pickled), the work runs here instead when its result is asked for, so
the result, and any error, are exactly those of running it in this process. The child shares
nothing back but its pickled result, writes nothing to stdout or stderr, and never runs this
process's exit handlers.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Pending(Generic[T]):
    """The result of `work`, computed by a child process if one was started.

    Used as a context manager: a child whose result was not asked for (the work here failed, or
    was interrupted) is killed when the block ends, so that it never outlives the run.
    """

    def __init__(self, work: Callable[[], T], pid: int | None = None, pipe: int | None = None) -> None:
        self._work = work
        self._pid = pid
        self._pipe = pipe
        self.by_child = False  # whether the result came from the child

    def result(self) -> T:
        """Wait for the child; its result, or the work done here if the child gave none."""
        if self._pid is None or self._pipe is None:
            return self._work()
        data, exited = self._wait(self._pid, self._pipe)
        self._pid = self._pipe = None
        if exited == 0 and data:
            with contextlib.suppress(Exception):  # a result that does not unpickle: do it here
                result: T = pickle.loads(data)
                self.by_child = True
                return result
        return self._work()

    def __enter__(self) -> Pending[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pid is not None and self._pipe is not None:
            _end(self._pid, self._pipe)
            self._pid = self._pipe = None

    @staticmethod
    def _wait(pid: int, pipe: int) -> tuple[bytes, int]:
        finished = False
        try:
            with os.fdopen(pipe, "rb", closefd=False) as reading:
                data = reading.read()
            _, status = os.waitpid(pid, 0)
            finished = True
            os.close(pipe)
            return data, os.waitstatus_to_exitcode(status)
        finally:
            if not finished:  # interrupted (SIGINT, SIGTERM): the child must not outlive the run
                _end(pid, pipe)


def _end(pid: int, pipe: int) -> None:
    """Kill the child and reap it; close our end of its pipe."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
    with contextlib.suppress(OSError):
        os.close(pipe)


def start(work: Callable[[], T]) -> Pending[T]:
    """Start `work` in a child process when that can help; `.result()` gives what it returns."""
    if not available():
        return Pending(work)
    reading, writing = os.pipe()
    for stream in (sys.stdout, sys.stderr):  # nothing buffered here may be written twice
        with contextlib.suppress(Exception):
            stream.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its result is what the tests check
        os.close(reading)
        _child(work, writing)
    os.close(writing)
    return Pending(work, pid, reading)


def available() -> bool:
    """Whether `start` would start a child: a second CPU, `fork`, and no other thread running."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus > 1


def _child(work: Callable[[], T], writing: int) -> None:  # pragma: no cover - runs in the child
    status = 1
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)  # not the run's handlers: just end
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        sys.stdout = sys.stderr = open(quiet, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)  # whatever happened: never back into the parent's code

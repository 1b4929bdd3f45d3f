"""Every line the gate writes to stdout and stderr passes through here: inert, clean, secret-free.

- The runner reads a workflow command in two forms (actions/runner, src/Runner.Common/ActionCommand.cs):
  `::name ...::data` at the start of a (left-trimmed) line, and the legacy `##[name ...]data`
  found *anywhere* in a line. Our own `::` commands are written on purpose; `##[` is never ours, so
  it is broken up (`## [`) wherever it appears, whatever text it came from.
- ANSI escape sequences and control characters (text from Heroku or a database can hold them)
  are removed: they could repaint the log or hide lines.
- Known secrets are replaced by `***` (the runner masks them too, but only on GitHub Actions).
- A reader that went away (`| head -1`) or a full disk (`/dev/full`) does not crash the run: the
  rest of the output is dropped and the exit status still says what the gate decided.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import signal
import sys
from collections.abc import Iterable, Iterator
from types import FrameType
from typing import TextIO

LEGACY_COMMAND = "##["
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
MASK = "***"
_ADD_MASK = "::add-mask::"


def clean(text: str) -> str:
    """Text from outside without ANSI escapes and control characters (newlines and tabs kept)."""
    return _CONTROL.sub("", _ANSI.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def neutralise(line: str) -> str:
    """One line the runner cannot read as a legacy `##[command]`, wherever `##[` is."""
    while LEGACY_COMMAND in line:
        line = line.replace(LEGACY_COMMAND, "## [")
    return line


class GuardedStream(io.TextIOBase):
    """A text stream that writes whole lines, each cleaned, neutralised and scrubbed of secrets."""

    def __init__(self, target: TextIO, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._target = target
        self._pending = ""
        self._secrets: list[str] = []
        self.broken = False
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        known = set(self._secrets) | {s for s in secrets if s and len(s) >= 3}
        self._secrets = sorted(known, key=len, reverse=True)  # longest first: a URL before its password

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(self._secrets)

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            head, _, self._pending = self._pending.rpartition("\n")
            self._emit(self._lines(head) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, ""
            self._emit(self._line(pending))
        if not self.broken:
            try:
                self._target.flush()
            except (OSError, ValueError) as exc:
                self._lost(exc)

    def _lines(self, text: str) -> str:
        """`_line` of each line of `text`, joined. Text with no control character (nothing that
        `clean` removes or turns into a line break), no mask command and no secret spanning lines
        is treated whole: the same result, 5x faster than line by line on 60,000 lines."""
        if _ADD_MASK in text or _CONTROL.search(text) or any("\n" in s for s in self._secrets):
            return "\n".join(self._line(line) for line in text.split("\n"))
        return self._scrubbed(neutralise(text))

    def _scrubbed(self, line: str) -> str:
        for secret in self._secrets:
            line = line.replace(secret, MASK)
        return line

    def _line(self, line: str) -> str:
        if line.startswith(_ADD_MASK):  # our own mask command: the secret itself, as the runner needs it
            return line
        return self._scrubbed(neutralise(clean(line).replace("\n", " ")))

    def _emit(self, text: str) -> None:
        if self.broken or not text:
            return
        try:
            self._target.write(text)
        except (OSError, ValueError) as exc:
            self._lost(exc)

    def _lost(self, exc: BaseException) -> None:
        """The reader left or the disk is full: drop the rest, quietly, and keep the verdict."""
        self.broken = True
        if isinstance(exc, OSError) and exc.errno not in (errno.EPIPE, errno.ENOSPC, errno.EIO, None):
            return
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._target.fileno())  # so the interpreter's last flush finds no error
            os.close(devnull)


class InterruptedRunError(Exception):
    """SIGINT or SIGTERM: the run stops; `status` is 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.status = 128 + signum


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise InterruptedRunError(signum)


def register_secret(secret: str) -> None:
    """A secret learned during the run (a database URL read from Heroku): masked from now on."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, GuardedStream):
            stream.add_secrets([secret])


def known_secrets() -> list[str]:
    return list(sys.stdout.secrets) if isinstance(sys.stdout, GuardedStream) else []


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` (a report file) with every secret replaced by `***`, longest first."""
    for secret in sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


@contextlib.contextmanager
def guarded() -> Iterator[GuardedStream]:
    """Guard sys.stdout and sys.stderr and turn SIGINT/SIGTERM into `InterruptedRunError`, for one run."""
    saved_out, saved_err = sys.stdout, sys.stderr
    out, err = GuardedStream(saved_out), GuardedStream(saved_err)
    handlers: dict[signal.Signals, object] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread (tests calling main() in a thread)
            handlers[signum] = signal.signal(signum, _raise_interrupted)
    sys.stdout, sys.stderr = out, err
    try:
        yield out
    finally:
        out.flush()
        err.flush()
        sys.stdout, sys.stderr = saved_out, saved_err
        for signum, handler in handlers.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

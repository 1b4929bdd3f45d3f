"""Output to the job's log: GitHub Actions workflow commands, and progress lines for a user watching.

Used alike by the sources (progress while waiting for Heroku) and the reporters (annotations).
Untrusted text (API messages, SQL, file names) must never become a command of its own:
data escaping turns CR/LF into %0D/%0A so it cannot start a new line, and property escaping also
turns `:` and `,` into %3A/%2C so a file name cannot forge another property. Progress lines start
with our own words (names from Heroku come later), and a line that would still start with `::` is
prefixed; group titles are escaped like any command message.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from connect_gate.guard import register_secret


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str = "", properties: Mapping[str, str | int] | None = None) -> str:
    """One workflow command line, without its newline."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in (properties or {}).items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def inert(line: str) -> str:
    """A log line that cannot be read as a command: the runner trims a line, then looks for `::`."""
    return f"> {line}" if line.lstrip().startswith("::") else line


def stop_commands_token() -> str:
    """A fresh token for `::stop-commands::`, unguessable by the text printed inside the block."""
    return secrets.token_hex(16)


def quarantine(text: str, token: str) -> str:
    """Wrap text that may hold `::` lines so the runner prints it and runs none of it."""
    return f"::stop-commands::{token}\n{text.rstrip(chr(10))}\n::{token}::\n"


def group(title: str, body: str) -> str:
    """A foldable log group; the title is escaped like any command message."""
    return f"{command('group', title)}\n{body.rstrip(chr(10))}\n::endgroup::\n"


def _print(line: str) -> None:
    print(line, file=sys.stdout, flush=True)


@dataclass(frozen=True)
class Progress:
    write: Callable[[str], None] = field(default=_print)
    folding: bool = True  # `::group::` blocks (GitHub Actions); elsewhere a plain `== title` line

    def line(self, text: str) -> None:
        # Text from Heroku must not lead a line the runner could read as a command.
        self.write(f"  {escape_data(inert(text))}")

    def mask(self, secret: str) -> None:
        """Hide a secret read from Heroku (a database URL) from the rest of the log (Actions only)."""
        register_secret(secret)  # out of every later line and report, on any CI
        if self.folding and secret:
            self.write(command("add-mask", secret))

    @contextmanager
    def group(self, title: str) -> Iterator[None]:
        self.write(command("group", title) if self.folding else f"== {escape_data(title)}")
        try:
            yield
        finally:
            if self.folding:
                self.write("::endgroup::")


SILENT = Progress(write=lambda line: None)

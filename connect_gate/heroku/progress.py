"""Progress lines for a user watching the job, folded into `::group::` blocks on GitHub Actions.

Lines start with our own words (names from Heroku come later), and a line that would still start
with `::` is prefixed, so none can be read as a workflow command; group titles are escaped like
any command message.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from connect_gate.guard import register_secret
from connect_gate.reporters.workflow import command, escape_data, inert


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

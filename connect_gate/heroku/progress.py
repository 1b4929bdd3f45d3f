"""Progress lines for a user watching the job, folded into `::group::` blocks.

Everything here is our own text plus names from Heroku (apps, connections); those are escaped
so that no name can start a workflow command.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


@dataclass
class Progress:
    write: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stdout, flush=True))

    def line(self, text: str) -> None:
        self.write(f"  {_escape(text)}")  # indented: never read as a `::command::`

    @contextmanager
    def group(self, title: str) -> Iterator[None]:
        self.write(f"::group::{_escape(title)}")
        try:
            yield
        finally:
            self.write("::endgroup::")


SILENT = Progress(write=lambda line: None)

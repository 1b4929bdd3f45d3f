"""bench/RESULTS.md, written by the benchmark scripts themselves: `with recorded(__file__): main()`.

Everything the script prints is also kept, and replaces that script's section of RESULTS.md with
the date, the machine (cores, load average) and the command line, so the figures the README points
to are the ones a run measured, not copied by hand.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import platform
import re
import sys
from collections.abc import Iterator
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = (
    "# Benchmark results\n\n"
    "Written by the scripts in bench/ (each replaces its own section when it runs); the README points "
    "here. Timings vary with the machine's load: ratios are taken within one run.\n"
)


class _Tee(io.TextIOBase):
    def __init__(self, stream: io.TextIOBase | None) -> None:
        self.stream = stream
        self.kept = io.StringIO()

    def write(self, text: str) -> int:
        self.kept.write(text)
        if self.stream is not None:
            self.stream.write(text)
        return len(text)

    def flush(self) -> None:
        if self.stream is not None:
            self.stream.flush()


@contextlib.contextmanager
def recorded(script: str) -> Iterator[None]:
    """Run the block, print as usual, then write what it printed into the script's section."""
    tee = _Tee(sys.stdout)  # type: ignore[arg-type]
    with contextlib.redirect_stdout(tee):
        yield
    write_section(Path(script).name, tee.kept.getvalue())


def write_section(name: str, output: str) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    section = (
        f"## {name}\n\n"
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"load average {load}, Python {platform.python_version()}; "
        f"`python bench/{name}{''.join(' ' + arg for arg in sys.argv[1:])}`\n\n"
        f"```text\n{output.rstrip()}\n```\n"
    )
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    pattern = re.compile(rf"^## {re.escape(name)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else f"{text}\n{section}"
    RESULTS.write_text(text.rstrip() + "\n", encoding="utf-8")

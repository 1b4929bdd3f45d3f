"""A migration file's bytes as psql reads them, or why the gate refuses to read it.

A pull request can commit a symbolic link to `/etc/passwd`, a FIFO (opening it blocks forever) or
a device: they are refused, never opened. What psql does with a file's bytes is reproduced here:
a UTF-8 byte-order mark at the start is skipped; psql reads lines with `fgets()` into a C string,
so a NUL byte ends what it keeps of that chunk of the line (the rest of the chunk, line break
included, is dropped and the next line is joined to it). The gate blanks the same bytes (keeping
the line break, so lines stay where the author wrote them) and reports each such line. Bytes that
are not UTF-8 are reported at their line and read as U+FFFD; the rest of the file is analysed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

_BOM = b"\xef\xbb\xbf"
_FGETS_CHUNK = 1023  # psql reads with fgets(line, 1024, ...)


@dataclass(frozen=True, slots=True)
class Problem:
    line: int  # 1-based; 0 for the whole file
    message: str


@dataclass(frozen=True, slots=True)
class Read:
    text: str | None  # None: refused, not read
    problems: tuple[Problem, ...] = ()


def display_name(name: str) -> str:
    """A file name as reports can print it (bytes that are not UTF-8 shown as U+FFFD)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_migration(path: Path, root: Path) -> Read:
    """Read `path` (inside the workspace `root`) as psql would, or refuse it with the reason."""
    refusal = refusal_reason(path, root)
    if refusal:
        return Read(None, (Problem(0, refusal),))
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return Read(None, (Problem(0, f"The file cannot be read ({exc.strerror}), so it was not analysed."),))
    problems: list[Problem] = []
    try:
        os.fsdecode(path.name).encode("utf-8")
    except UnicodeEncodeError:
        problems.append(Problem(0, "The file's name is not UTF-8; its content is analysed, but rename it."))
    return _decode(data, problems)


def refusal_reason(path: Path, root: Path) -> str:
    """Why the file must not be opened ('' when it may): it leaves the workspace or is not a file."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # a missing target or a loop of links
        return f"The file cannot be read ({getattr(exc, 'strerror', None) or exc}), so it was not analysed."
    if not real.is_relative_to(root.resolve()):
        return (
            "This is a symbolic link to a file outside the workspace; it was refused, not read. "
            "psql would run that file: commit the migration itself."
        )
    mode = real.stat().st_mode
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO" if stat.S_ISFIFO(mode) else "a directory" if stat.S_ISDIR(mode) else "a device or socket"
        )
        return f"This is {kind}, not a regular file; it was refused, not opened."
    return ""


def _decode(data: bytes, problems: list[Problem]) -> Read:
    data = data.removeprefix(_BOM)
    if b"\0" in data:
        data = _as_fgets_keeps(data, problems)
    try:
        return Read(data.decode("utf-8"), tuple(problems))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                line,
                f"Line {line} is not UTF-8 ({exc.reason}): PostgreSQL rejects the statement, and the gate "
                "reads the bytes as U+FFFD. Save the file as UTF-8.",
            )
        )
        return Read(data.decode("utf-8", "replace"), tuple(problems))


def _as_fgets_keeps(data: bytes, problems: list[Problem]) -> bytes:
    lines = data.split(b"\n")
    for number, line in enumerate(lines):
        if b"\0" not in line:
            continue
        kept = bytearray()
        for start in range(0, max(len(line), 1), _FGETS_CHUNK):
            chunk = line[start : start + _FGETS_CHUNK]
            cut = chunk.find(b"\0")
            kept += chunk if cut == -1 else chunk[:cut] + b" " * (len(chunk) - cut)
        lines[number] = bytes(kept)
        problems.append(
            Problem(
                number + 1,
                f"Line {number + 1} has a NUL byte: psql drops what follows it on the line and joins the "
                "next line to it, so the gate cannot be sure what psql runs here. Remove the NUL byte.",
            )
        )
    return b"\n".join(lines)

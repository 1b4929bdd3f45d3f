"""Inline waivers: SQL comments that waive a rule for one statement or for the whole file.

    -- connect-gate: ignore <rule>[, <rule>...] because <reason>        (this statement)
    -- connect-gate: ignore-file <rule>[, <rule>...] because <reason>   (the whole file)

A statement waiver belongs to the statement it sits in, to the statement that ends on its line
(a trailing comment), or else to the next statement below it.

Waivers are read only from `--` comments as PostgreSQL's scanner sees them: text inside a string
or a dollar-quoted body is not a comment, so it waives nothing. A comment that looks meant as a
waiver but is not in this form (no colon, a block comment) is reported as malformed.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from connect_gate.migrations.split import comments
from connect_gate.migrations.text import LineIndex

_COMMENT = re.compile(r"--[ \t]*connect-gate[ \t]*:(?P<body>[^\n\r]*)", re.IGNORECASE)
_NEAR_MISS = re.compile(r"connect[ \t_-]*gate\W*ignore", re.IGNORECASE)
_FORM = re.compile(
    r"\s*(?P<scope>ignore-file|ignore)\s+(?P<rules>[^\s,]+(?:\s*,\s*[^\s,]+)*)"
    r"(?:\s+because(?:\s+(?P<reason>.*?))?)?\s*",
    re.IGNORECASE,
)
SYNTAX = "`-- connect-gate: ignore <rule> because <reason>` (or `ignore-file`)"


@dataclass(frozen=True, slots=True)
class Waiver:
    rules: tuple[str, ...]
    reason: str
    whole_file: bool
    start: int  # byte offsets of the comment in the prepared text
    end: int


@dataclass(frozen=True, slots=True)
class Malformed:
    start: int
    end: int
    message: str


def find_waivers(index: LineIndex, known: Collection[str]) -> tuple[list[Waiver], list[Malformed]]:
    waivers: list[Waiver] = []
    problems: list[Malformed] = []
    if "gate" not in index.text.lower():
        return waivers, problems
    for first, last in comments(index.text):
        comment = index.text[first:last]
        match = _COMMENT.match(comment)
        if match is None and not _NEAR_MISS.search(comment):
            continue
        start = index.byte_of_char(first)
        end = start + len(comment.rstrip().encode("utf-8"))
        if match is None:
            problems.append(
                Malformed(start, end, f"This comment is not read as a waiver; write it as {SYNTAX}.")
            )
            continue
        form = _FORM.fullmatch(match.group("body"))
        if form is None:
            problems.append(Malformed(start, end, f"Cannot read this waiver; write it as {SYNTAX}."))
            continue
        rules = tuple(rule.strip().lower() for rule in form.group("rules").split(","))
        unknown = [rule for rule in rules if rule not in known]
        if unknown:
            problems.append(Malformed(start, end, _unknown_message(unknown[0], known)))
        elif not form.group("reason"):
            problems.append(Malformed(start, end, f"This waiver gives no reason; write it as {SYNTAX}."))
        else:
            whole_file = form.group("scope").lower() == "ignore-file"
            waivers.append(Waiver(rules, form.group("reason"), whole_file, start, end))
    return waivers, problems


def _unknown_message(rule: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(rule, sorted(known), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"This waiver names {rule}, which is not a migration rule{hint}; it waives nothing."


class Waivable(Protocol):
    """What a waiver can cover: a rule's finding on one statement (its index in the file)."""

    @property
    def item(self) -> int: ...

    @property
    def rule(self) -> str: ...


Hit = TypeVar("Hit", bound=Waivable)


def apply_waivers(
    hits: Sequence[Hit], waivers: Sequence[Waiver], spans: Sequence[tuple[int, int]], index: LineIndex
) -> tuple[list[Hit], list[tuple[Hit, str]], list[tuple[Waiver, str]]]:
    """(hits kept, hits waived with the reason, (waiver, rule) pairs that waived nothing)."""
    whole_file = [waiver for waiver in waivers if waiver.whole_file]
    by_item: dict[int, list[Waiver]] = {}
    for waiver in waivers:
        item = None if waiver.whole_file else owner(waiver, spans, index)
        if item is not None:
            by_item.setdefault(item, []).append(waiver)
    used: set[tuple[int, str]] = set()
    kept: list[Hit] = []
    waived: list[tuple[Hit, str]] = []
    for hit in hits:
        candidates = [*by_item.get(hit.item, ()), *whole_file]
        match = next((waiver for waiver in candidates if hit.rule in waiver.rules), None)
        if match is None:
            kept.append(hit)
        else:
            used.add((id(match), hit.rule))
            waived.append((hit, match.reason))
    unused = [(waiver, rule) for waiver in waivers for rule in waiver.rules if (id(waiver), rule) not in used]
    return kept, waived, unused


def owner(waiver: Waiver, spans: Sequence[tuple[int, int]], index: LineIndex) -> int | None:
    """The index of the statement a statement waiver belongs to, among spans sorted by start."""
    starts = [start for start, _ in spans]
    before = bisect_right(starts, waiver.start) - 1
    if before >= 0:
        _start, end = spans[before]
        if waiver.start < end or index.last_char_before(end).line == index.at_byte(waiver.start).line:
            return before
    return before + 1 if before + 1 < len(spans) else None

""" "Did you mean ...?" for a mistyped name, from the names that exist."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`did you mean 'Unique Identifier'?`, or "" when nothing is close (case-insensitive)."""
    by_fold = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(word.casefold(), list(by_fold), n=1, cutoff=0.75)
    return f"did you mean {by_fold[close[0]]!r}?" if close else ""

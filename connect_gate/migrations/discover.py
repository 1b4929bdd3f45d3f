"""Which files are migrations: glob patterns over the checkout, optionally only those the PR changed.

Patterns are matched against paths relative to the repository root (`/`-separated): `*` and `?`
stay within one folder, `**` as a whole folder name spans any number of folders (elsewhere it is
`*`), a leading `!` excludes. An absolute pattern must lie inside the repository; a pattern that
leaves it (`/etc/*`, `../x/*.sql`) is an input error. Matching takes time proportional to the
path times the pattern, never exponential (a regular expression would backtrack for minutes on
`**a**a**a...`). A pattern given by the user that matches no file at all is reported. With
`changed_only`, files are kept only if a diff between the pull request's base commit and
HEAD lists them as added, copied, modified or renamed. When the base commit is not in the
checkout (a shallow clone), every matching file is analysed instead and `Discovery.notice` says
why and how to fix it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from connect_gate.errors import InputError

DEFAULT_PATTERNS = (
    "**/V*__*.sql",  # Flyway versioned migrations
    "**/migrations/*/migration.sql",  # Prisma
    "**/*.up.sql",  # golang-migrate
    "**/migrations/**/*.sql",  # goose, dbmate, sqitch-like layouts and plain SQL migrations
    "**/migrate/**/*.sql",
    "!**/*.down.sql",  # golang-migrate down files are never run forward
    "!**/U*__*.sql",  # Flyway undo migrations
)
_SKIPPED_FOLDERS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__"})


@dataclass(frozen=True, slots=True)
class Discovery:
    files: tuple[Path, ...]
    notice: str = ""  # set when changed-only could not be honoured; print it as a warning
    unmatched: tuple[str, ...] = ()  # patterns of the user's that match no file in the repository


def discover(
    patterns: Sequence[str], root: Path, changed_only: bool = False, base_sha: str = ""
) -> Discovery:
    """The migration files under `root` matching `patterns`, sorted by path."""
    given = tuple(patterns or DEFAULT_PATTERNS)
    include, exclude = _compile(given, root)
    paths = _walk(root)
    matched = [path for path in paths if _any(include, path) and not _any(exclude, path)]
    unmatched: tuple[str, ...] = ()
    if given != DEFAULT_PATTERNS:
        unmatched = tuple(glob.pattern for glob in include if not any(glob.match(path) for path in paths))
    notice = ""
    if changed_only:
        changed, notice = changed_files(root, base_sha)
        if changed is not None:
            matched = [path for path in matched if path in changed]
    return Discovery(tuple(root / path for path in sorted(matched)), notice, unmatched)


def changed_files(root: Path, base_sha: str) -> tuple[set[str] | None, str]:
    """Paths the PR adds or changes, or None and the reason every file must be analysed instead.

    What `git diff --name-only --no-renames --diff-filter=ACMR BASE HEAD` lists, read from the checkout's
    `.git` with dulwich (the action's image carries no git: it is most of its size).
    """
    from dulwich.diff_tree import CHANGE_ADD, CHANGE_COPY, CHANGE_MODIFY, tree_changes
    from dulwich.errors import NotGitRepository
    from dulwich.objectspec import parse_commit
    from dulwich.repo import Repo

    fallback = "; analysing every migration file instead of only the changed ones."
    if not base_sha:
        return None, "changed-only: no base commit (not a pull request event?)" + fallback
    if not re.fullmatch(r"[0-9a-fA-F]{4,64}", base_sha):
        raise InputError(f"changed-only: base commit {base_sha!r} is not a commit SHA")
    try:
        repo = Repo.discover(str(root))
    except NotGitRepository:
        return None, f"changed-only: {root} is not a git checkout" + fallback
    with repo:
        try:
            base = parse_commit(repo, base_sha)
        except (KeyError, ValueError):
            return None, (
                f"changed-only: the base commit {base_sha[:12]} is not in the checkout (shallow history?); "
                "set `fetch-depth: 0` (or 2 for the merge commit) on actions/checkout" + fallback
            )
        try:
            changes = tree_changes(repo.object_store, base.tree, parse_commit(repo, "HEAD").tree)
            kept = {CHANGE_ADD, CHANGE_COPY, CHANGE_MODIFY}
            added = (c.new.path for c in changes if c.type in kept and c.new is not None and c.new.path)
            return {os.fsdecode(path) for path in added if path is not None}, ""
        except (KeyError, ValueError, OSError) as failed:
            return None, f"changed-only: cannot read the git history ({failed!r})" + fallback


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in _SKIPPED_FOLDERS]
        relative = Path(folder).relative_to(root).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found.extend(prefix + name for name in files)
    return found


def _compile(patterns: Sequence[str], root: Path) -> tuple[list[Glob], list[Glob]]:
    include = [Glob(p, _inside(p, root)) for p in patterns if not p.startswith("!")]
    exclude = [Glob(p, _inside(p[1:], root)) for p in patterns if p.startswith("!")]
    if not include:
        raise InputError(f"migrations: {', '.join(patterns)}: no pattern selects files (all start with `!`)")
    return include, exclude


def _any(globs: Sequence[Glob], path: str) -> bool:
    return any(glob.match(path) for glob in globs)


def _inside(pattern: str, root: Path) -> str:
    """The pattern relative to the repository root; an input error when it leaves the repository."""
    text = pattern.strip()
    if text.startswith("/"):
        for base in dict.fromkeys((root.absolute().as_posix(), root.resolve().as_posix())):
            if text == base or text.startswith(base.rstrip("/") + "/"):
                text = text[len(base) :].lstrip("/")
                break
        else:
            raise InputError(f"migrations: {pattern}: the pattern is outside the repository ({root})")
    text = text.removeprefix("./")
    if ".." in text.split("/"):
        raise InputError(
            f"migrations: {pattern}: `..` leaves the repository; patterns are relative to its root"
        )
    return text


class Glob:
    """One pattern, matched folder by folder: `**` folders with the wildcard algorithm that
    backtracks only to the last star, and each folder name the same way with `*` and `?`."""

    def __init__(self, pattern: str, relative: str) -> None:
        self.pattern = pattern
        parts = [part for part in relative.split("/") if part]
        self.parts: list[str | None] = [None if part == "**" else re.sub(r"\*+", "*", part) for part in parts]
        last = parts[-1] if parts else ""
        self.suffix = re.split(r"[*?]", last)[-1] if last != "**" else ""

    def match(self, path: str) -> bool:
        return path.endswith(self.suffix) and _match(self.parts, path.split("/"), _name_matches, None)


def _name_matches(pattern: str | None, name: str) -> bool:
    return pattern is not None and _match(pattern, name, _char_matches, "*")


def _char_matches(pattern: str | None, char: str) -> bool:
    return pattern in ("?", char)


def _match(
    pattern: Sequence[str | None],
    items: Sequence[str],
    one: Callable[[str | None, str], bool],
    star: str | None,
) -> bool:
    """Wildcard matching where `star` (`None`: a `**` folder; `*` in a name) matches any run of items."""
    p = i = 0
    last, resume = -1, 0
    while i < len(items):
        if p < len(pattern) and pattern[p] == star:
            last, resume = p, i
            p += 1
        elif p < len(pattern) and one(pattern[p], items[i]):
            p += 1
            i += 1
        elif last != -1:
            p, resume = last + 1, resume + 1
            i = resume
        else:
            return False
    while p < len(pattern) and pattern[p] == star:
        p += 1
    return p == len(pattern)

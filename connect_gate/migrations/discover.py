"""Which files are migrations: glob patterns over the checkout, optionally only those the PR changed.

Patterns are matched against paths relative to the repository root (`/`-separated): `*` and `?`
stay within one folder, `**/` spans any number of folders, a leading `!` excludes. With
`changed_only`, files are kept only if a diff between the pull request's base commit and HEAD lists
them as added, copied, modified or renamed. When the base commit is not in the
checkout (a shallow clone), every matching file is analysed instead and `Discovery.notice` says
why and how to fix it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
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


def patterns_from_input(text: str) -> tuple[str, ...]:
    """The `migrations` input: patterns one per line (or comma-separated); empty means the defaults."""
    patterns = tuple(part.strip() for line in text.splitlines() for part in line.split(",") if part.strip())
    return patterns or DEFAULT_PATTERNS


@dataclass(frozen=True, slots=True)
class Discovery:
    files: tuple[Path, ...]
    notice: str = ""  # set when changed-only could not be honoured; print it as a warning


def discover(
    patterns: Sequence[str], root: Path, changed_only: bool = False, base_sha: str = ""
) -> Discovery:
    """The migration files under `root` matching `patterns`, sorted by path."""
    include, exclude = _compile(patterns or DEFAULT_PATTERNS)
    matched = [path for path in _walk(root) if include.match(path) and not (exclude and exclude.match(path))]
    notice = ""
    if changed_only:
        changed, notice = changed_files(root, base_sha)
        if changed is not None:
            matched = [path for path in matched if path in changed]
    return Discovery(tuple(root / path for path in sorted(matched)), notice)


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


def _compile(patterns: Sequence[str]) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    include = [translate(p) for p in patterns if not p.startswith("!")]
    exclude = [translate(p[1:]) for p in patterns if p.startswith("!")]
    if not include:
        raise InputError(f"migrations: {', '.join(patterns)}: no pattern selects files (all start with `!`)")
    return re.compile("|".join(include)), re.compile("|".join(exclude)) if exclude else None


def translate(pattern: str) -> str:
    """A glob pattern as a regular expression over `/`-separated relative paths."""
    pattern = pattern.strip().removeprefix("./")
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:[^/]*/)*")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return "(?:" + "".join(out) + r")\Z"

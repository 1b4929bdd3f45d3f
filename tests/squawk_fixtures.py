"""squawk's fixtures (https://github.com/sbdchd/squawk, Apache-2.0 OR MIT) as `(name, sql)` pairs.

`make test` unpacks them from squawk-cli's pinned source distribution on PyPI into .corpus/squawk:
the .sql files squawk's parser, formatter and validator are tested on, and the Rust source of its
linter rules, whose tests hold their SQL in string literals. Those literals are taken out by
reading the Rust tokens (comments, raw strings `r#"..."#`, strings with escapes, char literals), and
only where the SQL goes: `let sql = <literal>` and the first argument of squawk's test helpers
(`lint_ok(...)`, `lint_errors(...)`, `fix(...)`, ...). Literals built with `format!` are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

from sql_corpora import CORPORA, corpus_files, named_texts

SQUAWK = CORPORA / "squawk"
RULES = "crates/squawk_linter/src/rules"
# squawk's test helpers whose first argument is the SQL under test (crates/squawk_linter/src/test_utils.rs)
SQL_TAKERS = frozenset(
    {"lint_ok", "lint_errors", "lint_ok_with", "lint_errors_with", "fix", "fix_sql", "fix_sql_with"}
)

_TOKEN = re.compile(
    r"//[^\n]*"
    r"|/\*.*?\*/"
    r'|b?r(?P<hashes>#*)"(?P<raw>.*?)"(?P=hashes)'
    r'|b?"(?P<plain>(?:[^"\\]|\\.)*)"'
    r"|'(?:[^'\\\n]|\\.[^'\n]*)'"
    r"|[A-Za-z_][A-Za-z0-9_]*!?"
    r"|\S",
    re.DOTALL,
)
_ESCAPE = re.compile(
    r"\\(?:\n\s*|u\{(?P<unicode>[0-9a-fA-F]+)\}|x(?P<byte>[0-9a-fA-F]{2})|(?P<char>.))", re.DOTALL
)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def _unescape(match: re.Match[str]) -> str:
    code = match["unicode"] or match["byte"]
    if code:
        return chr(int(code, 16))
    return "" if match["char"] is None else _SIMPLE_ESCAPES[match["char"]]  # None: a line continuation


def sql_literals(rust: str) -> list[tuple[int, str]]:
    """The SQL literals of squawk's Rust tests in `rust`, each with the line it starts on."""
    tokens: list[tuple[str | None, str, int]] = []  # (string value or None, token text, offset)
    for match in _TOKEN.finditer(rust):
        if match["raw"] is not None:
            tokens.append((match["raw"], match[0], match.start()))
        elif match["plain"] is not None:
            tokens.append((_ESCAPE.sub(_unescape, match["plain"]), match[0], match.start()))
        elif not match[0].startswith(("//", "/*")):
            tokens.append((None, match[0], match.start()))
    found = []
    for index, (value, _, offset) in enumerate(tokens):
        before = [text for _, text, _ in tokens[max(index - 3, 0) : index]]
        takes_sql = len(before) > 1 and before[-1] == "(" and before[-2] in SQL_TAKERS
        if value is not None and (before == ["let", "sql", "="] or takes_sql):
            found.append((rust.count("\n", 0, offset) + 1, value))
    return found


def sql_files() -> list[Path]:
    return corpus_files(SQUAWK / "crates", "**/*.sql", 500)


def rule_tests() -> list[Path]:
    return corpus_files(SQUAWK / RULES, "**/*.rs", 60)


def fixtures() -> list[tuple[str, str]]:
    """Every fixture: each .sql file, then each SQL literal of the rules' tests as `<file.rs>:<line>`."""
    texts = named_texts(sql_files(), SQUAWK)
    for path in rule_tests():
        name = path.relative_to(SQUAWK).as_posix()
        texts += [(f"{name}:{line}", sql) for line, sql in sql_literals(path.read_text(encoding="utf-8"))]
    return texts

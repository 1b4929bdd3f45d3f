"""How one input is declared (`option()`) and how its text becomes a typed, validated value.

Each input is declared once, as a field of `connect_gate.settings.Settings`; its parser turns the
text of a flag or an `INPUT_*` variable into the field's value, or raises InputError naming where
the text came from (`--timeout`, or input `timeout` (INPUT_TIMEOUT)) and what was expected.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from connect_gate.errors import InputError

Parse = Callable[[str, str], Any]  # (text, where it came from) → the value


class Secret:
    """A secret value that never shows in repr, str or f-strings; `reveal()` is the only way out."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret('***')" if self._value else "Secret('')"

    __str__ = __repr__


class OnError(enum.StrEnum):
    FAIL = "fail"
    WARN = "warn"


class ChangedOnly(enum.StrEnum):
    AUTO = "auto"
    TRUE = "true"
    FALSE = "false"


class PrComment(enum.StrEnum):
    NEVER = "never"
    ON_FAILURE = "on-failure"
    ALWAYS = "always"


@dataclass(frozen=True, slots=True)
class Option:
    """One input: its action.yml name, what it does, its default as action.yml states it, its parser."""

    description: str
    group: str  # the --help section it is listed in
    default: str = ""
    parse: Parse = field(default=lambda text, where: text)
    env_fallback: str = ""  # a variable users already know, read when the input is empty
    metavar: str = ""
    name: str = ""  # set from the Settings field: `report_dir` → `report-dir`

    @property
    def field(self) -> str:
        return self.name.replace("-", "_")

    @property
    def env(self) -> str:
        """The variable the runner sets: `INPUT_` + upper-cased name, hyphens kept."""
        return "INPUT_" + self.name.replace(" ", "_").upper()

    @property
    def kind(self) -> type:
        return bool if self.parse is boolean else str

    @property
    def secret(self) -> bool:
        return self.parse is secret

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(getattr(self.parse, "choices", ()))


def option(
    description: str,
    group: str,
    *,
    default: str = "",
    parse: Parse | None = None,
    env_fallback: str = "",
    metavar: str = "",
) -> Any:
    """A Settings field that is an input; its default value is its parsed default text."""
    declared = Option(description, group, default, parse or text, env_fallback, metavar)
    value = declared.parse(default, "default")
    if isinstance(value, (Secret, tuple)) or value is None or isinstance(value, (str, int, float, bool)):
        return field(default=value, metadata={"option": declared})
    raise TypeError(f"unsupported default {value!r}")  # pragma: no cover - a declaration mistake


def text(value: str, where: str) -> str:
    return value


def secret(value: str, where: str) -> Secret:
    return Secret(value)


TRUE_WORDS = ("true", "True", "TRUE")
FALSE_WORDS = ("false", "False", "FALSE")


def boolean(value: str, where: str) -> bool:
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise InputError(f"{where}: expected true or false, got {value!r}")


MAX_DIGITS = 9  # seconds, hours, minutes: a billion of any is no setting (and 5,000 digits no number)


def _shown(value: str) -> str:
    return repr(value) if len(value) <= 40 else f"{value[:40]!r}... ({len(value)} characters)"


def whole(value: str, where: str) -> int:
    """A whole number of 0 or more, of at most MAX_DIGITS digits (ASCII: `int()` also reads `٣`)."""
    digits = value.strip()
    if not (digits.isascii() and digits.lstrip("-").isdigit()):
        raise InputError(f"{where}: expected a whole number, got {_shown(value)}")
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise InputError(
            f"{where}: expected a number of at most {MAX_DIGITS} digits, got {len(digits)} digits"
        )
    number = int(digits)
    if number < 0:
        raise InputError(f"{where}: expected a number of 0 or more, got {number}")
    return number


def seconds(value: str, where: str) -> float:
    """A deadline: a deadline of 0 s would fail before the first request, so at least one second."""
    number = whole(value, where)
    if number < 1:
        raise InputError(f"{where}: expected at least 1 second, got {number}")
    return float(number)


def wait_seconds(value: str, where: str) -> float:
    """Seconds to wait for something; 0 does not wait."""
    return float(whole(value, where))


def choice(kind: type[enum.StrEnum]) -> Parse:
    def parse(value: str, where: str) -> enum.StrEnum:
        try:
            return kind(value)
        except ValueError:
            expected = ", ".join(member.value for member in kind)
            raise InputError(f"{where}: expected one of {expected}, got {value!r}") from None

    parse.choices = tuple(member.value for member in kind)  # type: ignore[attr-defined]
    return parse


def pr_number(value: str, where: str) -> int | None:
    """A pull request number, or None (then the workflow event's)."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS) or int(value) < 1:
        raise InputError(f"{where}: expected a pull request number, got {_shown(value)}")
    return int(value)


MIGRATIONS_OFF = "none"


def globs(value: str, where: str) -> tuple[str, ...] | None:
    """Migration file patterns (one per line or comma-separated; empty: the common layouts), or
    None for `none` (no migration analysis)."""
    if value.strip().lower() == MIGRATIONS_OFF:
        return None
    from connect_gate.migrations.discover import DEFAULT_PATTERNS

    patterns = tuple(part.strip() for line in value.splitlines() for part in line.split(",") if part.strip())
    if patterns and all(pattern.startswith("!") for pattern in patterns):
        raise InputError(f"{where}: {', '.join(patterns)}: no pattern selects files (all start with `!`)")
    return patterns or DEFAULT_PATTERNS


def schemas(value: str, where: str) -> tuple[str, ...]:
    """A comma-separated search path; empty parts are a mistake (`public,,app`)."""
    parts = tuple(part.strip() for part in value.split(","))
    if value.strip() and not all(parts):
        raise InputError(f"{where}: expected schema names separated by commas, got {value!r}")
    return tuple(part for part in parts if part) or ("public",)

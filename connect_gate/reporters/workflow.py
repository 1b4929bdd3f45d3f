"""GitHub Actions workflow commands, escaped exactly as the runner unescapes them.

Untrusted text (API messages, SQL, file names) must never become a command of its own:
data escaping turns CR/LF into %0D/%0A so it cannot start a new line, and property escaping also
turns `:` and `,` into %3A/%2C so a file name cannot forge another property.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str = "", properties: Mapping[str, str | int] | None = None) -> str:
    """One workflow command line, without its newline."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in (properties or {}).items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def inert(line: str) -> str:
    """A log line that cannot be read as a command: the runner trims a line, then looks for `::`."""
    return f"> {line}" if line.lstrip().startswith("::") else line


def stop_commands_token() -> str:
    """A fresh token for `::stop-commands::`, unguessable by the text printed inside the block."""
    return secrets.token_hex(16)


def quarantine(text: str, token: str) -> str:
    """Wrap text that may hold `::` lines so the runner prints it and runs none of it."""
    return f"::stop-commands::{token}\n{text.rstrip(chr(10))}\n::{token}::\n"


def group(title: str, body: str) -> str:
    """A foldable log group; the title is escaped like any command message."""
    return f"{command('group', title)}\n{body.rstrip(chr(10))}\n::endgroup::\n"

"""Reading a user's YAML or JSON file so that every later error can name file, line and key.

`Document.where(path)` turns a key path such as `("waivers", 0, "expires")` into
`policy.yml:12: waivers[0].expires`, the trail every input error message starts with.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from connect_gate.errors import InputError

KeyPath = tuple[str | int, ...]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text (we validate them ourselves) and refuses duplicate keys."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def format_key_path(path: KeyPath) -> str:
    """`("waivers", 0, "expires")` → `waivers[0].expires`; the empty path is the whole document."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


@dataclass
class Document:
    """A parsed file: its data, and the line of every key path (filled on demand for JSON)."""

    name: str
    text: str
    data: Any
    _lines: dict[KeyPath, int] | None = field(default=None, repr=False)

    def line_of(self, path: KeyPath) -> int | None:
        if self._lines is None:
            self._lines = _index_lines(self.text)
        while path not in self._lines and path:
            path = path[:-1]  # a missing key is reported at its parent
        return self._lines.get(path)

    def where(self, path: KeyPath) -> str:
        """The start of an error message: `file:line: key.path`."""
        line = self.line_of(path)
        prefix = f"{self.name}:{line}" if line is not None else self.name
        return f"{prefix}: {format_key_path(path)}"

    def error(self, path: KeyPath, message: str) -> InputError:
        return InputError(f"{self.where(path)}: {message}")


def read_text(path: str | Path, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: {what} is a directory, expected a file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: {what} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {exc.strerror}") from None


def load_yaml(path: str | Path, what: str) -> Document:
    text = read_text(path, what)
    name = str(path)
    try:
        root = yaml.compose(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(f"{name}{line}: not valid YAML: {exc.problem}") from None
    if root is None:
        return Document(name, text, None, {(): 1})
    lines: dict[KeyPath, int] = {}
    _walk(root, (), lines, name)
    loader = _StrictLoader(text)
    try:
        data = loader.construct_document(root)
    finally:
        loader.dispose()
    return Document(name, text, data, lines)


def load_json(path: str | Path, what: str) -> Document:
    text = read_text(path, what)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: {what} is not valid JSON: {exc.msg}") from None
    return Document(str(path), text, data)


def _walk(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], name: str) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                where = f"{name}:{key_node.start_mark.line + 1}: {format_key_path((*path, key))}"
                raise InputError(f"{where}: duplicate key {key!r}")
            seen.add(key)
            _walk(value_node, (*path, key), lines, name)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, name)


def _index_lines(text: str) -> dict[KeyPath, int]:
    """Line numbers for a JSON text, computed only when an error needs one (JSON is YAML)."""
    try:
        root = yaml.compose(text, Loader=_StrictLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[KeyPath, int] = {}
    if root is not None:
        with contextlib.suppress(InputError):
            _walk(root, (), lines, "")
    return lines

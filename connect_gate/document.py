"""Reading a user's YAML or JSON file so that every later error can name file, line and key.

`Document.where(path)` turns a key path such as `("waivers", 0, "expires")` into
`policy.yml:12: waivers[0].expires`, the trail every input error message starts with.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connect_gate.errors import InputError

if TYPE_CHECKING:
    import yaml

KeyPath = tuple[str | int, ...]


MAX_DEPTH = 64  # nesting levels of a YAML or JSON file; ours need 5
MAX_NUMBER_DIGITS = 30  # a number longer than this is no count, port or timeout of ours
MEBIBYTE = 1024 * 1024
DEFAULT_SIZE_LIMIT = 32 * MEBIBYTE
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)
_KINDS = {
    "tag:yaml.org,2002:bool": "a boolean",
    _INT: "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "nothing (null)",
}


@functools.cache
def _strict_loader() -> type[yaml.SafeLoader]:
    """SafeLoader (libyaml's when available: 8x faster) that keeps dates as text (we validate
    them ourselves). `_compose` refuses aliases (an alias bomb expands a few lines into
    gigabytes) and caps nesting; `_walk` refuses duplicate keys, keys that are not text, custom
    tags and endless numbers. Made on first use: a run that reads no YAML never imports PyYAML."""
    import yaml

    class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    _StrictLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _StrictLoader


def _compose(text: str, loader: type[yaml.SafeLoader] | None = None) -> yaml.Node | None:
    """The YAML node tree, after one fast pass over the events for aliases and depth."""
    import yaml

    loader = loader or _strict_loader()
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (`*name`) are not allowed; repeat the value instead",
                event.start_mark,  # type: ignore[arg-type]
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep",
                    event.start_mark,  # type: ignore[arg-type]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.compose(text, Loader=loader)


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


def read_text(path: str | Path, what: str, limit: int = DEFAULT_SIZE_LIMIT) -> str:
    """A regular file's text, at most `limit` bytes; FIFOs and devices are never opened for reading
    (a FIFO would block the run forever, /dev/zero would fill the memory)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {exc.strerror}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: {what} is a directory, expected a file")
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: {what} is not a regular file (a pipe or a device); expected a file")
    with os.fdopen(descriptor, "rb") as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read {what}: {exc.strerror}") from None
    if len(data) > limit:
        raise InputError(f"{path}: {what} is larger than the limit of {_size(limit)}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: {what} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _size(limit: int) -> str:
    return f"{limit // MEBIBYTE} MiB" if limit % MEBIBYTE == 0 else f"{limit:,} bytes"


def load_yaml(path: str | Path, what: str, limit: int = DEFAULT_SIZE_LIMIT) -> Document:
    import yaml

    text = read_text(path, what, limit)
    name = str(path)
    try:
        try:
            root = _compose(text)
        except yaml.MarkedYAMLError:  # libyaml's words are terse: say it in PyYAML's
            _compose(text, yaml.SafeLoader)
            raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(f"{name}{line}: not valid YAML: {exc.problem or exc.context}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        at = text.count("\n", 0, max(exc.position, 0)) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
        raise InputError(f"{name}:{at}: not valid YAML: the character U+{code:04X} is not allowed") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: not valid YAML: {exc}") from None
    if root is None:
        return Document(name, text, None, {(): 1})
    lines: dict[KeyPath, int] = {}
    _walk(root, (), lines, name)
    loader = _strict_loader()(text)
    try:
        data = loader.construct_document(root)
    except (yaml.YAMLError, ValueError) as exc:  # the walk refused what could fail here; belt and braces
        raise InputError(f"{name}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return Document(name, text, data, lines)


class JsonError(ValueError):
    """JSON that parses but that we refuse: too deep, an endless number, a duplicate key."""


class _DuplicateKeyError(JsonError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise _DuplicateKeyError(f"duplicate key {duplicate!r}")
    return data


def _number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise JsonError(f"a number of {len(text)} digits (at most {MAX_NUMBER_DIGITS})")
    return int(text)


def _constant(text: str) -> Any:
    raise JsonError(f"{text} is not JSON")


def parse_json(text: str | bytes) -> Any:
    """`json.loads` for text we did not write: duplicate keys, endless numbers, NaN and nesting
    deeper than MAX_DEPTH are refused (JsonError, a ValueError, as malformed JSON is)."""
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_int=_number, parse_constant=_constant)
    except RecursionError:
        raise JsonError(f"nested more than {MAX_DEPTH} levels deep") from None
    _unicode(data)
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise JsonError(f"nested more than {MAX_DEPTH} levels deep")
        children = item.values() if isinstance(item, dict) else item
        for value in (*item, *children) if isinstance(item, dict) else children:
            _unicode(value)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return data


class _SurrogateError(JsonError):
    pass


def _unicode(text: Any) -> None:
    """JSON's `\\ud800` escapes can spell half a UTF-16 pair, which is no character: no report
    could be written with it (UTF-8 has no encoding for it)."""
    if isinstance(text, str) and not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            code = ord(text[exc.start])
            raise _SurrogateError(
                f"\\u{code:04x} is half of a UTF-16 surrogate pair, not a character"
            ) from None


# A `\u` escape of a high surrogate without its low half after it, or of a low one without its high half
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def load_json(path: str | Path, what: str, limit: int = DEFAULT_SIZE_LIMIT) -> Document:
    text = read_text(path, what, limit)
    try:
        data = parse_json(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: {what} is not valid JSON: {exc.msg}") from None
    except _DuplicateKeyError as exc:
        _index_lines(text, str(path), strict=True)  # raises with the duplicate's line
        raise InputError(f"{path}: {what}: {exc}") from None
    except _SurrogateError as exc:
        found = _LONE_SURROGATE.search(text)
        line = f":{text.count(chr(10), 0, found.start()) + 1}" if found else ""
        raise InputError(f"{path}{line}: {what} cannot be read: {exc}") from None
    except JsonError as exc:
        raise InputError(f"{path}: {what} cannot be read: {exc}") from None
    return Document(str(path), text, data)


def _walk(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], name: str) -> None:
    import yaml

    stack: list[tuple[yaml.Node, KeyPath]] = [(node, path)]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)  # a key's own line was set with its key
        _check_node(node, path, name)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key_node.tag != _STR or not isinstance(key_node, yaml.ScalarNode):
                    kind = _KINDS.get(key_node.tag, "not text")
                    where = _where(name, key_node, (*path, key))
                    raise InputError(f"{where}: the key {key!r} is read as {kind}; quote it to make it text")
                if key in seen:
                    raise InputError(f"{_where(name, key_node, (*path, key))}: duplicate key {key!r}")
                seen.add(key)
                stack.append((value_node, (*path, key)))
                lines[(*path, key)] = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in enumerate(node.value))


def _where(name: str, node: yaml.Node, path: KeyPath) -> str:
    return f"{name}:{node.start_mark.line + 1}: {format_key_path(path)}"


def _check_node(node: yaml.Node, path: KeyPath, name: str) -> None:
    if node.tag not in _ALLOWED_TAGS:
        where = _where(name, node, path)
        raise InputError(
            f"{where}: the tag {node.tag!r} is not allowed (plain values, lists and mappings only)"
        )
    if node.tag == _INT and len(str(node.value).lstrip("+-")) > MAX_NUMBER_DIGITS:
        digits = len(str(node.value))
        raise InputError(
            f"{_where(name, node, path)}: a number of {digits} digits (at most {MAX_NUMBER_DIGITS})"
        )


def _index_lines(text: str, name: str = "", strict: bool = False) -> dict[KeyPath, int]:
    """Line numbers for a JSON text, computed only when an error needs one (JSON is YAML).

    `strict`: raise the walk's InputError (a duplicate key, with its line) instead of ignoring it.
    """
    import yaml

    try:
        root = yaml.compose(text, Loader=_strict_loader())
    except yaml.YAMLError:
        return {}
    lines: dict[KeyPath, int] = {}
    if root is not None:
        try:
            _walk(root, (), lines, name)
        except InputError:
            if strict:
                raise
    return lines

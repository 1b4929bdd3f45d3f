"""Reading and validating a policy file: every mistake named by file, line and key path."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema

from connect_gate.checks import known_names
from connect_gate.document import Document, KeyPath, format_key_path, load_yaml
from connect_gate.errors import InputError
from connect_gate.findings import Status
from connect_gate.policy.model import DEFAULT_ACTIONS, Action, Policy, Rule, Selector, Waiver
from connect_gate.policy.schema import SCHEMA
from connect_gate.suggest import did_you_mean

POLICY_SIZE_LIMIT = 2 * 1024 * 1024  # bytes: room for 10,000 waivers; a bigger policy is an attack
UNLISTED_HINT = (
    "if the server added this check after this version of connect-gate, add `unlisted: true` to the entry"
)
_TYPE_NAMES = {
    "string": "text",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
    "integer": "a whole number",
}


def load_policy(path: str | Path) -> Policy:
    doc = load_yaml(path, "policy file", POLICY_SIZE_LIMIT)
    problems = [*_schema_problems(doc), *_name_problems(doc.data), *_date_problems(doc.data)]
    if problems:
        problems.sort(key=lambda item: (doc.line_of(item[0]) or 0, format_key_path(item[0])))
        raise InputError("\n".join(f"{doc.where(where)}: {message}" for where, message in problems))
    data: dict[str, Any] = doc.data
    defaults = dict(DEFAULT_ACTIONS)
    for status_name, action in (data.get("defaults") or {}).items():
        defaults[Status[status_name.upper()]] = Action(action)
    rules = tuple(
        Rule(_selector(item), Action(item["action"]), _origin(doc, ("checks", index)))
        for index, item in enumerate(data.get("checks") or [])
    )
    waivers = tuple(
        Waiver(
            selector=_selector(item),
            reason=item["reason"],
            origin=_origin(doc, ("waivers", index)),
            file=doc.name,
            line=doc.line_of(("waivers", index)) or 1,
            by=item.get("by", ""),
            expires=datetime.date.fromisoformat(item["expires"]) if "expires" in item else None,
        )
        for index, item in enumerate(data.get("waivers") or [])
    )
    return Policy(origin=doc.name, defaults=defaults, rules=rules, waivers=waivers)


def _origin(doc: Document, path: KeyPath) -> str:
    """`policy.yml:7 checks[0]`: where a decision's rule came from, quoted in its reason."""
    return f"{doc.name}:{doc.line_of(path)} {format_key_path(path)}"


def _selector(item: dict[str, Any]) -> Selector:
    return Selector(item["check"], item.get("mapping"), item.get("connection"), item.get("file"))


def _schema_problems(doc: Document) -> Iterable[tuple[KeyPath, str]]:
    if doc.data is None:
        yield (), "the policy is empty; it needs at least `version: 1`"
        return
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for error in validator.iter_errors(doc.data):
        path: KeyPath = tuple(error.absolute_path)
        yield from _explain(error, path)


def _explain(error: jsonschema.ValidationError, path: KeyPath) -> Iterable[tuple[KeyPath, str]]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    if error.validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for key in sorted(set(instance) - set(allowed)):
            hint = did_you_mean(key, allowed) or f"expected one of: {', '.join(allowed)}"
            yield (*path, key), f"unknown key {key!r}; {hint}"
    elif error.validator == "required":
        missing = [key for key in schema.get("required", []) if key not in instance]
        for key in missing:
            yield path, f"missing required key {key!r}"
    elif error.validator == "enum":
        choices = ", ".join(schema["enum"])
        hint = did_you_mean(str(instance), schema["enum"])
        yield path, f"expected one of {choices}; got {instance!r}" + (f" ({hint})" if hint else "")
    elif error.validator == "const":
        yield path, f"expected {schema['const']!r}, got {instance!r}"
    elif error.validator == "type":
        wanted = _TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
        yield path, f"expected {wanted}, got {_kind(instance)}"
    elif error.validator == "minLength":
        yield path, "must not be empty"
    elif error.validator == "pattern" and path[-1:] == ("expires",):
        yield path, f"expected a date as YYYY-MM-DD, got {instance!r}"
    else:  # a shape the schema allows in future versions; keep jsonschema's own words
        yield path, error.message


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def _entries(data: Any, section: str) -> Iterable[tuple[int, dict[str, Any]]]:
    """The well-formed entries of a list section; shape errors are the schema's to report."""
    items = data.get(section) if isinstance(data, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield index, item


def _name_problems(data: Any) -> Iterable[tuple[KeyPath, str]]:
    names = known_names()
    for section in ("checks", "waivers"):
        for index, item in _entries(data, section):
            check = item.get("check")
            if not isinstance(check, str) or not check or item.get("unlisted") or check.casefold() in names:
                continue
            hint = did_you_mean(check, names.values())
            message = f"unknown check {check!r}" + (f"; {hint}" if hint else "") + f" ({UNLISTED_HINT})"
            yield (section, index, "check"), message


def _date_problems(data: Any) -> Iterable[tuple[KeyPath, str]]:
    for index, item in _entries(data, "waivers"):
        expires = item.get("expires")
        if isinstance(expires, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", expires):
            try:
                datetime.date.fromisoformat(expires)
            except ValueError:
                yield ("waivers", index, "expires"), f"{expires!r} is not a date in the calendar"

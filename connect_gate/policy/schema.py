"""The policy's JSON Schema: the one declaration of its shape.

The loader validates against it and `schema/policy-v1.schema.json` is this dict written out
for editors (a test keeps the two identical; `make schema` rewrites the file).
"""

from __future__ import annotations

from typing import Any

ACTIONS = ["block", "warn", "ignore"]

_SELECTOR: dict[str, Any] = {
    "check": {
        "type": "string",
        "minLength": 1,
        "description": "A check's rule_id or display name (Heroku's), or a connect-gate check id; "
        "case-insensitive.",
    },
    "mapping": {"type": "string", "minLength": 1, "description": "Only this mapping (object name)."},
    "connection": {"type": "string", "minLength": 1, "description": "Only this connection (name)."},
    "file": {
        "type": "string",
        "minLength": 1,
        "description": "Only findings in this file: a migration's path relative to the repository "
        "(also what the sandbox ran it from).",
    },
    "unlisted": {
        "type": "boolean",
        "description": "The check is not in connect-gate's catalogue (the server added it later): "
        "accept the name as written.",
    },
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/connect-gate/connect-gate/schema/policy-v1.schema.json",
    "title": "connect-gate policy, version 1",
    "type": "object",
    "additionalProperties": False,
    "required": ["version"],
    "properties": {
        "version": {"const": 1, "description": "The policy format version; always 1."},
        "defaults": {
            "type": "object",
            "additionalProperties": False,
            "description": "What each status does when no entry of `checks` matches.",
            "properties": {
                "red": {"enum": ACTIONS, "default": "block"},
                "yellow": {"enum": ACTIONS, "default": "warn"},
                "skipped": {"enum": ACTIONS, "default": "ignore"},
                "error": {
                    "enum": ACTIONS,
                    "default": "block",
                    "description": "A check that could not run.",
                },
            },
        },
        "checks": {
            "type": "array",
            "description": "Per-check overrides for findings that are not GREEN or SKIPPED; "
            "the first matching entry wins.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["check", "action"],
                "properties": {**_SELECTOR, "action": {"enum": ACTIONS}},
            },
        },
        "waivers": {
            "type": "array",
            "description": "Findings that would block or warn, accepted: by whom, why and until when.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["check", "reason"],
                "properties": {
                    **_SELECTOR,
                    "reason": {"type": "string", "minLength": 1, "description": "Why it is accepted."},
                    "by": {"type": "string", "description": "Who accepted it."},
                    "expires": {
                        "type": "string",
                        "pattern": r"^\d{4}-\d{2}-\d{2}$",
                        "description": "Last day the waiver applies (YYYY-MM-DD); after it, the finding "
                        "is decided as usual and the expired waiver is reported.",
                    },
                },
            },
        },
    },
}

"""GitHub's REST API contract, from GitHub's own OpenAPI description, for the fake GitHub API.

The description is github/rest-api-description as Octokit publishes it on npm
(https://www.npmjs.com/package/@octokit/openapi, `generated/api.github.com.json`), installed by
`make test` (the Makefile's `.tools` target); nothing of it is committed here. The tests fail,
never skip, without it.

Only the operations the gate calls are kept, with every component they reference, cached next to
the package (parsing the whole 13 MB description takes seconds). OpenAPI 3.0 schemas become JSON
Schema (draft 4, which 3.0's Schema Object extends): `nullable: true` admits null.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / ".tools" / "node_modules" / "@octokit" / "openapi"
DESCRIPTION = PACKAGE / "generated" / "api.github.com.json"
OPERATIONS = (  # the operationIds connect_gate.github calls
    "checks/create",
    "checks/update",
    "issues/list-comments",
    "issues/create-comment",
    "issues/update-comment",
)


@dataclass(frozen=True)
class Operation:
    id: str
    method: str  # upper case
    template: str  # /repos/{owner}/{repo}/check-runs
    pattern: re.Pattern[str]
    spec: dict[str, Any]


class Contract:
    """The kept operations, and validators for their bodies with every `$ref` resolved."""

    def __init__(self, subset: dict[str, Any]) -> None:
        self.version = subset["version"]
        self.components = subset["components"]
        self.operations = [
            Operation(op_id, method.upper(), template, _pattern(template), spec)
            for op_id, (template, method, spec) in subset["operations"].items()
        ]

    def operation(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        for operation in self.operations:
            match = operation.pattern.fullmatch(path)
            if match and operation.method == method:
                return operation, match.groupdict()
        return None

    def request_errors(self, operation: Operation, body: Any) -> list[str]:
        content = operation.spec.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            return [] if body is None else [f"{operation.id} takes no body"]
        return self._errors(content["application/json"]["schema"], body)

    def response_errors(self, operation: Operation, status: int, body: Any) -> list[str]:
        responses = operation.spec["responses"]
        response = responses.get(str(status))
        if response is None:  # errors the operation does not list (403 of a read-only token...)
            if status < 400:
                return [f"{operation.id} never answers {status}"]
            return self._errors({"$ref": "#/components/schemas/basic-error"}, body)
        response = self._resolve(response)
        content = response.get("content", {})
        if "application/json" not in content:
            return [] if body is None else [f"{operation.id} answers {status} without a body"]
        return self._errors(content["application/json"]["schema"], body)

    def parameter_errors(self, operation: Operation, query: dict[str, str]) -> list[str]:
        known = {}
        for parameter in map(self._resolve, operation.spec.get("parameters", [])):
            if parameter["in"] == "query":
                known[parameter["name"]] = parameter["schema"]
        errors = [f"{operation.id}: unknown query parameter {name!r}" for name in query if name not in known]
        for name, text in query.items():
            if name in known and known[name].get("type") == "integer" and not text.isdigit():
                errors.append(f"{operation.id}: query parameter {name}={text!r} is not an integer")
        return errors

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            kind, name = node["$ref"].split("/")[-2:]
            node = self.components[kind][name]
        return node

    def _errors(self, schema: dict[str, Any], body: Any) -> list[str]:
        root = {**schema, "components": self.components}
        validator = jsonschema.Draft4Validator(root)
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:300]}"
            for e in validator.iter_errors(body)
        ]


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)))


def to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 Schema Objects → JSON Schema: `nullable: true` admits null."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {
        key: to_json_schema(value)
        for key, value in node.items()
        if key not in ("nullable", "example", "examples")
    }
    if node.get("nullable") is True:
        if isinstance(converted.get("type"), str) and "$ref" not in converted:
            converted["type"] = [converted["type"], "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        else:
            return {"anyOf": [{"type": "null"}, converted]}
    return converted


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def extract(description: dict[str, Any]) -> dict[str, Any]:
    """The kept operations and the components they reach, converted to JSON Schema."""
    operations: dict[str, Any] = {}
    for template, item in description["paths"].items():
        for method, spec in item.items():
            if isinstance(spec, dict) and spec.get("operationId") in OPERATIONS:
                operations[spec["operationId"]] = (template, method, spec)
    missing = set(OPERATIONS) - set(operations)
    assert not missing, f"{DESCRIPTION} has no operation {sorted(missing)}"
    components: dict[str, dict[str, Any]] = {}
    pending = [ref for _, _, spec in operations.values() for ref in _refs(spec)]
    pending.append("#/components/schemas/basic-error")
    while pending:
        kind, name = pending.pop().split("/")[-2:]
        if name in components.setdefault(kind, {}):
            continue
        node = description["components"][kind][name]
        components[kind][name] = node
        pending += list(_refs(node))
    return {
        "version": description["info"]["version"],
        "operations": {k: (t, m, to_json_schema(s)) for k, (t, m, s) in operations.items()},
        "components": to_json_schema(components),
    }


def load_contract() -> Contract:
    if not DESCRIPTION.is_file():
        pytest.fail(
            f"GitHub's OpenAPI description is missing ({DESCRIPTION.relative_to(ROOT)}): run `make test`, "
            f"or `make {DESCRIPTION.relative_to(ROOT)}` (npm install of @octokit/openapi)",
            pytrace=False,
        )
    version = json.loads((PACKAGE / "package.json").read_text())["version"]
    recipe = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:10]  # what is kept, and how
    cache = PACKAGE.parent / f"openapi-subset-{version}-{recipe}.json"
    if not cache.is_file():
        subset = extract(json.loads(DESCRIPTION.read_text(encoding="utf-8")))
        cache.write_text(json.dumps(subset), encoding="utf-8")
    return Contract(json.loads(cache.read_text(encoding="utf-8")))

"""What the Connect API tells us about a connection, read once from its JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connect_gate.errors import ServiceError


@dataclass(frozen=True, slots=True)
class MappingState:
    id: str
    object_name: str
    state: str


@dataclass(frozen=True, slots=True)
class Connection:
    """A connection: the discovery record with its deep detail merged over it."""

    id: str
    name: str
    app_name: str
    resource_name: str
    region_url: str
    state: str
    mappings: tuple[MappingState, ...]
    schema_name: str = "salesforce"
    db_key: str = "DATABASE_URL"
    record: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def api_url(self) -> str:
        return f"{self.region_url.rstrip('/')}/api/v3/connections/{self.id}"

    @classmethod
    def from_record(cls, record: dict[str, Any], source: str) -> Connection:
        mappings = record.get("mappings")
        if not isinstance(mappings, list) or not all(isinstance(m, dict) for m in mappings):
            # a connection read without its mappings would look "not configured": say what is wrong
            raise ServiceError(f"{source}: `mappings` is not a list of mappings")
        identifier = record.get("id")
        if isinstance(identifier, int) and not isinstance(identifier, bool):
            identifier = str(identifier)  # the official plugin types it `id: number`; ours were strings
        return cls(
            id=text({"id": identifier}, "id", source),
            name=str(
                record.get("name") or record.get("internal_name") or record.get("resource_name") or identifier
            ),
            app_name=str(record.get("app_name", "")),
            resource_name=str(record.get("resource_name", "")),
            region_url=text(record, "region_url", source),
            state=text(record, "state", source),
            mappings=tuple(
                MappingState(str(m.get("id", "")), str(m.get("object_name", "?")), str(m.get("state", "")))
                for m in mappings
            ),
            schema_name=str(record.get("schema_name") or "salesforce"),
            db_key=str(record.get("db_key") or "DATABASE_URL"),
            record=record,
        )


@dataclass(frozen=True, slots=True)
class ReviewApp:
    """A review app as the Platform API lists it."""

    id: str
    app_id: str | None
    branch: str
    pr_number: int | None
    status: str
    message: str
    error_status: str = ""
    updated_at: str = ""

    @property
    def label(self) -> str:
        return f"PR #{self.pr_number}" if self.pr_number is not None else f"branch {self.branch}"


def text(record: object, key: str, source: str) -> str:
    """A required non-empty string field of an API answer; anything else is the service's fault."""
    value = record.get(key) if isinstance(record, dict) else None
    if not isinstance(value, str) or not value:
        raise ServiceError(f"{source}: expected a non-empty string `{key}`, got {type(value).__name__}")
    return value


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An answer the gate asked for and could not have (the request failed): what its checks get
    instead, so they report an ERROR naming `failure` rather than nothing."""

    failure: str

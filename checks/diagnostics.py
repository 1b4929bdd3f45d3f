"""Heroku Connect's own diagnostics checks, as far as they are known.

The server decides the colour of each result and may add checks at any time; this catalogue is
only used to validate the names a policy uses ("did you mean ...?") and never to filter results.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KnownCheck:
    display_name: str
    rule_id: str | None = None
    level: str = "mapping"  # "connection" or "mapping"


CONNECTION_CHECKS = (
    KnownCheck("Salesforce API Version", "MUST_USE_RECENT_API_VERSION", "connection"),
    KnownCheck("View/Modify All Data", "SHOULD_HAVE_VALID_SF_PERMISSIONS", "connection"),
    KnownCheck("Number of Mappings", "NUM_MAPPINGS_WITHIN_LIMIT", "connection"),
    KnownCheck("Database Plan", "PAID_PLAN_MUST_HAVE_PAID_DATABASE", "connection"),
    KnownCheck("Heroku Postgres", "HEROKU_POSTGRES_REQUIRED", "connection"),
    KnownCheck("Data Locality", "REGIONS_SHOULD_MATCH", "connection"),
    KnownCheck("Configured Logging", "SHOULD_HAVE_LOG_DRAIN", "connection"),
)

MAPPING_CHECKS = tuple(
    KnownCheck(name)
    for name in (
        "Unique Identifier",
        "Upsert Field",
        "Binary Fields",
        "Calculated Fields",
        "Number of Fields",
        "Number of Large Text Area Fields",
        "Required Fields",
        "Salesforce Field Changes",
        "Database Field Changes",
        "IsArchived Field",
        "Polymorphic External ID",
        "Maximum Record Size",
        "Query Size",
        "sObject Is Not Supported by the Bulk API",
        "Synthetic Fields",
        "Synthetic Field/Unique Identifier Field Agreement",
    )
)

KNOWN_CHECKS = CONNECTION_CHECKS + MAPPING_CHECKS

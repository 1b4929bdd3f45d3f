"""Heroku Connect's own diagnostics checks, as far as they are known, with what to do about each.

The server decides the colour of each result and may add checks at any time; this catalogue
validates the names a policy uses ("did you mean ...?"), never filters results, and holds the one
copy of each check's explanation: what it checks, why it matters for the sync, how to fix it
(`fix` is also the "How to fix:" line under a finding), each statement with the Heroku pages it
comes from. `related` names our own checks that say *what* drifted when Heroku says *that* it did.
"""

from __future__ import annotations

from dataclasses import dataclass

DIAGNOSE = "https://devcenter.heroku.com/articles/heroku-connect-diagnose"
BLOG = "https://www.heroku.com/blog/health-check-for-your-heroku-connect-data-pipeline/"
OVERVIEW = "https://devcenter.heroku.com/articles/heroku-connect"
SET_UP = "https://devcenter.heroku.com/articles/getting-started-with-heroku-and-connect-without-local-dev"
MAPPING_OPTIONS = "https://devcenter.heroku.com/articles/mapping-configuration-options"
MANAGING_MAPPINGS = "https://devcenter.heroku.com/articles/managing-heroku-connect-mappings"
DATABASE_TABLES = "https://devcenter.heroku.com/articles/heroku-connect-database-tables"
DUPLICATES = "https://devcenter.heroku.com/articles/heroku-connect-duplicate-record-issues"
WRITING = "https://devcenter.heroku.com/articles/writing-data-to-salesforce-with-heroku-connect"
READING = "https://devcenter.heroku.com/articles/reading-data-from-salesforce-with-heroku-connect"
MAINTENANCE = "https://devcenter.heroku.com/articles/heroku-connect-maintenance-operations"


@dataclass(frozen=True, slots=True)
class Said:
    """One statement of the documentation and the Heroku pages it is taken from."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KnownCheck:
    display_name: str
    rule_id: str | None = None
    level: str = "mapping"  # "connection" or "mapping"
    anchor: str = ""  # the check's section of the diagnose article, when the server is seen to link it
    checks: Said | None = None  # what it checks
    why: Said | None = None  # why it matters for the sync
    fix: Said | None = None  # how to fix it: one or two sentences, the "How to fix:" line
    related: tuple[str, ...] = ()  # ids of our checks that find the concrete drift on the same table

    @property
    def id(self) -> str:
        """What reports and `connect-gate explain` call it: the rule_id when it has one."""
        return self.rule_id or self.display_name

    @property
    def doc_url(self) -> str:
        return f"{DIAGNOSE}#{self.anchor}" if self.anchor else DIAGNOSE


_NOT_DESCRIBED = (
    "connect-gate has no Heroku description of this check yet: the result's own message says what the "
    "server found, and the diagnose article is the reference."
)

CONNECTION_CHECKS = (
    KnownCheck(
        "Salesforce API Version",
        "MUST_USE_RECENT_API_VERSION",
        "connection",
        "check-salesforce-api-version",
        checks=Said(
            "Whether the connection uses a recent Salesforce API version. Heroku Connect does not move "
            "to newer API versions by itself as Salesforce releases them, so that your data is handled "
            "consistently; a connection keeps the version it was created with.",
            (DIAGNOSE, BLOG),
        ),
        why=Said(
            "An old API version drifts out of compatibility and misses features over time; before "
            "API v39 Heroku Connect cannot use the Bulk API at all.",
            (BLOG, SET_UP),
        ),
        fix=Said(
            "The version cannot be changed on an active connection: ask Heroku support to change it, or "
            "export the configuration (`heroku connect:export`) and re-create the connection on the "
            "latest API version.",
            (BLOG, DIAGNOSE),
        ),
    ),
    KnownCheck(
        "View/Modify All Data",
        "SHOULD_HAVE_VALID_SF_PERMISSIONS",
        "connection",
        "check-view-modify-all-data",
        checks=Said(
            "Whether the Salesforce user that authorised the connection has the View All Data or "
            "Modify All Data permission.",
            (DIAGNOSE, MAPPING_OPTIONS),
        ),
        why=Said(
            "Heroku Connect needs View All permissions to work well; missing permissions are the most "
            "common reason why objects or fields do not show up when a mapping is created or edited.",
            (MAPPING_OPTIONS,),
        ),
        fix=Said(
            "Give the Salesforce user that authorised the connection the View All permission (View All "
            "Data where an object has no such option).",
            (MAPPING_OPTIONS,),
        ),
    ),
    KnownCheck(
        "Number of Mappings",
        "NUM_MAPPINGS_WITHIN_LIMIT",
        "connection",
        checks=Said(
            "Whether the connection has no more than 100 mappings (the server's message).", (DIAGNOSE,)
        ),
        why=Said(
            "Heroku Connect's performance degrades as mappings are added: reading from and writing to "
            "Salesforce slow down, and so does the dashboard.",
            (DIAGNOSE,),
        ),
        fix=Said(
            "Map fewer objects: delete the mappings the app does not need.",
            (DIAGNOSE,),
        ),
    ),
    KnownCheck(
        "Database Plan",
        "PAID_PLAN_MUST_HAVE_PAID_DATABASE",
        "connection",
        checks=Said(
            "Whether a paid Heroku Connect plan syncs into a paid Heroku Postgres plan (it is skipped "
            "on the demo plan).",
            (DIAGNOSE, OVERVIEW),
        ),
        why=Said(
            "The demo plan syncs at most 10,000 rows and the paid plans are for production; Heroku "
            "Shield Connect can only sync with Heroku Postgres databases on Shield plans.",
            (OVERVIEW,),
        ),
        fix=Said(
            "Move the database to a paid Heroku Postgres plan with `heroku addons:upgrade`, which "
            "Heroku Connect handles like an HA failover.",
            (MAINTENANCE,),
        ),
    ),
    KnownCheck(
        "Heroku Postgres",
        "HEROKU_POSTGRES_REQUIRED",
        "connection",
        checks=Said("Whether the connection's database is a Heroku Postgres add-on.", (DIAGNOSE,)),
        why=Said(
            "Normal operation and customer support of Heroku Connect rely on services only available "
            "on Heroku Postgres.",
            (DIAGNOSE,),
        ),
        fix=Said(
            "Point the connection at a Heroku Postgres database attached to the app.", (DIAGNOSE, OVERVIEW)
        ),
    ),
    KnownCheck(
        "Data Locality",
        "REGIONS_SHOULD_MATCH",
        "connection",
        checks=Said(
            "Whether the connection and the app are in the same region (the server's message names it).",
            (DIAGNOSE,),
        ),
        why=Said(
            "Heroku Connect instances run in the same region as the app they are attached to, so the "
            "data the connection syncs is expected in that region too.",
            (SET_UP,),
        ),
        fix=Said(
            "Keep the app, its Heroku Postgres database and its Heroku Connect add-on in one region.",
            (SET_UP,),
        ),
    ),
    KnownCheck(
        "Configured Logging",
        "SHOULD_HAVE_LOG_DRAIN",
        "connection",
        "check-configured-log-drain",
        checks=Said("Whether the app has logging configured (a log drain or a logging add-on).", (DIAGNOSE,)),
        why=Said(
            "Heroku Connect writes its events (reloads, queries, errors) to the app's log through "
            "Logplex; without a drain or logging add-on they can only be watched live.",
            (MAINTENANCE,),
        ),
        fix=Said(
            "Add a logging add-on or a log drain to the app, so Heroku Connect's log lines "
            "(`heroku logs -d herokuconnect`) are kept.",
            (MAINTENANCE,),
        ),
    ),
)

_DATABASE_DRIFT = (
    "mapped-table-missing",
    "mapped-column-missing",
    "system-column-missing",
    "app-owned-column",
    "constraint-on-mapped-table",
    "foreign-key-into-mapped-table",
    "mapped-table-removed",
    "mapped-column-changed",
    "nullable-column-added",
    "constraint-added-to-mapped-table",
    "foreign-key-added-to-mapped-table",
    "table-created-in-connect-schema",
)

MAPPING_CHECKS = (
    KnownCheck(
        "Unique Identifier",
        anchor="check-unique-identifier",
        checks=Said(
            "Whether a read-write mapping has a unique identifier: a unique External ID field in Salesforce.",
            (DIAGNOSE,),
        ),
        why=Said(
            "Heroku Connect reads and writes on separate threads. A record written to Salesforce can be "
            "read back before its `sfid` is stored; Connect then matches it by the unique identifier, "
            "and without one it inserts a duplicate row.",
            (DUPLICATES,),
        ),
        fix=Said(
            "Add a unique External ID field to the object in Salesforce, set it as the mapping's unique "
            "identifier, and fill it with a UUID on every INSERT (never Connect's `id` or a sequence).",
            (DUPLICATES,),
        ),
    ),
    KnownCheck(
        "Upsert Field",
        checks=Said(
            "The mapping's upsert field, the unique identifier Heroku Connect matches records by when "
            "the `sfid` is not known yet.",
            (DIAGNOSE, DUPLICATES),
        ),
        why=Said(
            "Without a reliable unique identifier, records written from Postgres can come back as "
            "duplicates.",
            (DUPLICATES,),
        ),
        fix=Said(
            "Use a unique External ID field that never changes and is never reused as the mapping's "
            "unique identifier; do not use auto-incrementing values.",
            (DUPLICATES,),
        ),
    ),
    KnownCheck(
        "Binary Fields",
        checks=Said("Whether the mapping includes binary (Base64) fields.", (DIAGNOSE, BLOG)),
        why=Said(
            "Base64 fields are not supported by the Bulk API that Heroku Connect uses for large "
            "volumes: such an object cannot be read when more than 20,000 records changed.",
            (MAPPING_OPTIONS, BLOG),
        ),
        fix=Said(
            "Remove the binary fields from the mapping; keep the files in an object store such as "
            "Amazon S3 and sync a text field with their URL instead.",
            (BLOG,),
        ),
    ),
    KnownCheck(
        "Calculated Fields",
        checks=Said(
            "Whether the mapping includes calculated fields: cross-object formulas or roll-up summaries.",
            (DIAGNOSE, BLOG),
        ),
        why=Said(
            "They are computed in Salesforce without updating the record's SystemModstamp, the "
            "timestamp Heroku Connect polls for changes: their new values are not synced until "
            "something else changes the record.",
            (BLOG, DATABASE_TABLES),
        ),
        fix=Said(
            "Compute the value in the database (a view or a trigger on your own table) from mapped "
            "fields, or accept that it is only as fresh as the record's last real change.",
            (BLOG,),
        ),
    ),
    KnownCheck(
        "Number of Fields",
        checks=Said("How many fields the mapping syncs; the server's message gives the count.", (DIAGNOSE,)),
        fix=Said("Edit the mapping and remove the fields the app does not read.", (MANAGING_MAPPINGS,)),
    ),
    KnownCheck(
        "Number of Large Text Area Fields",
        checks=Said("How many Long or Rich Text Area fields the mapping syncs.", (DIAGNOSE,)),
        fix=Said(
            "Edit the mapping and remove the large text fields the app does not need.", (MANAGING_MAPPINGS,)
        ),
    ),
    KnownCheck("Required Fields", checks=Said(_NOT_DESCRIBED, (DIAGNOSE,))),
    KnownCheck(
        "Salesforce Field Changes",
        checks=Said(
            "Whether the object changed in Salesforce in a way the mapping does not reflect, typically "
            "a field whose type changed or a new required field.",
            (BLOG,),
        ),
        why=Said(
            "The mapping no longer matches the Salesforce object, so the sync of that object can stall.",
            (BLOG,),
        ),
        fix=Said(
            "Open the Heroku Connect dashboard and refresh the object's schema so the mapping matches "
            "Salesforce again.",
            (BLOG,),
        ),
        related=("mapped-column-missing", "app-owned-column", "mapped-column-changed"),
    ),
    KnownCheck(
        "Database Field Changes",
        checks=Said(
            "Whether the mapped table in Postgres drifted from what Heroku Connect expects: columns or "
            "constraints changed by hand or by a migration.",
            (BLOG,),
        ),
        why=Said(
            "Heroku Connect creates and alters mapped tables itself (ALTER TABLE when a mapping is "
            "edited); a table changed behind its back breaks the pipeline.",
            (BLOG, DATABASE_TABLES),
        ),
        fix=Said(
            "Revert the migration that changed the mapped table, or update the mapping to match the new "
            "schema; change mapped tables only by editing the mapping.",
            (BLOG, DATABASE_TABLES),
        ),
        related=_DATABASE_DRIFT,
    ),
    *(
        KnownCheck(name, checks=Said(_NOT_DESCRIBED, (DIAGNOSE,)))
        for name in (
            "IsArchived Field",
            "Polymorphic External ID",
            "Maximum Record Size",
            "Query Size",
        )
    ),
    KnownCheck(
        "sObject Is Not Supported by the Bulk API",
        checks=Said(
            "Whether the object can be read through Salesforce's Bulk API.", (DIAGNOSE, MAPPING_OPTIONS)
        ),
        why=Said(
            "Heroku Connect uses the Bulk API for large volumes; objects the Bulk API does not fully "
            "support (LeadHistory, KnowledgeArticleVersion...) cannot be retrieved past 20,000 changed "
            "records, or cannot be mapped at all.",
            (MAPPING_OPTIONS, READING),
        ),
        fix=Said(
            "Do not map the object, or keep its changes under 20,000 records between syncs.",
            (MAPPING_OPTIONS,),
        ),
    ),
    *(
        KnownCheck(name, checks=Said(_NOT_DESCRIBED, (DIAGNOSE,)))
        for name in ("Synthetic Fields", "Synthetic Field/Unique Identifier Field Agreement")
    ),
)

KNOWN_CHECKS = CONNECTION_CHECKS + MAPPING_CHECKS


def find_known(name: str) -> KnownCheck | None:
    """The catalogue's entry for a display name or rule_id, any case; None for a check it lacks."""
    folded = name.casefold()
    for known in KNOWN_CHECKS:
        if folded in (known.display_name.casefold(), (known.rule_id or "").casefold()):
            return known
    return None


def how_to_fix(check_id: str, name: str) -> str:
    """The one-line "How to fix" of a Heroku result (by rule_id, else display name); "" if unknown."""
    known = find_known(check_id) or find_known(name)
    return known.fix.text if known is not None and known.fix is not None else ""

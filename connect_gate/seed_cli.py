"""`connect-gate seed`: create a Connect-shaped schema from an export file in a throwaway database."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from connect_gate.database.connection import SessionLimits
from connect_gate.database.seed import SEED_TIMEOUT_S, seed
from connect_gate.errors import InputError, ServiceError
from connect_gate.exit_status import ExitStatus
from connect_gate.mapping_config import load_export

DESCRIPTION = """\
Create, in an empty schema of any PostgreSQL, what Heroku Connect keeps there for the mappings
of an export file: the system tables (_trigger_log, _trigger_log_archive, _hcmeta,
_sf_event_log), one table per mapped object with its system columns, Connect's indexes, its
logger and status triggers, the hstore extension and public.get_xmlbinary().

Run your migrations against the seeded database to see what they would do to the sync.
Each mapped table gets --sample-rows rows that fit its columns, written as Connect writes them
(not queued for Salesforce), so that a data migration looping over rows really writes.
With --record, a recorder (in its own schema, connect_gate_recorder) logs what they do, for the
gate's `sandbox-url` to judge; --record-only installs it on a schema seeded earlier (after you
loaded rows of your own); --cleanup removes the recorder and leaves nothing of it behind.
"""

DEFAULT_SAMPLE_ROWS = 3

EPILOG = """\
examples:
  connect-gate seed --mapping-config connect-export.json --database-url postgres://u:p@localhost/ci
  DATABASE_URL=postgres://u:p@localhost/ci connect-gate seed --mapping-config connect-export.json --force
  connect-gate seed --mapping-config connect-export.json --record   # then migrate, then sandbox-url
  connect-gate seed --mapping-config connect-export.json --sample-rows 0   # empty tables
  connect-gate seed --mapping-config connect-export.json --record-only   # seeded and loaded earlier
  connect-gate seed --cleanup

exit status: 0 seeded, 2 bad input (or the schema already holds tables), 3 database unreachable
"""


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(
        prog="connect-gate seed",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument(
        "--mapping-config",
        metavar="FILE",
        help="the JSON file `heroku connect:export` writes (required, except with --cleanup)",
    )
    parse.add_argument(
        "--database-url",
        metavar="URL",
        default=None,
        help="postgres://user:password@host:port/dbname (default: $DATABASE_URL, which keeps the "
        "password out of the process list); the password is never printed",
    )
    parse.add_argument(
        "--schema",
        default=None,
        help="schema to create (default: the last part of the export's connection name, usually salesforce)",
    )
    parse.add_argument(
        "--timeout",
        type=_seconds,
        default=SEED_TIMEOUT_S,
        metavar="SECONDS",
        help=f"longest wait for the database, per statement and to connect (default: {SEED_TIMEOUT_S})",
    )
    parse.add_argument(
        "--force",
        action="store_true",
        help="drop the schema and everything in it first, if it already holds tables",
    )
    parse.add_argument(
        "--sample-rows",
        type=_rows,
        default=DEFAULT_SAMPLE_ROWS,
        metavar="N",
        help=f"sample rows in each mapped table (default {DEFAULT_SAMPLE_ROWS}; 0 for empty tables)",
    )
    what = parse.add_mutually_exclusive_group()
    what.add_argument(
        "--record",
        action="store_true",
        help="also install the recorder of what the migrations do (needs a superuser: event triggers)",
    )
    what.add_argument(
        "--record-only",
        action="store_true",
        help="only install the recorder, on a schema seeded earlier; seed nothing",
    )
    what.add_argument(
        "--cleanup",
        action="store_true",
        help="only remove the recorder (its schema, event triggers and triggers); seed nothing",
    )
    parse.add_argument(
        "--no-database-tls",
        dest="require_tls",
        action="store_false",
        help="allow a non-local database without TLS (sslmode=require is the default)",
    )
    return parse


def seed_main(argv: Sequence[str] | None = None) -> int:
    """Run `connect-gate seed`; returns the exit status (0, 2 or 3) instead of exiting."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has already printed
        return ExitStatus.PASSED if exc.code in (0, None) else ExitStatus.INPUT_ERROR
    try:
        if not (args.mapping_config or args.cleanup):
            raise InputError("--mapping-config: required (the JSON file `heroku connect:export` writes)")
        url = args.database_url or os.environ.get("DATABASE_URL", "")
        if not url:
            raise InputError("--database-url: required (or set DATABASE_URL)")
        limits = SessionLimits.within(args.timeout, read_only=False)
        summary = _cleanup(url, args.require_tls, limits) if args.cleanup else _seed(args, url, limits)
    except InputError as exc:
        print(f"connect-gate seed: {exc}", file=sys.stderr)
        return ExitStatus.INPUT_ERROR
    except ServiceError as exc:
        print(f"connect-gate seed: {exc}", file=sys.stderr)
        return ExitStatus.SERVICE_ERROR
    print(summary)
    return ExitStatus.PASSED


def _seconds(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 0 < len(text) <= 6 and int(text) > 0):
        raise argparse.ArgumentTypeError(f"expected a number of seconds from 1 to 999999, got {text[:20]!r}")
    return int(text)


def _rows(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise argparse.ArgumentTypeError(f"expected a number of rows (0 or more), got {text[:20]!r}")
    return int(text)


def _seed(args: argparse.Namespace, url: str, limits: SessionLimits) -> str:
    config = load_export(args.mapping_config, args.schema)
    rows, tls = args.sample_rows, args.require_tls
    if not (args.record or args.record_only):
        return seed(url, config, force=args.force, require_tls=tls, rows=rows, limits=limits).summary
    from connect_gate.sandbox.setup import install_recorder, seed_with_recorder

    if args.record_only:
        shown = install_recorder(url, config, require_tls=tls, limits=limits)
        return f"Installed the recorder in {shown} (remove it with: connect-gate seed --cleanup)"
    report = seed_with_recorder(url, config, force=args.force, require_tls=tls, rows=rows, limits=limits)
    return f"{report.summary}, with the recorder (remove it with: connect-gate seed --cleanup)"


def _cleanup(url: str, require_tls: bool, limits: SessionLimits) -> str:
    from connect_gate.database.names import RECORDER_SCHEMA
    from connect_gate.sandbox.setup import remove_recorder

    shown = remove_recorder(url, require_tls=require_tls, limits=limits)
    return f"Removed the recorder (schema {RECORDER_SCHEMA}, its event triggers and triggers) from {shown}"

"""Every input, declared once as a field of the one typed Settings object, and how it is loaded.

The fields declared with `option()` are the inputs (`OPTIONS`, in this order): the same
declarations feed argparse (`--results-file`, grouped in --help by their `group`), the action's
`INPUT_*` variables (exactly as the runner sets them: `INPUT_RESULTS-FILE`, hyphens kept, "" when
unset), action.yml and the README (`make docs`). Every value is parsed and validated here, before
anything runs: a bad one is an InputError naming the flag or input (exit status 2). Command-line
flags win over `INPUT_*` variables.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connect_gate.errors import InputError
from connect_gate.inputs import (
    ChangedOnly,
    OnError,
    Option,
    PrComment,
    Secret,
    boolean,
    choice,
    globs,
    option,
    pr_number,
    schemas,
    seconds,
    secret,
    wait_seconds,
    whole,
)

__all__ = ["OPTIONS", "ChangedOnly", "OnError", "PrComment", "Runner", "Secret", "Settings", "load_settings"]

DEFAULT_POLICY_PATH = ".github/connect-gate.yml"
DATABASE_FROM_APP = "from-app"  # `database-url: from-app`: the config var the connection's db_key names

# The --help sections, in the order the inputs of each first appear.
OFFLINE = "saved diagnostics (offline)"
LIVE = "live diagnostics (the Heroku APIs)"
MIGRATIONS = "migrations (no Heroku account needed)"
DATABASE = "database checks"
SANDBOX = "sandbox: migrations of any framework"
REPORTS = "policy and reports"
GITHUB = "GitHub: a check run and a pull request comment"


@dataclass(frozen=True, slots=True)
class Runner:
    """What the GitHub Actions runner tells the step (all empty outside Actions)."""

    actions: bool = False
    workspace: str = ""
    output_file: str = ""
    summary_file: str = ""
    event_path: str = ""
    event_name: str = ""
    repository: str = ""  # owner/name
    sha: str = ""  # the commit of the run (a merge commit on pull_request events)
    api_url: str = ""  # GITHUB_API_URL: https://api.github.com, or GitHub Enterprise Server's
    server_url: str = ""
    run_id: str = ""
    runner_workspace: str = ""  # the host folder of the job's workspaces, untranslated in a container

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Runner:
        return cls(
            actions=env.get("GITHUB_ACTIONS") == "true",
            workspace=env.get("GITHUB_WORKSPACE", ""),
            output_file=env.get("GITHUB_OUTPUT", ""),
            summary_file=env.get("GITHUB_STEP_SUMMARY", ""),
            event_path=env.get("GITHUB_EVENT_PATH", ""),
            event_name=env.get("GITHUB_EVENT_NAME", ""),
            repository=env.get("GITHUB_REPOSITORY", ""),
            sha=env.get("GITHUB_SHA", ""),
            api_url=env.get("GITHUB_API_URL", ""),
            server_url=env.get("GITHUB_SERVER_URL", ""),
            run_id=env.get("GITHUB_RUN_ID", ""),
            runner_workspace=env.get("RUNNER_WORKSPACE", ""),
        )


@dataclass(frozen=True, slots=True)
class Settings:
    results_file: str = option(
        "Saved Heroku Connect diagnostics to gate on, offline: the JSON that the validations API returns,"
        " or a results.json written by an earlier connect-gate run (decided again under the current "
        "policy).",
        OFFLINE,
        metavar="FILE",
    )
    connection_name: str = option(
        "Name shown for the connection of a saved diagnostics file (default: the file name without its "
        "extension).",
        OFFLINE,
        metavar="NAME",
    )
    heroku_api_key: Secret = option(
        "Heroku API key for live diagnostics (a user's token, e.g. from `heroku authorizations:create`). "
        "Default: the environment variable HEROKU_API_KEY. Masked in the log.",
        LIVE,
        parse=secret,
        env_fallback="HEROKU_API_KEY",
        metavar="KEY",
    )
    app: str = option(
        "Heroku app whose Heroku Connect connection is diagnosed live (instead of `results-file`).",
        LIVE,
        metavar="APP",
    )
    pipeline: str = option(
        "Heroku pipeline (name or id) whose review app for this pull request is diagnosed live, when "
        "`app` is not given.",
        LIVE,
        metavar="PIPELINE",
    )
    pr_number: int | None = option(
        "Pull request number of the review app (default: `pull_request.number` of the workflow's event).",
        LIVE,
        parse=pr_number,
        metavar="N",
    )
    branch: str = option(
        "Branch of the review app, used when no review app has the pull request's number.",
        LIVE,
        metavar="BRANCH",
    )
    resource: str = option(
        "Which Heroku Connect connection of the app: its add-on name or connection name, or `all` to gate"
        " every connection. Needed when the app has several.",
        LIVE,
        metavar="NAME",
    )
    timeout: float = option(
        "Seconds to wait for each connection's Heroku Connect diagnostics, retries of unavailable or "
        "rate-limited requests included.",
        LIVE,
        default="300",
        parse=seconds,
        metavar="SECONDS",
    )
    review_app_timeout: float = option(
        "Seconds to wait for the pull request's review app while Heroku is still creating it.",
        LIVE,
        default="600",
        parse=seconds,
        metavar="SECONDS",
    )
    mappings_timeout: float = option(
        "Seconds to wait for mappings still loading or syncing before diagnosing; 0 diagnoses at once and"
        " reports them as still syncing.",
        LIVE,
        default="0",
        parse=wait_seconds,
        metavar="SECONDS",
    )
    on_error: OnError = option(
        "When Heroku cannot be reached or answers nonsense: `fail` the job (exit status 3), or `warn` and"
        " let it pass.",
        LIVE,
        default="fail",
        parse=choice(OnError),
    )
    mapping_config: str = option(
        "The mapping configuration that `heroku connect:export` writes (teams commit it): which objects "
        "are synced into which tables. Needed by the migration analysis and the database checks; with "
        "live diagnostics of one connection, that connection's own configuration is used when empty.",
        MIGRATIONS,
        metavar="FILE",
    )
    schema: str = option(
        "The Heroku Connect schema name (default: the last part of the export's connection name, else "
        "`salesforce`).",
        MIGRATIONS,
        metavar="NAME",
    )
    migrations: tuple[str, ...] | None = option(
        "Glob patterns of SQL migration files, one per line (`**` spans folders, `!` excludes), analysed "
        "when the mapping configuration is known (`mapping-config`, or live diagnostics). Empty: the "
        "common layouts (Flyway, Prisma, golang-migrate, goose, dbmate, plain `migrations/**/*.sql`). "
        "`none`: no migration analysis.",
        MIGRATIONS,
        parse=globs,
        metavar="GLOBS",
    )
    changed_only: ChangedOnly = option(
        "Analyse only the migration files the pull request adds or changes (git diff against the base "
        "commit). `auto`: on pull request events.",
        MIGRATIONS,
        default="auto",
        parse=choice(ChangedOnly),
    )
    search_path: tuple[str, ...] = option(
        "Where unqualified table names resolve until a migration runs `SET search_path`, comma-separated.",
        MIGRATIONS,
        default="public",
        parse=schemas,
        metavar="SCHEMAS",
    )
    database_url: Secret = option(
        "PostgreSQL URL of the review app's database, read only (postgres://user:password@host:port/db). "
        "Turns on the database checks. Pass it from a secret; the password is masked and never printed. "
        "`from-app`: with live diagnostics, read it from the app's config var that the connection's "
        "`db_key` names (usually DATABASE_URL).",
        DATABASE,
        parse=secret,
        metavar="URL",
    )
    database_tls: bool = option(
        "Require TLS (sslmode=require) for a database that is not on this machine.",
        DATABASE,
        default="true",
        parse=boolean,
    )
    database_timeout: float = option(
        "Seconds to wait for the database (`database-url`, `sandbox-url`): to connect, and for each "
        "query; a database that stops answering fails after that long: the ERROR finding "
        "`database-unreachable` once something was learned, else the run (exit status 3).",
        DATABASE,
        default="30",
        parse=seconds,
        metavar="SECONDS",
    )
    failed_hours: int = option(
        "Report writes to Salesforce that FAILED in the last N hours (`_trigger_log`).",
        DATABASE,
        default="24",
        parse=whole,
        metavar="N",
    )
    stuck_minutes: int = option(
        "Changes still NEW or PENDING in `_trigger_log` after this many minutes count as stuck.",
        DATABASE,
        default="30",
        parse=whole,
        metavar="N",
    )
    sandbox_url: Secret = option(
        "PostgreSQL URL of a throwaway CI database (a `services: postgres` container) that `connect-gate "
        "seed --record` seeded and the app's own migrations (Rails, Django, Alembic, Knex, Prisma...) "
        "then ran against. Turns on the sandbox check: every recorded statement goes through the "
        "migration rules, rows queued for Salesforce are reported, and the database checks run on the end"
        " state. Needs `mapping-config`. TLS is not required; the password is masked.",
        SANDBOX,
        parse=secret,
        metavar="URL",
    )
    policy: str = option(
        f"Policy file (YAML). Default: `{DEFAULT_POLICY_PATH}` when it exists, else the built-in policy"
        " (RED blocks, YELLOW warns, SKIPPED passes).",
        REPORTS,
        metavar="FILE",
    )
    report_dir: str = option(
        "Directory for junit.xml, results.json, results.sarif and summary.md (created if missing): in the "
        "workspace, or under `${{ runner.temp }}`; elsewhere the action's container would take it away, "
        "so it is refused.",
        REPORTS,
        default="connect-gate-report",
        metavar="DIR",
    )
    verbose: bool = option(
        "Also print GREEN and SKIPPED checks, like `heroku connect:diagnose --verbose`.",
        REPORTS,
        default="false",
        parse=boolean,
    )
    annotations: bool = option(
        "Emit GitHub annotations (error for blocking, warning for warnings, notice for waived). Turn off "
        "if another step already annotates from the JUnit file.",
        REPORTS,
        default="true",
        parse=boolean,
    )
    job_summary: bool = option(
        "Append a Markdown summary to the job's summary page.",
        REPORTS,
        default="true",
        parse=boolean,
    )
    github_token: Secret = option(
        "A GitHub token, usually `${{ github.token }}`: the gate then creates a check run named "
        "connect-gate on the commit, with every finding that has a location as an annotation (a step's "
        "own annotations stop at 10 of each kind). Needs `permissions: checks: write`. Masked in the log;"
        " a token that may not write (pull requests from forks) only causes a warning.",
        GITHUB,
        parse=secret,
        metavar="TOKEN",
    )
    pr_comment: PrComment = option(
        "Keep one comment on the pull request up to date with what blocks and what changed since the last"
        " run, edited in place and marked resolved when nothing blocks: `always`, `on-failure` (only once"
        " something blocks), or `never`. Needs `github-token` and `permissions: pull-requests: write`.",
        GITHUB,
        default="never",
        parse=choice(PrComment),
    )
    heroku_api_url: str = ""  # HEROKU_API_URL, as the Heroku CLI reads it
    connect_discovery_server: str = ""  # CONNECT_DISCOVERY_SERVER, as the Connect CLI plugin reads it
    today: datetime.date = field(default_factory=datetime.date.today)
    runner: Runner = field(default_factory=Runner)


OPTIONS: tuple[Option, ...] = tuple(
    dataclasses.replace(f.metadata["option"], name=f.name.replace("_", "-"))
    for f in dataclasses.fields(Settings)
    if "option" in f.metadata
)


def secret_values(settings: Settings) -> list[str]:
    """Every secret the settings hold, in each spelling a log could show (for `::add-mask::`)."""
    from connect_gate.database.url import url_secrets

    values: list[str] = []
    for declared in OPTIONS:
        secret = getattr(settings, declared.field)
        if not (declared.secret and secret) or secret.reveal() == DATABASE_FROM_APP:
            continue
        values += url_secrets(secret.reveal()) if "://" in secret.reveal() else [secret.reveal()]
    return values


def help_groups() -> dict[str, list[Option]]:
    groups: dict[str, list[Option]] = {}
    for declared in OPTIONS:
        groups.setdefault(declared.group, []).append(declared)
    return groups


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="connect-gate",
        description="Gate a pull request on Heroku Connect: decide every finding (Heroku's diagnostics, "
        "the pull request's migrations, the review app's database) with a policy, write JUnit XML, "
        "SARIF, annotations and a job summary, and fail when something blocks.",
        epilog="Every option can also come from the GitHub Action input of the same name (INPUT_<NAME>). "
        "Exit status: 0 nothing blocks, 1 something blocks, 2 bad input or usage, "
        "3 a service could not be reached or read. "
        "Also: `connect-gate seed --help` (create a Connect-shaped schema in a throwaway database), "
        "`connect-gate explain [CHECK]` (what a check looks for, with examples).",
    )
    for title, options in help_groups().items():
        group = parser.add_argument_group(title)
        for declared in options:
            _add_flag(group, declared)
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        default=None,
        help="Decide waiver expiry as of this date instead of today (for reproducible reruns).",
    )
    from connect_gate import __version__

    parser.add_argument("--version", action="version", version=f"connect-gate {__version__}")
    return parser


def _add_flag(group: argparse._ArgumentGroup, declared: Option) -> None:
    flag = f"--{declared.name}"
    help_text = declared.description.replace("%", "%%")
    if declared.kind is bool:
        group.add_argument(
            flag,
            dest=declared.field,
            action=argparse.BooleanOptionalAction,
            default=None,
            help=help_text + f" (default: {declared.default})",
        )
    else:
        group.add_argument(
            flag,
            dest=declared.field,
            default=None,
            metavar=declared.metavar or None,
            choices=declared.choices or None,
            help=help_text,
        )


def _utf8(text: str, where: str) -> str:
    """An argument or variable as given; bytes that are not UTF-8 (which Python keeps as lone
    surrogates) would end in a traceback where a report is written: refused here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        byte = ord(text[exc.start]) - 0xDC00
        shown = f"byte \\x{byte:02x}" if 0x80 <= byte <= 0xFF else f"\\u{ord(text[exc.start]):04x}"
        raise InputError(f"{where}: not UTF-8 text ({shown} at character {exc.start + 1})") from None
    return text


def load_settings(argv: Sequence[str], env: Mapping[str, str]) -> Settings:
    """Flags first, then `INPUT_*`, then an option's familiar fallback variable, then its default."""
    args = build_parser().parse_args(argv)
    values: dict[str, Any] = {}
    for declared in OPTIONS:
        flag_value = getattr(args, declared.field)
        if isinstance(flag_value, bool):
            values[declared.field] = flag_value
        elif flag_value is not None:
            where = f"--{declared.name}"
            values[declared.field] = declared.parse(_utf8(flag_value, where), where)
        else:
            text = (
                env.get(declared.env, "").strip()
                or env.get(declared.env_fallback, "").strip()
                or declared.default
            )
            where = f"input `{declared.name}` ({declared.env})"
            values[declared.field] = declared.parse(_utf8(text, where), where)
    if args.today:
        try:
            values["today"] = datetime.date.fromisoformat(args.today)
        except ValueError:
            raise InputError(f"--today: expected a date as YYYY-MM-DD, got {args.today!r}") from None
    values["heroku_api_url"] = env.get("HEROKU_API_URL", "")
    values["connect_discovery_server"] = env.get("CONNECT_DISCOVERY_SERVER", "")
    return Settings(runner=Runner.from_env(env), **values)

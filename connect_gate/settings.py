"""Every input, declared once, and the one typed Settings object built from them.

The same table feeds argparse (`--results-file`), the action's `INPUT_*` variables (exactly as
the runner sets them: `INPUT_RESULTS-FILE`, hyphens kept, "" when unset) and a test that keeps
action.yml and the README in step with it. Command-line flags win over `INPUT_*` variables.
"""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connect_gate.errors import InputError

DEFAULT_POLICY_PATH = ".github/connect-gate.yml"
DATABASE_FROM_APP = "from-app"  # `database-url: from-app`: the config var the connection's db_key names


class Secret:
    """A secret value that never shows in repr, str or f-strings; `reveal()` is the only way out."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')" if self._value else "Secret('')"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Option:
    """One input: its action.yml name, what it does, and its default as action.yml states it."""

    name: str
    description: str
    default: str = ""
    kind: type = str  # str, bool or int
    choices: tuple[str, ...] = ()
    secret: bool = False
    env_fallback: str = ""  # a variable users already know, read when the input is empty
    metavar: str = ""

    @property
    def field(self) -> str:
        return self.name.replace("-", "_")

    @property
    def env(self) -> str:
        """The variable the runner sets: `INPUT_` + upper-cased name, hyphens kept."""
        return "INPUT_" + self.name.replace(" ", "_").upper()


OPTIONS: tuple[Option, ...] = (
    Option(
        "results-file",
        "Saved Heroku Connect diagnostics to gate on, offline: the JSON that the validations API "
        "returns, or a results.json written by an earlier connect-gate run (decided again under the "
        "current policy).",
        metavar="FILE",
    ),
    Option(
        "connection-name",
        "Name shown for the connection of a saved diagnostics file (default: the file name without "
        "its extension).",
        metavar="NAME",
    ),
    Option(
        "heroku-api-key",
        "Heroku API key for live diagnostics (a user's token, e.g. from `heroku authorizations:create`). "
        "Default: the environment variable HEROKU_API_KEY. Masked in the log.",
        secret=True,
        env_fallback="HEROKU_API_KEY",
        metavar="KEY",
    ),
    Option(
        "app",
        "Heroku app whose Heroku Connect connection is diagnosed live (instead of `results-file`).",
        metavar="APP",
    ),
    Option(
        "pipeline",
        "Heroku pipeline (name or id) whose review app for this pull request is diagnosed live, "
        "when `app` is not given.",
        metavar="PIPELINE",
    ),
    Option(
        "pr-number",
        "Pull request number of the review app (default: `pull_request.number` of the workflow's event).",
        metavar="N",
    ),
    Option(
        "branch",
        "Branch of the review app, used when no review app has the pull request's number.",
        metavar="BRANCH",
    ),
    Option(
        "resource",
        "Which Heroku Connect connection of the app: its add-on name or connection name, or `all` to "
        "gate every connection. Needed when the app has several.",
        metavar="NAME",
    ),
    Option(
        "timeout",
        "Seconds to wait for each connection's Heroku Connect diagnostics, retries of unavailable or "
        "rate-limited requests included.",
        default="300",
        kind=int,
        metavar="SECONDS",
    ),
    Option(
        "review-app-timeout",
        "Seconds to wait for the pull request's review app while Heroku is still creating it.",
        default="600",
        kind=int,
        metavar="SECONDS",
    ),
    Option(
        "mappings-timeout",
        "Seconds to wait for mappings still loading or syncing before diagnosing; 0 diagnoses at once "
        "and reports them as still syncing.",
        default="0",
        kind=int,
        metavar="SECONDS",
    ),
    Option(
        "on-error",
        "When Heroku cannot be reached or answers nonsense: `fail` the job (exit status 3), or `warn` "
        "and let it pass.",
        default="fail",
        choices=("fail", "warn"),
    ),
    Option(
        "mapping-config",
        "The mapping configuration that `heroku connect:export` writes (teams commit it): which objects "
        "are synced into which tables. Needed by the migration analysis and the database checks; with "
        "live diagnostics of one connection, that connection's own configuration is used when empty.",
        metavar="FILE",
    ),
    Option(
        "schema",
        "The Heroku Connect schema name (default: the last part of the export's connection name, else "
        "`salesforce`).",
        metavar="NAME",
    ),
    Option(
        "migrations",
        "Glob patterns of SQL migration files, one per line (`**` spans folders, `!` excludes), analysed "
        "when the mapping configuration is known (`mapping-config`, or live diagnostics). Empty: the "
        "common layouts (Flyway, Prisma, golang-migrate, goose, dbmate, plain `migrations/**/*.sql`). "
        "`none`: no migration analysis.",
        metavar="GLOBS",
    ),
    Option(
        "changed-only",
        "Analyse only the migration files the pull request adds or changes (git diff against the base "
        "commit). `auto`: on pull request events.",
        default="auto",
        choices=("auto", "true", "false"),
    ),
    Option(
        "search-path",
        "Where unqualified table names resolve until a migration runs `SET search_path`, comma-separated.",
        default="public",
        metavar="SCHEMAS",
    ),
    Option(
        "database-url",
        "PostgreSQL URL of the review app's database, read only (postgres://user:password@host:port/db). "
        "Turns on the database checks. Pass it from a secret; the password is masked and never printed. "
        "`from-app`: with live diagnostics, read it from the app's config var that the connection's "
        "`db_key` names (usually DATABASE_URL).",
        secret=True,
        metavar="URL",
    ),
    Option(
        "database-tls",
        "Require TLS (sslmode=require) for a database that is not on this machine.",
        default="true",
        kind=bool,
    ),
    Option(
        "database-timeout",
        "Seconds to wait for the database (`database-url`, `sandbox-url`): to connect, and for each "
        "query; a database that stops answering fails the run (exit status 3) after that long.",
        default="30",
        kind=int,
        metavar="SECONDS",
    ),
    Option(
        "failed-hours",
        "Report writes to Salesforce that FAILED in the last N hours (`_trigger_log`).",
        default="24",
        kind=int,
        metavar="N",
    ),
    Option(
        "stuck-minutes",
        "Changes still NEW or PENDING in `_trigger_log` after this many minutes count as stuck.",
        default="30",
        kind=int,
        metavar="N",
    ),
    Option(
        "sandbox-url",
        "PostgreSQL URL of a throwaway CI database (a `services: postgres` container) that "
        "`connect-gate seed --record` seeded and the app's own migrations (Rails, Django, Alembic, Knex, "
        "Prisma...) then ran against. Turns on the sandbox check: every recorded statement goes through the "
        "migration rules, rows queued for Salesforce are reported, and the database checks run on the end "
        "state. Needs `mapping-config`. TLS is not required; the password is masked.",
        secret=True,
        metavar="URL",
    ),
    Option(
        "policy",
        f"Policy file (YAML). Default: `{DEFAULT_POLICY_PATH}` when it exists, else the built-in "
        "policy (RED blocks, YELLOW warns, SKIPPED passes).",
        metavar="FILE",
    ),
    Option(
        "report-dir",
        "Directory for junit.xml, results.json, results.sarif and summary.md (created if missing).",
        default="connect-gate-report",
        metavar="DIR",
    ),
    Option(
        "verbose",
        "Also print GREEN and SKIPPED checks, like `heroku connect:diagnose --verbose`.",
        default="false",
        kind=bool,
    ),
    Option(
        "annotations",
        "Emit GitHub annotations (error for blocking, warning for warnings, notice for waived). Turn off "
        "if another step already annotates from the JUnit file.",
        default="true",
        kind=bool,
    ),
    Option(
        "job-summary",
        "Append a Markdown summary to the job's summary page.",
        default="true",
        kind=bool,
    ),
    Option(
        "github-token",
        "A GitHub token, usually `${{ github.token }}`: the gate then creates a check run named "
        "connect-gate on the commit, with every finding that has a location as an annotation (a step's "
        "own annotations stop at 10 of each kind). Needs `permissions: checks: write`. Masked in the log; "
        "a token that may not write (pull requests from forks) only causes a warning.",
        secret=True,
        metavar="TOKEN",
    ),
    Option(
        "pr-comment",
        "Keep one comment on the pull request up to date with what blocks and what changed since the "
        "last run, edited in place and marked resolved when nothing blocks: `always`, `on-failure` (only "
        "once something blocks), or `never`. Needs `github-token` and `permissions: pull-requests: write`.",
        default="never",
        choices=("never", "on-failure", "always"),
    ),
)


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
        )


@dataclass(frozen=True, slots=True)
class Settings:
    results_file: str = ""
    connection_name: str = ""
    policy: str = ""
    mapping_config: str = ""
    schema: str = ""
    migrations: str = ""
    changed_only: str = "auto"
    search_path: str = "public"
    database_url: Secret = field(default_factory=lambda: Secret(""))
    database_tls: bool = True
    database_timeout: int = 30
    failed_hours: int = 24
    stuck_minutes: int = 30
    sandbox_url: Secret = field(default_factory=lambda: Secret(""))
    report_dir: str = "connect-gate-report"
    verbose: bool = False
    annotations: bool = True
    job_summary: bool = True
    github_token: Secret = field(default_factory=lambda: Secret(""))
    pr_comment: str = "never"
    heroku_api_key: Secret = field(default_factory=lambda: Secret(""))
    app: str = ""
    pipeline: str = ""
    pr_number: str = ""
    branch: str = ""
    resource: str = ""
    timeout: int = 300
    review_app_timeout: int = 600
    mappings_timeout: int = 0
    on_error: str = "fail"
    heroku_api_url: str = ""  # HEROKU_API_URL, as the Heroku CLI reads it
    connect_discovery_server: str = ""  # CONNECT_DISCOVERY_SERVER, as the Connect CLI plugin reads it
    today: datetime.date = field(default_factory=datetime.date.today)
    runner: Runner = field(default_factory=Runner)


def secret_values(settings: Settings) -> list[str]:
    """Every secret the settings hold, in each spelling a log could show (for `::add-mask::`)."""
    from connect_gate.database.url import url_secrets

    values: list[str] = []
    for option in OPTIONS:
        secret = getattr(settings, option.field)
        if not (option.secret and secret) or secret.reveal() == DATABASE_FROM_APP:
            continue
        values += url_secrets(secret.reveal()) if "://" in secret.reveal() else [secret.reveal()]
    return values


MAX_NUMBER_DIGITS = 9  # seconds, hours, minutes: a billion of any is no setting


def _shorten(text: str) -> str:
    return repr(text) if len(text) <= 40 else f"{text[:40]!r}... ({len(text)} characters)"


TRUE_WORDS = ("true", "True", "TRUE")
FALSE_WORDS = ("false", "False", "FALSE")


HELP_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("saved diagnostics (offline)", ("results-file", "connection-name")),
    (
        "live diagnostics (the Heroku APIs)",
        (
            "heroku-api-key",
            "app",
            "pipeline",
            "pr-number",
            "branch",
            "resource",
            "timeout",
            "review-app-timeout",
            "mappings-timeout",
            "on-error",
        ),
    ),
    (
        "migrations (no Heroku account needed)",
        ("mapping-config", "schema", "migrations", "changed-only", "search-path"),
    ),
    (
        "database checks",
        ("database-url", "database-tls", "database-timeout", "failed-hours", "stuck-minutes"),
    ),
    ("sandbox: migrations of any framework", ("sandbox-url",)),
    ("policy and reports", ("policy", "report-dir", "verbose", "annotations", "job-summary")),
    ("GitHub: a check run and a pull request comment", ("github-token", "pr-comment")),
)


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
    by_name = {option.name: option for option in OPTIONS}
    for title, names in HELP_GROUPS:
        group = parser.add_argument_group(title)
        for option in (by_name[name] for name in names):
            _add_flag(group, option)
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        default=None,
        help="Decide waiver expiry as of this date instead of today (for reproducible reruns).",
    )
    from connect_gate import __version__

    parser.add_argument("--version", action="version", version=f"connect-gate {__version__}")
    return parser


def _add_flag(group: argparse._ArgumentGroup, option: Option) -> None:
    flag = f"--{option.name}"
    help_text = option.description.replace("%", "%%")
    if option.kind is bool:
        group.add_argument(
            flag,
            dest=option.field,
            action=argparse.BooleanOptionalAction,
            default=None,
            help=help_text + f" (default: {option.default})",
        )
    else:
        group.add_argument(
            flag,
            dest=option.field,
            default=None,
            metavar=option.metavar or None,
            choices=option.choices or None,
            help=help_text,
        )


def load_settings(argv: Sequence[str], env: Mapping[str, str]) -> Settings:
    """Flags first, then `INPUT_*`, then an option's familiar fallback variable, then its default."""
    args = build_parser().parse_args(argv)
    values: dict[str, Any] = {}
    for option in OPTIONS:
        flag_value = getattr(args, option.field)
        if isinstance(flag_value, bool):
            values[option.field] = flag_value
        elif flag_value is not None:
            values[option.field] = _convert(option, flag_value, f"--{option.name}")
        else:
            text = (
                env.get(option.env, "").strip() or env.get(option.env_fallback, "").strip() or option.default
            )
            values[option.field] = _convert(option, text, f"input `{option.name}` ({option.env})")
    if args.today:
        try:
            values["today"] = datetime.date.fromisoformat(args.today)
        except ValueError:
            raise InputError(f"--today: expected a date as YYYY-MM-DD, got {args.today!r}") from None
    values["heroku_api_url"] = env.get("HEROKU_API_URL", "")
    values["connect_discovery_server"] = env.get("CONNECT_DISCOVERY_SERVER", "")
    return Settings(runner=Runner.from_env(env), **values)


def _convert(option: Option, text: str, where: str) -> Any:
    if option.kind is bool:
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise InputError(f"{where}: expected true or false, got {text!r}")
    if option.kind is int:
        digits = text.strip()
        if not (digits.isascii() and digits.lstrip("-").isdigit()):
            raise InputError(f"{where}: expected a whole number, got {_shorten(text)}")
        if len(digits) > MAX_NUMBER_DIGITS:
            raise InputError(
                f"{where}: expected a number of at most {MAX_NUMBER_DIGITS} digits, got {len(digits)}"
            )
        number = int(digits)
        if number < 0:
            raise InputError(f"{where}: expected a number of 0 or more, got {number}")
        return number
    if option.choices and text not in option.choices:
        raise InputError(f"{where}: expected one of {', '.join(option.choices)}, got {text!r}")
    return Secret(text) if option.secret else text

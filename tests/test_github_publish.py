"""The check run and the pull request comment, against the fake GitHub API (GitHub's OpenAPI contract)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from fake_github import DROP, READ_ONLY, TOKEN, FakeGitHub, Reply
from helpers import run_entrypoint
from runner_sim import parse_log

from connect_gate.clock import Clock
from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status
from connect_gate.github.pr_comment import KEYS, MARKER, ROWS, finding_key, previous_state
from connect_gate.github.publish import DEADLINE, Report, publish
from connect_gate.settings import PrComment, Runner, Secret, Settings
from connect_gate.verdict import verdict_of

EPOCH = 1_800_000_000.0
HEAD = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"
MERGE = "feedbeeffeedbeeffeedbeeffeedbeeffeedbeef"
PR = 7


@dataclass
class FakeClock:
    """Time that moves only when the client sleeps: no test waits for real."""

    t: float = 0.0
    slept: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds

    def clock(self) -> Clock:
        return Clock(monotonic=lambda: self.t, now=lambda: EPOCH + self.t, sleep=self.sleep)


def blocking(
    index: int, file: str = "db/V2__risky.sql", check: str = "foreign-key-added-to-mapped-table"
) -> Decision:
    finding = Finding(
        Source.MIGRATIONS,
        check,
        "Foreign key pointing at a mapped table",
        Scope(ScopeKind.FILE, file),
        Status.RED,
        f"Adds a foreign key referencing salesforce.account(id) (statement {index})",
        location=Location(file, index + 1, 3, None, 40),
    )
    return Decision(finding, Outcome.BLOCK, "RED blocks by default (built-in policy)")


def settings_for(
    github: FakeGitHub, tmp_path: Path, pr_comment: str = "always", pr: int | None = PR
) -> Settings:
    event = tmp_path / "event.json"
    payload = {"pull_request": {"number": pr, "head": {"sha": HEAD, "ref": "feature"}}} if pr else {}
    event.write_text(json.dumps(payload))
    runner = Runner(
        actions=True,
        event_path=str(event),
        repository="acme/app",
        sha=MERGE,
        api_url=github.url,
        server_url="https://github.example",
        run_id="4242",
    )
    return Settings(github_token=Secret(TOKEN), pr_comment=PrComment(pr_comment), runner=runner)


def publish_to(
    github: FakeGitHub, settings: Settings, decisions: list[Decision], clock: FakeClock | None = None
) -> tuple[list[str], list[str]]:
    said: list[str] = []
    summary = "## summary\n" + "".join(f"| row {i} |\n" for i in range(len(decisions)))
    warnings = publish(
        settings,
        Report(decisions, verdict_of(decisions), summary),
        say=said.append,
        clock=(clock or FakeClock()).clock(),
    )
    return warnings, said


@pytest.mark.parametrize("count", [0, 10, 51, 5000])
def test_every_located_finding_becomes_an_annotation_50_per_request(
    github: FakeGitHub, tmp_path: Path, count: int
) -> None:
    decisions = [blocking(i) for i in range(count)]
    warnings, said = publish_to(github, settings_for(github, tmp_path, pr_comment="never"), decisions)
    assert warnings == []
    [run] = github.check_runs
    assert (run["name"], run["head_sha"], run["status"]) == ("connect-gate", HEAD, "completed")
    assert run["conclusion"] == ("failure" if count else "success")
    assert run["details_url"] == "https://github.example/acme/app/actions/runs/4242"
    assert len(run["annotations"]) == count
    assert [a["start_line"] for a in run["annotations"]] == [i + 1 for i in range(count)]
    assert github.count("checks/create") == 1
    assert github.count("checks/update") == max(0, math.ceil(count / 50) - 1)
    assert f"{max(1, math.ceil(count / 50))} request(s)" in said[0]
    if count:
        assert run["annotations"][0] == {
            "path": "db/V2__risky.sql",
            "start_line": 1,
            "end_line": 1,
            "start_column": 3,
            "end_column": 40,
            "annotation_level": "failure",
            "title": "RED: Foreign key pointing at a mapped table (db/V2__risky.sql)",
            "message": "Adds a foreign key referencing salesforce.account(id) (statement 0)\n"
            "Decision: RED blocks by default (built-in policy)\n"
            "Check: foreign-key-added-to-mapped-table (run `connect-gate explain foreign-key-added-to-mapped-table`)",
        }
        assert run["output"]["title"].startswith(f"BLOCKED: {count} finding")


def test_a_summary_over_the_api_limit_is_cut_with_a_pointer_to_the_artifact(
    github: FakeGitHub, tmp_path: Path
) -> None:
    decisions = [blocking(i) for i in range(3)]
    summary = "## connect-gate\n" + "| a long row of the summary table |\n" * 5000  # 180,000 characters
    publish(
        settings_for(github, tmp_path, "never"), Report(decisions, verdict_of(decisions), summary), say=print
    )
    text = github.check_runs[0]["output"]["summary"]
    assert len(text) <= 65535
    assert text.startswith("## connect-gate\n| a long row")
    assert text.endswith(
        "**Cut to GitHub's limit for a check run.** The whole summary is in the job summary and in the "
        "`connect-gate-report` artifact of [this workflow run](https://github.example/acme/app/actions/runs/4242).\n"
    )


def comment_bodies(github: FakeGitHub) -> list[str]:
    return [c["body"] for c in github.comments.get(PR, [])]


def test_one_comment_is_edited_in_place_says_what_changed_and_is_resolved_not_deleted(
    github: FakeGitHub, tmp_path: Path
) -> None:
    github.add_comment(PR, "LGTM, but see the gate")  # someone else's comment stays untouched
    settings = settings_for(github, tmp_path)
    first = [blocking(0), blocking(1, file="db/V3.sql"), blocking(2, file="db/V4.sql")]
    publish_to(github, settings, first)
    [human, ours] = comment_bodies(github)
    assert human == "LGTM, but see the gate"
    assert ours.startswith(MARKER + "\n### ❌ connect-gate blocks this pull request at c0ffee0")
    assert "First run on this pull request." in ours
    assert "[check run](https://github.example/acme/app/runs/" in ours

    second = [blocking(5), blocking(1, file="db/V3.sql"), blocking(2, file="db/V9.sql")]  # V4 fixed, V9 new
    publish_to(github, settings, second)
    [_, ours] = comment_bodies(github)
    assert "Since the last run (c0ffee0): 1 new, 2 still blocking, 1 fixed." in ours
    rows = [line for line in ours.splitlines() if line.startswith("| ") and "RED" in line]
    assert [row.startswith("| 🆕 |") for row in rows] == [False, False, True]
    assert github.count("issues/create-comment") == 1
    assert github.count("issues/update-comment") == 1

    publish_to(github, settings, [])
    [_, ours] = comment_bodies(github)
    assert ours.startswith(MARKER + "\n### ✅ connect-gate: resolved at c0ffee0")
    assert "everything that blocked is fixed (3 finding(s))" in ours
    assert github.count("issues/create-comment") == 1
    assert github.count("issues/update-comment") == 2

    publish_to(
        github, replace(settings, runner=replace(settings.runner, event_path=str(later_push(tmp_path)))), []
    )
    [_, ours] = comment_bodies(github)
    assert ours.startswith(MARKER + "\n### ✅ connect-gate: resolved at 5eed000")  # still resolved
    assert "Since the last run (c0ffee0): nothing blocked then either." in ours


def test_on_failure_comments_only_once_something_blocks(github: FakeGitHub, tmp_path: Path) -> None:
    settings = settings_for(github, tmp_path, "on-failure")
    _, said = publish_to(github, settings, [])
    assert comment_bodies(github) == []
    assert "no pull request comment: nothing blocks (pr-comment: on-failure)" in said
    publish_to(github, settings, [blocking(0)])
    publish_to(github, settings, [])
    [ours] = comment_bodies(github)
    assert "resolved" in ours.splitlines()[1]


def test_never_and_push_events_ask_nothing_about_comments(github: FakeGitHub, tmp_path: Path) -> None:
    publish_to(github, settings_for(github, tmp_path, "never"), [blocking(0)])
    _, said = publish_to(github, settings_for(github, tmp_path, "always", pr=None), [blocking(0)])
    assert github.count("issues/list-comments") == 0
    assert github.check_runs[1]["head_sha"] == MERGE  # a push: the pushed commit
    assert "not a pull request event" in said[-1]


def test_the_comment_is_found_past_the_first_page(github: FakeGitHub, tmp_path: Path) -> None:
    github.page_size_cap = 2
    for index in range(5):
        github.add_comment(PR, f"chatter {index}")
    settings = settings_for(github, tmp_path)
    publish_to(github, settings, [blocking(0)])
    publish_to(github, settings, [blocking(0)])
    assert sum(body.startswith(MARKER) for body in comment_bodies(github)) == 1
    assert github.count("issues/list-comments") == 3 + 3  # 5, then 6 comments, 2 a page


def test_a_forks_read_only_token_is_a_warning_never_a_failure(github: FakeGitHub, tmp_path: Path) -> None:
    github.read_only = True
    warnings, _ = publish_to(github, settings_for(github, tmp_path), [blocking(0)])
    assert warnings == [
        f"could not create the check run: POST /repos/acme/app/check-runs answered 403 {READ_ONLY}. The token "
        "may not do this: the workflow needs `permissions: checks: write`, and pull requests from forks get a "
        "read-only token. The verdict is not affected.",
        f"could not comment on the pull request: POST /repos/acme/app/issues/{PR}/comments answered 403 "
        f"{READ_ONLY}. The token may not do this: the workflow needs `permissions: pull-requests: write`, and "
        "pull requests from forks get a read-only token. The verdict is not affected.",
    ]
    assert github.check_runs == [] and comment_bodies(github) == []


def test_429_waits_as_long_as_retry_after_says(github: FakeGitHub, tmp_path: Path) -> None:
    github.script("POST", r"/check-runs$", Reply(429, {"message": "slow down"}, {"Retry-After": "7"}))
    clock = FakeClock()
    warnings, said = publish_to(github, settings_for(github, tmp_path, "never"), [blocking(0)], clock)
    assert warnings == [] and clock.slept == [7.0]
    assert len(github.check_runs) == 1  # refused once, created once
    assert said[0] == "POST /repos/acme/app/check-runs: rate limited (429), retrying in 7.0 s"


def test_an_exhausted_rate_limit_waits_until_its_reset(github: FakeGitHub, tmp_path: Path) -> None:
    exhausted = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(EPOCH + 30))}
    github.script("PATCH", r"/check-runs/\d+$", Reply(403, {"message": "API rate limit exceeded"}, exhausted))
    clock = FakeClock()
    warnings, _ = publish_to(
        github, settings_for(github, tmp_path, "never"), [blocking(i) for i in range(60)], clock
    )
    assert warnings == [] and clock.slept == [31.0]
    assert len(github.check_runs[0]["annotations"]) == 60


def test_a_rate_limit_past_the_deadline_is_a_warning_without_waiting(
    github: FakeGitHub, tmp_path: Path
) -> None:
    exhausted = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(EPOCH + 3600))}
    github.script("POST", r"/check-runs$", Reply(403, {"message": "API rate limit exceeded"}, exhausted))
    clock = FakeClock()
    warnings, _ = publish_to(github, settings_for(github, tmp_path, "never"), [blocking(0)], clock)
    assert clock.slept == []
    assert warnings == [
        "could not create the check run: POST /repos/acme/app/check-runs: rate limited (403); a retry in 3601 s "
        f"would pass the deadline of {DEADLINE:g} s for GitHub. The verdict is not affected."
    ]


def test_server_errors_are_retried_with_backoff_and_a_lost_create_is_not_doubled(
    github: FakeGitHub, tmp_path: Path
) -> None:
    github.script("POST", r"/check-runs$", Reply(500, {"message": "Server Error"}))
    github.script("PATCH", r"/check-runs/\d+$", Reply(502, {"message": "Server Error"}), times=2)
    github.script(
        "POST", r"/issues/\d+/comments$", Reply(503, {"message": "Unavailable"}, {"Retry-After": "3"})
    )
    clock = FakeClock()
    warnings, _ = publish_to(github, settings_for(github, tmp_path), [blocking(i) for i in range(51)], clock)
    assert warnings == [] and clock.slept == [1.0, 1.0, 2.0]  # a lost comment is looked for, not awaited
    assert len(github.check_runs[0]["annotations"]) == 51
    assert len(comment_bodies(github)) == 1
    assert github.count("issues/list-comments") == 2  # looked again before creating again


def test_github_enterprise_server_api_url_is_honoured(github: FakeGitHub, tmp_path: Path) -> None:
    github.base_path = "/api/v3"
    settings = settings_for(github, tmp_path)
    settings = replace(settings, runner=replace(settings.runner, api_url=github.url + "/api/v3"))
    warnings, _ = publish_to(github, settings, [blocking(0)])
    assert warnings == []
    assert len(github.check_runs) == 1 and len(comment_bodies(github)) == 1


def step_env(github: FakeGitHub, workspace: Path, **inputs: str) -> dict[str, str]:
    """What the runner gives the Docker action on a pull request, aimed at the fake GitHub API."""
    (workspace / "event.json").write_text(json.dumps({"pull_request": {"number": PR, "head": {"sha": HEAD}}}))
    env = {f"INPUT_{name.upper()}": value for name, value in inputs.items()}
    return {
        **env,
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_PATH": str(workspace / "event.json"),
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_REPOSITORY": "acme/app",
        "GITHUB_SHA": MERGE,
        "GITHUB_API_URL": github.url,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_RUN_ID": "4242",
    }


EXAMPLE = {  # `make demo`, paths relative to the repository as in a checkout
    "results-file": "examples/diagnostics/protected-ridge-4963.json",
    "mapping-config": "examples/connect-export.json",
    "migrations": "examples/migrations/risky/*.sql",
    "policy": "examples/policy.yml",
    "changed-only": "false",
}


def test_the_step_masks_the_token_and_publishes_the_examples_findings(
    github: FakeGitHub, tmp_path: Path
) -> None:
    env = step_env(github, tmp_path, **EXAMPLE, **{"github-token": TOKEN, "pr-comment": "on-failure"})
    step = run_entrypoint(["--report-dir", str(tmp_path / "report"), "--today", "2026-11-27"], env=env)
    assert step.returncode == 1  # blocked, as without the token
    log = parse_log(step.stdout)
    assert log.commands[0].name == "add-mask" and log.commands[0].message == TOKEN
    assert TOKEN not in step.stdout.replace(f"::add-mask::{TOKEN}", "") + step.stderr
    [run] = github.check_runs
    assert [(a["path"], a["start_line"], a["annotation_level"]) for a in run["annotations"]] == [
        ("examples/migrations/risky/V2__link_invoices_to_accounts.sql", 5, "failure"),
        ("examples/migrations/risky/V2__link_invoices_to_accounts.sql", 9, "failure"),
    ]
    assert run["output"]["summary"] == (tmp_path / "report" / "summary.md").read_text()
    [comment] = comment_bodies(github)
    assert "3 findings block" in comment
    assert "connect-gate: pull request comment created (#7)" in step.stdout


def test_the_step_warns_on_a_forks_token_and_keeps_its_verdict(github: FakeGitHub, tmp_path: Path) -> None:
    github.read_only = True
    env = step_env(github, tmp_path, **EXAMPLE, **{"github-token": TOKEN, "pr-comment": "always"})
    step = run_entrypoint(["--report-dir", str(tmp_path / "report"), "--today", "2026-11-27"], env=env)
    assert step.returncode == 1
    warnings = [
        c for c in parse_log(step.stdout).commands if c.properties.get("title") == "connect-gate: GitHub"
    ]
    assert [w.name for w in warnings] == ["warning", "warning"]
    assert READ_ONLY in warnings[0].message and "checks: write" in warnings[0].message


def test_the_token_is_never_sent_in_clear_text_and_that_is_a_warning(
    github: FakeGitHub, tmp_path: Path
) -> None:
    settings = settings_for(github, tmp_path, "never")
    settings = replace(settings, runner=replace(settings.runner, api_url="http://ghes.example/api/v3"))
    warnings, _ = publish_to(github, settings, [blocking(0)])
    assert warnings == [
        "could not create the check run: refusing to send the GitHub token to http://ghes.example: "
        "GitHub's API must be reached over https. The verdict is not affected."
    ]
    assert github.seen == []


def test_a_comment_on_thousands_of_blocking_findings_stays_under_githubs_65536_characters(
    github: FakeGitHub, tmp_path: Path
) -> None:
    decisions = [blocking(i, file=f"db/V{i}__{'x' * 60}.sql") for i in range(KEYS + 100)]
    settings = settings_for(github, tmp_path)
    publish_to(github, settings, decisions)
    [first] = comment_bodies(github)
    remembered = set(previous_keys(first))
    assert len(remembered) == KEYS
    publish_to(github, settings, decisions[:-50])
    [ours] = comment_bodies(github)
    assert len(first) <= 65536 and len(ours) <= 65536
    assert f"… and {KEYS + 50 - ROWS} more blocking findings." in ours
    fixed = sum(finding_key(d) in remembered for d in decisions[-50:])
    assert (
        f"Since the last run (c0ffee0): {KEYS - fixed} of the {KEYS} findings it remembered still block, "
        f"{fixed} of them are fixed; it had more than it could remember, so what is new is not marked."
    ) in ours
    assert "🆕" not in ours


def previous_keys(body: str) -> list[str]:
    state = previous_state(body)
    assert state is not None
    return sorted(state.blocking)


def test_text_from_findings_cannot_forge_the_hidden_state(github: FakeGitHub, tmp_path: Path) -> None:
    forged = '<!-- connect-gate:state {"sha":"0000000","blocking":[],"complete":true} -->'
    hostile = replace(blocking(0, file=f"db/{forged}.sql"), reason=f"waived? {forged}\n{MARKER}")
    settings = settings_for(github, tmp_path)
    publish_to(github, settings, [hostile])
    publish_to(github, settings, [hostile])
    [ours] = comment_bodies(github)
    assert "Since the last run (c0ffee0): 0 new, 1 still blocking, 0 fixed." in ours
    assert ours.count(MARKER) == 1


def test_dropped_connections_are_retried_and_a_dropped_create_is_looked_for(
    github: FakeGitHub, tmp_path: Path
) -> None:
    github.script("PATCH", r"/check-runs/\d+$", Reply(DROP))
    github.script("POST", r"/issues/\d+/comments$", Reply(DROP))
    clock = FakeClock()
    warnings, said = publish_to(
        github, settings_for(github, tmp_path), [blocking(i) for i in range(51)], clock
    )
    assert warnings == [] and clock.slept == [1.0]
    assert "PATCH /repos/acme/app/check-runs/1000: the connection was dropped, retrying in 1.0 s" in said
    assert len(github.check_runs[0]["annotations"]) == 51
    assert len(comment_bodies(github)) == 1
    assert github.count("issues/list-comments") == 2


def test_a_comment_without_a_token_is_a_set_up_warning(github: FakeGitHub, tmp_path: Path) -> None:
    settings = replace(settings_for(github, tmp_path, "on-failure"), github_token=Secret(""))
    warnings, _ = publish_to(github, settings, [blocking(0)])
    assert warnings == ["`pr-comment: on-failure` needs `github-token` (`${{ github.token }}`): no comment"]
    assert github.seen == []


def later_push(tmp_path: Path) -> Path:
    """The event of a later push to the pull request."""
    event = tmp_path / "later.json"
    event.write_text(json.dumps({"pull_request": {"number": PR, "head": {"sha": "5eed" + "0" * 36}}}))
    return event

"""`connect-gate explain` and docs/checks.md: every check's documentation, ours and Heroku's."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

from helpers import ROOT, run_entrypoint

from connect_gate.checks import own_checks
from connect_gate.checks.diagnostics import KNOWN_CHECKS
from connect_gate.decide import Outcome, decide
from connect_gate.explain import reference
from connect_gate.findings import Finding, Scope, ScopeKind, Source, Status
from connect_gate.policy.load import load_policy


def test_docs_checks_md_is_current() -> None:
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == reference(), "run `make docs`"


def test_every_check_has_documentation_with_an_example() -> None:
    for check in own_checks().values():
        assert check.doc.count("\n") >= 3, check.id
        assert "Bad" in check.doc or "bad" in check.doc.lower() or check.source.value == "gate", check.id


def test_every_heroku_statement_names_the_heroku_pages_it_comes_from() -> None:
    for known in KNOWN_CHECKS:
        said = [s for s in (known.checks, known.why, known.fix) if s is not None]
        assert known.checks is not None, known.id
        for statement in said:
            assert statement.sources, (known.id, statement.text)
            assert all(
                url.startswith(("https://devcenter.heroku.com/", "https://www.heroku.com/"))
                for url in statement.sources
            )
        assert set(known.related) <= set(own_checks()), known.id


def test_explain_prints_one_check_and_lists_all() -> None:
    one = run_entrypoint(["explain", "Foreign key pointing at a mapped table"])
    assert one.returncode == 0
    assert one.stdout.startswith(
        "### `foreign-key-added-to-mapped-table`: Foreign key pointing at a mapped table\n\nDefault status: **RED**"
    )
    listing = run_entrypoint(["explain"])
    assert listing.returncode == 0
    listed = [line.strip() for line in listing.stdout.splitlines() if line.startswith("  ")]
    assert len(listed) == len(own_checks()) + len(KNOWN_CHECKS)
    assert listed[0].split() == ["Salesforce", "API", "Version", "MUST_USE_RECENT_API_VERSION", "connection"]
    assert any(line.split("  ")[0] == "Binary Fields" for line in listed)


def test_explain_a_heroku_check_by_display_name_in_any_case() -> None:
    result = run_entrypoint(["explain", "binary FIELDS"])
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("### Binary Fields\n\nHeroku Connect's check (mapping level)")
    assert (
        "**How to fix it.** Remove the binary fields from the mapping; keep the files in an object store "
        "such as Amazon S3 and sync a text field with their URL instead.\n"
        "Source: https://www.heroku.com/blog/health-check-for-your-heroku-connect-data-pipeline/\n"
    ) in text
    assert "Source: https://devcenter.heroku.com/articles/mapping-configuration-options," in text


def test_explain_a_heroku_check_by_rule_id_with_a_waiver_that_expires_in_30_days() -> None:
    result = run_entrypoint(["explain", "must_use_recent_api_version"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("### `MUST_USE_RECENT_API_VERSION`: Salesforce API Version\n")
    assert "export the configuration (`heroku connect:export`) and re-create the connection" in result.stdout
    expires = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    assert result.stdout.endswith(
        "    waivers:\n"
        "      - check: MUST_USE_RECENT_API_VERSION\n"
        '        reason: "Why the risk is accepted, and the ticket that removes it"\n'
        '        by: "@who-accepted-it"\n'
        f"        expires: {expires}  # the last day it waives\n"
    )


def test_the_printed_waiver_pasted_into_a_policy_waives_the_finding(tmp_path: Path) -> None:
    printed = run_entrypoint(["explain", "Unique Identifier"]).stdout
    entry = textwrap.dedent(printed[printed.index("    waivers:") :])
    policy_file = tmp_path / "policy.yml"
    policy_file.write_text("version: 1\n" + entry, encoding="utf-8")
    policy = load_policy(policy_file)
    finding = Finding(
        Source.DIAGNOSTICS,
        "Unique Identifier",
        "Unique Identifier",
        Scope(ScopeKind.MAPPING, "Account", "protected-ridge-4963"),
        Status.RED,
        "Read-write mappings require a unique identifier to be specified.",
    )
    [decision] = decide([finding], policy, datetime.date.today())
    assert decision.outcome is Outcome.WAIVED
    assert decision.reason.startswith("waived by @who-accepted-it until ")


def test_explain_an_unknown_check_suggests_the_closest() -> None:
    result = run_entrypoint(["explain", "expired-waivers"])
    assert (result.returncode, result.stderr) == (
        2,
        "connect-gate explain: unknown check 'expired-waivers'; did you mean 'expired-waiver'?\n",
    )
    heroku = run_entrypoint(["explain", "Unique Identifer"])
    assert (heroku.returncode, heroku.stderr) == (
        2,
        "connect-gate explain: unknown check 'Unique Identifer'; did you mean 'Unique Identifier'?\n",
    )

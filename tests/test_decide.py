"""decide(): a table of cases, each naming the finding, the policy and the expected decision."""

from __future__ import annotations

import datetime

import pytest

from connect_gate.checks import own_checks
from connect_gate.decide import Outcome, decide
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status
from connect_gate.policy.model import DEFAULT_POLICY, Action, Policy, Rule, Selector, Waiver

TODAY = datetime.date(2026, 11, 27)
CONN = Scope(ScopeKind.CONNECTION, "protected-ridge-4963")
ACCOUNT = Scope(ScopeKind.MAPPING, "Account", "protected-ridge-4963")
CONTACT = Scope(ScopeKind.MAPPING, "Contact", "protected-ridge-4963")


def finding(
    status: Status, name: str = "Unique Identifier", scope: Scope = ACCOUNT, check_id: str = ""
) -> Finding:
    return Finding(Source.DIAGNOSTICS, check_id or name, name, scope, status, "msg")


API = finding(Status.YELLOW, "Salesforce API Version", CONN, "MUST_USE_RECENT_API_VERSION")


def rule(check: str, action: Action, mapping: str | None = None, connection: str | None = None) -> Rule:
    return Rule(Selector(check, mapping, connection), action, "p.yml:5 checks[0]")


def waiver(
    check: str, expires: datetime.date | None = None, mapping: str | None = None, by: str = ""
) -> Waiver:
    return Waiver(Selector(check, mapping), "tracked in OPS-1", "p.yml:9 waivers[0]", "p.yml", 9, by, expires)


def policy(*items: Rule | Waiver, **defaults: Action) -> Policy:
    base = dict(DEFAULT_POLICY.defaults)
    base.update({Status[name.upper()]: action for name, action in defaults.items()})
    return Policy(
        "p.yml",
        base,
        tuple(i for i in items if isinstance(i, Rule)),
        tuple(i for i in items if isinstance(i, Waiver)),
    )


CASES = [
    # (finding, policy, outcome, reason)
    (
        finding(Status.RED),
        DEFAULT_POLICY,
        Outcome.BLOCK,
        "RED blocks by default (the built-in default policy)",
    ),
    (API, DEFAULT_POLICY, Outcome.WARN, "YELLOW warns by default (the built-in default policy)"),
    (finding(Status.GREEN), DEFAULT_POLICY, Outcome.PASS, "GREEN"),
    (
        finding(Status.SKIPPED),
        DEFAULT_POLICY,
        Outcome.SKIPPED,
        "SKIPPED is ignored by default (the built-in default policy)",
    ),
    (
        finding(Status.ERROR),
        DEFAULT_POLICY,
        Outcome.BLOCK,
        "ERROR blocks by default (the built-in default policy)",
    ),
    # a per-check override, by rule_id, by display name, case-insensitively
    (
        API,
        policy(rule("must_use_recent_api_version", Action.BLOCK)),
        Outcome.BLOCK,
        "block by p.yml:5 checks[0]",
    ),
    (API, policy(rule("salesforce api version", Action.IGNORE)), Outcome.PASS, "ignore by p.yml:5 checks[0]"),
    (
        finding(Status.RED),
        policy(rule("Unique Identifier", Action.WARN)),
        Outcome.WARN,
        "warn by p.yml:5 checks[0]",
    ),
    # scoped to one mapping: applies there only
    (
        finding(Status.RED),
        policy(rule("Unique Identifier", Action.WARN, "account")),
        Outcome.WARN,
        "warn by p.yml:5 checks[0]",
    ),
    (
        finding(Status.RED, scope=CONTACT),
        policy(rule("Unique Identifier", Action.WARN, "Account")),
        Outcome.BLOCK,
        "RED blocks by default (p.yml)",
    ),
    # a mapping-scoped rule never matches a connection-level finding
    (
        API,
        policy(rule("Salesforce API Version", Action.BLOCK, "Account")),
        Outcome.WARN,
        "YELLOW warns by default (p.yml)",
    ),
    (
        API,
        policy(rule("Salesforce API Version", Action.BLOCK, None, "other")),
        Outcome.WARN,
        "YELLOW warns by default (p.yml)",
    ),
    (
        API,
        policy(rule("Salesforce API Version", Action.BLOCK, None, "PROTECTED-ridge-4963")),
        Outcome.BLOCK,
        "block by p.yml:5 checks[0]",
    ),
    # first matching rule wins
    (
        API,
        policy(rule("Salesforce API Version", Action.IGNORE), rule(API.check_id, Action.BLOCK)),
        Outcome.PASS,
        "ignore by p.yml:5 checks[0]",
    ),
    # defaults changed
    (API, policy(yellow=Action.BLOCK), Outcome.BLOCK, "YELLOW blocks by default (p.yml)"),
    (finding(Status.SKIPPED), policy(skipped=Action.WARN), Outcome.WARN, "SKIPPED warns by default (p.yml)"),
    (finding(Status.RED), policy(red=Action.IGNORE), Outcome.PASS, "RED is ignored by default (p.yml)"),
    # SKIPPED is decided by defaults.skipped only, whatever a check rule says
    (
        finding(Status.SKIPPED),
        policy(rule("Unique Identifier", Action.BLOCK)),
        Outcome.SKIPPED,
        "SKIPPED is ignored by default (p.yml)",
    ),
    # GREEN always passes
    (finding(Status.GREEN), policy(rule("Unique Identifier", Action.BLOCK)), Outcome.PASS, "GREEN"),
    # waivers turn block or warn into waived, until they expire (inclusive)
    (
        finding(Status.RED),
        policy(waiver("unique identifier", TODAY, "Account", "@alice")),
        Outcome.WAIVED,
        "waived by @alice until 2026-11-27 (p.yml:9 waivers[0]): tracked in OPS-1",
    ),
    (
        finding(Status.RED),
        policy(waiver("Unique Identifier")),
        Outcome.WAIVED,
        "waived (p.yml:9 waivers[0]): tracked in OPS-1",
    ),
    (
        API,
        policy(waiver("MUST_USE_RECENT_API_VERSION")),
        Outcome.WAIVED,
        "waived (p.yml:9 waivers[0]): tracked in OPS-1",
    ),
    (
        finding(Status.RED),
        policy(waiver("Unique Identifier", TODAY - datetime.timedelta(days=1))),
        Outcome.BLOCK,
        "RED blocks by default (p.yml)",
    ),
    (
        finding(Status.RED, scope=CONTACT),
        policy(waiver("Unique Identifier", None, "Account")),
        Outcome.BLOCK,
        "RED blocks by default (p.yml)",
    ),
    # an ignored finding needs no waiver
    (
        finding(Status.RED),
        policy(rule("Unique Identifier", Action.IGNORE), waiver("Unique Identifier")),
        Outcome.PASS,
        "ignore by p.yml:5 checks[0]",
    ),
    # a check the server added later is decided like any other
    (
        finding(Status.RED, "Shiny New Check"),
        DEFAULT_POLICY,
        Outcome.BLOCK,
        "RED blocks by default (the built-in default policy)",
    ),
]


@pytest.mark.parametrize(("item", "rules", "outcome", "reason"), CASES)
def test_decision_table(item: Finding, rules: Policy, outcome: Outcome, reason: str) -> None:
    decision = decide([item], rules, TODAY)[0]
    assert (decision.outcome, decision.reason) == (outcome, reason)


def test_an_expired_waiver_is_reported_at_its_line() -> None:
    expired = waiver("Unique Identifier", datetime.date(2026, 11, 1), "Account")
    decisions = decide([finding(Status.RED)], policy(expired), TODAY)
    assert [d.outcome for d in decisions] == [Outcome.BLOCK, Outcome.WARN]
    report = decisions[1]
    assert report.finding == Finding(
        Source.GATE,
        "expired-waiver",
        "Expired waiver",
        Scope(ScopeKind.POLICY, "p.yml"),
        Status.YELLOW,
        "The waiver for Unique Identifier (mapping Account) expired on 2026-11-01 (26 days ago) and no longer "
        "waives anything. Its reason was: tracked in OPS-1",
        own_checks()["expired-waiver"].url,
        location=Location("p.yml", 9),
    )
    assert report.reason == "YELLOW warns by default (p.yml)"


def test_the_policy_can_make_an_expired_waiver_block() -> None:
    expired = waiver("Unique Identifier", datetime.date(2026, 1, 1))
    decisions = decide([], policy(expired, rule("expired-waiver", Action.BLOCK)), TODAY)
    assert [(d.finding.check_id, d.outcome) for d in decisions] == [("expired-waiver", Outcome.BLOCK)]


def test_an_unused_waiver_is_reported_but_not_when_its_source_did_not_run() -> None:
    unused = waiver("Unique Identifier", None, "Acount")
    decisions = decide([finding(Status.RED)], policy(unused), TODAY, {Source.DIAGNOSTICS})
    assert [(d.finding.check_id, d.outcome) for d in decisions] == [
        ("Unique Identifier", Outcome.BLOCK),
        ("unused-waiver", Outcome.WARN),
    ]
    assert decisions[1].finding.message == (
        "The waiver for Unique Identifier (mapping Acount) matched no finding that would block or warn in this "
        "run; delete it if the problem is fixed, or correct its check or mapping name."
    )
    assert decide([], policy(unused), TODAY, {Source.MIGRATIONS}) == []


def test_one_waiver_covers_every_matching_finding() -> None:
    both = [finding(Status.RED), finding(Status.RED, scope=CONTACT)]
    decisions = decide(both, policy(waiver("Unique Identifier")), TODAY)
    assert [d.outcome for d in decisions] == [Outcome.WAIVED, Outcome.WAIVED]


def test_decide_is_pure() -> None:
    items = [finding(Status.RED), API]
    rules = policy(waiver("Unique Identifier", TODAY))
    assert decide(items, rules, TODAY) == decide(items, rules, TODAY)
    assert items == [finding(Status.RED), API]


def test_waivers_match_a_sandbox_finding_by_its_mapping_and_by_its_migration_file() -> None:
    migration = "crm/migrations/0003_tbd.py"
    found = Finding(
        Source.MIGRATIONS,
        "write-to-read-write-mapping",
        "Data change pushed to Salesforce",
        Scope(ScopeKind.FILE, migration),
        Status.RED,
        "Updates salesforce.account (Account), a read-write mapping",
        location=Location(migration, 1),
        mapping="Account",
    )

    def outcome(selector: Selector) -> Outcome:
        waiver = Waiver(selector, "backfill reviewed with sales ops", "p.yml:3 waivers[0]", "p.yml", 3)
        return decide([found], Policy("p.yml", waivers=(waiver,)), TODAY)[0].outcome

    check = "write-to-read-write-mapping"
    assert outcome(Selector(check, mapping="account")) is Outcome.WAIVED
    assert outcome(Selector(check, file=migration)) is Outcome.WAIVED
    assert outcome(Selector(check, mapping="Account", file=f"./{migration}")) is Outcome.WAIVED
    assert outcome(Selector(check, mapping="Contact")) is Outcome.BLOCK
    assert outcome(Selector(check, file="crm/migrations/0002_na.py")) is Outcome.BLOCK
    assert outcome(Selector(check, mapping="Account", file="crm/migrations/0002_na.py")) is Outcome.BLOCK
    assert (
        Selector(check, "Account", None, migration).describe()
        == f"{check} (mapping Account, file {migration})"
    )

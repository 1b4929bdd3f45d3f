"""The JUnit file as readers see it: junitparser's view, and the shipped XSD."""

from __future__ import annotations

from pathlib import Path
from unittest import mock
from xml.etree import ElementTree

import junit_xml
import junitparser
import xmlschema
from helpers import GOLDEN
from test_reporters_golden import scenario

from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status
from connect_gate.reporters import junit as junit_xml_reporter
from connect_gate.reporters.junit import INDENT_LIMIT, render_junit

XSD = xmlschema.XMLSchema(Path(__file__).parent / "data" / "junit.xsd")


def test_the_report_validates_against_the_xsd() -> None:
    XSD.validate(str(GOLDEN / "junit.xml"))
    decisions, _ = scenario()
    XSD.validate(render_junit(decisions))


def test_junitparser_sees_failures_skips_and_locations(tmp_path: Path) -> None:
    decisions, _ = scenario()
    path = tmp_path / "junit.xml"
    path.write_text(render_junit(decisions), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = {suite.name: suite for suite in xml}
    assert list(suites) == [
        "Connection: protected-ridge-4963",
        "Mapping: Account (protected-ridge-4963)",
        "File: db/migrate/V2,evil:name.sql",
        "Policy: tests/data/golden-policy.yml",
    ]
    account = suites["Mapping: Account (protected-ridge-4963)"]
    assert (account.tests, account.failures, account.errors, account.skipped) == (15, 1, 0, 2)
    cases = {case.name: case for case in account}
    unique = cases["Unique Identifier"]
    [failure] = unique.result
    assert isinstance(failure, junitparser.Failure)
    assert failure.message.startswith("Read-write mappings require a unique identifier")
    assert failure.type == "RED"
    [skip] = cases["Synthetic Fields"].result
    assert isinstance(skip, junitparser.Skipped)
    assert skip.message == "Not applicable: the mapping has no synthetic fields."
    assert cases["Binary Fields"].is_passed
    connection = {case.name: case for case in suites["Connection: protected-ridge-4963"]}
    [waived] = connection["Salesforce API Version"].result
    assert isinstance(waived, junitparser.Skipped)
    assert waived.message.startswith("waived by @platform-team until 2026-12-12")
    warned = connection["View/Modify All Data"]
    assert warned.is_passed
    assert "YELLOW warns by default" in (warned.system_out or "")
    hostile = next(iter(suites["File: db/migrate/V2,evil:name.sql"]))
    assert (hostile._elem.get("file"), hostile._elem.get("line")) == ("db/migrate/V2,evil:name.sql", "3")


def test_a_blocking_check_without_message_still_fails_and_a_crash_is_an_error(tmp_path: Path) -> None:
    scope = Scope(ScopeKind.DATABASE, "salesforce")
    silent = Finding(Source.DATABASE, "x", "Silent check", scope, Status.RED)
    crashed = Finding(Source.DATABASE, "y", "Crashed check", scope, Status.ERROR, "check y crashed: KeyError")
    decisions = [
        Decision(silent, Outcome.BLOCK, "RED blocks"),
        Decision(crashed, Outcome.BLOCK, "ERROR blocks"),
    ]
    path = tmp_path / "junit.xml"
    path.write_text(render_junit(decisions), encoding="utf-8")
    suite = next(iter(junitparser.JUnitXml.fromfile(str(path))))
    assert (suite.failures, suite.errors) == (1, 1)
    silent_case, crashed_case = list(suite)
    assert silent_case.result[0].message == "Silent check"
    assert isinstance(crashed_case.result[0], junitparser.Error)
    XSD.validate(str(path))


def test_a_big_report_is_written_flat_and_reads_the_same(tmp_path: Path) -> None:
    scope = Scope(ScopeKind.MAPPING, "Big__c", "c")
    decisions = [
        Decision(
            Finding(Source.DIAGNOSTICS, f"C{i}", f"Check {i}", scope, Status.GREEN), Outcome.PASS, "GREEN"
        )
        for i in range(INDENT_LIMIT + 1)
    ]
    xml = render_junit(decisions)
    assert xml.count("\n") == 2  # declaration, the document, the final newline
    XSD.validate(xml)
    path = tmp_path / "junit.xml"
    path.write_text(xml, encoding="utf-8")
    [suite] = list(junitparser.JUnitXml.fromfile(str(path)))
    assert (suite.tests, suite.failures) == (INDENT_LIMIT + 1, 0)


def test_characters_xml_forbids_are_removed_as_junit_xml_removes_them() -> None:
    """We clean each text as its case is made; junit-xml's to_xml_report_string cleans the whole
    serialised document: both must give the same report, carriage returns in attributes included."""
    plain = "a\x00b\x07c\rd\x1be\x7ff\tg\nh"  # ASCII only: cleaned by a smaller regex
    nasty = 'a\x00b\x07c\rd\x1be\x7ff\x85g\x9fh\ufffei\U0001fffej\ttab\nnew & <x> "q"'
    scope = Scope(ScopeKind.FILE, f"db/{nasty}.sql")
    location = Location(f"db/{nasty}.sql", 3, 1)
    decisions = [
        Decision(
            Finding(Source.MIGRATIONS, "r", f"Rule {nasty}", scope, Status.RED, nasty, location=location),
            Outcome.BLOCK,
            f"blocks {nasty}",
        ),
        Decision(
            Finding(Source.MIGRATIONS, "e", "Crash", scope, Status.ERROR, f"\r{nasty}"), Outcome.BLOCK, nasty
        ),
        Decision(
            Finding(Source.MIGRATIONS, "w", "Waived", scope, Status.YELLOW, nasty), Outcome.WAIVED, nasty
        ),
        Decision(
            Finding(Source.MIGRATIONS, "s", "Skip", scope, Status.SKIPPED, nasty), Outcome.SKIPPED, nasty
        ),
        Decision(
            Finding(Source.MIGRATIONS, "p", plain, scope, Status.RED, plain, location=location),
            Outcome.BLOCK,
            plain,
        ),
        Decision(
            Finding(Source.MIGRATIONS, "q", "Plain", scope, Status.YELLOW, plain), Outcome.WAIVED, plain
        ),
        Decision(Finding(Source.MIGRATIONS, "y", "Warn", scope, Status.YELLOW, nasty), Outcome.WARN, nasty),
    ]
    ours = render_junit(decisions)
    with (
        mock.patch.object(junit_xml_reporter, "_text", lambda text: text),
        mock.patch.object(junit_xml_reporter, "_attribute", lambda text: text),
    ):
        suites = [
            junit_xml.TestSuite(
                name=scope.label,
                test_cases=[
                    junit_xml_reporter._case(d, name)
                    for d, name in zip(decisions, junit_xml_reporter.unique_names(decisions), strict=True)
                ],
                properties={"scope": scope.kind.value, "source": "migrations"},
            )
        ]
    theirs = junit_xml.to_xml_report_string(suites, prettyprint=False, encoding="utf-8")
    root = ElementTree.fromstring(theirs)
    ElementTree.indent(root, space="\t")
    assert (
        ours == f'<?xml version="1.0" encoding="utf-8"?>\n{ElementTree.tostring(root, encoding="unicode")}\n'
    )
    assert "&#13;" in ours and "\x00" not in ours and "\x85" in ours
    XSD.validate(ours)

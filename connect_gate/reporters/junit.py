"""JUnit XML through the `junit-xml` package: a testsuite per scope, a testcase per check.

block → <failure> (or <error> when the check itself could not run); waived and SKIPPED →
<skipped> with the reason; warn and pass → a passing case with the message in <system-out>.
Locations become the `file`/`line` attributes that annotating readers use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from xml.etree import ElementTree

import junit_xml

from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Status
from connect_gate.reporters.reference import check_line
from connect_gate.verdict import by_scope

INDENT_LIMIT = 2_000  # test cases; above it the report is written without indentation


def render_junit(decisions: Sequence[Decision]) -> str:
    suites = [
        junit_xml.TestSuite(
            name=scope.label,
            test_cases=[
                _case(decision, name) for decision, name in zip(group, unique_names(group), strict=True)
            ],
            properties={"scope": scope.kind.value, "source": group[0].finding.source.value},
        )
        for scope, group in by_scope(decisions)
    ]
    xml: str = junit_xml.to_xml_report_string(suites, prettyprint=False, encoding="utf-8")
    if len(decisions) <= INDENT_LIMIT:  # nobody reads 20,000 cases by eye; readers parse either form
        # junit-xml's own pretty-printing goes through minidom, 4x slower than the rest of the
        # report; indenting the finished tree with the standard library gives the same layout.
        root = ElementTree.fromstring(xml)
        ElementTree.indent(root, space="\t")
        xml = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{xml}\n'


def unique_names(group: Sequence[Decision]) -> list[str]:
    """Test case names, unique within their class: readers that key cases by class and name
    (EnricoMi/publish-unit-test-result-action) would count a check found twice in a file once.
    A repeated name gets its line, then a number if that is not enough."""
    counts = Counter((_classname(d), d.finding.name) for d in group)
    names = []
    for decision in group:
        finding = decision.finding
        name = finding.name
        if counts[(_classname(decision), name)] > 1 and finding.location is not None:
            name = f"{name} (line {finding.location.line})"
        names.append(name)
    seen: Counter[tuple[str, str]] = Counter()
    unique = []
    for decision, name in zip(group, names, strict=True):
        key = (_classname(decision), name)
        seen[key] += 1
        unique.append(name if seen[key] == 1 else f"{name} #{seen[key]}")
    return unique


def _classname(decision: Decision) -> str:
    return f"{decision.finding.source.value}.{decision.finding.scope.name}"


def _case(decision: Decision, name: str) -> junit_xml.TestCase:
    finding = decision.finding
    location = finding.location
    case = junit_xml.TestCase(
        name=name,
        classname=_classname(decision),
        file=location.file if location else None,
        line=str(location.line) if location else None,
    )
    if finding.status is Status.GREEN:  # most cases: no text at all (the CLI prints none either)
        return case
    details = "\n".join(
        part
        for part in (
            finding.message,
            finding.doc_url,
            check_line(finding),
            f"{finding.status.value}; decision: {decision.outcome.value}: {decision.reason}",
        )
        if part
    )
    # junit-xml writes no element at all for an empty message: always give one.
    headline = finding.message.splitlines()[0] if finding.message else finding.name
    if decision.outcome is Outcome.BLOCK:
        if finding.status is Status.ERROR:
            case.add_error_info(message=headline, output=details, error_type=finding.check_id)
        else:
            case.add_failure_info(message=headline, output=details, failure_type=finding.status.value)
    elif decision.outcome is Outcome.WAIVED:
        case.add_skipped_info(message=decision.reason, output=details)
    elif decision.outcome is Outcome.SKIPPED:
        case.add_skipped_info(message=finding.message or "SKIPPED by the check", output=details)
    else:  # warn, or a finding the policy ignores: passes, with the why in system-out
        case.stdout = details
    return case

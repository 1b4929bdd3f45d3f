"""JUnit XML through the `junit-xml` package: a testsuite per scope, a testcase per check.

block → <failure> (or <error> when the check itself could not run); waived and SKIPPED →
<skipped> with the reason; warn and pass → a passing case with the message in <system-out>.
Locations become the `file`/`line` attributes that annotating readers use.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from xml.etree import ElementTree

import junit_xml

from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Finding, Status
from connect_gate.reporters.reference import check_line
from connect_gate.verdict import by_scope

INDENT_LIMIT = 2_000  # test cases; above it the report is written without indentation


def render_junit(decisions: Sequence[Decision]) -> str:
    shared = _Shared()
    suites = [
        junit_xml.TestSuite(
            name=_attribute(scope.label),
            test_cases=[
                _case(decision, name, shared)
                for decision, name in zip(group, unique_names(group), strict=True)
            ],
            properties={"scope": scope.kind.value, "source": group[0].finding.source.value},
        )
        for scope, group in by_scope(decisions)
    ]
    root = _document(suites)
    if len(decisions) <= INDENT_LIMIT:  # nobody reads 20,000 cases by eye; readers parse either form
        # junit-xml's own pretty-printing goes through minidom, 4x slower than the rest of the
        # report; indenting the tree with the standard library gives the same layout.
        ElementTree.indent(root, space="\t")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{ElementTree.tostring(root, encoding="unicode")}\n'


def _document(suites: Sequence[junit_xml.TestSuite]) -> ElementTree.Element:
    """The <testsuites> tree that `junit_xml.to_xml_report_string` serialises, with its totals.
    to_xml_report_string then strips the characters XML forbids from the whole serialised text
    with one regex, a third of the report's time on 10,000 cases: our texts are cleaned instead
    as the cases are made (`_text`, `_attribute`), which leaves the same document."""
    root = ElementTree.Element("testsuites")
    totals: dict[str, float] = {}
    for suite in suites:
        element = suite.build_xml_doc(encoding="utf-8")
        for key in ("disabled", "errors", "failures", "tests"):
            totals[key] = totals.get(key, 0) + int(element.get(key, 0))
        totals["time"] = totals.get("time", 0.0) + float(element.get("time", 0))
        root.append(element)
    for key, value in totals.items():
        root.set(key, str(value))
    return root


# What junit_xml._clean_illegal_xml_chars removes: characters XML 1.0 forbids or discourages.
_ILLEGAL = "\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufddf\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_ILLEGAL_IN_TEXT = re.compile(f"[{_ILLEGAL}]")
# In an attribute ElementTree writes a carriage return as `&#13;`, which the whole-text regex kept.
_ILLEGAL_IN_ATTRIBUTE = re.compile(
    f"[{_ILLEGAL.replace(chr(0x0B) + '-', chr(0x0B) + chr(0x0C) + chr(0x0E) + '-', 1)}]"
)
# The same on ASCII text, most of it: a small character class is 6x faster than the whole one.
_ASCII_ILLEGAL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_ASCII_ILLEGAL_IN_ATTRIBUTE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(text: str) -> str:
    return (_ASCII_ILLEGAL_IN_TEXT if text.isascii() else _ILLEGAL_IN_TEXT).sub("", text)


def _attribute(text: str) -> str:
    return (_ASCII_ILLEGAL_IN_ATTRIBUTE if text.isascii() else _ILLEGAL_IN_ATTRIBUTE).sub("", text)


def unique_names(group: Sequence[Decision]) -> list[str]:
    """Test case names, unique within their class: readers that key cases by class and name
    (EnricoMi/publish-unit-test-result-action) would count a check found twice in a file once.
    A repeated name gets its line, then a number if that is not enough."""
    keys = [(_classname(d), d.finding.name) for d in group]
    counts = Counter(keys)
    seen: dict[tuple[str, str], int] = {}
    unique = []
    for decision, (classname, title) in zip(group, keys, strict=True):
        location = decision.finding.location
        name = f"{title} (line {location.line})" if counts[(classname, title)] > 1 and location else title
        times = seen[(classname, name)] = seen.get((classname, name), 0) + 1
        unique.append(name if times == 1 else f"{name} #{times}")
    return unique


def _classname(decision: Decision) -> str:
    return f"{decision.finding.source.value}.{decision.finding.scope.name}"


class _Shared:
    """What many cases of one report share, cleaned once: a check's documentation lines, the
    decision's reason, a message found on many lines, a file name, a class name."""

    def __init__(self) -> None:
        self._attributes: dict[str, str] = {}
        self._messages: dict[tuple[str, str], tuple[str, str]] = {}
        self._tails: dict[tuple[str, str, Status, Outcome, str], str] = {}

    def attribute(self, text: str) -> str:
        cleaned = self._attributes.get(text)
        if cleaned is None:
            cleaned = self._attributes[text] = _attribute(text)
        return cleaned

    def message(self, finding: Finding) -> tuple[str, str]:
        """The headline (the message's first line, or the check's name) and the cleaned message."""
        key = (finding.message, finding.name)
        made = self._messages.get(key)
        if made is None:
            # junit-xml writes no element at all for an empty message: always give one.
            headline = finding.message.splitlines()[0] if finding.message else finding.name
            made = self._messages[key] = (_attribute(headline), _text(finding.message))
        return made

    def tail(self, decision: Decision) -> str:
        """The lines under the message: documentation, check id, status and decision, cleaned."""
        finding = decision.finding
        key = (finding.doc_url, finding.check_id, finding.status, decision.outcome, decision.reason)
        made = self._tails.get(key)
        if made is None:
            made = self._tails[key] = _text(
                "\n".join(
                    part
                    for part in (
                        finding.doc_url,
                        check_line(finding),
                        f"{finding.status.value}; decision: {decision.outcome.value}: {decision.reason}",
                    )
                    if part
                )
            )
        return made


def _case(decision: Decision, name: str, shared: _Shared | None = None) -> junit_xml.TestCase:
    shared = shared or _Shared()
    finding = decision.finding
    location = finding.location
    case = junit_xml.TestCase(
        name=_attribute(name),
        classname=shared.attribute(_classname(decision)),
        file=shared.attribute(location.file) if location else None,
        line=str(location.line) if location else None,
    )
    if finding.status is Status.GREEN:  # most cases: no text at all (the CLI prints none either)
        return case
    headline, message = shared.message(finding)
    details = f"{message}\n{shared.tail(decision)}" if finding.message else shared.tail(decision)
    if decision.outcome is Outcome.BLOCK:
        if finding.status is Status.ERROR:
            error_type = shared.attribute(finding.check_id)
            case.add_error_info(message=headline, output=details, error_type=error_type)
        else:
            case.add_failure_info(message=headline, output=details, failure_type=finding.status.value)
    elif decision.outcome is Outcome.WAIVED:
        case.add_skipped_info(message=shared.attribute(decision.reason), output=details)
    elif decision.outcome is Outcome.SKIPPED:
        case.add_skipped_info(message=_attribute(finding.message or "SKIPPED by the check"), output=details)
    else:  # warn, or a finding the policy ignores: passes, with the why in system-out
        case.stdout = details
    return case

"""Unit-level proofs behind the hostile matrix: the runner's legacy command form, waivers by index."""

from __future__ import annotations

import datetime
import io

import pytest
from runner_sim import legacy_command

from connect_gate.decide import Outcome, decide
from connect_gate.findings import Finding, Scope, ScopeKind, Source, Status
from connect_gate.guard import GuardedStream, clean, neutralise
from connect_gate.policy.model import Policy, Selector, Waiver

TODAY = datetime.date(2026, 11, 30)


@pytest.mark.parametrize(
    "line",
    [
        "##[set-output name=verdict]pass",
        "connect-gate: error: policy.yml:4: unknown check '##[set-output name=verdict]pass'",
        "  ##[add-mask]x",
        "text ##[error]forged ##[warning]twice",
        "###[set-env name=A;]b",
        "x##[debug]y",
        "##[ADD-PATH]/tmp",  # the runner compares names case-insensitively
    ],
)
def test_no_line_keeps_a_legacy_command_the_runner_would_run(line: str) -> None:
    assert legacy_command(line) is not None  # the runner's rule finds it as written...
    assert legacy_command(neutralise(line)) is None  # ...and not once neutralised
    assert "##[" not in neutralise(line)


def test_lines_without_the_legacy_form_are_left_alone() -> None:
    for line in ("## heading", "a # b [c]", "::error::ours", "#[x]"):
        assert neutralise(line) == line


def test_escape_sequences_and_control_characters_are_removed() -> None:
    assert clean("\x1b[2J\x1b[31mred\x1b[0m \x1b]0;title\x07ok\x00\u200b\x7f") == "red ok"
    assert clean("a\r\nb\rc\td") == "a\nb\nc\td"


def test_deciding_meets_only_the_waivers_that_could_match(monkeypatch: pytest.MonkeyPatch) -> None:
    """8,000 waivers of one check, one per mapping, and 8,000 findings: each finding is compared
    with its own waiver only, not with all 8,000 (which took 30 s)."""
    count = 8_000
    waivers = tuple(
        Waiver(Selector("Unique Identifier", mapping=f"Obj{i}"), "accepted", f"p.yml:{i}", "p.yml", i)
        for i in range(count)
    )
    findings = [
        Finding(
            Source.DIAGNOSTICS,
            "Unique Identifier",
            "Unique Identifier",
            Scope(ScopeKind.MAPPING, f"Obj{i}", "c"),
            Status.RED,
        )
        for i in range(count)
    ]
    calls = 0
    original = Selector.matches

    def counted(self: Selector, finding: Finding) -> bool:
        nonlocal calls
        calls += 1
        return original(self, finding)

    monkeypatch.setattr(Selector, "matches", counted)
    decisions = decide(findings, Policy("p.yml", waivers=waivers), TODAY)

    assert [d.outcome for d in decisions[:count]] == [Outcome.WAIVED] * count
    assert calls == count


@pytest.mark.parametrize(
    "text",
    [
        "plain\n##[error]x and ##[##[ twice\nsecret-token in the middle\n\nlast",
        "a control\x1b[31m in one line\nsecret-token\r\nnext\rline",
        "::add-mask::secret-token\nsecret-token again",
        "no newline at all, secret-token",
    ],
)
def test_a_block_is_guarded_as_its_lines_are_one_by_one(text: str) -> None:
    """The stream guards a block without control characters whole (fast): the same as line by line."""
    whole, by_line = io.StringIO(), io.StringIO()
    stream = GuardedStream(whole, ["secret-token"])
    stream.write(text + "\n")
    one_by_one = GuardedStream(by_line, ["secret-token"])
    for line in text.split("\n"):
        one_by_one.write(line + "\n")
    stream.flush()
    one_by_one.flush()
    assert whole.getvalue() == by_line.getvalue()
    assert "secret-token" not in whole.getvalue().replace("::add-mask::secret-token", "")
    assert "##[" not in whole.getvalue()

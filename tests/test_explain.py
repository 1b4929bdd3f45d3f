"""`connect-gate explain` and docs/checks.md: every check's documentation, from its docstring."""

from __future__ import annotations

from helpers import ROOT, run_entrypoint

from checks import own_checks
from connect_gate.explain import reference


def test_docs_checks_md_is_current() -> None:
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == reference(), "run `make docs`"


def test_every_check_has_documentation_with_an_example() -> None:
    for check in own_checks().values():
        assert check.doc.count("\n") >= 3, check.id
        assert "Bad" in check.doc or "bad" in check.doc.lower() or check.source.value == "gate", check.id


def test_explain_prints_one_check_and_lists_all() -> None:
    one = run_entrypoint(["explain", "Foreign key pointing at a mapped table"])
    assert one.returncode == 0
    assert one.stdout.startswith(
        "### `foreign-key-added-to-mapped-table`: Foreign key pointing at a mapped table\n\nDefault status: **RED**"
    )
    listing = run_entrypoint(["explain"])
    assert listing.returncode == 0
    assert len([line for line in listing.stdout.splitlines() if line.startswith("  ")]) == len(own_checks())


def test_explain_an_unknown_check_suggests_the_closest() -> None:
    result = run_entrypoint(["explain", "expired-waivers"])
    assert (result.returncode, result.stderr) == (
        2,
        "connect-gate explain: unknown check 'expired-waivers'; did you mean 'expired-waiver'?\n",
    )

"""The one check protocol holds for every check, and imports flow one way (engines → registry only)."""

from __future__ import annotations

import ast
from collections import Counter

from helpers import ROOT

from connect_gate.check import CHECKS_DOC_URL, Reads
from connect_gate.checks import CHECKS

REPORTED_BY_THEIR_ENGINE = {
    Reads.MIGRATION_FILE,
    Reads.RECORDED_COMMAND,
    Reads.UNAVAILABLE,
    Reads.UNREACHABLE,
}


def test_every_check_has_a_find_unless_its_engine_reports_it() -> None:
    for check in CHECKS:
        assert (check.find is None) == (check.info.reads in REPORTED_BY_THEIR_ENGINE), check.info.id
        assert bool(check.info.nodes) == (check.info.reads is Reads.STATEMENT), check.info.id


def test_ids_are_unique_and_each_default_doc_url_is_an_anchor_in_docs_checks_md() -> None:
    counts = Counter(check.info.id for check in CHECKS)
    assert [check_id for check_id, n in counts.items() if n > 1] == []
    docs = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    for check in CHECKS:
        if check.info.url.startswith(CHECKS_DOC_URL):
            assert f'<a id="{check.info.id}"></a>' in docs, check.info.id


def test_no_engine_imports_a_check_module() -> None:
    """connect_gate/ may import the registry (`checks`) and Heroku's catalogue, never one check."""
    allowed = {"checks", "checks.diagnostics"}
    found = []
    engines = (
        p for p in (ROOT / "connect_gate").rglob("*.py") if "checks" not in p.relative_to(ROOT).parts[1:2]
    )
    for path in sorted(engines):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and _in_checks(node.module):
                module = _in_checks(node.module)
                names = [module] if module != "checks" else [f"checks.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [_in_checks(a.name) for a in node.names if _in_checks(a.name)]
            for name in names:
                registry_function = name.startswith("checks.") and name.count(".") == 1 and name[7:].islower()
                if name not in allowed and not (registry_function and not _is_module(name)):
                    found.append(f"{path.relative_to(ROOT)}: {name}")
    assert found == []


def _in_checks(module: str | None) -> str:
    """`checks...` for a module of the checks folder (installed as connect_gate.checks), else ""."""
    name = (module or "").removeprefix("connect_gate.")
    return name if name.split(".")[0] == "checks" else ""


def _is_module(name: str) -> bool:
    return (ROOT / (name.replace(".", "/") + ".py")).exists() or (ROOT / name.replace(".", "/")).is_dir()

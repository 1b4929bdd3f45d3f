"""action.yml, the README, the settings, the Dockerfile and the workflows must agree."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from helpers import ROOT, SEED_RESULTS, run_entrypoint

from connect_gate.gate import run
from connect_gate.settings import OPTIONS, Settings

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
README = (ROOT / "README.md").read_text()


def fold(text: str) -> str:
    return " ".join(text.split())


def readme_table(heading: str) -> dict[str, list[str]]:
    section = README.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    table = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        table[cells[0].strip("`")] = cells[1:]
    return table


def test_action_inputs_match_the_settings_options() -> None:
    inputs = ACTION["inputs"]
    assert list(inputs) == [option.name for option in OPTIONS]
    for option in OPTIONS:
        spec = inputs[option.name]
        assert str(spec.get("default", "")) == option.default, option.name
        assert fold(spec["description"]) == fold(option.description), option.name
        assert spec.get("required", False) is False, option.name


def test_every_option_is_a_settings_field() -> None:
    fields = set(Settings.__dataclass_fields__)
    assert {option.field for option in OPTIONS} <= fields


def test_the_readme_input_table_matches() -> None:
    table = readme_table("Inputs")
    assert list(table) == [option.name for option in OPTIONS]
    for option in OPTIONS:
        default, description = table[option.name]
        assert default == (f"`{option.default}`" if option.default else "—"), option.name
        assert fold(description) == fold(option.description), option.name


def test_outputs_agree_everywhere() -> None:
    produced = set(run(Settings(results_file=str(SEED_RESULTS), report_dir="unused")).outputs)
    assert set(ACTION["outputs"]) == produced
    table = readme_table("Outputs")
    assert set(table) == produced
    for name, (description,) in table.items():
        assert fold(description) == fold(ACTION["outputs"][name]["description"]), name


def test_the_dockerfile_is_exec_form_and_pinned() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert ACTION["runs"] == {"using": "docker", "image": "Dockerfile"}
    assert 'ENTRYPOINT ["python", "/app/entrypoint.py"]' in dockerfile
    assert re.search(r"^FROM python:3\.11[\w.-]*-slim", dockerfile, re.MULTILINE)
    for package in ("connect_gate", "checks"):
        assert f"COPY {package} /app/{package}" in dockerfile
    requirements = [
        line
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert requirements and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[\w.]+", line) for line in requirements)


def test_workflows_only_pass_declared_inputs_to_this_action() -> None:
    workflows = [
        *(ROOT / ".github" / "workflows").glob("*.yml"),
        *(ROOT / "examples" / "workflows").glob("*.yml"),
    ]
    assert workflows
    for path in workflows:
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in job.get("steps", []):
                uses = step.get("uses", "")
                if uses == "./" or uses.startswith("connect-gate/connect-gate@"):
                    assert set(step.get("with", {})) <= set(ACTION["inputs"]), (path.name, step.get("with"))


DEMO_ARGS = [
    "--results-file",
    "examples/diagnostics/protected-ridge-4963.json",
    "--mapping-config",
    "examples/connect-export.json",
    "--migrations",
    "examples/migrations/risky/*.sql",
    "--policy",
    "examples/policy.yml",
]


def test_the_readme_demo_is_the_makefile_demo() -> None:
    makefile = fold((ROOT / "Makefile").read_text().replace("\\\n", " "))
    shown = fold(README.split("```sh\n", 2)[2].split("```", 1)[0].replace("\\\n", " "))
    assert shown == fold(" ".join(["connect-gate", *(f"'{a}'" if "*" in a else a for a in DEMO_ARGS)]))
    assert f"DEMO := {shown}" in makefile
    assert "make demo" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_readme_demo_output_and_annotations_are_what_the_gate_prints(tmp_path: Path) -> None:
    args = [*DEMO_ARGS, "--today", "2026-11-27"]
    result = run_entrypoint([*args, "--report-dir", "connect-gate-report"], cwd=ROOT)
    assert result.returncode == 1
    console, annotations = README.split("```text\n", 3)[1:3]
    assert result.stdout == console.split("```", 1)[0]
    in_actions = run_entrypoint([*args, "--report-dir", str(tmp_path)], {"GITHUB_ACTIONS": "true"}, cwd=ROOT)
    errors = [line for line in in_actions.stdout.splitlines() if line.startswith("::error file=")]
    assert len(errors) == 2
    assert errors == annotations.split("```", 1)[0].splitlines()


def test_help_imports_nothing_heavy() -> None:
    """What keeps `--help` fast (bench/bench_gate.py measures it): no heavy library is loaded."""
    result = run_entrypoint(["--help"])
    assert result.returncode == 0 and "--results-file FILE" in result.stdout
    probe = subprocess.run(
        [sys.executable, "-c", HEAVY_PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=30
    )
    assert probe.stdout.strip() == "[]"


HEAVY_PROBE = """
import contextlib, io, sys
from connect_gate.cli import main
with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
    main(["--help"], {})
heavy = ("yaml", "jsonschema", "requests", "junit_xml", "psycopg2", "pglast")
print(sorted(name for name in heavy if name in sys.modules))
"""


def test_a_run_on_migrations_alone_imports_no_client_and_no_yaml(tmp_path: Path) -> None:
    """What keeps a small pull request's run short (bench/bench_migrations.py measures it): the
    Heroku and database clients and PyYAML are imported only by the runs that use them."""
    (tmp_path / "V1__a.sql").write_text("UPDATE salesforce.account SET name = 'x';\n", encoding="utf-8")
    probe = MIGRATIONS_PROBE.format(export=ROOT / "examples" / "connect-export.json", report=tmp_path / "r")
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "1 ['junit_xml', 'pglast']"


MIGRATIONS_PROBE = """
import contextlib, io, sys
from connect_gate.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    status = main(["--mapping-config", "{export}", "--migrations", "*.sql", "--report-dir", "{report}"], {{}})
heavy = ("yaml", "jsonschema", "requests", "junit_xml", "psycopg2", "pglast")
print(status, sorted(name for name in heavy if name in sys.modules))
"""


def test_every_option_is_in_exactly_one_help_group() -> None:
    from connect_gate.settings import help_groups

    grouped = [option.name for options in help_groups().values() for option in options]
    assert grouped == [option.name for option in OPTIONS]  # each group's options are declared together

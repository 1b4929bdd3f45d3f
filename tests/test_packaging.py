"""What `pip install` puts on a machine: connect_gate (its checks inside it), and no top-level `checks`."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from helpers import ROOT


def build_wheel(into: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(into),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = into.glob("connect_gate-*.whl")
    return wheel


def test_the_wheel_holds_connect_gate_and_its_checks_and_nothing_else_at_the_top(tmp_path: Path) -> None:
    names = zipfile.ZipFile(build_wheel(tmp_path / "dist")).namelist()
    assert {name.split("/")[0] for name in names} == {"connect_gate", "connect_gate-0.1.0.dist-info"}
    assert "connect_gate/checks/__init__.py" in names
    assert "connect_gate/checks/migrations/foreign_key_added_to_mapped_table.py" in names


def test_every_installed_module_imports_without_a_top_level_checks(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(build_wheel(tmp_path / "dist")),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # Only the installed copy and the dependencies: no checkout, no .pth of the editable install.
    probe = (
        "import sys; sys.path[:] = [sys.argv[1], *[p for p in sys.path if p.endswith('lib-dynload') or p.endswith('.zip')], "
        "sys.argv[2], sys.argv[3]]\n"
        "import connect_gate.checks as c; assert c.__file__.startswith(sys.argv[1]), c.__file__\n"
        "import importlib, pkgutil, connect_gate\n"
        "for m in pkgutil.walk_packages(connect_gate.__path__, 'connect_gate.'): importlib.import_module(m.name)\n"
        "print(len(c.CHECKS))\n"
        "try:\n    import checks\nexcept ModuleNotFoundError as e:\n    print(e)\n"
    )
    stdlib = sysconfig.get_paths()["stdlib"]
    purelib = sysconfig.get_paths()["purelib"]
    done = subprocess.run(
        [sys.executable, "-S", "-c", probe, str(target), stdlib, purelib],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    count, missing = done.stdout.splitlines()
    assert int(count) > 20
    assert missing == "No module named 'checks'"

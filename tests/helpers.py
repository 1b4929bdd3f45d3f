"""Small helpers shared by the tests (no fixtures with hidden behaviour)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from connect_gate.document import Document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED_RESULTS = EXAMPLES / "diagnostics" / "protected-ridge-4963.json"
GOLDEN = Path(__file__).resolve().parent / "golden"


def doc(data: Any, name: str = "results.json") -> Document:
    """A Document as load_json would give for `data` (with real line numbers)."""
    return Document(name, json.dumps(data, indent=2), data)


def run_entrypoint(
    args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python entrypoint.py ...` in a clean environment (only what a step would have)."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, str(ROOT / "entrypoint.py"), *args],
        env={**base, **(env or {})},
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

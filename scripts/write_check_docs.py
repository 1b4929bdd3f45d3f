"""Write docs/checks.md from the check modules' docstrings (connect_gate.explain.reference)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connect_gate.explain import reference  # noqa: E402

if __name__ == "__main__":
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "checks.md").write_text(reference(), encoding="utf-8")
    print("wrote docs/checks.md")

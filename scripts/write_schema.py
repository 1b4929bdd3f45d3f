"""Write schema/policy-v1.schema.json from the one declaration in connect_gate.policy.schema."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connect_gate.policy.schema import SCHEMA  # noqa: E402

SCHEMA_FILE = ROOT / "schema" / "policy-v1.schema.json"


def schema_text() -> str:
    return json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE.relative_to(ROOT)}")

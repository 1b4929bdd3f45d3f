"""Rewrite action.yml's `inputs:` block and the README's input table from connect_gate.settings.OPTIONS.

The option table is the one declaration of every input; tests/test_consistency.py fails when the
two files drift from it, and `make docs` runs this script to bring them back.
"""

import json
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connect_gate.settings import OPTIONS  # noqa: E402


def action_inputs() -> str:
    lines = ["inputs:"]
    for option in OPTIONS:
        lines += [f"  {option.name}:", "    description: >-"]
        lines += ["      " + line for line in textwrap.wrap(option.description, 96, break_on_hyphens=False)]
        lines += ["    required: false", f"    default: {json.dumps(option.default)}"]
    return "\n".join(lines) + "\n"


def readme_rows() -> str:
    rows = ["| Input | Default | Description |", "|---|---|---|"]
    for option in OPTIONS:
        default = f"`{option.default}`" if option.default else "—"
        rows.append(f"| `{option.name}` | {default} | {option.description} |")
    return "\n".join(rows) + "\n"


def main() -> None:
    action = ROOT / "action.yml"
    text = action.read_text()
    block = re.compile(r"^inputs:\n.*?(?=^outputs:)", flags=re.DOTALL | re.MULTILINE)
    text = block.sub(lambda _: action_inputs(), text)
    action.write_text(text)
    readme = ROOT / "README.md"
    text = readme.read_text()
    text = re.sub(
        r"(## Inputs\n\n)\| Input \|.*?\n(?=\n)", lambda m: m.group(1) + readme_rows(), text, flags=re.DOTALL
    )
    readme.write_text(text)
    print("rewrote the inputs of action.yml and README.md")


if __name__ == "__main__":
    main()

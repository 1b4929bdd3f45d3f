"""The GitHub Action's entry point (`python entrypoint.py`); also usable on any CI."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from connect_gate.cli import main

if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `connect-gate explain | head`: the reader left, nothing is wrong
        sys.stderr.close()
        sys.exit(0)

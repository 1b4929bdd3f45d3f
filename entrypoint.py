"""The GitHub Action's entry point (`python entrypoint.py`); also usable on any CI."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from connect_gate.cli import main

if __name__ == "__main__":
    sys.exit(main())

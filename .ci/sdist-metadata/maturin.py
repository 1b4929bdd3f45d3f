"""A stand-in for maturin's build backend that builds nothing: `pip download` of an sdist only.

`pip download` asks an sdist's build backend for the package's metadata before it saves the file.
squawk-cli's backend, maturin, runs `cargo metadata` for that, which needs crates.io; CI reaches
PyPI only. The metadata is already in the sdist's PKG-INFO (PEP 643), so this backend hands that
over and pip downloads and checks the pinned sha256 without compiling or running anything of the
package. Used by the Makefile with `PYTHONPATH=.ci/sdist-metadata pip download --no-build-isolation`.
"""

from __future__ import annotations

from email.parser import HeaderParser
from pathlib import Path
from typing import Any


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Any = None) -> str:
    """PEP 517's metadata hook, run by pip in the unpacked sdist: its PKG-INFO as METADATA."""
    pkg_info = Path("PKG-INFO").read_text(encoding="utf-8")
    headers = HeaderParser().parsestr(pkg_info)
    dist_info = (
        Path(metadata_directory) / f"{headers['Name'].replace('-', '_')}-{headers['Version']}.dist-info"
    )
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(pkg_info, encoding="utf-8")
    return dist_info.name


def build_wheel(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    raise RuntimeError("this stand-in only reports metadata, so that pip can download an sdist")

"""Files the gate creates belong to whoever owns the folder they are created in.

A Docker container action runs as root, while the checkout and `runner.temp` belong to the runner's
user (uid 1001 on GitHub-hosted runners). A root-owned report folder could then be neither overwritten
by a later step nor deleted by the next job's checkout. So, when running as root, each folder and file
the gate creates or writes is given the owner of the folder it is in. As any other user this changes
nothing.
"""

from __future__ import annotations

import os
from pathlib import Path


def make_folders(folder: Path) -> None:
    """`mkdir -p`, each new folder owned like the folder it is made in."""
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir(exist_ok=True)
        adopt_folder_owner(new)


def adopt_folder_owner(path: Path) -> None:
    """Give `path` the owner and group of its folder, when running as root and they differ."""
    if os.geteuid() != 0:
        return
    folder, own = path.parent.stat(), path.stat()
    if (own.st_uid, own.st_gid) != (folder.st_uid, folder.st_gid):
        os.chown(path, folder.st_uid, folder.st_gid)

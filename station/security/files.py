"""Files that hold personal data are the station user's alone: directories 0700, files 0600
(the database and its WAL, the logs, the key file), whatever the process umask says."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path, tighten: bool = True) -> Path:
    """Create ``path`` and missing parents 0700; ``tighten``: an existing ``path`` too (a
    directory that is the station's own, never one it merely sits in)."""
    missing = [parent for parent in (path, *path.parents) if not parent.exists()]
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    for created in missing:
        created.chmod(PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    if tighten and path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty with 0600 if missing, else tighten its mode. SQLite then creates
    the database's -wal and -shm files with the same mode as the database."""
    private_dir(path.parent, tighten=False)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    for companion in (path, path.with_name(f"{path.name}-wal"),
                      path.with_name(f"{path.name}-shm")):
        if companion.exists() and companion.stat().st_mode & 0o077:
            companion.chmod(PRIVATE_FILE)
    return path

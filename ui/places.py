"""Where the station's file dialogs open: the user's documents folder, never the program's
folder (the working directory a save dialog falls back to)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def documents_folder() -> Path:
    """The documents folder; the home folder where there is none (a dialog given a missing
    folder would fall back to the working directory)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()

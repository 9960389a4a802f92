"""Installing one area's compiled Qt catalogue, as scripts/setup.sh compiles them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"


@contextmanager
def installed_catalogue(qapp: Any, area: str, work_dir: Path) -> Iterator[None]:
    """Compile ``resources/translations/<area>_zh_CN.ts`` into work_dir and install it."""
    from PySide6.QtCore import QTranslator

    qm = work_dir / f"{area}_zh_CN.qm"
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), "-silent", str(TRANSLATIONS / f"{area}_zh_CN.ts"), "-qm",
                    str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm)), f"{qm} did not load"
    qapp.installTranslator(translator)
    try:
        yield
    finally:
        qapp.removeTranslator(translator)

"""UI fixtures: a station runtime on a temporary SQLite database, devices not started
(device drivers have their own tests), and the translators of the chosen language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt


@pytest.fixture
def runtime(settings, qapp) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from app.runtime import StationRuntime
    from ui.i18n import install_language

    install_language("zh_CN")
    rt = StationRuntime.open(settings, start_devices=False, start_sync=False)
    yield rt
    rt.close()
    install_language("zh_CN")


@pytest.fixture
def window(runtime, qtbot):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow
    from ui.pages.registry import register_builtin_pages

    register_builtin_pages()
    win = MainWindow(runtime)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def live_runtime(tmp_path: Path, faces_dir: Path, qapp) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A demo runtime with devices running: simulated reader, the compliant portrait replayed
    as the camera, signatures on screen; and a clerk operator in ``extras["clerk"]``."""
    from app.runtime import StationRuntime
    from station import operators
    from station.config import load_settings
    from station.db.models import Role
    from ui.i18n import install_language

    install_language("zh_CN")
    cfg = tmp_path / "station.toml"
    # The demo person fills a GA 482 crop with real pixels (the ppp portrait ends too close
    # below the chin for the e-licence photo, which is never filled in).
    photo = faces_dir.parent.parent / "demo" / "demo_person_white.jpg"
    cfg.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n'
        f'[devices.camera]\nreplay = ["{photo}"]\nfps = 10\n'
        '[devices.sigpad]\nprotocol = "tablet"\n', encoding="utf-8")
    runtime = StationRuntime.open(load_settings(cfg, ("demo",), environ={}))
    runtime.db.write(lambda s: operators.create_operator(s, "clerk", "李警官", Role.CLERK, "clerk-pass"))
    with runtime.db.session() as session:
        clerk = operators.list_operators(session)[0]
    runtime.extras["clerk"] = clerk
    yield runtime
    runtime.close()


def sign_on_canvas(qtbot, canvas) -> None:  # type: ignore[no-untyped-def]
    w, h = canvas.width(), canvas.height()
    for stroke in range(3):
        y = int(h * (0.35 + 0.15 * stroke))
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(w * 0.15), y))
        for i in range(1, 30):
            qtbot.mouseMove(canvas, QPoint(int(w * (0.15 + 0.02 * i)), y + (i % 5) * 4))
            qtbot.wait(5)
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton,
                           pos=QPoint(int(w * 0.73), y))

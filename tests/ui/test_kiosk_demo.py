"""The kiosk on a demo station: with the training console's simulated live person the real
liveness session (fed by the camera's frames) is answered and passes, and the face match with the
demo card's chip photo follows; with only the camera's picture, a still, the check refuses. No
other station ever gets the simulated live person."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from sqlalchemy import select

from app.demo_liveness import SimulatedLivePerson, demo_liveness_factory
from station.config import load_settings
from station.db.models import Case
from station.liveness.runner import LivenessRunner
from tests.ui.test_kiosk_flow import confirm_card, ensure_admin
from ui.kiosk.window import KioskWindow
from ui.training_console import install_training_console


@pytest.fixture
def kiosk_demo(tmp_path: Path, qapp) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """`python main.py --kiosk --demo`: every device simulated, the simulated person at the
    camera."""
    from app.runtime import StationRuntime
    from ui.i18n import install_language

    install_language("zh_CN")
    settings = load_settings(profiles=("demo", "kiosk"),
                             environ={"STATION__STORAGE__DATA_DIR": str(tmp_path / "data"),
                                      "STATION__UI__FULLSCREEN": "false"})
    runtime = StationRuntime.open(settings)
    runtime.extras["sync_started"].result(timeout=60)
    yield runtime
    runtime.close()


def _start_visit(qtbot, runtime):  # type: ignore[no-untyped-def]
    ensure_admin(runtime)
    window = KioskWindow(runtime, liveness_factory=demo_liveness_factory(runtime))
    qtbot.addWidget(window)
    window.resize(1280, 1024)
    window.show()
    console = install_training_console(window, runtime)
    assert console is not None
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    session = window.session
    assert session is not None
    qtbot.waitUntil(lambda: session.case_id is not None, timeout=20_000)
    confirm_card(qtbot, session)
    return window, console, session


def test_a_simulated_live_person_passes_and_a_still_is_refused(qtbot, kiosk_demo) -> None:  # type: ignore[no-untyped-def]
    _window, console, session = _start_visit(qtbot, kiosk_demo)
    # the console's default: only the camera's picture, which cannot answer a challenge
    assert console.replayed_still.isChecked()
    qtbot.waitUntil(lambda: session.attempts == 1, timeout=40_000)
    screen = session.screens["liveness"]
    assert screen.retry_button.isVisible() and screen.message.text()
    print({"still_refused": screen.message.text()})

    console.show()  # the trainer opens the console (Ctrl+Shift+D) and picks the live person
    qtbot.waitExposed(console)
    # on its indicator (a radio button's middle may lie beyond its text)
    qtbot.mouseClick(console.live_person, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, console.live_person.height() // 2))
    assert console.controls.live_person
    qtbot.mouseClick(screen.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.current_key() == "matched", timeout=60_000)

    with kiosk_demo.db.session() as db:
        case = db.scalar(select(Case).where(Case.number == session.case_number))
        assert case is not None
        liveness = case.photos[0].quality_report["liveness"]
        assert liveness["live"] is True and liveness["simulated"] is True  # said in the case
        match = case.details["face_match"]
        assert match["match"] is True and match["simulated_chip_photo"] is True
        print({"kiosk_face_match_score": match["score"],
               "liveness_challenges": [c["kind"] for c in liveness["challenges"]],
               "liveness_s": liveness["duration_s"]})


def test_the_simulated_live_person_only_on_a_demo_station(tmp_path: Path) -> None:
    data = {"STATION__STORAGE__DATA_DIR": str(tmp_path)}

    class Station:
        def __init__(self, settings) -> None:  # type: ignore[no-untyped-def]
            self.settings, self.extras = settings, {}

    real = Station(load_settings(profiles=("kiosk",), environ={
        **data, "STATION__DEVICES__SIMULATE": "true"}))
    assert demo_liveness_factory(real) is None  # the kiosk's own engine
    webcam = Station(load_settings(profiles=("demo", "kiosk"), environ={
        **data, "STATION__DEVICES__CAMERA__INDEX": "0"}))
    assert demo_liveness_factory(webcam) is None  # a real person at a real camera
    demo = Station(load_settings(profiles=("demo", "kiosk"), environ=data))
    factory = demo_liveness_factory(demo)
    assert factory is not None
    engine = factory()
    try:
        assert isinstance(engine, LivenessRunner)  # until the console selects the live person
    finally:
        engine.close()
    demo.extras["demo_controls"].set_live_person(True)
    engine = factory()
    try:
        assert isinstance(engine, SimulatedLivePerson)
    finally:
        engine.close()

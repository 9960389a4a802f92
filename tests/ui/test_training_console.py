"""The training console (demo stations only): each button drives a real simulator and the
station's own drivers report the device state it names — the card read (or failed), the reader,
camera and pad unplugged and back, noise on the lines survived, another person at the counter,
the central service unreachable and back, and reviews overdue after the clock moves on."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QWidget
from sqlalchemy import select

from devices.idcard.events import CardRead, CardReadFailed, CardRemoved
from station.db.models import Case, CaseKind, CaseState, Role
from station.demo import demo_person
from station.events import DeviceState, DeviceStatusEvent, Event
from station.identity.card import CardLayout
from ui.training_console import TrainingConsole, install_training_console


class Seen:
    """Bus events, recorded on the publishing threads, for the test to wait on."""

    def __init__(self, bus) -> None:  # type: ignore[no-untyped-def]
        self.events: list[Event] = []
        self._lock = threading.Lock()
        bus.subscribe(Event, self._add)

    def _add(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

    def since(self, mark: int, kind: type) -> list:
        with self._lock:
            return [e for e in self.events[mark:] if isinstance(e, kind)]

    def mark(self) -> int:
        with self._lock:
            return len(self.events)

    def state(self, mark: int, device: str, state: DeviceState) -> bool:
        return any(e.status.kind == device and e.status.state is state
                   for e in self.since(mark, DeviceStatusEvent))


@pytest.fixture
def demo(tmp_path: Path, qapp) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from app.runtime import StationRuntime
    from station.config import load_settings
    from ui.i18n import install_language

    install_language("zh_CN")
    settings = load_settings(profiles=("demo",),
                             environ={"STATION__STORAGE__DATA_DIR": str(tmp_path / "data")})
    runtime = StationRuntime.open(settings, start_devices=False)
    runtime.extras["seen"] = Seen(runtime.bus)
    runtime.devices.start()
    runtime.extras["sync_started"].result(timeout=60)
    yield runtime
    runtime.close()


@pytest.fixture
def console(qtbot, demo) -> Iterator[TrainingConsole]:  # type: ignore[no-untyped-def]
    window = QWidget()  # stands in for the station's window (the console's owner)
    qtbot.addWidget(window)
    console = install_training_console(window, demo)
    assert console is not None
    window.show()
    yield console
    window.close()


def click(qtbot, console: TrainingConsole, button: QPushButton) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: console.busy == 0, timeout=20_000)
    assert "无法" not in console.result.text(), console.result.text()


def wait(qtbot, predicate: Callable[[], object], timeout: int = 20_000) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: bool(predicate()), timeout=timeout)


def test_ctrl_shift_d_shows_the_console_only_on_a_demo_station(qtbot, demo) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    console = install_training_console(window, demo)
    window.show()
    window.windowHandle().requestActivate()
    assert QTest.qWaitForWindowActive(window, 5000)
    assert console is not None and not console.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    wait(qtbot, console.isVisible, 5000)
    assert console.windowTitle() == "培训控制台（演示）"

    class Real:  # any station without the demo profile
        settings = demo.settings.model_copy(update={"profile": "default"})

    other = QWidget()
    qtbot.addWidget(other)
    assert install_training_console(other, Real()) is None


def test_cards_placed_pulled_pulled_mid_read_and_unreadable(qtbot, demo, console) -> None:  # type: ignore[no-untyped-def]
    seen, person = demo.extras["seen"], demo_person()
    wait(qtbot, lambda: seen.since(0, CardRead))  # the demo person's card, placed at start
    for kind, layout in (("permit", CardLayout.RESIDENCE_PERMIT),
                         ("foreigner", CardLayout.FOREIGNER_2023),
                         ("expired", CardLayout.RESIDENT), ("resident", CardLayout.RESIDENT)):
        mark = seen.mark()
        click(qtbot, console, console.card_buttons[kind])
        wait(qtbot, lambda m=mark: seen.since(m, CardRead))
        read = seen.since(mark, CardRead)[0]
        assert read.card == person.card(kind) and read.card.layout is layout
        assert read.photo.simulated  # the person's own chip photo, through the demo decoder
    expired = person.card("expired")
    assert expired.valid_to is not None and expired.valid_to <= person.card().valid_from

    mark = seen.mark()
    click(qtbot, console, console.card_buttons["unreadable"])
    wait(qtbot, lambda: seen.since(mark, CardReadFailed))
    assert seen.since(mark, CardReadFailed)[0].error.code == "sam_auth_card_failed"

    mark = seen.mark()
    click(qtbot, console, console.pull_button)
    wait(qtbot, lambda: seen.since(mark, CardRemoved))
    assert demo.devices.device("idcard").simulator.card is None

    mark = seen.mark()
    click(qtbot, console, console.pull_mid_read_button)
    wait(qtbot, lambda: seen.since(mark, CardRead))  # put back after the interrupted read
    failed = seen.since(mark, CardReadFailed)
    assert [f.error.code for f in failed] == ["card_removed"]


@pytest.mark.parametrize("device", ["idcard", "camera", "sigpad"])
def test_unplug_and_plug_in(qtbot, demo, console, device: str) -> None:  # type: ignore[no-untyped-def]
    seen = demo.extras["seen"]
    wait(qtbot, lambda: demo.devices.statuses()[device].state in (DeviceState.READY,
                                                                  DeviceState.BUSY))
    mark = seen.mark()
    click(qtbot, console, console.unplug_buttons[device])
    wait(qtbot, lambda: seen.state(mark, device, DeviceState.ABSENT))
    wait(qtbot, lambda: "未连接" in console.device_labels[device].text(), 5000)
    assert not console.controls.plugged(device)
    mark = seen.mark()
    click(qtbot, console, console.replug_buttons[device])
    wait(qtbot, lambda: seen.state(mark, device, DeviceState.READY))
    assert console.controls.plugged(device)


def test_line_noise_is_survived(qtbot, demo, console) -> None:  # type: ignore[no-untyped-def]
    seen = demo.extras["seen"]
    reader = demo.devices.device("idcard").simulator
    wait(qtbot, lambda: seen.since(0, CardRead))
    console.noise.setChecked(True)
    wait(qtbot, lambda: console.busy == 0)
    assert reader.fault == "noise" and demo.devices.device("sigpad").simulator.fault == "noise"
    mark = seen.mark()
    click(qtbot, console, console.card_buttons["permit"])
    wait(qtbot, lambda: seen.since(mark, CardRead))  # read through the garbage
    assert not seen.since(mark, CardReadFailed)
    console.noise.setChecked(False)
    wait(qtbot, lambda: console.busy == 0)
    assert reader.fault is None


def test_another_person_steps_up(qtbot, demo, console) -> None:  # type: ignore[no-untyped-def]
    seen = demo.extras["seen"]
    camera = demo.devices.device("camera")
    wait(qtbot, lambda: seen.since(0, CardRead))
    console.person.setCurrentIndex(console.person.findData("mismatch"))
    mark, frames = seen.mark(), camera.frames_delivered
    click(qtbot, console, console.person_button)
    wait(qtbot, lambda: seen.since(mark, CardRead))
    assert seen.since(mark, CardRead)[0].card == demo_person("mismatch").card()
    assert console.controls.person.key == "mismatch"
    wait(qtbot, lambda: camera.frames_delivered > frames + 5)  # the camera kept streaming
    assert camera.status.state is DeviceState.READY


def _pending_case(runtime) -> str:  # type: ignore[no-untyped-def]
    """An e-licence photo case (always reviewed), committed the way the flow commits it."""
    from station.identity.validation import validate_card
    from station.workflows import cases
    from station.workflows.documents import from_identity_card

    person = demo_person()
    card = person.card()
    _ok, jpeg = cv2.imencode(".jpg", np.full((378, 260, 3), 240, np.uint8))

    def work(session) -> str:  # type: ignore[no-untyped-def]
        ref = cases.start_case(session, CaseKind.ELICENCE_PHOTO, runtime.settings.station.code,
                               None, "trainer")
        cases.save_document(session, ref.id, from_identity_card(
            card, None, list(validate_card(card))), "trainer")
        cases.save_photo(session, ref.id, "elicence", jpeg.tobytes(), "trainer",
                         profile="cn-driving-licence", compliant=True)
        cases.commit_case(session, ref.id, "trainer")
        return ref.number

    return runtime.db.write(work)


def test_central_unreachable_then_reviews_overdue_after_fast_forward(qtbot, demo, console) -> None:  # type: ignore[no-untyped-def]
    from station import operators

    seen = demo.extras["seen"]
    demo.db.write(lambda s: operators.create_operator(s, "sup", "王主任", Role.SUPERVISOR,
                                                      "sup-pass-123"))
    demo.operators_changed()
    number = _pending_case(demo)
    demo.sync.worker.wake()

    def synced() -> bool:
        with demo.db.session() as session:
            case = session.scalar(select(Case).where(Case.number == number))
            return case is not None and case.state == CaseState.SYNCED

    wait(qtbot, synced, 60_000)

    mark = seen.mark()
    click(qtbot, console, console.unplug_buttons["central"])
    wait(qtbot, lambda: seen.state(mark, "central", DeviceState.ABSENT), 30_000)
    assert console.controls.central_reachable() is False
    mark = seen.mark()
    click(qtbot, console, console.replug_buttons["central"])
    wait(qtbot, lambda: seen.state(mark, "central", DeviceState.READY), 30_000)

    def overdue() -> tuple[int, list[bool]]:
        """The supervisor's queue: how many cases are overdue, and each listed case's flag
        (the counts are kept for a second, so they follow the clock a moment later)."""
        with demo.sync.review_client() as client:
            client.login("sup", "sup-pass-123")  # a new sign-in: time moved on
            page = client.list_queue(overdue=True)
            return page.total, [item.overdue for item in page.items]

    assert overdue() == (0, [])
    click(qtbot, console, console.forward_button)
    wait(qtbot, lambda: overdue() == (1, [True]), 10_000)
    assert "+" in console.clock_label.text()
    click(qtbot, console, console.real_time_button)
    wait(qtbot, lambda: overdue() == (0, []), 10_000)
    assert "实时" in console.clock_label.text()


def test_the_persons_phone_shows_the_last_text(qtbot, demo, console) -> None:  # type: ignore[no-untyped-def]
    console.show()
    request = demo.sync.start_verification("13812345678")
    assert request
    wait(qtbot, lambda: "验证码" in console.phone_label.text(), 20_000)
    assert "138****5678" in console.phone_label.text()


def test_the_traffic_system_can_be_made_unreachable_and_back(qtbot, demo, console) -> None:  # type: ignore[no-untyped-def]
    from central.upstream.protocol import UpstreamUnavailable
    from station.demo import demo_person

    system = demo.sync.embedded.app.state.central.upstream  # the central service's adapter
    number = demo_person().resident.id_number
    assert system.photo_on_file(number) is not None  # the demo person's photo on file
    combo = console.traffic_mode
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "正常应答", "拒绝请求", "应答过慢", "无法连接"]
    combo.setCurrentIndex(combo.findData("down"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: console.busy == 0, timeout=10_000)
    assert demo.sync.traffic_system.mode == "down"
    with pytest.raises(UpstreamUnavailable):
        system.photo_on_file(number)
    combo.setCurrentIndex(combo.findData("ok"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: console.busy == 0, timeout=10_000)
    assert system.photo_on_file(number) is not None

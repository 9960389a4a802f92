"""One event path: EventBus -> EventBridge -> the one GUI-thread relay (ui/workers.post), the
passport reader under the DeviceManager, and the central link's one status event."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
import shiboken6
from PySide6.QtCore import QObject

from devices.emrtd.driver import EmrtdReader
from station.events import (
    CaseChanged,
    DeviceState,
    DeviceStatus,
    DeviceStatusEvent,
    EventBus,
    SyncStatusChanged,
)
from ui.event_bridge import EventBridge
from ui.workers import post, run_async, wait_for_background


def test_posts_from_many_threads_arrive_on_the_gui_thread_in_order(qtbot) -> None:
    gui = threading.current_thread()
    got: dict[str, list[int]] = {"a": [], "b": []}
    threads: list[threading.Thread] = []

    def receive(item: tuple[str, int]) -> None:
        assert threading.current_thread() is gui
        got[item[0]].append(item[1])

    def send(name: str) -> None:
        for i in range(2000):
            post(receive, (name, i))

    for name in got:
        threads.append(threading.Thread(target=send, args=(name,)))
        threads[-1].start()
    for thread in threads:
        thread.join()
    post(receive, ("a", 2000))  # from the GUI thread too: queued, never run inside post()
    assert len(got["a"]) < 2001
    qtbot.waitUntil(lambda: len(got["a"]) == 2001 and len(got["b"]) == 2000, timeout=5000)
    assert got["a"] == list(range(2001)) and got["b"] == list(range(2000))


def test_a_result_for_a_deleted_widget_is_dropped(qtbot) -> None:
    delivered: list[object] = []

    class Page(QObject):
        def take(self, value: object) -> None:
            delivered.append(value)

    page = Page()
    started = threading.Event()
    run_async(lambda: started.wait(5) and "late answer", page.take)
    shiboken6.delete(page)  # the page closed while its work ran
    started.set()
    post(delivered.append, "plain callbacks still arrive")
    qtbot.waitUntil(lambda: delivered == ["plain callbacks still arrive"], timeout=2000)
    assert wait_for_background(5)
    qtbot.wait(50)
    assert delivered == ["plain callbacks still arrive"]


@pytest.mark.error_logs_expected(r"GUI callback .* failed")
def test_one_failing_receiver_does_not_stop_the_others(qtbot) -> None:
    got: list[int] = []

    def broken(_value: object) -> None:
        raise RuntimeError("bug in a receiver")

    post(broken, None)
    post(got.append, 1)
    qtbot.waitUntil(lambda: got == [1], timeout=2000)


def test_bridge_delivers_core_events_on_the_gui_thread_and_goes_with_its_bus(qtbot) -> None:
    bus = EventBus()
    bridge = EventBridge.for_bus(bus)
    assert EventBridge.for_bus(bus) is bridge  # one per bus, shared by the screens
    seen: list[tuple[str, bool]] = []
    gui = threading.current_thread()
    off = bridge.on(CaseChanged, lambda e: seen.append(
        (e.case_id, threading.current_thread() is gui)))

    def publish(on: EventBus) -> None:
        for i in range(50):
            on.publish(CaseChanged(case_id=str(i), state="committed"))

    worker = threading.Thread(target=publish, args=(bus,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(seen) == 50, timeout=3000)
    assert seen == [(str(i), True) for i in range(50)]
    off()
    bus.publish(CaseChanged(case_id="after", state="committed"))
    qtbot.wait(50)
    assert len(seen) == 50

    gone = weakref.ref(bus)
    del bus
    gc.collect()
    assert gone() is None  # the bridge does not keep its bus alive
    bridge.close()


def test_the_central_link_is_one_event_for_the_sync_label_and_the_status_bar() -> None:
    bus = EventBus()
    devices: list[DeviceStatusEvent] = []
    sync: list[SyncStatusChanged] = []
    bus.subscribe(DeviceStatusEvent, devices.append)
    bus.subscribe(SyncStatusChanged, sync.append)
    bus.publish(SyncStatusChanged(
        status=DeviceStatus("central", DeviceState.READY, "All cases are synchronised."),
        pending=0, failed=0, online=True))
    assert len(devices) == 1 and devices[0] is sync[0] and devices[0].status.kind == "central"


def test_the_passport_reader_is_a_station_device_with_a_status_bar_entry(
        qtbot, settings, qapp) -> None:  # type: ignore[no-untyped-def]
    from app.runtime import StationRuntime
    from ui.i18n import install_language
    from ui.main_window import MainWindow

    install_language("zh_CN")
    runtime = StationRuntime.open(settings, start_sync=False)
    try:
        reader = runtime.devices.device("emrtd")
        assert isinstance(reader, EmrtdReader)
        window = MainWindow(runtime)
        qtbot.addWidget(window)
        indicator = window.device_bar.indicators["emrtd"]
        assert indicator.title() == "护照/通行证阅读器"
        # pcscd may or may not run here: either way the reader says where it stands
        qtbot.waitUntil(lambda: indicator.status.state in (
            DeviceState.ABSENT, DeviceState.READY), timeout=10_000)
        assert indicator.status == reader.status
        assert runtime.devices.statuses()["emrtd"] == reader.status
    finally:
        runtime.close()


def test_the_document_step_reads_passports_on_the_station_reader(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    from station.db.models import CaseKind
    from ui.pages.registration import RegistrationPage

    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    wizard = page.start(CaseKind.INDIVIDUAL)
    step = wizard.steps[0]
    assert step.passport is not None
    assert step.passport.device is live_runtime.devices.device("emrtd")

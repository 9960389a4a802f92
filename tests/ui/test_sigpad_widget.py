"""The signature capture widget driven by synthetic mouse, tablet and touch events, and by
the real pad driver on the simulator's pseudo-terminal."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QInputDevice, QMouseEvent, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from devices.sigpad.driver import SerialPenPad
from devices.sigpad.simulator import PadSimulator
from station.events import DeviceState, EventBus
from station.i18n import both
from station.signature.agreements import load_agreement
from station.signature.quality import QualityRules
from station.signature.record import SignatureRecord, verify
from ui.signature_widget import SignatureCaptureWidget

VERSION, TEXT = load_agreement("user_agreement", "zh_CN")
NO_DURATION = QualityRules(min_duration_ms=0)


@pytest.fixture
def make(qtbot) -> Callable[..., SignatureCaptureWidget]:
    def build(**options: object) -> SignatureCaptureWidget:
        options.setdefault("inactivity_s", None)
        options.setdefault("timeout_s", None)
        widget = SignatureCaptureWidget("case-1", TEXT, VERSION, **options)  # type: ignore[arg-type]
        qtbot.addWidget(widget)
        widget.resize(900, 760)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return build


def _path(n: int = 80) -> list[QPointF]:
    """A handwriting-like loop path across most of the canvas (widget coordinates)."""
    return [
        QPointF(60 + 700 * i / n - 25 * math.sin(i / 3), 150 + 60 * math.cos(i / 3) - 30 * i / n)
        for i in range(n)
    ]


def _mouse(widget, kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def draw_with_mouse(canvas, points: list[QPointF], pause_s: float = 0.0) -> None:
    left = Qt.MouseButton.LeftButton
    _mouse(canvas, QEvent.Type.MouseButtonPress, points[0], left)
    for point in points[1:]:
        if pause_s:
            time.sleep(pause_s)
        _mouse(canvas, QEvent.Type.MouseMove, point, left)
    _mouse(canvas, QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)


def test_empty_signature_is_refused_with_a_clear_message(make) -> None:
    widget = make()
    with_signal = []
    widget.accepted.connect(with_signal.append)
    assert widget.try_accept() is False
    assert widget.message.text() == both("SignatureQuality", "Please sign before accepting.")["zh"]
    assert with_signal == [] and not widget.finished


def test_too_small_a_signature_is_refused(make) -> None:
    widget = make(rules=NO_DURATION)
    draw_with_mouse(widget.canvas, [QPointF(100 + i, 100 + (i % 3)) for i in range(40)])
    assert widget.try_accept() is False
    assert "过小" in widget.message.text()


def test_mouse_signature_is_accepted_and_bound_to_the_case(make, qtbot) -> None:
    widget = make()
    draw_with_mouse(widget.canvas, _path()[:40], pause_s=0.005)
    draw_with_mouse(widget.canvas, _path()[40:], pause_s=0.005)
    with qtbot.waitSignal(widget.accepted, timeout=5000) as blocker:
        assert widget.try_accept() is True
    record = blocker.args[0]
    assert isinstance(record, SignatureRecord)
    assert record.signature.stroke_count == 2 and record.signature.device.source == "mouse"
    assert verify(record, "case-1", TEXT, VERSION)
    assert not verify(record, "case-2", TEXT, VERSION)
    assert record.png.startswith(b"\x89PNG")
    assert widget.finish_reason == "accepted" and not widget.accept_button.isEnabled()


def test_clear_removes_the_ink_and_cancel_emits_cancelled(make, qtbot) -> None:
    widget = make(rules=NO_DURATION)
    draw_with_mouse(widget.canvas, _path())
    assert widget.canvas.signature().point_count > 0
    QTest.mouseClick(widget.clear_button, Qt.MouseButton.LeftButton)
    assert widget.canvas.signature().point_count == 0
    with qtbot.waitSignal(widget.cancelled, timeout=1000):
        QTest.mouseClick(widget.cancel_button, Qt.MouseButton.LeftButton)
    assert widget.finish_reason == "cancelled"


def test_finishes_by_itself_after_inactivity(make, qtbot) -> None:
    widget = make(inactivity_s=0.3, rules=NO_DURATION)
    with qtbot.waitSignal(widget.accepted, timeout=5000):
        draw_with_mouse(widget.canvas, _path())
    assert widget.finish_reason == "accepted"


def test_inactivity_with_a_poor_signature_explains_and_keeps_waiting(make, qtbot) -> None:
    widget = make(inactivity_s=0.2)
    draw_with_mouse(widget.canvas, [QPointF(100 + i, 100) for i in range(5)])
    qtbot.waitUntil(lambda: widget.message.text() != "", timeout=3000)
    assert not widget.finished


def test_times_out(make, qtbot) -> None:
    widget = make(timeout_s=0.3)
    with qtbot.waitSignal(widget.cancelled, timeout=3000):
        pass
    assert widget.finish_reason == "timeout"


def test_tablet_events_carry_pressure_and_tilt(make, qtbot) -> None:
    widget = make(rules=NO_DURATION)
    canvas = widget.canvas
    caps = (QInputDevice.Capability.Position | QInputDevice.Capability.Pressure
            | QInputDevice.Capability.XTilt | QInputDevice.Capability.YTilt)
    stylus = QPointingDevice("test stylus", 4711, QInputDevice.DeviceType.Stylus,
                             QPointingDevice.PointerType.Pen, caps, 1, 2)
    path = _path()
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for i, pos in enumerate(path):
        kind = QEvent.Type.TabletPress if i == 0 else QEvent.Type.TabletMove
        if i == len(path) - 1:
            kind = QEvent.Type.TabletRelease
        pressure = 0.0 if kind == QEvent.Type.TabletRelease else 0.2 + 0.7 * abs(math.sin(i / 9))
        event = QTabletEvent(kind, stylus, pos, canvas.mapToGlobal(pos), pressure, 20, -10, 0, 0,
                             0, Qt.KeyboardModifier.NoModifier, left,
                             none if kind == QEvent.Type.TabletRelease else left)
        QApplication.sendEvent(canvas, event)
        assert event.isAccepted()
    with qtbot.waitSignal(widget.accepted, timeout=5000) as blocker:
        widget.try_accept()
    record = blocker.args[0]
    device = record.signature.device
    assert (device.source, device.max_pressure) == ("tablet", 1023)
    pressures = {p.pressure for p in record.signature.points()}
    assert max(pressures) > 700 and min(pressures) < 400
    assert {(p.tilt_x, p.tilt_y) for p in record.signature.points()} == {(84, 54)}


def test_touch_input_signs_in_the_large_kiosk_variant(make, qtbot) -> None:
    widget = make(large=True, rules=NO_DURATION)
    # a finger's room, and the kiosk's sign screen still fits 1366 x 768 (test_screen_fit)
    assert widget.accept_button.minimumHeight() >= 72 and widget.canvas.minimumHeight() >= 220
    canvas = widget.canvas
    touch = QTest.createTouchDevice()
    window = widget.windowHandle()  # touch goes to the window, which finds the canvas
    path = [canvas.mapTo(widget, p.toPoint()) for p in _path()]
    QTest.touchEvent(window, touch).press(0, path[0]).commit()
    for point in path[1:]:
        QTest.touchEvent(window, touch).move(0, point).commit()
    QTest.touchEvent(window, touch).release(0, path[-1]).commit()
    signature = canvas.signature()
    assert signature.device.source == "touch" and signature.stroke_count == 1
    assert signature.point_count >= len(path) - 2
    # Mouse input after touch ink does not mix into the same signature.
    draw_with_mouse(canvas, [QPointF(10, 10), QPointF(30, 30)])
    assert canvas.signature().point_count == signature.point_count
    with qtbot.waitSignal(widget.accepted, timeout=5000):
        widget.try_accept()


def test_pad_signature_from_the_simulator_arrives_live(make, qtbot) -> None:
    bus = EventBus()
    simulator = PadSimulator(seed=7)
    pad = SerialPenPad(None, bus, simulator=simulator)
    pad.start()
    try:
        qtbot.waitUntil(lambda: pad.status.state == DeviceState.READY, timeout=5000)
        widget = make(pad=pad, bus=bus, inactivity_s=0.8)
        qtbot.waitUntil(lambda: widget.canvas.signature().point_count > 20, timeout=5000)
        with qtbot.waitSignal(widget.accepted, timeout=10000) as blocker:
            pass
        record = blocker.args[0]
        assert record.signature.device.source == "isdv4"
        assert record.signature.device.max_x == 26202
        assert record.signature.stroke_count == 3
        assert verify(record, "case-1", TEXT, VERSION)
        qtbot.waitUntil(lambda: pad.status.state == DeviceState.READY, timeout=3000)
    finally:
        pad.stop()


def test_pad_that_is_missing_says_so_and_the_screen_still_works(make, qtbot, tmp_path) -> None:
    bus = EventBus()
    pad = SerialPenPad(str(tmp_path / "ttyNONE"), bus, reconnect_delay_s=0.1)
    pad.start()
    try:
        widget = make(pad=pad, bus=bus, rules=NO_DURATION)
        qtbot.waitUntil(lambda: "签名板" in widget.message.text(), timeout=3000)
        draw_with_mouse(widget.canvas, _path())
        with qtbot.waitSignal(widget.accepted, timeout=5000):
            widget.try_accept()
    finally:
        pad.stop()


def test_abort_and_deletion_release_the_pad(make, qtbot) -> None:
    bus = EventBus()
    simulator = PadSimulator(seed=2)
    pad = SerialPenPad(None, bus, simulator=simulator)
    pad.start()
    try:
        qtbot.waitUntil(lambda: pad.status.state == DeviceState.READY, timeout=5000)
        widget = make(pad=pad, bus=bus)
        qtbot.waitUntil(lambda: pad.status.state == DeviceState.BUSY, timeout=3000)
        signals: list[object] = []
        widget.cancelled.connect(lambda: signals.append("cancelled"))
        widget.abort()
        assert widget.finish_reason == "aborted" and signals == []
        qtbot.waitUntil(lambda: pad.status.state == DeviceState.READY, timeout=3000)
        # A widget deleted mid-capture stops listening to the pad.
        second = SignatureCaptureWidget("case-2", TEXT, VERSION, pad=pad, bus=bus, timeout_s=None)
        second.show()  # not given to qtbot: this test deletes it
        qtbot.waitUntil(lambda: pad.status.state == DeviceState.BUSY, timeout=3000)
        second.deleteLater()  # deleted mid-capture: sampling ends, subscriptions go
        qtbot.waitUntil(lambda: pad.status.state == DeviceState.READY, timeout=3000)
        handlers = bus._handlers
        assert all(kind.__name__ not in ("PenSample", "PadInfo") for kind, _ in handlers)
    finally:
        pad.stop()


def _pad_widget(make, qtbot, **options: object):  # type: ignore[no-untyped-def]
    """A widget listening to a pad on a bus; the pad's events are fed straight into its queue
    (as the pad's thread does) so a loss can land exactly mid-stroke."""
    from devices.sigpad.events import PadInfo

    bus = EventBus()

    class IdlePad:  # a pad that is there but says nothing by itself
        kind = "sigpad"
        status = type("S", (), {"state": DeviceState.READY, "detail": ""})()
        pad_info = PadInfo(protocol="isdv4", port="pty", baud=38400, max_x=26202, max_y=16325,
                           max_pressure=1023)

        def begin_capture(self) -> None: ...

        def end_capture(self) -> None: ...

    widget = make(pad=IdlePad(), bus=bus, **options)
    return widget, bus


def _pen_stroke(bus: EventBus, start_ns: int, y: int, points: int, lift: bool) -> int:
    from devices.sigpad.events import PenSample

    t = start_ns
    for i in range(points):
        t += 7_000_000
        bus.publish(PenSample(x=2000 + 250 * i, y=y + 40 * (i % 6), pressure=500, tip=True,
                              in_proximity=True, t_ns=t))
    if lift:
        t += 7_000_000
        bus.publish(PenSample(x=2000 + 250 * points, y=y, pressure=0, tip=False,
                              in_proximity=True, t_ns=t))
    return t


def test_a_stroke_cut_off_by_an_unplug_is_discarded_and_never_auto_accepted(make, qtbot) -> None:
    from station.events import DeviceStatus, DeviceStatusEvent

    widget, bus = _pad_widget(make, qtbot, inactivity_s=0.3, rules=NO_DURATION)
    accepted: list[object] = []
    widget.accepted.connect(accepted.append)
    t = _pen_stroke(bus, time.monotonic_ns(), 6000, 60, lift=True)  # a whole stroke
    _pen_stroke(bus, t, 9000, 45, lift=False)  # the pen is down when the cable goes
    bus.publish(DeviceStatusEvent(status=DeviceStatus("sigpad", DeviceState.ABSENT, "unplugged")))
    qtbot.waitUntil(lambda: "丢弃" in widget.message.text() or "discarded" in
                    widget.message.text(), timeout=3000)
    signature = widget.canvas.signature()
    assert signature.stroke_count == 1 and signature.point_count == 60  # the cut stroke is gone
    assert not widget.canvas.pen_down
    qtbot.wait(1200)  # several inactivity periods
    assert accepted == [] and not widget.finished
    bus.publish(DeviceStatusEvent(status=DeviceStatus("sigpad", DeviceState.READY, "back")))
    qtbot.wait(100)
    assert widget.message.text(), "the loss stays explained until the signer goes on"
    _pen_stroke(bus, time.monotonic_ns(), 9000, 60, lift=True)  # signed again
    with qtbot.waitSignal(widget.accepted, timeout=5000) as blocker:
        pass
    assert blocker.args[0].signature.stroke_count == 2


def test_the_real_pad_unplugged_mid_signature_does_not_finish_it(make, qtbot) -> None:
    bus = EventBus()
    simulator = PadSimulator(seed=7)
    pad = SerialPenPad(None, bus, simulator=simulator, reconnect_delay_s=0.2)
    pad.start()
    try:
        qtbot.waitUntil(lambda: pad.status.state == DeviceState.READY, timeout=5000)
        widget = make(pad=pad, bus=bus, inactivity_s=0.4)
        accepted: list[object] = []
        widget.accepted.connect(accepted.append)
        qtbot.waitUntil(lambda: widget.canvas.pen_down, timeout=5000)
        simulator.unplug()
        qtbot.waitUntil(lambda: pad.status.state == DeviceState.ABSENT, timeout=5000)
        qtbot.waitUntil(lambda: not widget.canvas.pen_down, timeout=3000)
        qtbot.wait(1500)
        assert accepted == [] and not widget.finished
        assert "丢弃" in widget.message.text() or "discarded" in widget.message.text()
    finally:
        simulator.replug()
        pad.stop()


def test_auto_accept_waits_for_the_minimum_reading_time(make, qtbot) -> None:
    widget = make(inactivity_s=0.2, rules=NO_DURATION, min_reading_s=1.5)
    draw_with_mouse(widget.canvas, _path())
    qtbot.waitUntil(lambda: widget.message.text() != "", timeout=2000)  # asked to read first
    assert not widget.finished and widget.reading_time_left() > 0
    with qtbot.waitSignal(widget.accepted, timeout=5000):
        pass
    assert widget.reading_time_left() == 0  # accepted only once the time had passed


def test_auto_accept_never_takes_a_signature_that_fails_the_rules(make, qtbot) -> None:
    widget = make(inactivity_s=0.2)
    draw_with_mouse(widget.canvas, [QPointF(100 + i, 100) for i in range(5)])
    qtbot.wait(1000)  # several inactivity periods
    assert not widget.finished and widget.record is None

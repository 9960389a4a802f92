"""The real driver against the simulator over real pseudo-terminals: start-up, baud
fallback, every fault, reconnect after unplug, the factory and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.base import DeviceError, SignaturePad
from devices.sigpad import factory
from devices.sigpad.capture import capture
from devices.sigpad.driver import SerialPenPad
from devices.sigpad.events import CaptureStateChanged, PadInfo, PenSample, StrokeFinished
from devices.sigpad.simulator import PadSimulator
from station.events import DeviceState, DeviceStatusEvent, EventBus

ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    """Collects what the driver publishes; waits for conditions without fixed sleeps."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[object] = []
        self._cond = threading.Condition()
        for kind in (DeviceStatusEvent, PadInfo, PenSample, StrokeFinished, CaptureStateChanged):
            bus.subscribe(kind, self._add)

    def _add(self, event: object) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def of(self, kind: type) -> list:
        with self._cond:
            return [e for e in self.events if isinstance(e, kind)]

    def states(self) -> list[DeviceState]:
        return [e.status.state for e in self.of(DeviceStatusEvent)]

    def wait(self, condition: Callable[[], bool], timeout: float = 8.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not condition():
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; states seen: {self.states()}"
                self._cond.wait(min(left, 0.05))  # also polls non-event conditions


@pytest.fixture
def rig() -> Iterator[Callable[..., tuple[SerialPenPad, PadSimulator, Recorder]]]:
    started: list[tuple[SerialPenPad, PadSimulator]] = []

    def make(**sim_options: object) -> tuple[SerialPenPad, PadSimulator, Recorder]:
        driver_options = {
            k: sim_options.pop(k) for k in ("driver_baud", "idle_check_s") if k in sim_options
        }
        simulator = PadSimulator(**sim_options).start()  # type: ignore[arg-type]
        bus = EventBus()
        recorder = Recorder(bus)
        pad = SerialPenPad(
            simulator.port, bus, protocol=simulator.protocol,
            baud=driver_options.get("driver_baud"),  # type: ignore[arg-type]
            idle_check_s=driver_options.get("idle_check_s", 3.0),  # type: ignore[arg-type]
            reconnect_delay_s=0.2,
        )
        started.append((pad, simulator))
        pad.start()
        return pad, simulator, recorder

    yield make
    for pad, simulator in started:
        pad.stop()
        simulator.stop()


def _ready(recorder: Recorder) -> Callable[[], bool]:
    return lambda: DeviceState.READY in recorder.states()


def test_startup_query_and_one_full_signature(rig) -> None:
    pad, simulator, rec = rig()
    assert isinstance(pad, SignaturePad)
    rec.wait(_ready(rec))
    (info,) = rec.of(PadInfo)
    assert (info.max_x, info.max_y, info.max_pressure, info.version) == (26202, 16325, 1023, 1029)
    assert info.baud == 38400
    assert simulator.replays == 0  # no sampling before a capture is opened
    pad.begin_capture()
    rec.wait(lambda: len(rec.of(StrokeFinished)) == 3)
    pad.end_capture()
    rec.wait(lambda: rec.states()[-1] == DeviceState.READY)
    samples = rec.of(PenSample)
    assert rec.states() == [DeviceState.READY, DeviceState.BUSY, DeviceState.READY]
    assert any(s.pressure > 500 for s in samples) and any(not s.tip for s in samples)
    times = [s.t_ns for s in samples]
    assert times == sorted(times)  # monotonic timestamps
    strokes = [e.points for e in rec.of(StrokeFinished)]
    assert all(len(s) > 40 for s in strokes)
    duration = (strokes[-1][-1].t_ns - strokes[0][0].t_ns) / 1e9
    assert 1.5 < duration < 6  # replayed at the pad's report rate, not dumped at once
    assert pad.decoder_stats.broken_packets == 0


def test_baud_fallback_to_19200(rig) -> None:
    _pad, simulator, rec = rig(baud=19200)
    rec.wait(_ready(rec))
    assert rec.of(PadInfo)[-1].baud == 19200
    assert simulator.ignored_commands > 0  # the 38400 attempt was not understood


def test_configured_baud_that_does_not_match_reports_an_error(rig) -> None:
    pad, _sim, rec = rig(baud=19200, driver_baud=38400)
    rec.wait(lambda: DeviceState.ERROR in rec.states())
    assert pad.status.state == DeviceState.ERROR
    assert "answer" in pad.status.detail or "应答" in pad.status.detail
    assert rec.of(PadInfo) == []


@pytest.mark.parametrize("fault", ["noise", "partial"])
def test_noise_and_partial_packets_are_survived(rig, fault: str) -> None:
    pad, _sim, rec = rig(fault=fault, seed=5)
    rec.wait(_ready(rec))
    pad.begin_capture()
    rec.wait(lambda: len(rec.of(StrokeFinished)) == 3)
    stats = pad.decoder_stats
    if fault == "noise":
        assert stats.discarded_bytes > 0
    else:
        assert stats.broken_packets > 0
    for sample in rec.of(PenSample):
        assert sample.x <= 26202 and sample.y <= 16325 and sample.pressure <= 1023
    assert sum(len(e.points) for e in rec.of(StrokeFinished)) > 200


def test_unplug_mid_signature_reconnects_and_resumes(rig) -> None:
    pad, simulator, rec = rig(fault="unplug", unplug_after_s=0.8, replug_after_s=0.8)
    rec.wait(_ready(rec))
    pad.begin_capture()
    rec.wait(lambda: DeviceState.ABSENT in rec.states())
    assert rec.of(StrokeFinished), "the stroke in progress is closed when the pad goes"
    rec.wait(lambda: len(rec.of(PadInfo)) == 2)  # reconnected and queried again
    rec.wait(lambda: simulator.replays == 2)  # sampling resumed: the capture is still open
    rec.wait(lambda: pad.status.state == DeviceState.BUSY)  # set just after the command goes
    assert simulator.unplugs == 1


def test_silent_pad_is_reported_and_retried(rig) -> None:
    pad, simulator, rec = rig(fault="silent")
    rec.wait(lambda: DeviceState.ERROR in rec.states())
    rec.wait(lambda: rec.states().count(DeviceState.CONNECTING) >= 2)  # keeps trying
    assert simulator.queries_answered == 0
    assert pad.status.simulated is False


def test_pad_that_stops_answering_while_idle_is_noticed(rig) -> None:
    _pad, simulator, rec = rig(idle_check_s=0.3)
    rec.wait(_ready(rec))
    rec.wait(lambda: simulator.queries_answered >= 2)  # idle probes get answers
    simulator.fault = "silent"
    rec.wait(lambda: DeviceState.ERROR in rec.states())
    simulator.fault = None
    rec.wait(lambda: rec.states()[-1] == DeviceState.READY)


def test_topaz_pad_streams_without_initialisation(rig) -> None:
    pad, _sim, rec = rig(protocol="topaz", loop_interval_s=0.5)
    rec.wait(_ready(rec))
    pad.begin_capture()
    rec.wait(lambda: len(rec.of(StrokeFinished)) >= 3)
    info = rec.of(PadInfo)[-1]
    assert (info.protocol, info.max_x, info.max_pressure) == ("topaz", 4095, 0)


def test_capture_function_returns_device_strokes() -> None:
    with PadSimulator() as simulator:
        result = capture(simulator.port, seconds=3.4)
    assert result["device"] == {"max_x": 26202, "max_y": 16325, "max_pressure": 1023, "version": 1029}
    assert len(result["strokes"]) == 3
    point = result["strokes"][0][0]
    assert set(point) == {"x", "y", "p", "t_ms", "tilt_x", "tilt_y"} and point["t_ms"] == 0


def test_capture_of_a_missing_port_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(DeviceError) as info:
        capture(str(tmp_path / "nothing"), seconds=0.1, connect_timeout_s=0.5)
    assert info.value.code == "no_answer"


def test_factory_wires_demo_simulator_real_port_and_tablet(settings) -> None:
    assert settings.devices.simulate
    bus = EventBus()
    rec = Recorder(bus)
    device = factory.create(settings, bus)
    assert isinstance(device, SerialPenPad)
    device.start()
    try:
        rec.wait(_ready(rec))
        assert device.status.simulated
        device.begin_capture()
        rec.wait(lambda: len(rec.of(StrokeFinished)) == 3)
        device.end_capture()
    finally:
        device.stop()
    tablet = settings.model_copy(deep=True)
    tablet.devices.sigpad.protocol = "tablet"
    assert factory.create(tablet, bus) is None
    real = settings.model_copy(deep=True)
    real.devices.sigpad.port = "/dev/ttyS9"
    real.devices.sigpad.baud = 19200
    pad = factory.create(real, bus)
    assert isinstance(pad, SerialPenPad) and pad.port == "/dev/ttyS9" and not pad.status.simulated
    unconfigured = real.model_copy(deep=True)
    unconfigured.devices.sigpad.port = None
    unconfigured.devices.simulate = False
    assert factory.create(unconfigured, bus) is None


def _cli(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "devices.sigpad", *args], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("options", [[], ["--baud", "19200", "--fault", "noise"]])
def test_cli_simulate_then_capture_json(options: list[str]) -> None:
    simulator = _cli("simulate", *options, "--seconds", "20")
    try:
        assert simulator.stdout is not None
        port = simulator.stdout.readline().strip()
        result = subprocess.run(
            [sys.executable, "-m", "devices.sigpad", "capture", "--port", port,
             "--protocol", "isdv4", "--seconds", "3.4", "--json"],
            cwd=ROOT, capture_output=True, text=True, timeout=30,
        )
    finally:
        simulator.terminate()
        simulator.communicate(timeout=10)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["device"]["max_x"] == 26202 and len(data["strokes"]) == 3


def test_cli_capture_exits_non_zero_when_the_pad_is_silent() -> None:
    simulator = _cli("simulate", "--fault", "silent", "--seconds", "20")
    try:
        assert simulator.stdout is not None
        port = simulator.stdout.readline().strip()
        result = subprocess.run(
            [sys.executable, "-m", "devices.sigpad", "capture", "--port", port, "--seconds", "1",
             "--json"],
            cwd=ROOT, capture_output=True, text=True, timeout=30,
        )
    finally:
        simulator.terminate()
        simulator.communicate(timeout=10)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "did not answer" in result.stderr

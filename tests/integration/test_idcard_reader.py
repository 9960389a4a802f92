"""The reader worker over real pseudo-terminals, against the simulator and its fault modes."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.base import IdCardReader
from devices.idcard.events import CardRead, CardReadFailed, CardRemoved, ReaderProblem
from devices.idcard.simulator import ReaderSimulator
from devices.idcard.worker import IdCardReaderDevice
from station.events import DeviceState, DeviceStatusEvent, Event, EventBus
from station.identity.chip_photo import PhotoStatus
from station.identity.samples import SAMPLES


class Recorder:
    """Collects bus events (published on the reader's thread) for the test thread."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[Event] = []
        self._cond = threading.Condition()
        bus.subscribe(Event, self._on_event)

    def _on_event(self, event: Event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def of(self, kind: type) -> list:
        with self._cond:
            return [e for e in self.events if isinstance(e, kind)]

    def wait(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    kinds = [type(e).__name__ for e in self.events]
                    raise AssertionError(f"timed out; events so far: {kinds}")
                self._cond.wait(left)

    def wait_count(self, kind: type, count: int, timeout: float = 10.0) -> list:
        self.wait(lambda: len([e for e in self.events if isinstance(e, kind)]) >= count, timeout)
        return self.of(kind)

    def wait_state(self, state: DeviceState, timeout: float = 10.0) -> DeviceStatusEvent:
        def seen() -> bool:
            return any(isinstance(e, DeviceStatusEvent) and e.status.state is state
                       for e in self.events)

        self.wait(seen, timeout)
        return [e for e in self.of(DeviceStatusEvent) if e.status.state is state][-1]

    def settle(self, seconds: float) -> None:
        time.sleep(seconds)


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[ReaderSimulator]:
    sim = ReaderSimulator(link_path=tmp_path / "ttyIDCARD", read_delay_s=0.01,
                          pull_return_after_s=0.4)
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def recorder(bus: EventBus) -> Recorder:
    return Recorder(bus)


def _device(bus: EventBus, port: str, **options: object) -> IdCardReaderDevice:
    defaults: dict[str, object] = {"poll_interval_s": 0.05, "timeout_s": 1.0,
                                   "reconnect_interval_s": 0.1}
    defaults.update(options)
    return IdCardReaderDevice(bus, port=port, **defaults)  # type: ignore[arg-type]


@pytest.fixture
def device(bus: EventBus, simulator: ReaderSimulator) -> Iterator[IdCardReaderDevice]:
    reader = _device(bus, simulator.port)
    yield reader
    reader.stop()


def test_device_implements_the_protocol(device: IdCardReaderDevice) -> None:
    assert isinstance(device, IdCardReader)
    assert device.kind == "idcard"


def test_one_read_per_placement_then_removal_then_a_new_card(
    simulator: ReaderSimulator, device: IdCardReaderDevice, recorder: Recorder
) -> None:
    simulator.place_card(SAMPLES["resident"])
    device.start()
    [read] = recorder.wait_count(CardRead, 1)
    assert read.card == SAMPLES["resident"]
    assert read.photo.status is PhotoStatus.DECODER_NOT_CONFIGURED and len(read.photo.wlt) == 1024
    assert all(result.ok for result in read.validations)
    assert read.sam_id == "05.01-20101025-0012345678-1234567890"
    assert simulator.stats.commands[:3] == ["read_sam_id", "set_max_rf_byte", "find_card"]
    assert device.status.state in (DeviceState.READY, DeviceState.BUSY)
    recorder.settle(0.5)  # many polls with the card still there
    assert len(recorder.of(CardRead)) == 1
    simulator.remove_card()
    recorder.wait_count(CardRemoved, 1)
    simulator.place_card(SAMPLES["Y"])
    reads = recorder.wait_count(CardRead, 2)
    assert reads[1].card == SAMPLES["Y"]
    assert reads[1].card.name_en == "GARCIA LOPEZ, MARIA FERNANDA DE LOS ANGELES"


def test_request_read_reads_again_or_says_no_card(
    simulator: ReaderSimulator, device: IdCardReaderDevice, recorder: Recorder
) -> None:
    simulator.place_card(SAMPLES["J"])
    device.start()
    recorder.wait_count(CardRead, 1)
    device.request_read()
    assert recorder.wait_count(CardRead, 2)[1].card == SAMPLES["J"]
    simulator.remove_card()
    recorder.wait_count(CardRemoved, 1)
    device.request_read()
    [failure] = recorder.wait_count(CardReadFailed, 1)
    assert failure.error.code == "find_failed" and failure.error.kind.value == "no_card"


def test_fingerprint_variant(bus: EventBus, simulator: ReaderSimulator,
                             recorder: Recorder) -> None:
    simulator.place_card(SAMPLES["resident-minority"])
    reader = _device(bus, simulator.port, read_fingerprint=True)
    reader.start()
    try:
        [read] = recorder.wait_count(CardRead, 1)
    finally:
        reader.stop()
    assert read.fingerprint is not None and len(read.fingerprint) == 1024
    assert read.card.nation == "蒙古"
    assert "read_text_photo_fingerprint" in simulator.stats.commands


def test_line_noise_is_survived(simulator: ReaderSimulator, device: IdCardReaderDevice,
                                recorder: Recorder) -> None:
    simulator.set_fault("noise")
    simulator.place_card(SAMPLES["I"])
    device.start()
    [read] = recorder.wait_count(CardRead, 1, timeout=20)
    assert read.card == SAMPLES["I"]
    assert not recorder.of(CardReadFailed)


def test_bad_checksum_is_retried(simulator: ReaderSimulator, device: IdCardReaderDevice,
                                 recorder: Recorder) -> None:
    simulator.set_fault("badsum")
    simulator.place_card(SAMPLES["resident-male"])
    device.start()
    [read] = recorder.wait_count(CardRead, 1)
    assert read.card == SAMPLES["resident-male"]
    assert simulator.stats.commands.count("read_text_photo") == 2  # first answer corrupted
    assert not recorder.of(CardReadFailed)


def test_card_pulled_mid_read(simulator: ReaderSimulator, device: IdCardReaderDevice,
                              recorder: Recorder) -> None:
    simulator.set_fault("pull")
    simulator.place_card(SAMPLES["expired"])
    device.start()
    [failure] = recorder.wait_count(CardReadFailed, 1)
    assert failure.error.code == "card_removed" and failure.error.kind.value == "card"
    assert failure.error.message_zh == "读取过程中证件被移开。"
    recorder.wait_count(CardRemoved, 1)
    [read] = recorder.wait_count(CardRead, 1)  # the card came back (after 0.4 s)
    assert read.card == SAMPLES["expired"]
    assert [r.code for r in read.validations if not r.ok] == ["expired"]


def test_sam_error_then_recovery(simulator: ReaderSimulator, device: IdCardReaderDevice,
                                 recorder: Recorder) -> None:
    simulator.set_fault("samerr")
    simulator.place_card(SAMPLES["resident"])
    device.start()
    error = recorder.wait_state(DeviceState.ERROR)
    assert "SAM" in error.status.detail
    recorder.settle(0.3)
    assert not recorder.of(CardRead)
    [problem] = recorder.of(ReaderProblem)  # once, not on every retry
    assert problem.error.code == "sam_self_test_failed" and problem.error.kind.value == "sam"
    assert "reset_sam" in simulator.stats.commands
    simulator.set_fault(None)
    recorder.wait_state(DeviceState.READY)
    recorder.wait_count(CardRead, 1)


def test_card_found_but_never_selected_is_reported_once(
    simulator: ReaderSimulator, device: IdCardReaderDevice, recorder: Recorder
) -> None:
    simulator.set_fault("noselect")
    simulator.place_card(SAMPLES["resident"])
    device.start()
    [failure] = recorder.wait_count(CardReadFailed, 1)
    assert failure.error.code == "select_failed"
    recorder.settle(0.4)
    assert len(recorder.of(CardReadFailed)) == 1 and not recorder.of(CardRead)


def test_unplug_and_replug_reopens_the_port(
    simulator: ReaderSimulator, device: IdCardReaderDevice, recorder: Recorder
) -> None:
    simulator.place_card(SAMPLES["resident"])
    device.start()
    recorder.wait_count(CardRead, 1)
    simulator.unplug()
    absent = recorder.wait_state(DeviceState.ABSENT)
    assert absent.status.detail
    assert {p.error.code for p in recorder.wait_count(ReaderProblem, 1)} <= {
        "disconnected", "reader_absent"}
    assert not Path(simulator.port).exists()
    simulator.replug()
    recorder.wait(lambda: recorder.of(DeviceStatusEvent)[-1].status.state is DeviceState.READY
                  or len(recorder.of(CardRead)) >= 2)
    reads = recorder.wait_count(CardRead, 2)  # the card in the field is read after reopening
    assert reads[-1].card == SAMPLES["resident"]


def test_discovery_probes_ports_until_a_reader_answers(
    bus: EventBus, simulator: ReaderSimulator, recorder: Recorder, tmp_path: Path
) -> None:
    simulator.place_card(SAMPLES["resident"])
    silent_master, silent_slave = os.openpty()  # a serial port where nothing answers
    missing = str(tmp_path / "ttyMISSING")
    candidates = [missing, os.ttyname(silent_slave), simulator.port]
    reader = IdCardReaderDevice(bus, discover=lambda: candidates,
                                poll_interval_s=0.05, timeout_s=1.0, reconnect_interval_s=0.1)
    reader.start()
    try:
        recorder.wait_count(CardRead, 1)
    finally:
        reader.stop()
        os.close(silent_master)
        os.close(silent_slave)
    assert reader.port_name == simulator.port


def test_stop_releases_the_port(simulator: ReaderSimulator, device: IdCardReaderDevice,
                                recorder: Recorder) -> None:
    device.start()
    recorder.wait_state(DeviceState.READY)
    device.stop()
    count = len(simulator.stats.commands)
    time.sleep(0.3)
    assert len(simulator.stats.commands) == count  # no more polling

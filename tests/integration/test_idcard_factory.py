"""devices.idcard.factory.create as the DeviceManager calls it."""

from __future__ import annotations

import threading
from pathlib import Path

from devices.idcard import factory
from devices.idcard.events import CardRead
from devices.idcard.simulator import ReaderSimulator
from station.config import load_settings
from station.demo import demo_person
from station.events import DeviceState, DeviceStatusEvent, EventBus
from station.identity.samples import SAMPLES


def _wait(condition, timeout: float = 10.0) -> None:
    done = threading.Event()
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        done.wait(0.05)
    raise AssertionError("condition not met in time")


def test_demo_mode_runs_a_simulator_and_reads_its_card(settings) -> None:
    bus = EventBus()
    reads: list[CardRead] = []
    bus.subscribe(CardRead, reads.append)
    device = factory.create(settings, bus)
    simulator = device.simulator
    assert isinstance(simulator, ReaderSimulator)
    device.start()
    try:
        _wait(lambda: reads)
        assert reads[0].card == demo_person().card()  # the simulated person at the camera
        assert device.status.simulated and device.status.state is DeviceState.READY
        simulator.place_card(SAMPLES["I"])  # demo controls: change the card
        _wait(lambda: len(reads) >= 2)
        assert reads[-1].card == SAMPLES["I"]
    finally:
        device.stop()
    assert not simulator.running  # the device owns its simulator and stopped it


def test_configured_port_uses_it(tmp_path: Path) -> None:
    with ReaderSimulator(SAMPLES["J"], read_delay_s=0.01) as simulator:
        settings = load_settings(environ={
            "STATION__DEVICES__IDCARD__PORT": simulator.port,
            "STATION__STORAGE__DATA_DIR": str(tmp_path),
        })
        bus = EventBus()
        reads: list[CardRead] = []
        bus.subscribe(CardRead, reads.append)
        device = factory.create(settings, bus)
        assert device.simulator is None
        device.start()
        try:
            _wait(lambda: reads)
        finally:
            device.stop()
        assert reads[0].card == SAMPLES["J"] and reads[0].port == simulator.port


def test_no_port_and_no_reader_reports_absent(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(factory, "discover_ports", lambda: [])
    settings = load_settings(environ={"STATION__STORAGE__DATA_DIR": str(tmp_path)})
    bus = EventBus()
    states: list[DeviceState] = []
    bus.subscribe(DeviceStatusEvent, lambda e: states.append(e.status.state))
    device = factory.create(settings, bus)
    device.start()
    try:
        _wait(lambda: DeviceState.ABSENT in states)
    finally:
        device.stop()

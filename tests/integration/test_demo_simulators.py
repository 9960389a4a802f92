"""The demo's simulators as the station's real drivers see them: the reader factory on a demo
station (and nowhere else) decodes the simulated person's chip photo; a card can carry its own
fault; the simulated person's camera is live, compliant, and can be unplugged."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from devices.base import DeviceDisconnected
from devices.camera.device import CameraDevice
from devices.camera.simulator import SimulatedPersonCamera, counter_scene
from devices.idcard import factory
from devices.idcard.events import CardRead, CardReadFailed
from devices.idcard.simphoto import encode_chip_photo
from devices.idcard.simulator import ReaderSimulator
from devices.idcard.worker import IdCardReaderDevice
from station.config import load_settings
from station.demo import demo_person
from station.events import DeviceState, EventBus
from station.identity.chip_photo import PhotoStatus
from tests.integration.test_idcard_reader import Recorder


@pytest.fixture
def reader_on_demo_station(tmp_path: Path) -> Iterator[tuple[IdCardReaderDevice, Recorder]]:
    bus = EventBus()
    recorder = Recorder(bus)
    settings = load_settings(profiles=("demo",), environ={"STATION__STORAGE__DATA_DIR": str(tmp_path)})
    device = factory.create(settings, bus)
    device.start()
    yield device, recorder
    device.stop()


def test_demo_reader_serves_the_simulated_person_with_a_decoded_photo(reader_on_demo_station) -> None:  # type: ignore[no-untyped-def]
    _device, recorder = reader_on_demo_station
    read = recorder.wait_count(CardRead, 1, timeout=20)[0]
    assert read.card == demo_person().card()
    assert read.photo.status is PhotoStatus.SIMULATED and read.photo.bmp


def test_no_demo_decoder_off_a_demo_station(tmp_path: Path) -> None:
    bus = EventBus()
    recorder = Recorder(bus)
    # simulated devices without the demo profile: the sample card, no stand-in decoder
    settings = load_settings(environ={"STATION__DEVICES__SIMULATE": "true",
                                      "STATION__STORAGE__DATA_DIR": str(tmp_path)})
    device = factory.create(settings, bus)
    assert device.photo_stand_in is None
    assert device.simulator is not None
    person = demo_person()  # even a simulated photo is not decoded there
    device.simulator.place_card(person.card(), encode_chip_photo(person.chip_image))
    device.start()
    try:
        read = recorder.wait_count(CardRead, 1, timeout=20)[0]
        assert read.photo.status is PhotoStatus.DECODER_NOT_CONFIGURED
    finally:
        device.stop()
    # a demo station with a real reader configured: no stand-in either
    demo_with_port = load_settings(profiles=("demo",), environ={
        "STATION__DEVICES__IDCARD__PORT": "/dev/ttyUSB9", "STATION__STORAGE__DATA_DIR": str(tmp_path)})
    real = factory.create(demo_with_port, EventBus())
    assert real.photo_stand_in is None and real.simulator is None


def test_a_card_with_its_own_faults() -> None:
    bus = EventBus()
    recorder = Recorder(bus)
    person = demo_person()
    photo = encode_chip_photo(person.chip_image)
    with ReaderSimulator(read_delay_s=0.05, pull_return_after_s=0.5, swap_gap_s=0.2) as sim:
        sim.place_card(person.card(), photo, fault="readfail")
        device = IdCardReaderDevice(bus, port=sim.port, poll_interval_s=0.05)
        device.start()
        try:
            failed = recorder.wait_count(CardReadFailed, 1)[0]
            assert failed.error.code == "sam_auth_card_failed"
            sim.place_card(person.card("expired"), photo, fault="pull")  # pulled mid-read
            removed = recorder.wait_count(CardReadFailed, 2)[1]
            assert removed.error.code == "card_removed"
            read = recorder.wait_count(CardRead, 1)[0]  # put back: read this time
            assert read.card == person.card("expired")
            assert not next(r for r in read.validations if r.check == "validity").ok
        finally:
            device.stop()
        with pytest.raises(ValueError, match="card fault"):
            sim.place_card(person.card(), photo, fault="noise")


def _camera() -> SimulatedPersonCamera:
    person = demo_person()
    return SimulatedPersonCamera(counter_scene(person.portrait, person.camera_head), fps=30)


def test_the_simulated_person_moves_and_every_frame_has_its_own_noise() -> None:
    camera = _camera()
    granted = camera.open()
    assert (granted.width, granted.height, granted.fps) == (1280, 720, 30)
    frames = [camera.read() for _ in range(60)]  # two seconds
    assert all(f.shape == (720, 1280, 3) and f.dtype == np.uint8 for f in frames)
    backdrop = [f[10:60, 10:60].astype(float) for f in frames[:2]]
    assert 0.8 < float(np.std(backdrop[0] - backdrop[1])) < 6  # fresh sensor noise each frame

    def head_x(frame: np.ndarray) -> float:  # centre of the dark hair row band
        band = frame[150:200].min(axis=2) < 80
        return float(np.nonzero(band)[1].mean())

    xs = [head_x(f) for f in frames]
    assert 1.0 < max(xs) - min(xs) < 20  # a few pixels of sway, never a jump


def test_demo_frames_pass_both_photo_profiles_in_capture_mode() -> None:
    from station.photo.analysis import PhotoAnalyser

    camera = _camera()
    camera.open()
    frames = [camera.read() for _ in range(45)][::9]
    with PhotoAnalyser(video=True) as analyser:
        for profile in ("icao-9303", "cn-driving-licence"):
            for frame in frames:
                report = analyser.analyse(frame, profile, mode="capture")
                assert report.compliant, (profile, [c.name for c in report.checks if not c.passed])


def test_camera_unplug_and_replug_through_the_real_worker() -> None:
    bus = EventBus()
    recorder = Recorder(bus)
    camera = _camera()
    device = CameraDevice(camera, bus, retry_interval=0.1)
    device.start()
    try:
        recorder.wait_state(DeviceState.READY)
        camera.unplug()
        assert recorder.wait_state(DeviceState.ABSENT).status.simulated
        with pytest.raises(DeviceDisconnected):
            camera.open()
        delivered = device.frames_delivered
        time.sleep(0.3)
        assert device.frames_delivered == delivered  # no picture while unplugged
        recorder.events.clear()
        camera.replug()
        recorder.wait_state(DeviceState.READY)
        recorder.wait(lambda: device.frames_delivered > delivered + 3)
    finally:
        device.stop()

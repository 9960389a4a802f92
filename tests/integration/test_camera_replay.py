"""Camera device over replay sources: still folders, a real video file, unplug and replug."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.base import Camera
from devices.camera import (
    CameraDevice,
    Frame,
    LatestFrame,
    OpenCVCamera,
    StillImagesSource,
    VideoFileSource,
)
from devices.camera.factory import create
from station.events import DeviceState, DeviceStatusEvent, EventBus

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def english():  # type: ignore[no-untyped-def]
    """The status details in English (they follow the interface's language)."""
    from station import i18n

    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


def _wait(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def _still_folder(tmp_path: Path, count: int = 2) -> Path:
    folder = tmp_path / "stills"
    folder.mkdir()
    for i in range(count):
        image = np.full((720, 1280, 3), 40 * (i + 1), np.uint8)
        cv2.putText(image, str(i), (600, 400), cv2.FONT_HERSHEY_SIMPLEX, 4, (255, 255, 255), 8)
        cv2.imwrite(str(folder / f"{i:02d}.png"), image)
    return folder


class Recorder:
    def __init__(self, bus: EventBus) -> None:
        self.states: list[DeviceState] = []
        bus.subscribe(DeviceStatusEvent, lambda e: self.states.append(e.status.state))


def test_still_folder_streams_at_its_rate_and_reports_the_format(tmp_path):
    bus = EventBus()
    recorder = Recorder(bus)
    device = CameraDevice(StillImagesSource(_still_folder(tmp_path), fps=20.0), bus)
    assert isinstance(device, Camera)
    frames: list[Frame] = []
    device.subscribe_frames(frames.append)
    device.start()
    try:
        assert _wait(lambda: len(frames) >= 20)
        assert device.status.state == DeviceState.READY
        assert "1280x720" in device.status.detail and device.status.simulated
        assert device.granted is not None and device.granted.fps == 20.0
        span = frames[19].timestamp - frames[0].timestamp
        assert span > 0.8  # 19 intervals at 20 fps: paced, not as fast as possible
        assert [f.sequence for f in frames[:20]] == list(range(20))
        assert frames[0].image.shape == (720, 1280, 3)
    finally:
        device.stop()
    assert recorder.states[:2] == [DeviceState.CONNECTING, DeviceState.READY]
    assert device.status.state == DeviceState.DISABLED


def test_slow_consumer_gets_only_the_newest_frame(tmp_path):
    device = CameraDevice(StillImagesSource(_still_folder(tmp_path), fps=60.0))
    slot = LatestFrame()
    device.subscribe_frames(slot.put)
    device.start()
    seen: list[int] = []
    try:
        for _ in range(4):
            frame = slot.take(timeout=2.0)
            assert frame is not None
            seen.append(frame.sequence)
            time.sleep(0.2)  # a slow consumer: ~12 frames arrive meanwhile
        newest = slot.peek()
    finally:
        device.stop()
    assert all(b - a > 3 for a, b in itertools.pairwise(seen))  # stale ones skipped
    assert slot.dropped > 20
    assert newest is not None and newest.sequence >= seen[-1]


@pytest.mark.error_logs_expected(r"frame subscriber failed")
def test_unsubscribe_and_a_failing_subscriber_do_not_stop_the_camera(tmp_path):
    device = CameraDevice(StillImagesSource(_still_folder(tmp_path), fps=50.0))
    good: list[Frame] = []

    def broken(_: Frame) -> None:
        raise RuntimeError("consumer bug")

    device.subscribe_frames(broken)
    unsubscribe = device.subscribe_frames(good.append)
    device.start()
    try:
        assert _wait(lambda: len(good) >= 5)
        unsubscribe()
        count = len(good)
        time.sleep(0.2)
        assert len(good) == count
        assert device.status.state == DeviceState.READY
    finally:
        device.stop()


def test_video_file_replay(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 25.0, (640, 360))
    assert writer.isOpened()
    for i in range(10):
        frame = np.zeros((360, 640, 3), np.uint8)
        frame[:, : 64 * (i + 1)] = (0, 200, 0)
        writer.write(frame)
    writer.release()
    device = CameraDevice(VideoFileSource(path))
    frames: list[Frame] = []
    device.subscribe_frames(frames.append)
    device.start()
    try:
        assert _wait(lambda: len(frames) >= 15)  # more than the clip: it loops
    finally:
        device.stop()
    assert device.granted is not None
    assert (device.granted.width, device.granted.height) == (640, 360)
    assert device.granted.fps == pytest.approx(25.0)
    green = [float(f.image[:, :, 1].mean()) for f in frames[:12]]
    assert green[0] < green[5]  # the clip's content really plays
    assert green[10] < green[9]  # and starts over


def test_unplug_goes_absent_and_recovers(tmp_path, english):
    folder = _still_folder(tmp_path)
    bus = EventBus()
    recorder = Recorder(bus)
    device = CameraDevice(StillImagesSource(folder, fps=30.0), bus, retry_interval=0.1)
    frames: list[Frame] = []
    device.subscribe_frames(frames.append)
    device.start()
    try:
        assert _wait(lambda: device.status.state == DeviceState.READY)
        hidden = tmp_path / "unplugged"
        folder.rename(hidden)  # the source vanishes
        assert _wait(lambda: device.status.state == DeviceState.ABSENT)
        assert "vanished" in device.status.detail or "no images" in device.status.detail
        count = len(frames)
        time.sleep(0.3)
        assert len(frames) == count  # no frames while absent
        hidden.rename(folder)  # plugged back in
        assert _wait(lambda: device.status.state == DeviceState.READY)
        assert _wait(lambda: len(frames) > count + 5)
    finally:
        device.stop()
    assert DeviceState.ABSENT in recorder.states
    absent_at = recorder.states.index(DeviceState.ABSENT)
    assert DeviceState.READY in recorder.states[absent_at:]


def test_missing_webcam_is_absent_not_a_crash(tmp_path, english):
    device = CameraDevice(OpenCVCamera(device=str(tmp_path / "video9")), retry_interval=0.1)
    device.start()
    try:
        assert _wait(lambda: device.status.state == DeviceState.ABSENT)
        assert "not found" in device.status.detail
    finally:
        device.stop()


def _first_frame(device: CameraDevice) -> np.ndarray:
    frames: list[Frame] = []
    done = threading.Event()
    device.subscribe_frames(lambda f: (frames.append(f), done.set()))
    device.start()
    try:
        assert done.wait(5.0)
    finally:
        device.stop()
    return frames[0].image


def test_factory_demo_mode_shows_the_simulated_person(settings):
    from devices.camera.simulator import SimulatedPersonCamera

    assert settings.devices.simulate and settings.demo
    device = create(settings, EventBus())
    assert isinstance(device.source, SimulatedPersonCamera)
    image = _first_frame(device)
    assert image.shape == (720, 1280, 3)
    assert device.status.simulated
    # a white backdrop with sensor noise, the person in the middle
    assert 0.5 < image[:200, :100].std() < 4.0 and image[:, 640].std() > 20


def test_factory_simulated_devices_without_the_demo_use_the_astronaut(tmp_path):
    from station.config import load_settings

    settings = load_settings(environ={"STATION__DEVICES__SIMULATE": "true",
                                      "STATION__STORAGE__DATA_DIR": str(tmp_path)})
    image = _first_frame(create(settings, EventBus()))
    assert image[:, :100].std() < 1.0 and image[:, 640].std() > 20  # portrait on a plain canvas


def test_factory_replay_setting(settings, tmp_path):
    folder = _still_folder(tmp_path, count=1)
    settings.devices.camera.replay = [folder]
    device = create(settings, EventBus())
    assert isinstance(device, CameraDevice)
    assert str(folder) in device.status.name


def test_probe_cli_on_a_replay(tmp_path):
    folder = _still_folder(tmp_path, count=1)
    result = subprocess.run(
        [sys.executable, "-m", "devices.camera", "probe", "--replay", str(folder),
         "--fps", "30", "--frames", "10"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["granted"]["width"] == 1280 and report["frames"] == 10
    assert 0 < report["measured_fps"] < 40  # paced to the requested rate

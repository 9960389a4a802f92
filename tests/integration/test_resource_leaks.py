"""Open and close the serial port and the camera a thousand times: file descriptors, threads
and memory stay flat (a station runs for months without a restart)."""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path

import cv2
import numpy as np
import serial

from devices.camera.sources import VideoFileSource
from devices.idcard.session import ReaderSession
from devices.idcard.simulator import ReaderSimulator

CYCLES = 1000


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_serial_port_open_command_close_a_thousand_times() -> None:
    simulator = ReaderSimulator().start()
    try:
        def cycle() -> None:
            port = serial.Serial(simulator.port, 115200, timeout=0.02, write_timeout=5)
            try:
                ReaderSession(port, timeout_s=2).reset_sam()
            finally:
                port.close()

        for _ in range(50):  # warm up allocators and caches
            cycle()
        gc.collect()
        fds, threads, rss = open_fds(), threading.active_count(), rss_kib()
        for _ in range(CYCLES):
            cycle()
        gc.collect()
        assert open_fds() == fds
        assert threading.active_count() == threads
        assert rss_kib() - rss < 4 * 1024, "memory grew by more than 4 MiB over 1000 cycles"
    finally:
        simulator.stop()


def test_camera_source_open_read_close_a_thousand_times(tmp_path: Path) -> None:
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (320, 240))
    for i in range(5):
        writer.write(np.full((240, 320, 3), 40 * i, np.uint8))
    writer.release()

    def cycle() -> None:
        source = VideoFileSource(video)
        source.open()
        try:
            assert source.read().shape == (240, 320, 3)
        finally:
            source.close()

    for _ in range(50):
        cycle()
    gc.collect()
    fds, threads, rss = open_fds(), threading.active_count(), rss_kib()
    for _ in range(CYCLES):
        cycle()
    gc.collect()
    assert open_fds() == fds
    assert threading.active_count() == threads
    assert rss_kib() - rss < 8 * 1024, "memory grew by more than 8 MiB over 1000 cycles"

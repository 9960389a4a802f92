"""One capture from a serial pad, as plain data (used by the CLI and by tests)."""

from __future__ import annotations

import threading
import time
from typing import Any

from devices.base import DeviceError
from devices.sigpad.driver import SerialPenPad
from devices.sigpad.events import PadInfo, StrokeFinished
from station.events import DeviceState, DeviceStatusEvent, EventBus
from station.i18n import both


def capture(
    port: str,
    protocol: str = "isdv4",
    seconds: float = 5.0,
    baud: int | None = None,
    connect_timeout_s: float = 4.0,
) -> dict[str, Any]:
    """Connect, sample for ``seconds``, return {"device": ..., "strokes": [[point, ...]]}.

    Raises DeviceError("no_answer") when the pad does not come up within connect_timeout_s.
    """
    bus = EventBus()
    ready = threading.Event()
    settled = threading.Event()  # ready, or the first attempt failed (all baud rates tried)
    strokes: list[StrokeFinished] = []
    infos: list[PadInfo] = []

    def on_status(event: DeviceStatusEvent) -> None:
        if event.status.state in (DeviceState.READY, DeviceState.BUSY):
            ready.set()
            settled.set()
        elif event.status.state in (DeviceState.ERROR, DeviceState.ABSENT):
            settled.set()

    bus.subscribe(DeviceStatusEvent, on_status)
    bus.subscribe(StrokeFinished, strokes.append)
    bus.subscribe(PadInfo, infos.append)
    pad = SerialPenPad(port, bus, protocol=protocol, baud=baud)
    pad.start()
    try:
        settled.wait(connect_timeout_s)
        if not ready.is_set():
            cause = pad.last_error
            text = both("SignaturePad", "The signature pad did not answer on {port}.")
            raise DeviceError(
                "no_answer",
                text["en"].format(port=port) + (f" {cause.message_en}" if cause else ""),
                text["zh"].format(port=port) + (f" {cause.message_zh}" if cause else ""),
            )
        pad.begin_capture()
        time.sleep(seconds)
        pad.end_capture()
        time.sleep(0.1)  # let the worker send "0" and close the last stroke
    finally:
        pad.stop()
    info = infos[-1] if infos else None
    points = [point for stroke in strokes for point in stroke.points]
    t0 = points[0].t_ns if points else 0
    return {
        "device": {
            "max_x": info.max_x if info else 0,
            "max_y": info.max_y if info else 0,
            "max_pressure": info.max_pressure if info else 0,
            "version": info.version if info else 0,
        },
        "strokes": [
            [
                {
                    "x": p.x, "y": p.y, "p": p.pressure,
                    "t_ms": round((p.t_ns - t0) / 1e6, 3),
                    "tilt_x": p.tilt_x, "tilt_y": p.tilt_y,
                }
                for p in stroke.points
            ]
            for stroke in strokes
        ],
    }

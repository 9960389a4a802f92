"""Events the signature pad driver publishes on the station's EventBus (any thread).

The UI's signature widget receives them through a Qt bridge (ui/signature_widget.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from station.events import Event
from station.signature.model import InputDevice, PenPoint


@dataclass(frozen=True, kw_only=True)
class PadInfo(Event):
    """The pad answered its query: what its units mean. Published on every (re)connect."""

    protocol: str  # "isdv4" | "topaz"
    port: str
    baud: int
    max_x: int
    max_y: int
    max_pressure: int
    max_tilt_x: int = 0
    max_tilt_y: int = 0
    version: int = 0
    simulated: bool = False

    def input_device(self) -> InputDevice:
        return InputDevice(
            source=self.protocol, max_x=self.max_x, max_y=self.max_y,
            max_pressure=self.max_pressure, max_tilt_x=self.max_tilt_x,
            max_tilt_y=self.max_tilt_y, version=self.version, name=self.port,
        )


@dataclass(frozen=True, kw_only=True)
class PenSample(Event):
    """One pen report during a capture, in device units, stamped on arrival."""

    x: int
    y: int
    pressure: int
    tip: bool
    in_proximity: bool
    t_ns: int  # time.monotonic_ns() when the packet was decoded
    tilt_x: int = 0
    tilt_y: int = 0
    side_switch: bool = False
    eraser: bool = False


@dataclass(frozen=True, kw_only=True)
class StrokeFinished(Event):
    """A pen-down run ended (tip lifted, pen left, or the pad was lost mid-stroke)."""

    index: int  # 0-based within the current capture
    points: tuple[PenPoint, ...]


@dataclass(frozen=True, kw_only=True)
class CaptureStateChanged(Event):
    """Sampling started (begin_capture) or stopped (end_capture)."""

    capturing: bool

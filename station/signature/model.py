"""The stroke model shared by every input path (serial pad, OS tablet, touch, mouse).

Points are integers in the input device's units with a monotonic timestamp; the device says
what those units mean (its maxima), so quality rules and rendering work the same for a
65535-unit ISDV4 pad and a canvas measured in tenths of a pixel.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PenPoint:
    x: int
    y: int
    pressure: int  # 0..device.max_pressure (device without pressure: max_pressure 0)
    t_ns: int  # monotonic nanoseconds (a record stores them relative to its first point)
    tilt_x: int = 0
    tilt_y: int = 0


@dataclass(frozen=True)
class InputDevice:
    """What produced the points and the ranges of its units."""

    source: str  # "isdv4" | "topaz" | "tablet" | "touch" | "mouse"
    max_x: int
    max_y: int
    max_pressure: int = 0  # 0: no pressure (mouse, touch, Topaz)
    max_tilt_x: int = 0
    max_tilt_y: int = 0
    version: int = 0
    name: str = ""

    @property
    def has_pressure(self) -> bool:
        return self.max_pressure > 0


Stroke = tuple[PenPoint, ...]


@dataclass(frozen=True)
class SignatureData:
    """A finished capture: one stroke per pen-down run."""

    device: InputDevice
    strokes: tuple[Stroke, ...]

    @property
    def point_count(self) -> int:
        return sum(len(s) for s in self.strokes)

    @property
    def stroke_count(self) -> int:
        return len(self.strokes)

    def points(self) -> list[PenPoint]:
        return [p for stroke in self.strokes for p in stroke]

    def bounds(self) -> tuple[int, int, int, int] | None:
        """(min_x, min_y, max_x, max_y) of the ink, or None without points."""
        pts = self.points()
        if not pts:
            return None
        xs = [p.x for p in pts]
        ys = [p.y for p in pts]
        return min(xs), min(ys), max(xs), max(ys)

    def extent_fraction(self) -> tuple[float, float]:
        """Width and height of the ink as fractions of the device's width and height."""
        box = self.bounds()
        if box is None:
            return 0.0, 0.0
        return (
            (box[2] - box[0]) / max(1, self.device.max_x),
            (box[3] - box[1]) / max(1, self.device.max_y),
        )

    @property
    def duration_ms(self) -> float:
        pts = self.points()
        if len(pts) < 2:
            return 0.0
        return (pts[-1].t_ns - pts[0].t_ns) / 1e6

    def relative_time(self) -> SignatureData:
        """The same strokes with time relative to the first point, in whole microseconds
        (what a record stores), so a record round-trips exactly."""
        pts = self.points()
        if not pts:
            return self
        t0 = pts[0].t_ns
        return SignatureData(
            self.device,
            tuple(
                tuple(
                    PenPoint(
                        p.x, p.y, p.pressure, (max(0, p.t_ns - t0) // 1000) * 1000,
                        p.tilt_x, p.tilt_y,
                    )
                    for p in stroke
                )
                for stroke in self.strokes
            ),
        )


class StrokeChange(enum.Enum):
    NONE = "none"  # hover or ignored sample
    STARTED = "started"
    EXTENDED = "extended"
    FINISHED = "finished"


@dataclass
class StrokeBuilder:
    """Turns a stream of pen samples into strokes: a stroke is one pen-down (tip) run.

    Not thread-safe: feed it from one thread (the device thread, or the GUI thread).
    """

    device: InputDevice
    _finished: list[Stroke] = field(default_factory=list)
    _current: list[PenPoint] = field(default_factory=list)
    last_activity_ns: int | None = None

    def add(
        self,
        x: int,
        y: int,
        pressure: int,
        tip: bool,
        t_ns: int,
        tilt_x: int = 0,
        tilt_y: int = 0,
    ) -> StrokeChange:
        if not tip:
            return self.pen_up(t_ns)
        self.last_activity_ns = t_ns
        point = PenPoint(int(x), int(y), int(pressure), int(t_ns), int(tilt_x), int(tilt_y))
        if self._current and self._current[-1] == point:
            return StrokeChange.NONE  # duplicate report (e.g. a mouse and a tablet echo)
        self._current.append(point)
        return StrokeChange.STARTED if len(self._current) == 1 else StrokeChange.EXTENDED

    def pen_up(self, t_ns: int | None = None) -> StrokeChange:
        """End the stroke in progress (tip lifted, pen left proximity, device lost)."""
        if not self._current:
            return StrokeChange.NONE
        self._finished.append(tuple(self._current))
        self._current = []
        if t_ns is not None:
            self.last_activity_ns = t_ns
        return StrokeChange.FINISHED

    def discard_current(self) -> int:
        """Drop the stroke in progress (the pad was lost mid-stroke: the stroke is not what
        the signer drew to its end); returns how many points were dropped."""
        dropped = len(self._current)
        self._current = []
        return dropped

    def clear(self) -> None:
        self._finished.clear()
        self._current.clear()
        self.last_activity_ns = None

    @property
    def pen_down(self) -> bool:
        return bool(self._current)

    @property
    def last_finished(self) -> Stroke | None:
        return self._finished[-1] if self._finished else None

    @property
    def current(self) -> Stroke:
        return tuple(self._current)

    def strokes(self, include_current: bool = True) -> tuple[Stroke, ...]:
        done = tuple(self._finished)
        return (*done, tuple(self._current)) if include_current and self._current else done

    def snapshot(self) -> SignatureData:
        return SignatureData(self.device, self.strokes())

"""What every device driver offers the rest of the station.

A driver owns one worker thread (all its I/O happens there), connects, reports its state,
reconnects by itself after an unplug, and publishes what it reads as core events on the
station's EventBus. The UI never calls a driver's I/O directly.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from station.events import DeviceStatus


class DeviceError(RuntimeError):
    """A device failure with a message an operator can act on.

    ``code`` is stable (for logs and tests); ``message_zh`` / ``message_en`` are for people.
    """

    def __init__(self, code: str, message_en: str, message_zh: str = "") -> None:
        super().__init__(message_en)
        self.code = code
        self.message_en = message_en
        self.message_zh = message_zh or message_en


class DeviceDisconnected(DeviceError):
    """The port or device went away (unplugged, closed); the worker will reconnect."""


@runtime_checkable
class Device(Protocol):
    """Lifecycle shared by IdCardReader, Camera and SignaturePad drivers."""

    kind: str

    def start(self) -> None:
        """Start the worker thread (connects, then reconnects as needed). Returns at once."""

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the worker and release the device."""

    @property
    def status(self) -> DeviceStatus: ...


@runtime_checkable
class IdCardReader(Device, Protocol):
    """GA 467 (SAMV) identity-card reader. Publishes card placed / removed events."""

    def request_read(self) -> None:
        """Ask for a fresh read of the card in the field (e.g. after the clerk pressed Retry)."""


@runtime_checkable
class Camera(Device, Protocol):
    """A frame source. Frames go to subscribers on the camera's thread; slow consumers must
    drop frames rather than queue them."""

    def subscribe_frames(self, callback: object) -> object:
        """Register ``callback(frame)``; returns an unsubscribe callable."""


@runtime_checkable
class SignaturePad(Device, Protocol):
    """A pen input device. Publishes pen samples / strokes as events."""

    def begin_capture(self) -> None: ...

    def end_capture(self) -> None: ...

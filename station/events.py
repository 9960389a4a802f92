"""Plain-Python events out of the core.

Publishers call ``bus.publish(event)`` from any thread. Subscribers are plain callables; the UI
subscribes through one Qt adapter (ui/event_bridge.py) that re-emits each event as a Qt signal
so its handlers run on the GUI thread.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every core event; ``at`` is when it happened (UTC)."""

    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class DeviceState(enum.StrEnum):
    ABSENT = "absent"  # not found / unplugged; the driver keeps looking
    CONNECTING = "connecting"
    READY = "ready"
    BUSY = "busy"  # reading, capturing
    ERROR = "error"  # present but failing; detail says what to do
    DISABLED = "disabled"  # not configured for this station


@dataclass(frozen=True)
class DeviceStatus:
    """A device's (or the central link's) state, as the status bar and the sync worker see it."""

    kind: str  # "idcard" | "camera" | "sigpad" | "emrtd" (passport reader) | "central"
    state: DeviceState
    detail: str = ""
    simulated: bool = False
    name: str = ""  # port, device path, reader name


@dataclass(frozen=True, kw_only=True)
class DeviceStatusEvent(Event):
    status: DeviceStatus


@dataclass(frozen=True, kw_only=True)
class CaseChanged(Event):
    case_id: str
    state: str


@dataclass(frozen=True, kw_only=True)
class ConfigChanged(Event):
    """A new published configuration is in force (cases starting now use it); or one was
    refused (``rejected``: its version) and the previous stays."""

    version: int
    rejected: int | None = None


@dataclass(frozen=True, kw_only=True)
class OperatorsRevoked(Event):
    """The central service disabled (or removed) these operators: whoever of them is signed
    in at this station is signed out."""

    usernames: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class SyncStatusChanged(DeviceStatusEvent):
    """The central link's one status event: the outbox counts (the sync label) and, being a
    DeviceStatusEvent with ``status.kind == "central"``, the link's state (status bar)."""

    pending: int
    failed: int
    online: bool
    detail: str = ""
    # "" while the link works or is merely down; otherwise why the station cannot sync at
    # all: not_enrolled | disabled (by the central administrator) | refused (credential void)
    link: str = ""


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]


class EventBus:
    """A small thread-safe callback registry keyed by event type (subclasses included)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: list[tuple[type[Event], Handler]] = []

    def subscribe(self, event_type: type[E], handler: Callable[[E], None]) -> Callable[[], None]:
        with self._lock:
            self._handlers.append((event_type, handler))

        return lambda: self.unsubscribe(event_type, handler)

    def unsubscribe(self, event_type: type[E], handler: Callable[[E], None]) -> None:
        with self._lock:
            if (event_type, handler) in self._handlers:
                self._handlers.remove((event_type, handler))

    def publish(self, event: Event) -> None:
        with self._lock:
            targets = [h for t, h in self._handlers if isinstance(event, t)]
        for handler in targets:
            try:
                handler(event)
            except Exception:  # one bad subscriber must not silence the others
                log.exception("event handler failed for %s", type(event).__name__)

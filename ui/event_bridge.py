"""The one Qt adapter of core events: re-emits EventBus events as a Qt signal.

Core publishers may run on any thread; ``EventBridge.event`` is delivered through Qt's
queued connection, so every handler connected with ``on()`` runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from station.events import Event, EventBus

E = TypeVar("E", bound=Event)


class EventBridge(QObject):
    event = Signal(object)
    _by_bus: dict[int, EventBridge] = {}  # noqa: RUF012 - one bridge per bus, shared by pages

    @classmethod
    def for_bus(cls, bus: EventBus) -> EventBridge:
        """The bridge of ``bus`` (created on first use, on the GUI thread)."""
        bridge = cls._by_bus.get(id(bus))
        if bridge is None:
            bridge = cls(bus)
        return bridge

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = bus.subscribe(Event, self.event.emit)
        self._bus_id = id(bus)
        EventBridge._by_bus[self._bus_id] = self
        self._handlers: list[tuple[type[Event], Callable[[Any], None]]] = []
        self.event.connect(self._dispatch)

    def on(self, event_type: type[E], handler: Callable[[E], None]) -> Callable[[], None]:
        entry = (event_type, handler)
        self._handlers.append(entry)

        def off() -> None:
            if entry in self._handlers:
                self._handlers.remove(entry)

        return off

    def _dispatch(self, event: Event) -> None:
        for event_type, handler in list(self._handlers):
            if isinstance(event, event_type):
                handler(event)

    def close(self) -> None:
        if EventBridge._by_bus.get(self._bus_id) is self:
            del EventBridge._by_bus[self._bus_id]
        self._unsubscribe()
        self._handlers.clear()

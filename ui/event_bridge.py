"""The one Qt adapter of core events: EventBus events, delivered on the GUI thread.

Core publishers (device workers, the database writer, the sync worker) may run on any
thread. The bridge subscribes to every event of its bus and hands each to the GUI-thread
relay (ui/workers.post), so every handler connected with ``on()`` runs on the GUI thread, in
the order the events were published, and never inside the publisher's call. Screens
subscribe here, never to the bus itself.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import shiboken6
from PySide6.QtCore import QObject

from station.events import Event, EventBus
from ui.workers import post

E = TypeVar("E", bound=Event)


class EventBridge(QObject):
    # one bridge per bus, shared by the screens (a bus that is gone takes its bridge along)
    _by_bus: ClassVar[weakref.WeakKeyDictionary[EventBus, EventBridge]] = (
        weakref.WeakKeyDictionary())

    @classmethod
    def for_bus(cls, bus: EventBus) -> EventBridge:
        """The bridge of ``bus`` (created on first use, on the GUI thread)."""
        bridge = cls._by_bus.get(bus)
        if bridge is None or not shiboken6.isValid(bridge):
            bridge = cls(bus)
        return bridge

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # weak: the bus keeps its bridge (as a subscriber), not the other way round
        self._bus = weakref.ref(bus)
        bus.subscribe(Event, self._relay)
        EventBridge._by_bus[bus] = self
        self._handlers: list[tuple[type[Event], Callable[[Any], None]]] = []

    def _relay(self, event: Event) -> None:
        post(self._dispatch, event)  # any thread: hand over only

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
        bus = self._bus()
        if bus is not None:
            if EventBridge._by_bus.get(bus) is self:
                del EventBridge._by_bus[bus]
            bus.unsubscribe(Event, self._relay)
        self._handlers.clear()

"""DeviceManager: builds the station's devices from settings, starts them, tracks their state.

Each kind's package provides ``devices.<kind>.factory.create(settings, bus) -> Device``; the
manager owns discovery (through those factories), health (their status events) and shutdown.
"""

from __future__ import annotations

import importlib
import logging
import threading

from devices.base import Device
from station.config import Settings
from station.events import DeviceState, DeviceStatus, DeviceStatusEvent, EventBus

log = logging.getLogger(__name__)

DEVICE_KINDS = ("idcard", "camera", "sigpad", "emrtd")  # emrtd: passports and permits (PC/SC)


class DeviceManager:
    def __init__(self, settings: Settings, bus: EventBus) -> None:
        self._settings = settings
        self._bus = bus
        self._lock = threading.Lock()
        self._devices: dict[str, Device] = {}
        self._statuses: dict[str, DeviceStatus] = {
            kind: DeviceStatus(kind, DeviceState.CONNECTING) for kind in DEVICE_KINDS
        }
        bus.subscribe(DeviceStatusEvent, self._on_status)

    def _on_status(self, event: DeviceStatusEvent) -> None:
        with self._lock:
            self._statuses[event.status.kind] = event.status

    def _set(self, status: DeviceStatus) -> None:
        self._bus.publish(DeviceStatusEvent(status=status))

    def start(self) -> None:
        for kind in DEVICE_KINDS:
            try:
                factory = importlib.import_module(f"devices.{kind}.factory")
            except ModuleNotFoundError as exc:
                if exc.name != f"devices.{kind}.factory" and exc.name != f"devices.{kind}":
                    raise
                self._set(DeviceStatus(kind, DeviceState.DISABLED, "driver not installed"))
                continue
            try:
                device: Device | None = factory.create(self._settings, self._bus)
            except Exception as exc:  # a broken device must not stop the station
                log.exception("could not create the %s device", kind)
                self._set(DeviceStatus(kind, DeviceState.ERROR, str(exc)))
                continue
            if device is None:
                self._set(DeviceStatus(kind, DeviceState.DISABLED, "not configured"))
                continue
            self._devices[kind] = device
            device.start()

    def device(self, kind: str) -> Device | None:
        return self._devices.get(kind)

    def statuses(self) -> dict[str, DeviceStatus]:
        with self._lock:
            return dict(self._statuses)

    def stop(self) -> None:
        for device in self._devices.values():
            try:
                device.stop()
            except Exception:
                log.exception("stopping %s failed", device.kind)
        self._devices.clear()

"""Builds the station's signature pad from settings (called by devices.manager)."""

from __future__ import annotations

from devices.sigpad.driver import SerialPenPad
from devices.sigpad.simulator import PadSimulator
from station.config import Settings
from station.events import EventBus


def create(settings: Settings, bus: EventBus) -> SerialPenPad | None:
    """The pad to start, or None when the UI's tablet/touch path is the input.

    - ``protocol = "tablet"``: no serial device (the OS tablet driver or a touchscreen feeds
      the signature widget directly).
    - a configured port: the real driver on it.
    - demo mode without a port: the simulator on a pseudo-terminal, with the real driver.
    - otherwise: not configured (None).
    """
    pad = settings.devices.sigpad
    if pad.protocol == "tablet":
        return None
    if pad.port:
        return SerialPenPad(pad.port, bus, protocol=pad.protocol, baud=pad.baud)
    if settings.devices.simulate:
        simulator = PadSimulator(protocol=pad.protocol, baud=pad.baud)
        return SerialPenPad(None, bus, protocol=pad.protocol, baud=pad.baud, simulator=simulator)
    return None

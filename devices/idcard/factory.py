"""Builds the station's ID-card reader from settings (called by devices.manager.DeviceManager).

- a port is configured: the real reader worker on that port;
- demo mode (``devices.simulate``) and no port: an in-process simulator on a pseudo-terminal
  with a card placed, and the same worker on it (``device.simulator`` controls it). On a demo
  station (the demo profile) the reader also gets the demo decoder for the simulated cards'
  chip photos, and when the simulated person stands at the camera the card placed is theirs
  (station.demo); otherwise it is the sample card;
- otherwise: the worker probes discovered serial ports until a reader answers.
"""

from __future__ import annotations

from typing import Any

from devices.idcard.discovery import discover_ports
from devices.idcard.simphoto import DemoWltDecoder, encode_chip_photo
from devices.idcard.simulator import ReaderSimulator
from devices.idcard.worker import IdCardReaderDevice
from station.config import Settings
from station.demo import demo_person, person_at_camera
from station.events import EventBus
from station.identity.samples import sample_card

DEMO_CARD = "resident"


def create(settings: Settings, bus: EventBus) -> IdCardReaderDevice:
    config = settings.devices.idcard
    common: dict[str, Any] = {
        "baud": config.baud,
        "timeout_s": config.timeout_s,
        "poll_interval_s": config.poll_interval_s,
        "wlt_decoder_library": config.wlt_decoder_library,
    }
    if config.port:
        return IdCardReaderDevice(bus, port=config.port, **common)
    if settings.devices.simulate:
        simulator = ReaderSimulator(read_delay_s=0.3, pull_return_after_s=1.0)
        if person_at_camera(settings):
            person = demo_person()
            simulator.place_card(person.card(), encode_chip_photo(person.chip_image))
        else:
            simulator.place_card(sample_card(DEMO_CARD))
        simulator.start()
        stand_in = DemoWltDecoder() if settings.demo else None  # never on a non-demo station
        device = IdCardReaderDevice(bus, port=simulator.port, simulated=True,
                                    on_stop=simulator.stop, photo_stand_in=stand_in, **common)
        device.simulator = simulator
        return device
    return IdCardReaderDevice(bus, discover=discover_ports, **common)

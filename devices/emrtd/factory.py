"""``create(settings, bus)`` for the DeviceManager (kind "emrtd").

Reads ``settings.devices.emrtd`` (reader, csca_paths, chunk_size, use_pace) when Settings
has that section; until then the reader name and CSCA folders come from the environment
(STATION_EMRTD_READER, STATION_EMRTD_CSCA_DIR with os.pathsep between folders).
"""

from __future__ import annotations

import os
from pathlib import Path

from devices.emrtd.driver import EmrtdReader
from station.config import Settings
from station.events import EventBus


def create(settings: Settings, bus: EventBus) -> EmrtdReader:
    section = getattr(settings.devices, "emrtd", None)
    reader = getattr(section, "reader", None) or os.environ.get("STATION_EMRTD_READER") or None
    csca = getattr(section, "csca_paths", None)
    if csca is None:
        raw = os.environ.get("STATION_EMRTD_CSCA_DIR", "")
        csca = [Path(p) for p in raw.split(os.pathsep) if p]
    return EmrtdReader(
        bus, reader_name=reader, csca_paths=tuple(Path(p) for p in csca),
        chunk_size=int(getattr(section, "chunk_size", 0xDF)),
        use_pace=bool(getattr(section, "use_pace", True)),
    )

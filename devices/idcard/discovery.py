"""Finding the reader's serial port: list candidates for the admin, best guesses first."""

from __future__ import annotations

from dataclasses import dataclass

from serial.tools import list_ports

# USB ids seen on GA 467 readers. Most readers sit behind a USB-serial bridge chip, so
# the bridges are listed too (lower score: other devices use them as well).
KNOWN_READERS: dict[tuple[int, int], str] = {
    (0x0400, 0xC35A): "GA 467 reader (USB CDC)",
}
USB_SERIAL_BRIDGES: dict[tuple[int, int], str] = {
    (0x10C4, 0xEA60): "Silicon Labs CP210x",
    (0x067B, 0x2303): "Prolific PL2303",
    (0x1A86, 0x7523): "WCH CH340",
    (0x1A86, 0x55D4): "WCH CH9102",
    (0x0403, 0x6001): "FTDI FT232R",
}


@dataclass(frozen=True)
class PortCandidate:
    device: str
    description: str
    vid: int | None
    pid: int | None
    score: int  # 2 known reader, 1 USB-serial bridge, 0 other serial port
    why: str

    def to_json(self) -> dict[str, object]:
        return {
            "device": self.device,
            "description": self.description,
            "usb_id": f"{self.vid:04X}:{self.pid:04X}" if self.vid is not None else None,
            "score": self.score,
            "why": self.why,
        }


def candidate_ports(include_all: bool = True) -> list[PortCandidate]:
    """Serial ports ordered by how likely they carry an ID-card reader (for the admin to pick).

    ``include_all`` False keeps only known readers and USB-serial bridges (what automatic
    discovery probes)."""
    found: list[PortCandidate] = []
    for info in list_ports.comports():
        usb_id = (info.vid, info.pid) if info.vid is not None and info.pid is not None else None
        if usb_id in KNOWN_READERS:
            score, why = 2, KNOWN_READERS[usb_id]
        elif usb_id in USB_SERIAL_BRIDGES:
            score, why = 1, USB_SERIAL_BRIDGES[usb_id]
        elif info.device.startswith(("/dev/ttyACM", "/dev/ttyUSB")):
            score, why = 1, "USB serial port"
        else:
            score, why = 0, "serial port"
        if score or include_all:
            found.append(PortCandidate(info.device, info.description or "", info.vid, info.pid,
                                       score, why))
    found.sort(key=lambda c: (-c.score, c.device))
    return found


def discover_ports() -> list[str]:
    """Ports automatic discovery should probe (asking each for its SAM id)."""
    return [candidate.device for candidate in candidate_ports(include_all=False)]

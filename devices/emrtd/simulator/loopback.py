"""A transport that hands APDUs straight to a VirtualPassport (unit tests, offline demo).

It stands in only for the PC/SC wire; integration tests use the real pcscd through vpcd.
"""

from __future__ import annotations

from devices.emrtd import errors
from devices.emrtd.simulator.card import CardRemoved, VirtualPassport


class LoopbackTransport:
    def __init__(self, card: VirtualPassport) -> None:
        self.card = card
        self.log: list[tuple[bytes, bytes]] = []
        self.present = True

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        if not self.present:
            raise errors.card_removed()
        try:
            response = self.card.process(apdu)
        except CardRemoved:
            self.present = False
            raise errors.card_removed() from None
        self.log.append((apdu, response))
        return response[:-2], int.from_bytes(response[-2:], "big")

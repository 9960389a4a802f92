"""PC/SC access through pyscard's low-level ``smartcard.scard`` API (exact return codes).

Every PC/SC failure becomes an EmrtdError with a stable code: the card left the field
(``SCARD_W_REMOVED_CARD`` 0x80100069 and friends), the reader or pcscd went away.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from smartcard import scard

from devices.emrtd import errors

_CARD_GONE = {
    scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD,
    scard.SCARD_W_UNPOWERED_CARD,
}
_READER_GONE = {scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_E_UNKNOWN_READER}
_SERVICE_GONE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED,
                 scard.SCARD_E_INVALID_HANDLE}


def describe(hresult: int) -> str:
    return f"{scard.SCardGetErrorMessage(hresult).strip()} (0x{hresult & 0xFFFFFFFF:08X})"


class PcscContext:
    """An SCard context; re-established by the caller after pcscd restarts."""

    def __init__(self) -> None:
        hresult, self.handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise errors.no_service(describe(hresult))

    def readers(self) -> list[str]:
        hresult, names = scard.SCardListReaders(self.handle, [])
        if hresult in (scard.SCARD_E_NO_READERS_AVAILABLE, scard.SCARD_S_SUCCESS):
            return list(names or []) if hresult == scard.SCARD_S_SUCCESS else []
        if hresult in _SERVICE_GONE:
            raise errors.no_service(describe(hresult))
        raise errors.reader_gone(describe(hresult))

    def card_present(self, reader: str) -> bool:
        hresult, states = scard.SCardGetStatusChange(
            self.handle, 0, [(reader, scard.SCARD_STATE_UNAWARE)]
        )
        if hresult in _SERVICE_GONE:
            raise errors.no_service(describe(hresult))
        if hresult != scard.SCARD_S_SUCCESS:
            return False
        return bool(states[0][1] & scard.SCARD_STATE_PRESENT)

    def release(self) -> None:
        scard.SCardReleaseContext(self.handle)


def pick_reader(context: PcscContext, wanted: str | None) -> str | None:
    """The configured reader (exact name or case-insensitive part of it), else the first
    reader holding a card, else the first reader."""
    names = context.readers()
    if wanted:
        exact = [n for n in names if n == wanted]
        partial = [n for n in names if wanted.lower() in n.lower()]
        return next(iter(exact or partial), None)
    with_card = [n for n in names if context.card_present(n)]
    return next(iter(with_card or names), None)


@dataclass
class PcscConnection:
    """One card connection; ``transmit`` is the Transport the PassportReader uses."""

    context: PcscContext
    reader: str
    card: int = 0
    protocol: int = 0

    def connect(self) -> PcscConnection:
        hresult, self.card, self.protocol = scard.SCardConnect(
            self.context.handle, self.reader, scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if hresult != scard.SCARD_S_SUCCESS:
            self.card = 0
            raise self._error(hresult, connecting=True)
        return self

    def _error(self, hresult: int, *, connecting: bool = False) -> errors.EmrtdError:
        if hresult in _CARD_GONE:
            return errors.no_card() if connecting else errors.card_removed()
        if hresult in _READER_GONE:
            return errors.reader_gone(describe(hresult))
        if hresult in _SERVICE_GONE:
            return errors.no_service(describe(hresult))
        if not connecting:
            # vpcd and some drivers report a pulled card as a failed transaction: ask.
            try:
                present = self.context.card_present(self.reader)
            except errors.EmrtdError:
                present = False
            if not present:
                return errors.card_removed()
        if hresult == scard.SCARD_W_UNRESPONSIVE_CARD:
            return errors.not_emrtd(describe(hresult))
        return errors.protocol_error(describe(hresult))

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        hresult, response = scard.SCardTransmit(self.card, self.protocol, list(apdu))
        if hresult != scard.SCARD_S_SUCCESS:
            raise self._error(hresult)
        if len(response) < 2:
            # vpcd (and some readers) answer nothing when the card has just left the field.
            if self._card_left():
                raise errors.card_removed()
            raise errors.protocol_error("response shorter than a status word")
        return bytes(response[:-2]), (response[-2] << 8) | response[-1]

    def _card_left(self, within_s: float = 1.0) -> bool:
        deadline = time.monotonic() + within_s
        while True:
            try:
                if not self.context.card_present(self.reader):
                    return True
            except errors.EmrtdError:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def close(self) -> None:
        if self.card:
            # Reset, so the chip drops its secure-messaging session with us.
            scard.SCardDisconnect(self.card, scard.SCARD_RESET_CARD)
            self.card = 0

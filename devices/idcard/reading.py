"""From raw chip data to a parsed card, photo and validations; and one-shot reads (CLI)."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from devices.idcard import errors
from devices.idcard.errors import ErrorKind, IdCardError
from devices.idcard.session import RawCard, ReaderSession
from station.i18n import both
from station.identity.card import IdentityCard
from station.identity.checks import CheckResult
from station.identity.chip_photo import ChipPhoto, PhotoDecoder, decode_chip_photo
from station.identity.layout import CardParseError, parse_text
from station.identity.validation import validate_card


@dataclass(frozen=True)
class CardReading:
    card: IdentityCard
    photo: ChipPhoto
    validations: tuple[CheckResult, ...]
    fingerprint: bytes | None = None
    sam_id: str = ""

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = self.card.to_json()
        data["photo"] = self.photo.info()
        data["fingerprint"] = (
            {"size": len(self.fingerprint)} if self.fingerprint is not None else None
        )
        data["validations"] = [result.to_json() for result in self.validations]
        data["sam_id"] = self.sam_id
        return data


def interpret(raw: RawCard, wlt_library: Path | str | None = None, *,
              today: date | None = None, sam_id: str = "",
              photo_stand_in: PhotoDecoder | None = None) -> CardReading:
    """Parse the text, decode (or explain) the photo, run the card's validations.
    ``photo_stand_in``: demo mode's decoder of simulated cards' photos (never on a real reader)."""
    try:
        card = parse_text(raw.text)
    except CardParseError as exc:
        kind = ErrorKind.CARD_TYPE if exc.code == "unknown_card_type" else ErrorKind.DECODE
        raise IdCardError(exc.code, exc.reason, kind) from exc
    photo = decode_chip_photo(raw.photo, wlt_library, stand_in=photo_stand_in)
    return CardReading(card, photo, validate_card(card, today=today), raw.fingerprint, sam_id)


def wait_for_sam(session: ReaderSession, deadline: float, pause_s: float = 0.5) -> str:
    """The SAM id, retrying (with a SAM reset) until ``deadline``; the last error otherwise."""
    last: IdCardError | None = None
    while True:
        try:
            return session.sam_id()
        except errors.IdCardDisconnected:
            raise
        except IdCardError as exc:
            last = exc
            if exc.kind is ErrorKind.SAM:
                with contextlib.suppress(IdCardError):
                    session.reset_sam()
        if time.monotonic() + pause_s > deadline:
            raise last
        time.sleep(pause_s)


def read_one(session: ReaderSession, *, timeout_s: float, poll_s: float = 0.2,
             fingerprint: bool = False, wlt_library: Path | str | None = None) -> CardReading:
    """Wait for the SAM and a card, then read it; IdCardError when none comes in time."""
    deadline = time.monotonic() + timeout_s
    sam_id = wait_for_sam(session, deadline)
    last: IdCardError | None = None
    while time.monotonic() < deadline:
        try:
            if session.find_card() and session.select_card():
                raw = session.read_card(fingerprint)
                return interpret(raw, wlt_library, sam_id=sam_id)
        except errors.IdCardDisconnected:
            raise
        except IdCardError as exc:
            if exc.kind in (ErrorKind.CARD_TYPE, ErrorKind.DECODE, ErrorKind.SAM):
                raise
            last = exc  # card pulled, read failed: try again while time is left
        time.sleep(poll_s)
    if last is not None:
        raise last
    message = both("IdCardReader", "No card was placed on the reader within {seconds} s.")
    raise IdCardError("no_card", {k: v.format(seconds=f"{timeout_s:g}")
                                  for k, v in message.items()}, ErrorKind.NO_CARD)

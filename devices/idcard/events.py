"""Events the ID-card reader publishes on the station's EventBus (besides DeviceStatusEvent)."""

from __future__ import annotations

from dataclasses import dataclass

from devices.idcard.errors import IdCardError
from station.events import Event
from station.identity.card import IdentityCard
from station.identity.checks import CheckResult
from station.identity.chip_photo import ChipPhoto


@dataclass(frozen=True, kw_only=True)
class CardRead(Event):
    """A card was placed and read (once per placement, or again after request_read)."""

    card: IdentityCard
    photo: ChipPhoto
    validations: tuple[CheckResult, ...] = ()  # number, birth/sex vs number, validity period
    fingerprint: bytes | None = None  # raw fingerprint templates when read with 30 10
    port: str = ""
    sam_id: str = ""


@dataclass(frozen=True, kw_only=True)
class CardRemoved(Event):
    """The card that was read (or failed to read) left the reader."""

    port: str = ""


@dataclass(frozen=True, kw_only=True)
class CardReadFailed(Event):
    """A placed card could not be read; ``error`` says why and what the clerk can do."""

    error: IdCardError
    port: str = ""


@dataclass(frozen=True, kw_only=True)
class ReaderProblem(Event):
    """The reader itself is not usable (absent, unplugged, SAM failing). Published once per
    episode; a DeviceStatusEvent with state READY follows when it is usable again."""

    error: IdCardError
    port: str = ""

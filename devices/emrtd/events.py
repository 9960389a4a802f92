"""Core events of the eMRTD reader (the UI adapts them to Qt signals)."""

from __future__ import annotations

from dataclasses import dataclass

from station.events import Event
from station.identity.passport import EmrtdResult


@dataclass(frozen=True, kw_only=True)
class EmrtdReadersChanged(Event):
    readers: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class EmrtdCardEvent(Event):
    reader: str
    present: bool  # True: a card entered the field; False: it left


@dataclass(frozen=True, kw_only=True)
class EmrtdReadProgress(Event):
    request_id: int
    step: str  # connect | authenticate | EF.COM | DG1 | DG2 | DG11 | DG12 | EF.SOD | verify | done
    fraction: float


@dataclass(frozen=True, kw_only=True)
class EmrtdReadFinished(Event):
    """Exactly one per request: ``result`` on success, else the error fields."""

    request_id: int
    result: EmrtdResult | None = None
    error_code: str = ""
    message_en: str = ""
    message_zh: str = ""

    @property
    def ok(self) -> bool:
        return self.result is not None

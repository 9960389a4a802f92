"""The 1:1 face match of a case's live photo with its chip photo, for the counter and the kiosk.

    chip = chip_photo_in(database, case_id)          # worker thread (a read)
    outcome = compare(chip, live_jpeg)                # worker thread (dlib, ~0.3 s)
    database.submit(lambda s: outcome.save(s, case_id, actor))   # the attempt count back

``compare`` never raises for a photo without a face: that is an outcome (no match, recorded
with the reason), as is a case whose chip photo is unavailable (no comparison possible).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from sqlalchemy.orm import Session

from station.biometrics.matcher import FaceMatcher, FaceNotFound
from station.db.models import Case
from station.workflows import cases

_matcher_lock = threading.Lock()
_matcher: FaceMatcher | None = None


def shared_matcher() -> FaceMatcher:
    """One matcher for the process (loading dlib's models takes a while)."""
    global _matcher
    with _matcher_lock:
        if _matcher is None:
            _matcher = FaceMatcher()
        return _matcher


def decode_image(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("unreadable image")
    return image


def chip_photo(session: Session, case_id: str) -> bytes | None:
    case = session.get(Case, case_id)
    docs = [d for p in case.people for d in p.documents] if case else []
    return docs[0].chip_photo_image if docs else None


def chip_photo_in(database: Any, case_id: str) -> bytes | None:
    """``chip_photo`` in a read session of ``database`` (station.db.database.Database)."""
    with database.session() as session:
        return chip_photo(session, case_id)


def chip_simulated(session: Session, case_id: str) -> bool:
    """Is the case's chip photo a demo card's (decoded by demo mode's stand-in decoder)?"""
    case = session.get(Case, case_id)
    docs = [d for p in case.people for d in p.documents] if case else []
    return bool(docs) and docs[0].chip_photo_status == "simulated"


def chip_simulated_in(database: Any, case_id: str) -> bool:
    with database.session() as session:
        return chip_simulated(session, case_id)


@dataclass(frozen=True)
class FaceMatch:
    """One comparison attempt, or why none was possible."""

    available: bool  # False: no chip photo to compare with
    score: float | None = None
    match: bool | None = None
    threshold: float | None = None
    borderline: bool = False
    no_face: str = ""  # why no face was found in one of the photos (then match is False)
    simulated_chip: bool = False  # compared with a demo card's chip photo (demo mode)

    @property
    def failed(self) -> bool:
        """The photos were compared and do not show the same person clearly enough."""
        return self.match is False

    @property
    def reason(self) -> str:
        if not self.available:
            return "chip_photo_unavailable"
        return "face_not_found" if self.no_face else ""

    def save(self, session: Session, case_id: str, actor: str) -> int:
        """Record the attempt on the writer thread; returns how many attempts the case had."""
        return cases.save_face_match(session, case_id, actor, score=self.score,
                                     threshold=self.threshold, match=self.match,
                                     reason=self.reason, borderline=self.borderline,
                                     simulated_chip_photo=self.simulated_chip)


def compare(chip: bytes | None, live: bytes, matcher: FaceMatcher | None = None, *,
            simulated_chip: bool = False) -> FaceMatch:
    """``simulated_chip``: the chip photo is a demo card's; the outcome (and the case) say so."""
    if chip is None:
        return FaceMatch(available=False)
    matcher = matcher or shared_matcher()
    try:
        result = matcher.compare(decode_image(chip), decode_image(live))
    except FaceNotFound as exc:
        return FaceMatch(available=True, score=0.0, match=False, no_face=str(exc),
                         simulated_chip=simulated_chip)
    return FaceMatch(available=True, score=result.score, match=result.match,
                     threshold=matcher.calibration.pass_score, borderline=result.borderline,
                     simulated_chip=simulated_chip)

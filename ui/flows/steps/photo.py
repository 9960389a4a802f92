"""The live photo (or the e-licence photo): guided capture, then the 1:1 face match."""

from __future__ import annotations

import threading
from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from station.biometrics.matcher import FaceMatcher, FaceNotFound
from station.db.models import Case, CaseKind
from station.workflows import cases
from ui.camera_view import CameraView, CapturedPhoto
from ui.flows.step import FlowContext, FlowStep
from ui.workers import run_async, watch_future

MAX_MATCH_ATTEMPTS = 3  # then the 12123 rules send the person to manual review
_matcher_lock = threading.Lock()
_matcher: FaceMatcher | None = None


def shared_matcher() -> FaceMatcher:
    global _matcher
    with _matcher_lock:
        if _matcher is None:
            _matcher = FaceMatcher()
        return _matcher


def _decode(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("unreadable image")
    return image


def chip_photo_of(runtime: Any, case_id: str) -> bytes | None:
    with runtime.db.session() as session:
        case = session.get(Case, case_id)
        docs = [d for p in case.people for d in p.documents] if case else []
        return docs[0].chip_photo_image if docs else None


class PhotoStep(FlowStep):
    key = "photo"
    manual_review_requested = Signal()

    def __init__(self, ctx: FlowContext, purpose: str, profile: str, match_chip: bool) -> None:
        super().__init__(ctx)
        self.purpose, self.profile, self.match_chip = purpose, profile, match_chip
        self.view: CameraView | None = None
        self.captured: CapturedPhoto | None = None
        self.attempts = 0
        self._last_match: bool | None = None
        self.match_label = QLabel()
        self.match_label.setObjectName("matchResult")
        self.match_label.setWordWrap(True)
        self.continue_button = QPushButton()
        self.continue_button.setObjectName("photoContinue")
        self.continue_button.setEnabled(False)
        self.continue_button.clicked.connect(self._continue)
        self.manual_review_button = QPushButton()
        self.manual_review_button.setObjectName("switchToManualReview")
        self.manual_review_button.setVisible(False)
        self.manual_review_button.clicked.connect(self.manual_review_requested.emit)
        self.row = QHBoxLayout()
        self.row.addWidget(self.match_label, 1)
        self.row.addWidget(self.manual_review_button)
        self.row.addWidget(self.continue_button)
        self.body.addWidget(self.message)
        self.body.addLayout(self.row)
        self.continue_button.setText(self.tr("Continue"))
        self.manual_review_button.setText(self.tr("Switch to manual review"))

    def title(self) -> str:
        return self.tr("E-licence photo") if self.purpose == "elicence" else self.tr("Live photo")

    def activate(self) -> None:
        if self.view is None:
            camera = self.ctx.runtime.devices.device("camera")
            self.view = CameraView(camera, self.profile)
            self.view.photo_captured.connect(self._captured)
            self.view.photo_discarded.connect(self._discarded)
            self.body.insertWidget(0, self.view, 1)
        self.view.start()

    def deactivate(self) -> None:
        if self.view is not None:
            self.view.stop()

    def _discarded(self) -> None:
        self.captured = None
        self.continue_button.setEnabled(False)
        self.match_label.clear()

    def _captured(self, photo: CapturedPhoto) -> None:
        self.captured = photo
        case_id, actor, purpose = self.ctx.case_id, self.ctx.actor, self.purpose
        compliant = photo.override_reason is None
        future = self.ctx.runtime.db.submit(lambda s: cases.save_photo(
            s, case_id, purpose, photo.jpeg, actor, profile=photo.profile, compliant=compliant,
            report=photo.report, override_reason=photo.override_reason))
        watch_future(future, lambda _id: self._photo_saved(),
                     lambda e: self.show_error(self.tr("Not saved: {reason}").format(reason=e)))

    def _photo_saved(self) -> None:
        self.message.clear()
        if not self.match_chip:
            self.continue_button.setEnabled(True)
            self.continue_button.setFocus()
            return
        self.match_label.setText(self.tr("Comparing with the chip photo…"))
        runtime, case_id, live = self.ctx.runtime, self.ctx.case_id, self.captured.jpeg  # type: ignore[union-attr]

        def compare() -> dict[str, Any]:
            chip = chip_photo_of(runtime, case_id)
            if chip is None:
                return {"available": False}
            matcher = shared_matcher()
            try:
                result = matcher.compare(_decode(chip), _decode(live))
            except FaceNotFound as exc:
                return {"available": True, "error": str(exc)}
            return {"available": True, "score": result.score, "match": result.match,
                    "borderline": result.borderline, "threshold": matcher.calibration.pass_score}

        run_async(compare, self._matched, lambda e: self.show_error(str(e)))

    def _matched(self, outcome: dict[str, Any]) -> None:
        case_id, actor = self.ctx.case_id, self.ctx.actor
        self._last_match = outcome.get("match", False if "error" in outcome else None)
        if not outcome["available"]:
            self.match_label.setText(self.tr(
                "The chip photo is not available: no face match. A supervisor will review the case."))
            work = lambda s: cases.save_face_match(s, case_id, actor, score=None, threshold=None,  # noqa: E731
                                                   match=None, reason="chip_photo_unavailable")
        elif "error" in outcome:
            self.match_label.setText(self.tr("No face found for the comparison: {reason}").format(
                reason=outcome["error"]))
            work = lambda s: cases.save_face_match(s, case_id, actor, score=0.0, threshold=None,  # noqa: E731
                                                   match=False, reason="face_not_found")
        else:
            score, match, threshold = outcome["score"], outcome["match"], outcome["threshold"]
            text = self.tr("Face match score {score:.0f} (pass mark {threshold:.0f}): {verdict}").format(
                score=score, threshold=threshold,
                verdict=self.tr("same person") if match else self.tr("NOT a match"))
            self.match_label.setText(text)
            borderline = bool(outcome.get("borderline"))
            work = lambda s: cases.save_face_match(s, case_id, actor, score=score,  # noqa: E731
                                                   threshold=threshold, match=match,
                                                   borderline=borderline)
        watch_future(self.ctx.runtime.db.submit(work), self._match_saved,
                     lambda e: self.show_error(str(e)))

    def _match_saved(self, attempts: int) -> None:
        self.attempts = attempts
        self.continue_button.setEnabled(True)
        self.continue_button.setFocus()
        failed = self._last_match is False
        if failed and attempts >= MAX_MATCH_ATTEMPTS and self.ctx.kind == CaseKind.INDIVIDUAL:
            self.manual_review_button.setVisible(True)
            self.show_error(self.tr(
                "Face recognition failed {n} times. Switch to a manual review submission "
                "(ID card photos and a live photo go to a supervisor).").format(n=attempts))
        elif failed:
            self.show_error(self.tr("Retake the photo, or continue and the case will be reviewed."))

    def _continue(self) -> None:
        if self.captured is None:
            self.show_error(self.tr("Capture a photo first."))
            return
        case_id, actor = self.ctx.case_id, self.ctx.actor
        self.completed.emit(lambda s: cases.complete_step(s, case_id, "photo", actor))

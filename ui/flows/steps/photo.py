"""The live photo (or the e-licence photo): guided capture, then the 1:1 face match."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from station import published
from station.workflows import cases, face_match
from station.workflows.face_match import FaceMatch
from ui.camera_view import CameraView, CapturedPhoto
from ui.flows.step import FlowContext, FlowStep
from ui.workers import run_async, watch_future


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
        self.continue_button.setDefault(True)  # focused once saved: Enter continues
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
            # the profile of the configuration the case started with
            profile = published.for_version(self.ctx.config_version).profile(self.profile)
            self.view = CameraView(camera, profile)
            self.view.photo_captured.connect(self._captured)
            self.view.photo_discarded.connect(self._discarded)
            self._keys(self.view)
            self.body.insertWidget(0, self.view, 1)
        self.view.start()

    def _keys(self, view: CameraView) -> None:
        """F5 captures now, F6 retakes; Enter in the reason field captures with it."""
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, view.manual_button.click)
        QShortcut(QKeySequence(Qt.Key.Key_F6), self, view.retake_button.click)
        view.reason_edit.returnPressed.connect(view.manual_button.click)
        view.manual_button.setText(self.tr("Capture now (F5)"))
        view.retake_button.setText(self.tr("Retake (F6)"))

    def deactivate(self) -> None:
        if self.view is not None:
            self.view.stop()

    def _discarded(self) -> None:
        self.captured = None
        self.continue_button.setEnabled(False)
        self.continue_button.setDefault(True)  # focused once saved: Enter continues
        self.match_label.clear()

    def _captured(self, photo: CapturedPhoto) -> None:
        self.captured = photo
        case_id, actor, purpose = self.ctx.case_id, self.ctx.actor, self.purpose
        compliant = photo.override_reason is None
        future = self.ctx.runtime.db.submit(lambda s: cases.save_photo(
            s, case_id, purpose, photo.jpeg, actor, profile=photo.profile, compliant=compliant,
            report=photo.report, override_reason=photo.override_reason,
            automatic=photo.automatic, captured_at=photo.captured_at, camera=photo.camera))
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

        def compare() -> FaceMatch:
            return face_match.compare(face_match.chip_photo_in(runtime.db, case_id), live,
                                      simulated_chip=face_match.chip_simulated_in(runtime.db, case_id))

        run_async(compare, self._matched, lambda e: self.show_error(str(e)))

    def _matched(self, outcome: FaceMatch) -> None:
        case_id, actor = self.ctx.case_id, self.ctx.actor
        self._last_match = outcome.match
        if not outcome.available:
            self.match_label.setText(self.tr(
                "The chip photo is not available: no face match. A supervisor will review the case."))
        elif outcome.no_face:
            self.match_label.setText(self.tr("No face found for the comparison: {reason}").format(
                reason=outcome.no_face))
        else:
            text = self.tr("Face match score {score:.0f} (pass mark {threshold:.0f}): {verdict}").format(
                score=outcome.score, threshold=outcome.threshold,
                verdict=self.tr("same person") if outcome.match else self.tr("NOT a match"))
            if outcome.simulated_chip:  # demo mode: say what the score means
                text += "\n" + (self.tr(
                    "Simulated chip photo (demo): made from the same picture as the live face, "
                    "so they match trivially.") if outcome.match else self.tr(
                    "Simulated chip photo (demo): it shows another person."))
            self.match_label.setText(text)
        watch_future(self.ctx.runtime.db.submit(lambda s: outcome.save(s, case_id, actor)),
                     self._match_saved, lambda e: self.show_error(str(e)))

    def _match_saved(self, attempts: int) -> None:
        self.attempts = attempts
        self.continue_button.setEnabled(True)
        self.continue_button.setFocus()
        failed = self._last_match is False
        fallback = self.ctx.spec.fallback
        if failed and fallback is not None and attempts >= fallback.after_failures:
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

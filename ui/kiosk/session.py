"""One person's visit at the kiosk: the flow, its database steps, and wiping it afterwards.

A ``KioskSession`` is created when someone chooses a service and deleted when the visit ends
(finished, cancelled, idle, device failure). Everything it holds (the document read from
the card, images, the receipt) lives in this widget tree and goes with it; an unfinished
case is cancelled in the database (cases.cancel_case wipes its personal data).

Routes (the 12123 self-service rules):
  individual: card -> active liveness -> face match with the chip photo -> mobile number ->
              agreement and signature -> commit -> receipt;
  after ``max_attempts`` failed liveness or face-match attempts: the case is withdrawn and a
              manual-review case starts with the same card: ID front, ID back, live photo,
              mobile number -> commit -> receipt;
  elicence:   card -> guided e-licence photo -> commit -> receipt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import cv2
import numpy as np
import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from devices.idcard.events import CardRead, CardReadFailed
from station import audit
from station.beijing import beijing_text
from station.db.models import CaseKind
from station.i18n import current_language
from station.liveness import LivenessVerdict
from station.workflows import cases, face_match
from station.workflows.case_kinds import CASE_KINDS
from station.workflows.documents import DocumentInput, from_identity_card
from station.workflows.face_match import FaceMatch
from station.workflows.receipt_data import load_receipt
from ui.event_bridge import EventBridge
from ui.kiosk.flow_screens import (
    CardScreen,
    DoneScreen,
    LivenessScreen,
    NoticeScreen,
    PhoneScreen,
    PhotoScreen,
    ScanScreen,
    SignScreen,
    pick,
)
from ui.kiosk.liveness_worker import EngineFactory, LivenessWorker
from ui.workers import run_async, watch_future

log = logging.getLogger(__name__)

ACTOR = "kiosk"
_FALLBACK = CASE_KINDS[CaseKind.INDIVIDUAL].fallback
assert _FALLBACK is not None
MAX_ATTEMPTS = _FALLBACK.after_failures  # failed liveness / face-match attempts
_MANUAL = CASE_KINDS[_FALLBACK.kind]
SCAN_PARTS = (*_MANUAL.scans, "live")


def masked_name(name: str) -> str:
    """张三丰 -> 张**: enough to recognise one's own card, little for a passer-by."""
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def _jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    if not ok:
        raise ValueError("the camera picture could not be encoded")
    return data.tobytes()


def _pixmap(image: np.ndarray) -> QPixmap:
    rgb = np.ascontiguousarray(image[:, :, ::-1])
    height, width = rgb.shape[:2]
    return QPixmap.fromImage(QImage(rgb.data, width, height, 3 * width,
                                    QImage.Format.Format_RGB888).copy())


class _Visit:
    closed = False


class KioskSession(QWidget):
    """``finished()`` when the visit is over; ``abandon()`` ends it early and wipes it."""

    finished = Signal()

    def __init__(self, runtime: Any, service: str, *,
                 liveness_factory: EngineFactory | None = None,
                 max_attempts: int = MAX_ATTEMPTS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskSession")
        self.runtime = runtime
        self.service = service
        self.kind = CaseKind.ELICENCE_PHOTO if service == "elicence" else CaseKind.INDIVIDUAL
        self.max_attempts = max_attempts
        self._liveness_factory = liveness_factory
        self.case_id: str | None = None
        self.case_number = ""
        self.document: DocumentInput | None = None
        self.attempts = 0
        self.committed = False
        self.closed = False
        self._visit = _Visit()  # plain object: readable after the widget is deleted
        self.result: cases.CommitResult | None = None
        self.route: list[str] = []  # screen keys shown, in order (for tests and logs)
        self._worker: LivenessWorker | None = None
        self._off: list[Callable[[], None]] = []
        self._reading = False
        self._scan_index = 0
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.screens: dict[str, QWidget] = {}

    # -- plumbing --------------------------------------------------------------------------

    def _alive(self) -> bool:
        return not self.closed and shiboken6.isValid(self)

    def _guard(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """Late results of a visit that already ended are dropped."""
        def deliver(value: Any = None) -> None:
            if self._alive():
                callback(value)
        return deliver

    def _db(self, work: Callable[[Any], Any], on_ok: Callable[[Any], None]) -> None:
        watch_future(self.runtime.db.submit(work), self._guard(on_ok), self._guard(self._failed))

    def _db_new_case(self, work: Callable[[Any], cases.CaseRef],
                     on_ok: Callable[[cases.CaseRef], None]) -> None:
        """Like _db for a job that creates a case: if the visit ended while the job ran, the
        new case is cancelled at once (its personal data wiped) instead of left as a draft."""
        visit, runtime = self._visit, self.runtime

        def created(ref: cases.CaseRef) -> None:
            if visit.closed:
                try:
                    runtime.db.submit(lambda s: cases.cancel_case(s, ref.id, ACTOR))
                except RuntimeError:  # shutting down: the next start cancels the draft
                    log.warning("kiosk shut down while a visit's case was created")
            else:
                on_ok(ref)

        watch_future(self.runtime.db.submit(work), created, self._guard(self._failed))

    def _async(self, work: Callable[[], Any], on_ok: Callable[[Any], None]) -> None:
        run_async(work, self._guard(on_ok), self._guard(self._failed))

    def _failed(self, error: BaseException) -> None:
        log.error("kiosk step failed: %s", error)
        screen = self.stack.currentWidget()
        if hasattr(screen, "show_message"):
            screen.show_message(self.tr(  # type: ignore[union-attr]
                "Sorry, something went wrong: {reason}. Please try again or ask at the "
                "service window.").format(reason=error))

    def _show(self, key: str, screen: QWidget) -> QWidget:
        old = self.screens.pop(key, None)
        if old is not None:
            self._dispose(old)
        self.screens[key] = screen
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        self.route.append(key)
        cancel = getattr(screen, "cancel_button", None)
        if cancel is not None:
            cancel.clicked.connect(self.cancel)
        return screen

    def _dispose(self, screen: QWidget) -> None:
        for method in ("end", "stop"):
            stop = getattr(screen, method, None)
            if callable(stop):
                stop()
        view = getattr(screen, "view", None)
        if view is not None:
            view.stop()
        self.stack.removeWidget(screen)
        screen.setParent(None)
        screen.deleteLater()

    def current_key(self) -> str:
        return self.route[-1] if self.route else ""

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        screen = CardScreen()
        self._show("card", screen)
        bridge = EventBridge.for_bus(self.runtime.bus)
        self._off = [bridge.on(CardRead, self._card_read),
                     bridge.on(CardReadFailed, self._card_failed)]
        reader = self.runtime.devices.device("idcard")
        if reader is not None:
            reader.request_read()  # a card already lying on the reader is read now

    def cancel(self) -> None:
        """The person pressed Cancel: wipe and go back to the start."""
        self.abandon()
        self.finished.emit()

    def abandon(self) -> None:
        """End the visit now: stop the camera work, cancel an unfinished case (wiping its
        personal data in the database) and drop every reference to the person's data."""
        if self.closed:
            return
        self.closed = self._visit.closed = True
        self._unbind()
        self._stop_worker()
        if self.case_id is not None and not self.committed:
            case_id = self.case_id
            watch_future(self.runtime.db.submit(lambda s: cases.cancel_case(s, case_id, ACTOR)),
                         None, lambda e: log.error("cancelling the kiosk case failed: %s", e))
        for screen in list(self.screens.values()):
            self._dispose(screen)
        self.screens.clear()
        self.document = None
        self.result = None

    def _unbind(self) -> None:
        for off in self._off:
            off()
        self._off = []

    def _stop_worker(self) -> None:
        if self._worker is not None:
            worker, self._worker = self._worker, None
            worker.stop()
            worker.state.disconnect()
            worker.finished.disconnect()
            worker.failed.disconnect()

    # -- card ----------------------------------------------------------------------------------

    def _card_read(self, event: CardRead) -> None:
        if self._reading or self.case_id is not None:
            return
        self._reading = True
        screen: CardScreen = self.screens["card"]  # type: ignore[assignment]
        screen.show_reading()
        document = from_identity_card(event.card, event.photo, list(event.validations))
        self.document = document
        kind, station = self.kind, self.runtime.settings.station.code

        def work(session: Any) -> cases.CaseRef:
            ref = cases.start_case(session, kind, station, None, ACTOR)
            cases.save_document(session, ref.id, document, ACTOR)
            return ref

        self._db_new_case(work, self._case_started)

    def _card_failed(self, event: CardReadFailed) -> None:
        screen = self.screens.get("card")
        if isinstance(screen, CardScreen):
            english = current_language() == "en"
            text = getattr(event.error, "message_en" if english else "message_zh", "") or str(
                event.error)
            screen.show_message(self.tr("The card could not be read: {reason} Please take it "
                                        "off and place it again.").format(reason=text))

    def _case_started(self, ref: cases.CaseRef) -> None:
        self._unbind()
        self.case_id, self.case_number = ref.id, ref.number
        screen: CardScreen = self.screens["card"]  # type: ignore[assignment]
        screen.show_welcome(masked_name(self.document.display_name if self.document else ""))
        QTimer.singleShot(900, self._guard(lambda _=None: self._after_card()))

    def _after_card(self) -> None:
        if self.kind == CaseKind.ELICENCE_PHOTO:
            self._start_photo()
        else:
            self._start_liveness()

    # -- liveness and face match -------------------------------------------------------------

    def _start_liveness(self) -> None:
        screen = self.screens.get("liveness")
        if not isinstance(screen, LivenessScreen):
            screen = LivenessScreen(self.runtime.devices.device("camera"))
            screen.retry_button.clicked.connect(self._start_liveness)
            self._show("liveness", screen)
        else:
            self.stack.setCurrentWidget(screen)
            self.route.append("liveness")
        screen.begin(self.attempts + 1, self.max_attempts)
        self._stop_worker()
        worker = LivenessWorker(self.runtime.devices.device("camera"), self._liveness_factory)
        worker.state.connect(self._guard(screen.show_state))
        worker.finished.connect(self._liveness_finished)
        worker.failed.connect(self._guard(lambda _e: self._attempt_failed(self.tr(
            "The camera check could not run."))))
        self._worker = worker
        worker.start()

    def _liveness_finished(self, verdict: LivenessVerdict, frame: np.ndarray | None) -> None:
        if not self._alive():
            return
        self._stop_worker()
        screen: LivenessScreen = self.screens["liveness"]  # type: ignore[assignment]
        screen.end()
        case_id, attempt = self.case_id, self.attempts + 1
        details = {"live": verdict.live, "reason": str(verdict.reason or ""), "attempt": attempt,
                   "challenges": [str(c.kind) for c in verdict.challenges]}
        self.runtime.db.submit(
            lambda s: audit.record(s, ACTOR, "kiosk.liveness", case_id, details))
        if not verdict.live or frame is None:
            self._attempt_failed(self._liveness_reason(verdict))
            return
        screen.show_message(self.tr("Thank you! Comparing your face with your ID card…"), "info")
        jpeg = _jpeg(frame)
        report = {"source": "kiosk-liveness", "liveness": verdict.to_json()}
        self._db(lambda s: cases.save_photo(s, case_id, "live", jpeg, ACTOR, report=report),
                 lambda _id: self._compare(jpeg))

    def _liveness_reason(self, verdict: LivenessVerdict) -> str:
        """The core's reasons are for staff; a stranger gets a kind sentence with a tip."""
        from station.liveness import FailReason

        reason = verdict.reason
        if reason is FailReason.TIMEOUT:
            return self.tr("That took a little too long.")
        if reason is FailReason.NO_FACE:
            return self.tr("We lost sight of your face. Please stay in front of the camera.")
        if reason is FailReason.SEVERAL_FACES:
            return self.tr("More than one face was in the picture. Please do the check alone.")
        if reason is FailReason.STATIC_IMAGE:
            return self.tr("We could not see you move. Please follow each instruction "
                           "clearly.")
        if reason is FailReason.WRONG_RESPONSE:
            return self.tr("That was a different movement. Please watch the instruction "
                           "at the top.")
        if reason is FailReason.FACE_CHANGED:
            return self.tr("The face in the picture changed during the check.")
        return pick(verdict.message)

    def _compare(self, live: bytes) -> None:
        runtime, case_id = self.runtime, self.case_id

        def compare() -> FaceMatch:
            return face_match.compare(face_match.chip_photo_in(runtime.db, case_id), live)

        self._async(compare, self._matched)

    def _matched(self, outcome: FaceMatch) -> None:
        case_id = self.case_id

        def save(s: Any) -> int:
            return outcome.save(s, case_id, ACTOR)  # type: ignore[arg-type]

        if not outcome.available:
            self._db(save, lambda _n: self._notice_no_chip_photo())
        elif outcome.match:
            self._db(save, lambda _n: self._notice_matched())
        else:
            self._db(save, lambda _n: self._attempt_failed(self.tr(
                "Your face did not match the photo on your ID card clearly enough.")))

    def _attempt_failed(self, why: str) -> None:
        self._stop_worker()
        self.attempts += 1
        if self.attempts >= self.max_attempts:
            self._notice_manual_review()
            return
        screen = self.screens.get("liveness")
        if isinstance(screen, LivenessScreen):
            self.stack.setCurrentWidget(screen)
            screen.end()
            screen.show_failed()
            screen.show_message(self.tr(
                "{why} Don't worry, let's try again: touch \"Try again\" when you are ready. "
                "({left} tries left)").format(why=why, left=self.max_attempts - self.attempts))

    def _notice(self, key: str, texts: Callable[[], tuple[str, str, str, str]],
                on_next: Callable[[], None]) -> NoticeScreen:
        screen = NoticeScreen(f"kiosk{key[:1].upper()}{key[1:]}")
        screen.set_texts(texts)
        screen.next_button.clicked.connect(on_next)
        self._show(key, screen)
        return screen

    def _notice_matched(self) -> None:
        self._notice("matched", lambda: (
            "✔", self.tr("It's you!"),
            self.tr("Your face matches the photo on your ID card."),
            self.tr("Continue")), self._start_phone)

    def _notice_no_chip_photo(self) -> None:
        self._notice("noChipPhoto", lambda: (
            "✔", self.tr("Live check passed"),
            self.tr("The photo stored in your ID card cannot be read at this terminal, so "
                    "we could not compare your face here. That is fine: a staff member will "
                    "look at your registration and you do not need to do anything more."),
            self.tr("Continue")), self._start_phone)

    def _notice_manual_review(self) -> None:
        self._notice("manualReview", lambda: (
            "↻", self.tr("Let's do it another way"),
            self.tr("We could not confirm your face automatically. No problem: take photos "
                    "of both sides of your ID card and one of yourself, and a staff member "
                    "will check them for you."),
            self.tr("Continue")), self._switch_to_manual_review)

    def _switch_to_manual_review(self) -> None:
        """The 12123 rule: after three failed attempts the face-sign case is withdrawn (its
        data wiped) and a manual-review case starts with the same card."""
        old, document = self.case_id, self.document
        station = self.runtime.settings.station.code
        if document is None:
            return
        button = getattr(self.screens.get("manualReview"), "next_button", None)
        if button is not None:
            button.setEnabled(False)

        def work(session: Any) -> cases.CaseRef:
            if old is not None:
                cases.cancel_case(session, old, ACTOR)
            ref = cases.start_case(session, CaseKind.MANUAL_REVIEW, station, None, ACTOR)
            cases.save_document(session, ref.id, document, ACTOR)
            return ref

        self.case_id = None  # cancelled in the same transaction
        self._db_new_case(work, self._manual_case_started)

    def _manual_case_started(self, ref: cases.CaseRef) -> None:
        self.case_id, self.case_number, self.kind = ref.id, ref.number, CaseKind.MANUAL_REVIEW
        screen = ScanScreen(self.runtime.devices.device("camera"))
        screen.capture_requested.connect(self._capture_scan)
        self._show("scans", screen)
        self._scan_index = 0
        screen.set_part(SCAN_PARTS[0])
        screen.preview.start()

    def _capture_scan(self) -> None:
        screen: ScanScreen = self.screens["scans"]  # type: ignore[assignment]
        frame = screen.preview.latest()
        if frame is None:
            screen.show_message(self.tr("The camera has no picture yet. Please wait a moment."))
            return
        screen.capture_button.setEnabled(False)
        part, case_id = SCAN_PARTS[self._scan_index], self.case_id

        if part == "live":
            jpeg = _jpeg(frame)
            self._db(lambda s: cases.save_photo(s, case_id, "live", jpeg, ACTOR,
                                                report={"source": "kiosk-manual-review"}),
                     lambda _id: self._scan_saved(frame))
            return

        def process() -> tuple[bytes, dict[str, Any], np.ndarray]:
            from station.scans.page import capture_page, encode_jpeg

            page = capture_page(frame)
            return encode_jpeg(page.image), page.quality(), page.image

        def processed(result: tuple[bytes, dict[str, Any], np.ndarray]) -> None:
            jpeg, quality, image = result
            self._db(lambda s: cases.save_scan(s, case_id, part, jpeg, ACTOR, quality),
                     lambda _id: self._scan_saved(image))

        self._async(process, processed)

    def _scan_saved(self, image: np.ndarray) -> None:
        screen: ScanScreen = self.screens["scans"]  # type: ignore[assignment]
        screen.show_taken(_pixmap(image))
        self._scan_index += 1
        if self._scan_index == 2:
            case_id = self.case_id
            self.runtime.db.submit(lambda s: cases.complete_step(s, case_id, "scans", ACTOR))
        if self._scan_index < len(SCAN_PARTS):
            screen.set_part(SCAN_PARTS[self._scan_index])
            screen.show_message(self.tr("Got it, thank you."), "ok")
        else:
            screen.preview.stop()
            self._start_phone()

    # -- e-licence photo ---------------------------------------------------------------------

    def _start_photo(self) -> None:
        screen = PhotoScreen(self.runtime.devices.device("camera"))
        screen.view.photo_captured.connect(self._photo_captured)
        screen.use_button.clicked.connect(self._commit)
        self._show("photo", screen)
        screen.view.start()

    def _photo_captured(self, photo: Any) -> None:
        if not self._alive():
            return
        case_id = self.case_id
        screen: PhotoScreen = self.screens["photo"]  # type: ignore[assignment]
        self._db(lambda s: cases.save_photo(s, case_id, "elicence", photo.jpeg, ACTOR,
                                            profile=photo.profile, compliant=True,
                                            report=photo.report),
                 lambda _id: screen.use_button.setEnabled(True))

    # -- phone, agreement ---------------------------------------------------------------------

    def _start_phone(self) -> None:
        screen = PhoneScreen()
        screen.step_number = 3 if self.kind == CaseKind.INDIVIDUAL else 2
        screen.retranslate()
        screen.submitted.connect(self._phone_entered)
        self._show("phone", screen)

    def _phone_entered(self, number: str) -> None:
        from station.identity.checks import validate_mobile

        screen: PhoneScreen = self.screens["phone"]  # type: ignore[assignment]
        checked = validate_mobile(number)
        if not checked.ok:
            screen.show_message(checked.message)
            return
        case_id = self.case_id
        then = self._start_signing if self.kind == CaseKind.INDIVIDUAL else self._commit
        self._db(lambda s: cases.save_phone(s, case_id, number, False, ACTOR),
                 lambda _r: then())

    def _start_signing(self) -> None:
        screen = SignScreen()
        self._show("sign", screen)
        language = current_language()

        def load() -> tuple[str, str]:
            from station.signature.agreements import load_agreement

            agreement = load_agreement("user_agreement", language)
            return agreement.version, agreement.text

        self._async(load, self._show_agreement)

    def _show_agreement(self, loaded: tuple[str, str]) -> None:
        from ui.signature_widget import SignatureCaptureWidget

        version, text = loaded
        screen: SignScreen = self.screens["sign"]  # type: ignore[assignment]
        pad = self.runtime.devices.device("sigpad")
        widget = SignatureCaptureWidget(self.case_id or "", text, version, large=True, pad=pad,
                                        bus=self.runtime.bus, inactivity_s=None)  # type: ignore[arg-type]
        widget.accepted.connect(self._signed)
        widget.cancelled.connect(self._signing_cancelled)
        screen.set_capture(widget)
        widget.start()

    def _signing_cancelled(self) -> None:
        screen = self.screens.get("sign")
        widget = getattr(screen, "widget", None)
        if widget is not None and widget.finish_reason == "cancelled":
            self.cancel()
        elif self._alive():
            self._start_signing()  # timed out: a fresh page to sign

    def _signed(self, record: Any) -> None:
        if not self._alive():
            return
        case_id = self.case_id
        data, png, digest, version = (record.to_bytes(), record.png, record.content_sha256,
                                      record.agreement_version)
        self._db(lambda s: cases.save_signature(s, case_id, data, png, digest, version, ACTOR),
                 lambda _r: self._commit())

    # -- commit and receipt ----------------------------------------------------------------------

    def _commit(self) -> None:
        case_id = self.case_id
        self._db(lambda s: cases.commit_case(s, case_id, ACTOR), self._committed)

    def _committed(self, result: cases.CommitResult) -> None:
        self.committed, self.result = True, result
        from ui.receipt_view import ReceiptView

        screen = DoneScreen()
        receipt = ReceiptView()
        for button in (receipt.save_button, receipt.print_button, receipt.done_button):
            button.setVisible(False)  # no dialogs on a public terminal: the screen prints
        screen.set_receipt(receipt)
        screen.print_button.clicked.connect(lambda: self._print(receipt))
        receipt.previewReady.connect(lambda _pages: screen.print_button.setEnabled(
            screen.printer_available))
        screen.set_summary(self._summary)
        screen.finish_button.clicked.connect(self._finish)
        self._show("done", screen)
        self.document = None  # the case is stored; the kiosk needs nothing more of it
        runtime, language = self.runtime, current_language()
        kiosk_name = self.tr("Self-service terminal")

        case_id = result.case_id
        self._async(lambda: load_receipt(runtime.db, case_id, runtime.settings, language,
                                         kiosk_name), receipt.show_receipt)

    def _print(self, receipt: Any) -> None:
        """Straight to the terminal's default printer (A4), no print dialog."""
        from PySide6.QtGui import QPageLayout, QPageSize
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        screen: DoneScreen = self.screens["done"]  # type: ignore[assignment]
        screen.print_button.setEnabled(False)  # one copy per visit
        receipt.print_receipt(printer)

    def _summary(self) -> str:
        result = self.result
        if result is None:
            return ""
        text = self.tr("Your application number is {number}.").format(number=result.number)
        if result.flags:
            due = beijing_text(result.due_at) if isinstance(
                result.due_at, datetime) else ""
            text += "\n" + self.tr(
                "A staff member will check it, usually by {due}. The 12123 app and a text "
                "message will tell you the result.").format(due=due)
        else:
            text += "\n" + self.tr("Your registration is complete.")
        return text

    def _finish(self) -> None:
        self.abandon()
        self.finished.emit()

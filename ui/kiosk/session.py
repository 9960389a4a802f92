"""The kiosk's view of one person's visit: shows a KioskVisit and carries out its commands.

The visit itself - which screen comes next, what is saved, when the route changes - is the
Qt-free state machine station/workflows/visit.py. This widget only shows the visit's state
(one screen per ``Screen``, built for this visit and deleted with it, so nothing of one person
can be left in a widget for the next), turns touches and device events into the visit's
inputs, and runs its commands: database work as DbOp operations, slow work on the worker
pool, the liveness check on the camera, the reader's read request.

A ``KioskSession`` is created when someone chooses a service and deleted when the visit ends
(finished, cancelled, idle, device failure); ``finished()`` says the visit is over.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import numpy as np
import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.liveness import LivenessOutcome, LivenessWorker
from devices.idcard.events import CardRead, CardReadFailed
from station.beijing import beijing_text
from station.i18n import current_language
from station.liveness.engine import EngineFactory
from station.workflows import cases
from station.workflows.documents import DocumentInput, from_identity_card
from station.workflows.visit import (
    CAMERA_FAILED,
    FACE_MISMATCH,
    Command,
    Compute,
    Finished,
    KioskVisit,
    Notice,
    Read,
    ReadCard,
    Say,
    Screen,
    StartLiveness,
    StopLiveness,
    Store,
    VisitState,
)
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
)
from ui.kiosk.screens import KioskScreen
from ui.operations import DbOp
from ui.receipt_view import ReceiptView
from ui.workers import post, run_async

__all__ = ["KioskSession"]
log = logging.getLogger(__name__)


def _pixmap(image: np.ndarray) -> QPixmap:
    rgb = np.ascontiguousarray(image[:, :, ::-1])
    height, width = rgb.shape[:2]
    return QPixmap.fromImage(QImage(rgb.data, width, height, 3 * width,
                                    QImage.Format.Format_RGB888).copy())


class KioskSession(QWidget):
    """``finished()`` when the visit is over; ``abandon()`` ends it early and wipes it."""

    finished = Signal()

    def __init__(self, runtime: Any, service: str, *,
                 liveness_factory: EngineFactory | None = None,
                 max_attempts: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskSession")
        self.runtime = runtime
        self.visit = KioskVisit(service, runtime.settings, self._execute, changed=self._render,
                                max_attempts=max_attempts)
        self._liveness_factory = liveness_factory
        self._worker: LivenessWorker | None = None
        self._off: list[Any] = []
        self._shown = 0  # entries of visit.route already turned into screens
        self._notice: Notice | None = None  # the last notice put on a screen
        self._taken: np.ndarray | None = None
        self._receipt: ReceiptView | None = None
        self._receipt_shown = False
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.screens: dict[str, KioskScreen] = {}

    # -- what tests and the window read ------------------------------------------------------

    @property
    def case_id(self) -> str | None:
        return self.visit.case_id

    @property
    def case_number(self) -> str:
        return self.visit.case_number

    @property
    def document(self) -> DocumentInput | None:
        return self.visit.document

    @property
    def attempts(self) -> int:
        return self.visit.attempts

    @property
    def committed(self) -> bool:
        return self.visit.committed

    @property
    def result(self) -> cases.CommitResult | None:
        return self.visit.result

    @property
    def route(self) -> list[str]:
        return self.visit.route

    def current_key(self) -> str:
        return self.visit.route[-1] if self.visit.route else ""

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        bridge = EventBridge.for_bus(self.runtime.bus)
        self._off = [bridge.on(CardRead, self._card_read),
                     bridge.on(CardReadFailed, self._card_failed)]
        self.visit.start()

    def cancel(self) -> None:
        """The person pressed Cancel: wipe and go back to the start."""
        self.visit.cancel()

    def abandon(self) -> None:
        """End the visit now: the visit cancels an unfinished case (wiping its personal data)
        and forgets the person; the screens that showed it are deleted."""
        for off in self._off:
            off()
        self._off = []
        self.visit.abandon()
        self._stop_worker()
        for screen in list(self.screens.values()):
            self._dispose(screen)
        self.screens.clear()
        self._taken = None

    def _alive(self) -> bool:
        return not self.visit.closed and shiboken6.isValid(self)

    # -- carrying out the visit's commands -----------------------------------------------------

    def _execute(self, command: Command) -> None:
        database = self.runtime.db
        if isinstance(command, Store):
            DbOp(database, command.work).success(command.then).failure(command.failed).run()
        elif isinstance(command, Read):
            work = command.work

            def read() -> Any:
                with database.session() as session:
                    return work(session)

            run_async(read, command.then, command.failed)
        elif isinstance(command, Compute):
            run_async(command.work, command.then, command.failed)
        elif isinstance(command, StopLiveness):
            self._stop_worker()
        elif isinstance(command, Finished):
            if shiboken6.isValid(self):
                self.finished.emit()
        elif not self._alive():
            return  # the rest is for a visit still on screen
        elif isinstance(command, ReadCard):
            reader = self.runtime.devices.device("idcard")
            if reader is not None:
                reader.request_read()
        elif isinstance(command, StartLiveness):
            self._start_liveness(command)

    def _card_read(self, event: CardRead) -> None:
        if self.visit.state is VisitState.CARD:
            self.visit.card_read(from_identity_card(event.card, event.photo,
                                                    list(event.validations)))

    def _card_failed(self, event: CardReadFailed) -> None:
        english = current_language() == "en"
        reason = getattr(event.error, "message_en" if english else "message_zh", "") or str(
            event.error)
        self.visit.card_failed(reason)

    def _start_liveness(self, command: StartLiveness) -> None:
        screen = self.screens.get(Screen.LIVENESS)
        if not isinstance(screen, LivenessScreen):
            return
        screen.begin(command.attempt, command.of)
        self._stop_worker()
        visit = self.visit
        worker = LivenessWorker(self.runtime.devices.device("camera"), self._liveness_factory,
                                deliver=post, on_state=screen.show_state,
                                on_finished=self._liveness_finished,
                                on_failed=visit.liveness_failed)
        self._worker = worker
        worker.start()

    def _liveness_finished(self, outcome: LivenessOutcome) -> None:
        self._stop_worker()
        self.visit.liveness_finished(outcome.verdict, outcome.live_jpeg,
                                     captured_at=outcome.captured_at, camera=outcome.camera)

    def _capture(self, screen: ScanScreen) -> None:
        """The camera's newest live frame (none from a lost camera), with its evidence."""
        frame = screen.preview.latest_frame()
        if frame is None:
            self.visit.capture(None)
            return
        camera = frame.camera.to_json() if frame.camera is not None else None
        self.visit.capture(frame.image.copy(), captured_at=frame.captured_at, camera=camera)

    def _stop_worker(self) -> None:
        if self._worker is not None:
            worker, self._worker = self._worker, None
            worker.stop()

    # -- showing the visit ---------------------------------------------------------------------

    def _render(self) -> None:
        if not self._alive():
            return
        visit = self.visit
        while self._shown < len(visit.route):
            self._shown += 1
            self._show(Screen(visit.route[self._shown - 1]))
        screen = self.screens.get(visit.screen)
        if screen is None:
            return
        self._update(screen)
        if visit.notice is not self._notice:
            self._notice = visit.notice
            if visit.notice is not None:
                self._tell(screen, visit.notice)

    def _show(self, key: Screen) -> None:
        screen = self.screens.get(key)
        if key is Screen.LIVENESS and isinstance(screen, LivenessScreen):
            self.stack.setCurrentWidget(screen)  # another attempt on the same screen
            return
        if screen is not None:
            self._dispose(screen)
        previous = self.stack.currentWidget()
        if isinstance(previous, KioskScreen):
            previous.release()  # its camera picture is not needed any more
        screen = self._build(key)
        self.screens[key] = screen
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)

    def _build(self, key: Screen) -> KioskScreen:
        visit, camera = self.visit, self.runtime.devices.device("camera")
        step = visit.step_number(key)
        if key is Screen.CARD:
            card = CardScreen(step)
            card.cancel_requested.connect(self.cancel)
            card.continue_button.clicked.connect(visit.proceed)
            return card
        if key is Screen.LIVENESS:
            liveness = LivenessScreen(camera, step)
            liveness.retry_button.clicked.connect(visit.retry)
            liveness.cancel_button.clicked.connect(self.cancel)
            return liveness
        if key in (Screen.MATCHED, Screen.NO_CHIP_PHOTO, Screen.MANUAL_REVIEW):
            notice = NoticeScreen(f"kiosk{key[:1].upper()}{key[1:]}")
            notice.set_texts(lambda: self._notice_texts(key))
            notice.next_button.clicked.connect(visit.proceed)
            return notice
        if key is Screen.SCANS:
            scans = ScanScreen(camera, step)
            scans.capture_requested.connect(lambda: self._capture(scans))
            scans.cancel_button.clicked.connect(self.cancel)
            scans.preview.start()
            return scans
        if key is Screen.PHOTO:
            profile = visit.spec.photo.profile if visit.spec.photo else ""
            photo = PhotoScreen(camera, profile, step)
            photo.view.photo_captured.connect(
                lambda taken: visit.photo_captured(taken.jpeg, taken.profile, taken.report,
                                                   captured_at=taken.captured_at,
                                                   camera=taken.camera))
            photo.view.photo_discarded.connect(visit.photo_discarded)
            photo.use_button.clicked.connect(visit.use_photo)
            photo.cancel_button.clicked.connect(self.cancel)
            photo.view.start()
            return photo
        if key is Screen.PHONE:
            phone = PhoneScreen(step)
            phone.submitted.connect(visit.phone_entered)
            phone.cancel_button.clicked.connect(self.cancel)
            return phone
        if key is Screen.SIGN:
            return SignScreen(step)
        done = DoneScreen()
        done.set_summary(self._summary)
        done.finish_button.clicked.connect(visit.finish)
        return done

    def _dispose(self, screen: KioskScreen) -> None:
        screen.release()
        self.stack.removeWidget(screen)
        screen.setParent(None)
        screen.deleteLater()

    def _update(self, screen: KioskScreen) -> None:
        """Bring the current screen up to the visit's state."""
        visit, state = self.visit, self.visit.state
        if isinstance(screen, LivenessScreen):
            if state in (VisitState.CHECKING, VisitState.RETRY):
                screen.end()
            if state is VisitState.RETRY:
                screen.show_failed()
        elif isinstance(screen, NoticeScreen):
            screen.next_button.setEnabled(state is not VisitState.SWITCHING)
        elif isinstance(screen, ScanScreen):
            if screen.part != visit.part and visit.part:
                screen.set_part(visit.part)
            screen.capture_button.setEnabled(state is VisitState.SCANS)
            if visit.taken is not None and visit.taken is not self._taken:
                self._taken = visit.taken
                screen.show_taken(_pixmap(visit.taken))
        elif isinstance(screen, PhotoScreen):
            screen.use_button.setEnabled(visit.photo_ready and state is VisitState.PHOTO)
        elif isinstance(screen, SignScreen):
            if visit.agreement is not None and screen.widget is None:
                self._show_agreement(screen, *visit.agreement)
        elif isinstance(screen, DoneScreen):
            if self._receipt is None:
                self._receipt = self._show_receipt(screen)
            if visit.receipt is not None and not self._receipt_shown:
                self._receipt_shown = True
                self._receipt.show_receipt(visit.receipt)

    def _show_agreement(self, screen: SignScreen, version: str, text: str) -> None:
        from ui.signature_widget import SignatureCaptureWidget

        visit = self.visit
        pad = self.runtime.devices.device("sigpad")
        widget = SignatureCaptureWidget(visit.case_id or "", text, version, large=True, pad=pad,
                                        bus=self.runtime.bus, inactivity_s=None)
        widget.accepted.connect(visit.signed)
        widget.cancelled.connect(
            lambda: visit.signing_ended(widget.finish_reason == "cancelled"))
        screen.set_capture(widget)
        widget.start()

    def _show_receipt(self, screen: DoneScreen) -> ReceiptView:
        receipt = ReceiptView()
        for button in (receipt.save_button, receipt.print_button, receipt.done_button):
            button.setVisible(False)  # no dialogs on a public terminal: the screen prints
        screen.set_receipt(receipt)
        screen.print_button.clicked.connect(lambda: self._print(screen, receipt))
        receipt.previewReady.connect(lambda _pages: screen.print_button.setEnabled(
            screen.printer_available))
        return receipt

    def _print(self, screen: DoneScreen, receipt: ReceiptView) -> None:
        """Straight to the terminal's default printer (A4), no print dialog."""
        from PySide6.QtGui import QPageLayout, QPageSize
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        screen.print_button.setEnabled(False)  # one copy per visit
        receipt.print_receipt(printer)

    # -- words ---------------------------------------------------------------------------------

    def _tell(self, screen: KioskScreen, notice: Notice) -> None:
        say, detail = notice.say, notice.detail
        if say is Say.READING and isinstance(screen, CardScreen):
            screen.show_reading()
        elif say is Say.WELCOME and isinstance(screen, CardScreen) and self.visit.card:
            screen.show_card(self.visit.card)
        elif say is Say.CARD_FAILED:
            screen.show_message(self.tr("The card could not be read: {reason} Please take it "
                                        "off and place it again.").format(reason=detail))
        elif say is Say.CARD_NOT_VALID:
            screen.show_message(self.tr(
                "This ID card is not valid today (valid until {date}), so it cannot be used at "
                "this terminal. Please take it to a service window, where the staff can help "
                "you.").format(date=detail or "—"))
        elif say is Say.COMPARING:
            screen.show_message(self.tr("Thank you! Comparing your face with your ID card…"),
                                "info")
        elif say is Say.TRY_AGAIN:
            screen.show_message(self.tr(
                "{why} Don't worry, let's try again: touch \"Try again\" when you are ready. "
                "({left} tries left)").format(why=self._why(notice), left=notice.left))
        elif say is Say.TAKEN:
            screen.show_message(self.tr("Got it, thank you."), "ok")
        elif say is Say.NO_PICTURE:
            screen.show_message(self.tr("The camera has no picture yet. Please wait a moment."))
        elif say is Say.BAD_PHONE:
            screen.show_message(detail)
        elif say is Say.NOT_A_CARD:
            screen.show_message(self.tr(
                "We could not see the whole card. Please hold it a little closer, with all "
                "four edges inside the picture, and touch the button again."))
        else:
            screen.show_message(self.tr(
                "Sorry, something went wrong: {reason}. Please try again or ask at the "
                "service window.").format(reason=detail))

    def _why(self, notice: Notice) -> str:
        """The core's reasons are for staff; a stranger gets a kind sentence with a tip."""
        sentences = {
            CAMERA_FAILED: self.tr("The camera check could not run."),
            FACE_MISMATCH: self.tr(
                "Your face did not match the photo on your ID card clearly enough."),
            "timeout": self.tr("That took a little too long."),
            "no_face": self.tr(
                "We lost sight of your face. Please stay in front of the camera."),
            "several_faces": self.tr(
                "More than one face was in the picture. Please do the check alone."),
            "static_image": self.tr(
                "We could not see you move. Please follow each instruction clearly."),
            "wrong_response": self.tr(
                "That was a different movement. Please watch the instruction at the top."),
            "face_changed": self.tr("The face in the picture changed during the check."),
        }
        return sentences.get(notice.why, notice.detail)

    def _notice_texts(self, key: Screen) -> tuple[str, str, str, str]:
        if key is Screen.MATCHED:
            return ("✔", self.tr("It's you!"),
                    self.tr("Your face matches the photo on your ID card."), self.tr("Continue"))
        if key is Screen.NO_CHIP_PHOTO:
            return ("✔", self.tr("Live check passed"),
                    self.tr("The photo stored in your ID card cannot be read at this terminal, "
                            "so we could not compare your face here. That is fine: a staff "
                            "member will look at your registration and you do not need to do "
                            "anything more."),
                    self.tr("Continue"))
        return ("↻", self.tr("Let's do it another way"),
                self.tr("We could not confirm your face automatically. No problem: take photos "
                        "of both sides of your ID card and one of yourself, and a staff member "
                        "will check them for you."),
                self.tr("Continue"))

    def _summary(self) -> str:
        result = self.visit.result
        if result is None:
            return ""
        text = self.tr("Your application number is {number}.").format(number=result.number)
        if result.flags:
            due = beijing_text(result.due_at) if isinstance(result.due_at, datetime) else ""
            text += "\n" + self.tr(
                "A staff member will check it, usually by {due}. The 12123 app and a text "
                "message will tell you the result.").format(due=due)
        else:
            text += "\n" + self.tr("Your registration is complete.")
        return text

"""The screens of one person's visit. They show and collect; the visit
(station/workflows/visit.py) decides and ui/kiosk/session.py shows its state on them.

Each screen is built for that one visit and deleted with it, so nothing of one person can
be left in a widget for the next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from devices.camera.device import Frame, LatestFrame
from station.i18n import current_language
from station.liveness import Phase, SessionState
from ui.camera_view import CameraView, PreviewWidget, is_live
from ui.kiosk.screens import KioskScreen
from ui.kiosk.widgets import KeyPad, big_button, body_text
from ui.signature_widget import SignatureCaptureWidget


def pick(message: dict[str, str]) -> str:
    """The current language's text of a core {"zh", "en"} message."""
    return message.get("en", "") if current_language() == "en" else message.get("zh", "")


class CameraPreview(PreviewWidget):
    """The camera's newest frame, painted on a timer; keeps the newest frame for a capture.
    A frame the camera no longer backs (lost, stalled, from before a reconnect) is taken off
    the screen and never given out for a capture, until fresh frames arrive."""

    def __init__(self, camera: Any) -> None:
        super().__init__()
        self._camera = camera
        self._box = LatestFrame()
        self._unsubscribe: Callable[[], None] | None = None
        self._shown = -1
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._refresh)

    def start(self) -> None:
        if self._unsubscribe is None and self._camera is not None:
            self._unsubscribe = self._camera.subscribe_frames(self._on_frame)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_frame(self, frame: Frame) -> None:
        self._box.put(frame)  # camera thread: hand over only

    def _newest(self) -> Frame | None:
        frame = self._box.peek()
        return frame if is_live(self._camera, frame) else None

    def _refresh(self) -> None:
        frame = self._newest()
        if frame is None:
            if self.showing_frame or not self.note:
                self.clear_frame(self.tr("Waiting for the camera's picture…"))
                self._shown = -1  # the next fresh frame is painted whatever its number
            return
        if frame.sequence != self._shown:
            self._shown = frame.sequence
            self.set_frame(frame.image)

    def latest(self) -> np.ndarray | None:
        frame = self._newest()
        return None if frame is None else frame.image.copy()

    def latest_frame(self) -> Frame | None:
        """The newest live frame with when and by which camera it was taken, or None."""
        return self._newest()

    def forget(self) -> None:
        self.stop()
        self._box = LatestFrame()
        self._image = None
        self.update()


class CardScreen(KioskScreen):
    """Place the ID card on the reader; once read, its data (masked) for the person to
    recognise as theirs before going on."""

    cancel_requested = Signal()

    def __init__(self, step: int = 1) -> None:
        super().__init__("kioskCard", step=step)
        self.picture = QLabel()
        self.picture.setObjectName("cardPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setFixedSize(428, 270)  # an ID card's proportions, 85.6 x 54 mm
        self.card_data = body_text("cardData")  # the read card, masked; empty until read
        self.card_data.setProperty("kioskRole", "summary")
        self.card_data.setVisible(False)
        self.content.addStretch(1)
        self.content.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        self.content.addWidget(self.card_data)
        self.content.addStretch(1)
        self.cancel_button = big_button("cardCancel")
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        self.continue_button = big_button("cardContinue", primary=True)
        self.continue_button.setVisible(False)
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.continue_button)
        self._card: Any = None  # station.workflows.visit.CardShown once read
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.step_title(self.tr("your ID card")))
        self.text.setText(self.tr(
            "Please place your second-generation ID card flat on the reader below the screen "
            "and leave it there until you hear the beep.") if self._card is None else self.tr(
            "Please check that this is your card, then touch \"Continue\"."))
        self.picture.setText(self.tr("ID card\non the reader"))
        self.cancel_button.setText(self.tr("Back to start"))
        self.continue_button.setText(self.tr("Continue"))
        card = self._card
        if card is not None:
            valid = card.valid_to or self.tr("long-term")
            self.card_data.setText("\n".join((
                self.tr("Name: {name}").format(name=card.name),
                self.tr("ID number: {number}").format(number=card.number),
                self.tr("Valid until: {date}").format(date=valid))))

    def show_reading(self) -> None:
        self.show_message(self.tr("Reading your card, please keep it still…"), "info")

    def show_card(self, card: Any) -> None:
        """The card was read: its data, masked, and the button to go on."""
        self._card = card
        self.picture.setVisible(False)
        self.card_data.setVisible(True)
        self.continue_button.setVisible(True)
        self.show_message(self.tr("Thank you, {name}. Your card has been read.").format(
            name=card.name), "ok")
        self.retranslate()

    def release(self) -> None:
        self._card = None  # nothing of the person stays in a widget
        self.card_data.clear()


class LivenessScreen(KioskScreen):
    """Live face check: camera picture, one big instruction, and how far along it is."""

    def __init__(self, camera: Any, step: int = 2) -> None:
        super().__init__("kioskLiveness", step=step)
        self.preview = CameraPreview(camera)
        self.preview.setMinimumSize(400, 225)  # it takes whatever room the screen has
        self.instruction = body_text("livenessInstruction")
        self.instruction.setProperty("kioskRole", "instruction")
        self.progress = body_text("livenessProgress")
        self.content.addWidget(self.instruction)
        self.content.addWidget(self.preview, 1)
        self.content.addWidget(self.progress)
        self.retry_button = big_button("livenessRetry", primary=True)
        self.retry_button.setVisible(False)
        self.cancel_button = big_button("livenessCancel")
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.retry_button)
        self._state: SessionState | None = None
        self._failed = False
        self.attempt, self.max_attempts = 1, 3
        self.retranslate()

    def begin(self, attempt: int, max_attempts: int) -> None:
        self.attempt, self.max_attempts = attempt, max_attempts
        self._state = None
        self._failed = False
        self.message.clear()
        self.retry_button.setVisible(False)
        self.preview.start()
        self.retranslate()

    def end(self) -> None:
        self.preview.stop()

    def release(self) -> None:
        self.end()

    def show_state(self, state: SessionState) -> None:
        self._state = state
        self._failed = False
        self.retranslate()

    def show_failed(self) -> None:
        self._failed = True
        self.retry_button.setVisible(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.step_title(self.tr("a quick live check")))
        self.text.setText(self.tr(
            "Look at the camera and follow the instruction. This shows it is really you "
            "standing here. (Try {attempt} of {total})").format(
                attempt=self.attempt, total=self.max_attempts))
        state = self._state
        if self._failed:
            self.instruction.setText(self.tr("Let's try that once more"))
            self.progress.clear()
        elif state is None:
            self.instruction.setText(self.tr("Please look straight at the camera"))
            self.progress.setText(self.tr("Getting the camera ready…"))
        elif state.phase is Phase.DONE:
            self.instruction.setText(pick(state.instruction))
            self.progress.clear()
        else:
            self.instruction.setText(pick(state.instruction))
            action = min(state.challenge_index + 1, state.total)
            if state.phase is Phase.CHALLENGE:
                seconds = "" if state.remaining_s is None else self.tr(
                    " · {s} seconds left").format(s=int(state.remaining_s + 0.99))
                self.progress.setText(self.tr("Action {n} of {total}").format(
                    n=action, total=state.total) + seconds)
            else:
                self.progress.setText(self.tr("Hold still and look at the camera"))
        self.retry_button.setText(self.tr("Try again"))
        self.cancel_button.setText(self.tr("Cancel"))


class NoticeScreen(KioskScreen):
    """A friendly message between steps (result of the face check, a change of route)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.symbol = body_text(f"{name}Symbol")
        self.symbol.setProperty("kioskRole", "symbol")
        self.content.addStretch(1)
        self.content.addWidget(self.symbol)
        self.content.addStretch(1)
        self.next_button = big_button(f"{name}Next", primary=True)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.next_button)
        self._texts: Callable[[], tuple[str, str, str, str]] | None = None

    def set_texts(self, texts: Callable[[], tuple[str, str, str, str]]) -> None:
        """``texts()`` -> (symbol, heading, text, button), called again on language change."""
        self._texts = texts
        self.retranslate()

    def retranslate(self) -> None:
        if self._texts is not None:
            symbol, title, text, button = self._texts()
            self.symbol.setText(symbol)
            self.heading.setText(title)
            self.text.setText(text)
            self.next_button.setText(button)


class PhoneScreen(KioskScreen):
    """The mobile number, typed on the on-screen keypad."""

    submitted = Signal(str)

    def __init__(self, step: int = 3) -> None:
        super().__init__("kioskPhone", step=step)
        self.number = QLineEdit()
        self.number.setObjectName("phoneNumber")
        self.number.setReadOnly(True)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setMinimumHeight(84)
        self.keypad = KeyPad(max_length=11)
        self.keypad.typed.connect(self._typed)
        self.content.addWidget(self.number)
        self.content.addWidget(self.keypad, 0, Qt.AlignmentFlag.AlignHCenter)
        self.content.addStretch(1)
        self.confirm_button = big_button("phoneConfirm", primary=True)
        self.confirm_button.clicked.connect(lambda: self.submitted.emit(self.keypad.text))
        self.cancel_button = big_button("phoneCancel")
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.confirm_button)
        self.retranslate()

    def _typed(self, text: str) -> None:
        groups = [text[:3], text[3:7], text[7:]]  # 138 1234 5678: easy to check by eye
        self.number.setText(" ".join(g for g in groups if g))
        self.message.clear()

    def retranslate(self) -> None:
        self.heading.setText(self.step_title(self.tr("your mobile number")))
        self.text.setText(self.tr(
            "Type the mobile number registered in your name. The 12123 service sends its "
            "messages to this number."))
        self.number.setPlaceholderText(self.tr("11 digits"))
        self.confirm_button.setText(self.tr("Confirm"))
        self.cancel_button.setText(self.tr("Cancel"))

    def clear(self) -> None:
        self.keypad.clear()


class SignScreen(KioskScreen):
    """The agreement and the signature, on the touch screen (or the pad when there is one)."""

    def __init__(self, step: int = 4) -> None:
        super().__init__("kioskSign", step=step)
        self.widget: SignatureCaptureWidget | None = None  # its own Clear / Cancel / Accept
        self.retranslate()

    def set_capture(self, widget: SignatureCaptureWidget) -> None:
        self.widget = widget
        widget.title.setVisible(False)  # the screen's own text says it
        widget.text_view.setMinimumHeight(110)  # it scrolls; the rest fits 1366 x 768
        widget.text_view.setObjectName("kioskAgreementText")  # 24 px: readable at arm's length
        widget.accept_button.setProperty("kioskRole", "primary")
        self.content.addWidget(widget, 1)

    def release(self) -> None:
        if self.widget is not None:
            self.widget.abort()  # the pad stops sampling for this page

    def retranslate(self) -> None:
        self.heading.setText(self.step_title(self.tr("read and sign")))
        self.text.setText(self.tr(
            "Please read the user agreement, then sign with your finger in the white box "
            "and touch Accept."))


# Friendly full sentences for the e-licence photo, by the check that needs fixing first.
def photo_sentence(check: str) -> str:
    from PySide6.QtCore import QCoreApplication

    translate = QCoreApplication.translate
    closer = translate("KioskPhotoGuidance", "Please come one small step closer to the camera.")
    glasses = translate("KioskPhotoGuidance", "Please take off your glasses for the photo.")
    straight = translate(
        "KioskPhotoGuidance",
        "Please look straight into the camera, as if you were looking at a friend.")
    background = translate(
        "KioskPhotoGuidance", "Please stand in front of the white background.")
    sentences = {
        "face_count": translate(
            "KioskPhotoGuidance",
            "Only one person in the picture, please. Could anyone with you step aside for a "
            "moment?"),
        "face_in_frame": translate(
            "KioskPhotoGuidance",
            "Please move a little so that your face is in the middle of the picture."),
        "resolution": closer,
        "inter_eye_distance": closer,
        "crop_margins": translate(
            "KioskPhotoGuidance", "Please take one small step back from the camera."),
        "head_covering": translate(
            "KioskPhotoGuidance", "Please take off your hat or cap for the photo."),
        "dark_lenses": glasses,
        "glasses_glare": glasses,
        "yaw": straight,
        "head_width": straight,
        "pitch": translate(
            "KioskPhotoGuidance", "Please keep your chin level, neither up nor down."),
        "roll": translate(
            "KioskPhotoGuidance", "Please hold your head straight, without tilting it."),
        "eyes_open": translate(
            "KioskPhotoGuidance", "Please keep your eyes open and look at the camera."),
        "mouth_closed": translate("KioskPhotoGuidance", "Please close your mouth gently."),
        "expression": translate(
            "KioskPhotoGuidance", "Please keep a calm, relaxed face, without smiling."),
        "sharpness": translate("KioskPhotoGuidance", "Please hold still for a moment."),
        "background_lightness": background,
        "background_colour": background,
        "background_uniformity": background,
        "background_marks": background,
        "image_marks": translate(
            "KioskPhotoGuidance", "Please make sure nothing covers your face."),
    }
    return sentences.get(check, "")


class KioskCameraView(CameraView):
    """The clerk's camera view made for strangers: big friendly sentences, no check list,
    no manual capture or override (a kiosk user cannot overrule the photo rules)."""

    def __init__(self, camera: Any, profile: str) -> None:
        super().__init__(camera, profile, text_scale=1.6, show_checks=False)
        for widget in (self.reason_edit, self.manual_button, self.device_label):
            widget.setVisible(False)
        self.instruction.setProperty("kioskRole", "instruction")
        self.retake_button.setMinimumHeight(88)
        self.retake_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.photo_captured.connect(self._say_taken)

    def _say_taken(self, _photo: object) -> None:
        self.instruction.setText(self.tr("Done! Your photo is on the right. If you like it, "
                                         "touch \"Use this photo\"."))

    def _set_instruction(self, report: Any, progress: float = 0.0) -> None:
        super()._set_instruction(report, progress)
        if report is None:
            self.instruction.setText(self.tr("Please stand in front of the camera and look "
                                             "into it. We take the photo for you."))
            return
        from station.photo.guidance import instruction_for

        wanted = instruction_for(report)
        if wanted is None:
            self.instruction.setText(self.tr("Perfect, please hold still. Taking your photo…"))
            return
        sentence = photo_sentence(str(wanted.get("check", "")))
        if sentence:
            self.instruction.setText(sentence)


class PhotoScreen(KioskScreen):
    """The e-licence photo, taken automatically when it meets the rules of ``profile``."""

    def __init__(self, camera: Any, profile: str, step: int = 2) -> None:
        super().__init__("kioskPhoto", step=step)
        self.view = KioskCameraView(camera, profile)
        self.content.addWidget(self.view, 1)
        self.use_button = big_button("photoUse", primary=True)
        self.use_button.setEnabled(False)
        self.cancel_button = big_button("photoCancel")
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.use_button)
        self.view.photo_discarded.connect(lambda: self.use_button.setEnabled(False))
        self.retranslate()

    def release(self) -> None:
        self.view.stop()

    def retranslate(self) -> None:
        self.heading.setText(self.step_title(self.tr("your e-licence photo")))
        self.text.setText(self.tr(
            "Stand about half a metre from the camera. Follow the sentence at the top; "
            "the photo is taken by itself when everything is right."))
        self.use_button.setText(self.tr("Use this photo"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.view.retake_button.setText(self.tr("Take it again"))


class ScanScreen(KioskScreen):
    """Manual-review route: hold the ID card's front, then its back, then your face to the
    camera and touch the button each time."""

    capture_requested = Signal()

    def __init__(self, camera: Any, step: int = 0) -> None:
        super().__init__("kioskScan", step=step)
        self.preview = CameraPreview(camera)
        self.preview.setMinimumSize(400, 225)  # it takes the room there is on the screen
        self.taken = QLabel()
        self.taken.setObjectName("scanTaken")
        self.taken.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.taken.setFixedHeight(120)
        self.content.addWidget(self.preview, 1)
        self.content.addWidget(self.taken)
        self.capture_button = big_button("scanCapture", primary=True)
        self.capture_button.clicked.connect(self.capture_requested.emit)
        self.cancel_button = big_button("scanCancel")
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.capture_button)
        self.part = "id_front"
        self.retranslate()

    def set_part(self, part: str) -> None:
        self.part = part
        self.message.clear()
        self.capture_button.setEnabled(True)
        self.retranslate()

    def end(self) -> None:
        self.preview.stop()

    def release(self) -> None:
        self.end()

    def show_taken(self, pixmap: QPixmap) -> None:
        self.taken.setPixmap(pixmap.scaledToHeight(112, Qt.TransformationMode.SmoothTransformation))

    def retranslate(self) -> None:
        self.heading.setText(self.step_title(self.tr("photos for a staff member to check")))
        if self.part == "id_front":
            self.text.setText(self.tr(
                "Hold the FRONT of your ID card (the side with your photo) up to the camera, "
                "close enough to fill most of the picture, then touch the button."))
        elif self.part == "id_back":
            self.text.setText(self.tr(
                "Now turn the card over: hold the BACK (the side with the national emblem) "
                "up to the camera, then touch the button."))
        else:
            self.text.setText(self.tr(
                "Last, a photo of you: put the card away, look straight at the camera and "
                "touch the button."))
        self.capture_button.setText(self.tr("Take the photo"))
        self.cancel_button.setText(self.tr("Cancel"))


class DoneScreen(KioskScreen):
    """Submitted: the case number, what happens next, the receipt to print."""

    def __init__(self) -> None:
        super().__init__("kioskDone")
        self.summary = body_text("doneSummary")
        self.summary.setProperty("kioskRole", "summary")
        self.content.addWidget(self.summary)
        self.receipt: QWidget | None = None
        self.finish_button = big_button("doneFinish", primary=True)
        self.print_button = big_button("donePrint")
        self.print_button.setEnabled(False)
        from PySide6.QtPrintSupport import QPrinterInfo

        self.printer_available = not QPrinterInfo.defaultPrinter().isNull()
        self.print_button.setVisible(self.printer_available)
        self.buttons.addWidget(self.print_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.finish_button)
        self._summary: Callable[[], str] | None = None
        self.retranslate()

    def set_receipt(self, view: QWidget) -> None:
        self.receipt = view
        self.content.addWidget(view, 1)

    def set_summary(self, summary: Callable[[], str]) -> None:
        self._summary = summary
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Done, thank you!"))
        self.text.setText(self.tr("Please take your ID card and your receipt with you.")
                          if self.printer_available else
                          self.tr("Please take your ID card with you."))
        self.finish_button.setText(self.tr("Finish"))
        self.print_button.setText(self.tr("Print my receipt"))
        if self._summary is not None:
            self.summary.setText(self._summary())

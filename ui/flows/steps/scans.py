"""Documents captured with the camera (page found and flattened) or imported from a file."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.db.models import Case
from station.i18n import current_language
from station.scans.page import CARD_SCAN_KINDS, capture_page, card_shape, decode_image, encode_jpeg
from station.workflows import cases
from ui.camera_view import PreviewWidget, is_live
from ui.fitted_image import FittedImage
from ui.flows.step import FlowContext, FlowStep
from ui.places import documents_folder
from ui.workers import run_async, watch_future


def scan_label(kind: str) -> str:
    return {
        "business_licence": QCoreApplication.translate("Scans", "Business licence"),
        "power_of_attorney": QCoreApplication.translate("Scans", "Power of attorney"),
        "agent_id_front": QCoreApplication.translate("Scans", "Agent's ID card, front"),
        "agent_id_back": QCoreApplication.translate("Scans", "Agent's ID card, back"),
        "id_front": QCoreApplication.translate("Scans", "ID card, front (portrait side)"),
        "id_back": QCoreApplication.translate("Scans", "ID card, back (emblem side)"),
    }.get(kind, kind)


def bgr_to_pixmap(image: np.ndarray, max_side: int = 360) -> QPixmap:
    rgb = np.ascontiguousarray(image[:, :, ::-1])
    h, w = rgb.shape[:2]
    qimage = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    return QPixmap.fromImage(qimage).scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation)


class FrameGrabber:
    """Keeps the camera's newest frame (on the camera's thread) for the live preview and a
    capture on demand; a frame the camera no longer backs (lost, stalled) is not given out."""

    def __init__(self, camera: Any) -> None:
        self._camera = camera
        self._lock = threading.Lock()
        self._frame: Any = None
        self._unsubscribe = camera.subscribe_frames(self._on_frame) if camera is not None else None

    def _on_frame(self, frame: Any) -> None:
        with self._lock:
            self._frame = frame

    def newest(self) -> Any:
        """The newest live frame (devices.camera.Frame), or None."""
        with self._lock:
            frame = self._frame
        return frame if is_live(self._camera, frame) else None

    def latest(self) -> np.ndarray | None:
        frame = self.newest()
        return None if frame is None else frame.image.copy()

    def close(self) -> None:
        if callable(self._unsubscribe):
            self._unsubscribe()
        self._unsubscribe = None


class ScanSlot(QWidget):
    def __init__(self, kind: str, step: ScansStep) -> None:
        super().__init__()
        self.kind, self.step = kind, step
        self.title = QLabel(f"<b>{scan_label(kind)}</b>")
        self.preview = FittedImage(QSize(160, 100))  # the scan scaled to the slot's room
        self.preview.setObjectName(f"scanPreview_{kind}")
        self.preview.setStyleSheet("border: 1px dashed #9aa5b1; background: #ffffff;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.capture = QPushButton(self.tr("Capture with camera"))
        self.capture.setObjectName(f"scanCapture_{kind}")
        self.capture.clicked.connect(lambda: step.capture(kind))
        self.import_button = QPushButton(self.tr("Import file…"))
        self.import_button.setObjectName(f"scanImport_{kind}")
        self.import_button.clicked.connect(lambda: step.import_file(kind))
        buttons = QHBoxLayout()
        buttons.addWidget(self.capture)
        buttons.addWidget(self.import_button)
        # a picture that does not look like an ID card is kept only with a reason
        self.reason = QLineEdit()
        self.reason.setObjectName(f"scanReason_{kind}")
        self.reason.setPlaceholderText(self.tr("Why this picture is kept anyway"))
        self.keep_button = QPushButton(self.tr("Keep with this reason"))
        self.keep_button.setObjectName(f"scanKeep_{kind}")
        self.keep_button.clicked.connect(lambda: step.keep_with_reason(kind))
        self.reason.returnPressed.connect(lambda: step.keep_with_reason(kind))
        self.override = QWidget()
        override = QHBoxLayout(self.override)
        override.setContentsMargins(0, 0, 0, 0)
        override.addWidget(self.reason, 1)
        override.addWidget(self.keep_button)
        self.override.setVisible(False)
        self.pending: tuple[bytes, dict[str, Any]] | None = None  # waiting for a reason
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.override)
        layout.addLayout(buttons)


class ScansStep(FlowStep):
    key = "scans"

    def __init__(self, ctx: FlowContext, kinds: tuple[str, ...]) -> None:
        super().__init__(ctx)
        self.kinds = kinds
        self.done: set[str] = set()
        self.grabber: FrameGrabber | None = None
        self.slots = {kind: ScanSlot(kind, self) for kind in kinds}
        # what the camera sees, live: the clerk places the document before "Capture"
        self.live = PreviewWidget()
        self.live.setObjectName("scanLivePreview")
        self._shown_sequence = -1
        self._preview_timer = QTimer(self)
        self._preview_timer.setInterval(66)
        self._preview_timer.timeout.connect(self._refresh_preview)
        grid = QGridLayout()
        for i, slot in enumerate(self.slots.values()):
            grid.addWidget(slot, i // 2, i % 2)
        top = QHBoxLayout()
        top.addWidget(self.live, 1)
        top.addLayout(grid, 2)
        self.next_button = QPushButton()
        self.next_button.setObjectName("scansNext")
        self.next_button.clicked.connect(self._next)
        self.body.addLayout(top, 1)
        self.body.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.next_button)
        self.body.addLayout(row)
        self.next_button.setText(self.tr("Continue"))

    def title(self) -> str:
        return self.tr("Documents")

    def activate(self) -> None:
        self.grabber = FrameGrabber(self.ctx.runtime.devices.device("camera"))
        self._preview_timer.start()
        case_id = self.ctx.case_id

        def saved_kinds() -> set[str]:  # a resumed draft keeps what it already has
            with self.ctx.runtime.db.session() as session:
                case = session.get(Case, case_id)
                return {scan.kind for scan in case.scans} if case else set()

        run_async(saved_kinds, self._show_saved)

    def _show_saved(self, kinds: set[str]) -> None:
        for kind in kinds & set(self.kinds):
            if kind not in self.done:
                self.done.add(kind)
                self.slots[kind].status.setText(self.tr("Saved earlier."))
        self._focus_next()

    def _focus_next(self) -> None:
        """The keyboard goes to the next document to capture (Enter captures it), then to
        Continue."""
        missing = [kind for kind in self.kinds if kind not in self.done]
        (self.slots[missing[0]].capture if missing else self.next_button).setFocus()

    def deactivate(self) -> None:
        self._preview_timer.stop()
        if self.grabber is not None:
            self.grabber.close()
            self.grabber = None

    def _refresh_preview(self) -> None:
        frame = self.grabber.newest() if self.grabber is not None else None
        if frame is None:
            if self.live.showing_frame or not self.live.note:
                self.live.clear_frame(self.tr("No live picture from the camera"))
            return
        if frame.sequence != self._shown_sequence:
            self._shown_sequence = frame.sequence
            self.live.set_frame(frame.image)

    def capture(self, kind: str) -> None:
        frame = self.grabber.latest() if self.grabber else None
        if frame is None:
            self.show_error(self.tr("The camera has no picture yet. Check the camera, or import a file."))
            return
        self._process(kind, lambda: frame)

    def import_file(self, kind: str, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, scan_label(kind), str(documents_folder()),
                                                  self.tr("Images (*.jpg *.jpeg *.png *.bmp *.tif)"))
        if path:
            self._process(kind, lambda: decode_image(Path(path).read_bytes()))

    def _process(self, kind: str, load: Any) -> None:
        slot = self.slots[kind]

        def work() -> tuple[Any, bytes, Any]:
            page = capture_page(load())
            shape = card_shape(page) if kind in CARD_SCAN_KINDS else None
            return page, encode_jpeg(page.image), shape

        def processed(result: tuple[Any, bytes, Any]) -> None:
            page, jpeg, shape = result
            slot.preview.setPixmap(bgr_to_pixmap(page.image))
            english = current_language() == "en"
            quality = page.quality()
            messages = list(page.messages)
            if shape is not None:
                quality["card_shape"] = shape.to_json()
                messages += shape.messages
            notes = [m["en"] if english else m["zh"] for m in messages]
            slot.status.setText("\n".join(notes) or self.tr("Page captured."))
            if shape is not None and not shape.looks_like_card:
                self.done.discard(kind)  # not kept until the clerk says why
                slot.pending = (jpeg, quality)
                slot.override.setVisible(True)
                slot.reason.setFocus()
                slot.status.setText(slot.status.text() + "\n" + self.tr(
                    "This does not look like an ID card. Capture it again, or keep it with a "
                    "reason (a supervisor sees it)."))
                return
            slot.pending = None
            slot.override.setVisible(False)
            self._store(kind, jpeg, quality)

        run_async(work, processed, lambda e: self.show_error(
            self.tr("This file cannot be used: {reason}").format(reason=e)))

    def keep_with_reason(self, kind: str) -> None:
        """Keep the picture that does not look like a card, with the clerk's reason."""
        slot = self.slots[kind]
        reason = slot.reason.text().strip()
        if slot.pending is None:
            return
        if not reason:
            self.show_error(self.tr("Enter why this picture is kept although it does not look "
                                    "like an ID card."))
            slot.reason.setFocus()
            return
        jpeg, quality = slot.pending
        slot.pending = None
        slot.override.setVisible(False)
        self._store(kind, jpeg, {**quality, "override_reason": reason})

    def _store(self, kind: str, jpeg: bytes, quality: dict[str, Any]) -> None:
        case_id, actor = self.ctx.case_id, self.ctx.actor
        future = self.ctx.runtime.db.submit(
            lambda s: cases.save_scan(s, case_id, kind, jpeg, actor, quality))
        watch_future(future, lambda _r: self._saved(kind), lambda e: self.show_error(str(e)))

    def _saved(self, kind: str) -> None:
        self.done.add(kind)
        self.message.clear()
        self._focus_next()

    def _next(self) -> None:
        missing = [scan_label(k) for k in self.kinds if k not in self.done]
        if missing:
            self.show_error(self.tr("Still to capture: {items}").format(items="、".join(missing)))
            return
        case_id, actor = self.ctx.case_id, self.ctx.actor
        self.completed.emit(lambda s: cases.complete_step(s, case_id, "scans", actor))

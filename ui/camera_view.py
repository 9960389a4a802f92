"""Live camera view for the photo step: preview with overlay, one instruction at a time, the
per-check list, auto-capture, manual capture with a recorded reason, retake and a true-size
preview of the exported photo.

Threads: the camera's thread only drops each frame into two one-frame mailboxes (preview and
analysis); the GUI paints the newest preview frame on a timer; a worker thread analyses the
newest frame (stale frames are skipped, never queued), drives the core's AutoCapture and
exports. Results reach the GUI by queued signals.

Wiring (flows): ``view = CameraView(device_manager.device("camera"), "cn-driving-licence")``;
connect ``photo_captured(CapturedPhoto)``; ``photo_discarded()`` fires on Retake. The kiosk
uses ``CameraView(camera, profile, text_scale=1.6, show_checks=False)``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from devices.camera.device import Frame, LatestFrame
from station.events import DeviceState
from station.i18n import current_language
from station.photo.autocapture import AutoCapture, CaptureState
from station.photo.guidance import instruction_for, ready_instruction
from station.photo.profiles import PhotoProfile, load_profile
from station.photo.report import PhotoReport
from ui.true_size_photo import TrueSizePhoto

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CapturedPhoto:
    """What ``photo_captured`` carries: the exported JPEG, its report, and why the clerk
    overrode the checks (None for a compliant auto or manual capture)."""

    jpeg: bytes
    report: dict[str, Any]  # final-mode report of the exported file (PhotoReport.to_dict())
    source_report: dict[str, Any]  # capture-mode report of the chosen camera frame
    override_reason: str | None
    profile: str
    automatic: bool
    captured_at: datetime | None = None  # when the camera took the chosen frame (UTC)
    camera: dict[str, Any] | None = None  # which camera took it (CameraIdentity.to_json())


def _pick(message: dict[str, str]) -> str:
    return message.get("en", "") if current_language() == "en" else message.get("zh", "")


# A frame older than this is no longer the live picture (the camera stalled or went away):
# it is taken off the screen and can never be captured.
STALE_AFTER_S = 1.0


def is_live(camera: Any, frame: Frame | None) -> bool:
    """``frame`` is the live picture: recent, and the camera has not been lost since."""
    if frame is None or time.monotonic() - frame.timestamp > STALE_AFTER_S:
        return False
    if getattr(camera, "stream", frame.stream) != frame.stream:
        return False  # taken before the camera was lost and reconnected
    status = getattr(camera, "status", None)
    return status is None or status.state in (DeviceState.READY, DeviceState.BUSY)


class _AnalysisWorker(QObject):
    """Analyses the newest frame in a Python thread; all MediaPipe graphs live in that thread."""

    analysed = Signal(object, object)  # (PhotoReport, progress 0-1)
    captured = Signal(object)  # CapturedPhoto
    failed = Signal(str)  # a message for the clerk (already translated where it can be)

    def __init__(self, mailbox: LatestFrame, profile: PhotoProfile, steady_seconds: float,
                 camera: Any = None) -> None:
        super().__init__()
        self._camera = camera  # its status says whether the newest frame is still live
        self._mailbox = mailbox
        self._profile = profile
        self._auto = AutoCapture(steady_seconds=steady_seconds)
        self._stop = threading.Event()
        self._manual: tuple[str | None] | None = None  # (reason,) when a capture is requested
        self._retake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="photo-analysis", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def request_manual(self, reason: str | None) -> None:
        """Capture the newest frame; with a reason the checks are overridden."""
        with self._lock:
            self._manual = (reason,)

    def request_retake(self) -> None:
        self._retake.set()

    def hold(self) -> None:
        """Start in the captured state (a photo is already shown): no auto-capture until
        retake. Call before start()."""
        self._auto.state = CaptureState.CAPTURED

    def _run(self) -> None:
        from station.photo.analysis import PhotoAnalyser

        video = PhotoAnalyser(video=True)
        still: PhotoAnalyser | None = None
        try:
            while not self._stop.is_set():
                if self._retake.is_set():
                    self._retake.clear()
                    self._auto.reset()
                frame = self._mailbox.take(timeout=0.1)
                with self._lock:
                    manual, self._manual = self._manual, None
                if manual is not None:
                    reason = manual[0]
                    frame = frame or self._mailbox.peek()
                    if not is_live(self._camera, frame):  # never a lost camera's last picture
                        self.failed.emit(self.tr("No live camera picture to capture"))
                        continue
                    assert frame is not None
                    still = still or PhotoAnalyser()
                    self._export(still, frame, reason=reason, automatic=False)
                    continue
                if frame is None or self._auto.state == CaptureState.CAPTURED:
                    continue
                report = video.analyse(frame.image, self._profile, mode="capture")
                best = self._auto.feed(frame.timestamp, report, frame.image, tag=frame)
                self.analysed.emit(report, self._auto.progress)
                if best is not None:
                    still = still or PhotoAnalyser()
                    self._export(still, best.tag, reason=None, automatic=True)
        except Exception:
            log.exception("photo analysis worker failed")
            self.failed.emit(self.tr("Photo analysis stopped: see the log"))
        finally:
            video.close()
            if still is not None:
                still.close()

    def _export(self, analyser: Any, frame: Frame, *, reason: str | None,
                automatic: bool) -> None:  # fmt: skip
        from station.photo.export import ExportError, export_photo

        try:
            result = export_photo(analyser, frame.image, self._profile, force=reason is not None)
        except ExportError as exc:
            self._auto.reset()
            first = exc.checks[0] if exc.checks else None
            if first is None:
                self.failed.emit(str(exc))
            else:
                english = current_language() == "en"
                self.failed.emit(first.message_en if english else first.message_zh)
            return
        self._auto.state = CaptureState.CAPTURED  # hold until retake, also after a manual one
        self.captured.emit(
            CapturedPhoto(
                jpeg=result.jpeg,
                report=result.report.to_dict(),
                source_report=result.source_report.to_dict(),
                override_reason=reason,
                profile=self._profile.name,
                automatic=automatic,
                captured_at=frame.captured_at,
                camera=frame.camera.to_json() if frame.camera is not None else None,
            )
        )


class PreviewWidget(QWidget):
    """Paints the newest frame scaled to fit, with the analysis overlay."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("camera_preview")
        self.setMinimumSize(QSize(320, 180))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None
        self._frame_size: tuple[int, int] | None = None
        self._report: PhotoReport | None = None
        self.painted_frames = 0
        self.note = ""  # said on the dark area while there is no picture

    def set_frame(self, image: np.ndarray) -> None:
        self.note = ""
        height, width = image.shape[:2]
        data = np.ascontiguousarray(image)
        self._image = QImage(data.data, width, height, data.strides[0],
                             QImage.Format.Format_BGR888).copy()  # fmt: skip
        self._frame_size = (width, height)
        self.update()

    def set_report(self, report: PhotoReport | None) -> None:
        self._report = report
        self.update()

    def clear_frame(self, note: str = "") -> None:
        """No live picture: nothing of the last frame or its guidance stays on screen."""
        self._image, self._frame_size, self._report = None, None, None
        self.note = note
        self.update()

    @property
    def showing_frame(self) -> bool:
        return self._image is not None

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#202124"))
        if self._image is None or self._frame_size is None:
            if self.note:
                painter.setPen(QColor("#ffffff"))
                painter.drawText(self.rect().adjusted(16, 16, -16, -16),
                                 Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.note)
            painter.end()
            return
        width, height = self._frame_size
        scale = min(self.width() / width, self.height() / height)
        target = QRectF((self.width() - width * scale) / 2, (self.height() - height * scale) / 2,
                        width * scale, height * scale)  # fmt: skip
        painter.drawImage(target, self._image)
        self.painted_frames += 1
        report = self._report
        if report is not None and report.image_size == (width, height):
            self._paint_overlay(painter, report, target.x(), target.y(), scale)
        painter.end()

    def _paint_overlay(self, painter: QPainter, report: PhotoReport, x0: float, y0: float,
                       scale: float) -> None:  # fmt: skip
        overlay = report.overlay
        ok = report.compliant

        def rect(box: tuple[int, int, int, int]) -> QRectF:
            return QRectF(x0 + box[0] * scale, y0 + box[1] * scale, box[2] * scale, box[3] * scale)

        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if overlay.crop_box is not None:
            painter.setPen(QPen(QColor(255, 255, 255, 140), 1, Qt.PenStyle.DashLine))
            painter.drawRect(rect(overlay.crop_box))
        if overlay.target_head is not None:
            painter.setPen(QPen(QColor("#2e7d32") if ok else QColor("#f9a825"), 3))
            painter.drawEllipse(rect(overlay.target_head))
        if overlay.face_box is not None:
            painter.setPen(QPen(QColor("#4fc3f7"), 2))
            painter.drawRect(rect(overlay.face_box))
        if overlay.eye_line is not None:
            (ax, ay), (bx, by) = overlay.eye_line
            painter.setPen(QPen(QColor("#e040fb"), 2))
            painter.drawLine(int(x0 + ax * scale), int(y0 + ay * scale),
                             int(x0 + bx * scale), int(y0 + by * scale))  # fmt: skip


class CameraView(QWidget):
    """The photo step. Give it the station's Camera device and a photo profile name."""

    photo_captured = Signal(object)  # CapturedPhoto
    photo_discarded = Signal()  # the clerk pressed Retake after a capture

    PREVIEW_INTERVAL_MS = 33

    def __init__(
        self,
        camera: Any,
        profile: str | PhotoProfile,
        parent: QWidget | None = None,
        *,
        text_scale: float = 1.0,
        show_checks: bool = True,
        steady_seconds: float = 1.0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("camera_view")
        self._camera = camera
        self._profile = load_profile(profile) if isinstance(profile, str) else profile
        self._steady_seconds = steady_seconds
        self._preview_box = LatestFrame()
        self._analysis_box = LatestFrame()
        self._unsubscribe: Callable[[], None] | None = None
        self._worker: _AnalysisWorker | None = None
        self._shown_sequence = -1
        self._live = False  # a fresh frame is on screen (not the camera's last picture)
        self._report: PhotoReport | None = None
        self.captured: CapturedPhoto | None = None
        self.reports_received = 0

        self.preview = PreviewWidget()
        self.instruction = QLabel()
        self.instruction.setObjectName("camera_instruction")
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.instruction.setWordWrap(True)
        self.device_label = QLabel()
        self.device_label.setObjectName("camera_device_state")
        self.device_label.setWordWrap(True)
        self.checks = QListWidget()
        self.checks.setObjectName("camera_checks")
        self.checks.setVisible(show_checks)
        self.checks.setWordWrap(True)  # a long check message wraps in the narrow column
        self.checks.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("override_reason")
        self.reason_edit.setPlaceholderText(self.tr("Reason for capturing despite failed checks"))
        self.manual_button = QPushButton(self.tr("Capture now"))
        self.manual_button.setObjectName("manual_capture")
        self.manual_button.setEnabled(False)
        self.retake_button = QPushButton(self.tr("Retake"))
        self.retake_button.setObjectName("retake")
        self.retake_button.setEnabled(False)
        # the exported photo at its printed size (22 x 32 mm for the e-licence) with the
        # profile's head-size guides
        self.export_preview = TrueSizePhoto(self._profile)
        self.status_label = QLabel()
        self.status_label.setObjectName("camera_status")
        self.status_label.setWordWrap(True)

        font = QFont(self.instruction.font())
        font.setPointSizeF(font.pointSizeF() * 1.6 * text_scale)
        font.setBold(True)
        self.instruction.setFont(font)
        if text_scale != 1.0:
            for widget in (self.checks, self.status_label, self.device_label):
                scaled = QFont(widget.font())
                scaled.setPointSizeF(scaled.pointSizeF() * text_scale)
                widget.setFont(scaled)

        left = QVBoxLayout()
        left.addWidget(self.instruction)
        left.addWidget(self.preview, 1)
        right = QVBoxLayout()
        right.addWidget(self.export_preview, 0, Qt.AlignmentFlag.AlignHCenter)
        right.addWidget(self.checks, 1)
        right.addWidget(self.reason_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.manual_button)
        buttons.addWidget(self.retake_button)
        right.addLayout(buttons)
        right.addWidget(self.status_label)
        right.addWidget(self.device_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addLayout(right, 1)

        self.reason_edit.textChanged.connect(self._update_buttons)
        self.manual_button.clicked.connect(self._capture_manually)
        self.retake_button.clicked.connect(self.retake)
        self._timer = QTimer(self)
        self._timer.setInterval(self.PREVIEW_INTERVAL_MS)
        self._timer.timeout.connect(self._refresh_preview)
        self._set_instruction(None)

    # -- lifecycle: run only while visible ---------------------------------------------

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.start()

    def hideEvent(self, event: object) -> None:
        self.stop()
        super().hideEvent(event)  # type: ignore[arg-type]

    def closeEvent(self, event: object) -> None:
        self.stop()
        super().closeEvent(event)  # type: ignore[arg-type]

    def start(self) -> None:
        if self._worker is not None:
            return
        if self._camera is not None:
            self._unsubscribe = self._camera.subscribe_frames(self._on_frame)
        worker = _AnalysisWorker(self._analysis_box, self._profile, self._steady_seconds,
                                 self._camera)
        worker.analysed.connect(self._on_report)
        worker.captured.connect(self._on_captured)
        worker.failed.connect(self._on_failed)
        self._worker = worker
        if self.captured is not None:
            worker.hold()  # keep the photo on show; Retake starts a new capture
        worker.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._worker is not None:
            self._worker.stop()
            self._worker.analysed.disconnect(self._on_report)
            self._worker.captured.disconnect(self._on_captured)
            self._worker.failed.disconnect(self._on_failed)
            self._worker = None

    # -- camera thread ---------------------------------------------------------------------

    def _on_frame(self, frame: Frame) -> None:
        """Runs on the camera thread: only hand the frame over (newest wins)."""
        self._preview_box.put(frame)
        self._analysis_box.put(frame)

    # -- GUI thread ------------------------------------------------------------------------

    def _refresh_preview(self) -> None:
        self._show_device_state()
        frame = self._preview_box.peek()
        if not is_live(self._camera, frame):
            if self._live or (frame is not None and self.preview.showing_frame):
                self._picture_lost()
            return
        assert frame is not None
        if not self._live:
            self._live = True
            if self.captured is None:
                self._set_instruction(None)
        if frame.sequence == self._shown_sequence:
            return
        self._shown_sequence = frame.sequence
        self.preview.set_frame(frame.image)

    def _picture_lost(self) -> None:
        """The camera went away or stalled: take its last picture, the overlay and the checks
        off the screen; capturing waits for fresh frames."""
        self._live = False
        self._report = None
        self.preview.clear_frame(self.tr("No live picture from the camera"))
        self.checks.clear()
        if self.captured is None:
            self.instruction.setText(self.tr("The camera picture is lost: waiting for the camera"))
            self.instruction.setStyleSheet("color: #c62828;")
        self._update_buttons()

    @property
    def live(self) -> bool:
        """A fresh camera picture is on screen."""
        return self._live

    def _show_device_state(self) -> None:
        status = getattr(self._camera, "status", None)
        if status is None:
            self.device_label.setText(self.tr("No camera"))
            return
        if status.state == DeviceState.READY:
            self.device_label.setText(self.tr("Camera ready: {detail}").format(detail=status.detail))
        elif status.state == DeviceState.ABSENT:
            self.device_label.setText(self.tr("Camera not connected, waiting for it"))
        elif status.state == DeviceState.ERROR:
            self.device_label.setText(self.tr("Camera error: {detail}").format(detail=status.detail))
        else:
            self.device_label.setText(self.tr("Camera starting"))

    def _on_report(self, report: PhotoReport, progress: float) -> None:
        if self.captured is not None or not self._live:
            return  # a late report of a frame from before the picture was lost
        self.reports_received += 1
        self._report = report
        self.preview.set_report(report)
        self._set_instruction(report, progress)
        self._fill_checks(report)
        self._update_buttons()

    def _set_instruction(self, report: PhotoReport | None, progress: float = 0.0) -> None:
        if report is None:
            self.instruction.setText(self.tr("Please look at the camera"))
            self.instruction.setStyleSheet("")
            return
        instruction = instruction_for(report)
        if instruction is None:
            text = _pick(ready_instruction())
            self.instruction.setText(f"{text} {round(progress * 100)}%")
            self.instruction.setStyleSheet("color: #2e7d32;")
        else:
            self.instruction.setText(_pick(instruction))
            self.instruction.setStyleSheet("color: #e65100;")

    def _fill_checks(self, report: PhotoReport) -> None:
        self.checks.clear()
        for check in sorted(report.checks, key=lambda c: c.passed):
            text = check.message_en if current_language() == "en" else check.message_zh
            item = QListWidgetItem(("✓ " if check.passed else "✗ ") + text)
            item.setData(Qt.ItemDataRole.UserRole, check.name)
            item.setForeground(QColor("#2e7d32") if check.passed else QColor("#c62828"))
            self.checks.addItem(item)

    def _update_buttons(self) -> None:
        has_reason = bool(self.reason_edit.text().strip())
        self.manual_button.setEnabled(self.captured is None and self._live
                                      and self._report is not None
                                      and (has_reason or self._report.compliant))  # fmt: skip

    def capture_manually(self, reason: str | None) -> bool:
        """Manual capture. A reason is required unless the current frame passes every check;
        returns False (and says why) when it is missing."""
        reason = (reason or "").strip() or None
        if not self._live:
            self.status_label.setText(self.tr("No live camera picture to capture"))
            return False
        compliant = self._report is not None and self._report.compliant
        if reason is None and not compliant:
            self.status_label.setText(self.tr("Enter a reason to capture despite failed checks"))
            return False
        if self._worker is None:
            return False
        self._worker.request_manual(reason)
        self.status_label.setText(self.tr("Capturing..."))
        return True

    def _capture_manually(self) -> None:
        self.capture_manually(self.reason_edit.text())

    def _on_captured(self, photo: CapturedPhoto) -> None:
        if self.captured is not None:
            return  # a late result from before a stop/start: the shown photo stands
        self.captured = photo
        self.export_preview.set_photo(photo.jpeg)  # under the profile's template
        self.instruction.setText(self.tr("Photo taken"))
        self.instruction.setStyleSheet("color: #2e7d32;")
        if photo.override_reason:
            self.status_label.setText(self.tr("Captured by the clerk: {reason}").format(
                reason=photo.override_reason))  # fmt: skip
        else:
            self.status_label.setText(self.tr("Captured automatically")
                                      if photo.automatic else self.tr("Captured"))  # fmt: skip
        self.retake_button.setEnabled(True)
        self._update_buttons()
        self.photo_captured.emit(photo)

    def _on_failed(self, message: str) -> None:
        self.status_label.setText(message)

    def retake(self) -> None:
        had_photo = self.captured is not None
        self.captured = None
        self.export_preview.clear()
        self.retake_button.setEnabled(False)
        self.reason_edit.clear()
        self.status_label.clear()
        self._set_instruction(None)
        if self._worker is not None:
            self._worker.request_retake()
        self._update_buttons()
        if had_photo:
            self.photo_discarded.emit()

    @property
    def current_report(self) -> PhotoReport | None:
        return self._report

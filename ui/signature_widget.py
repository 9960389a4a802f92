"""Signature capture: the agreement text, a canvas with live pressure-dependent ink, Clear /
Accept / Cancel, quality checks, finish after inactivity and an overall timeout.

Input comes from a serial pad (its events come through the station's EventBridge, on the
GUI thread, in order) or directly from Qt tablet, touch and mouse events on the canvas (OS
tablet drivers, kiosk touchscreens). Both feed the same stroke model (station.signature.model). On Accept the
signature record (time series + PNG, bound to the case and text) is built on a worker thread
and delivered by ``accepted(record)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShortcut,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from devices.base import SignaturePad
from devices.sigpad.events import PadInfo, PenSample
from station.events import DeviceState, DeviceStatusEvent, EventBus
from station.i18n import current_language
from station.signature.model import InputDevice, SignatureData, StrokeBuilder, StrokeChange
from station.signature.quality import QualityRules, check, load_rules
from station.signature.record import SignatureRecord, create_record
from ui.event_bridge import EventBridge
from ui.workers import run_async

CANVAS_UNITS_PER_PX = 10  # canvas input is stored in tenths of a pixel
CANVAS_MAX_PRESSURE = 1023
TILT_OFFSET = 64  # Qt tilt is -60..60 degrees; records store 0..127
_INK = QColor("#0b1f4d")


def _release(
    unsubscribers: list[Callable[[], None]], pad: SignaturePad, capture_open: list[bool]
) -> None:
    for unsubscribe in unsubscribers:
        unsubscribe()
    if capture_open[0]:
        capture_open[0] = False
        pad.end_capture()


class SignatureCanvas(QWidget):
    """Draws the ink and collects it into a StrokeBuilder, from a pad or from Qt input.

    ``on_ink`` is called (GUI thread) for every new point. It is a plain callback, not a Qt
    signal: PySide6 6.12's SignalInstance.emit leaks a reference to True per call, which at
    pen rates (100+ points/s) crashes CPython 3.11 within minutes.
    """

    def __init__(
        self,
        large: bool = False,
        parent: QWidget | None = None,
        on_ink: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._large = large
        self.on_ink = on_ink
        self._builder: StrokeBuilder | None = None
        self._pad_device: InputDevice | None = None
        self._ink: QImage | None = None  # ink layer, drawn incrementally
        self._ink_key: tuple[int, int, float, float] | None = None
        self._ink_drawn = 0  # points already on the ink layer
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setMinimumHeight(220 if large else 200)  # large: a finger on a 768-px screen
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)

    # model -------------------------------------------------------------------------------
    @property
    def source(self) -> str | None:
        return self._builder.device.source if self._builder else None

    def signature(self) -> SignatureData:
        if self._builder is None:
            return SignatureData(InputDevice("none", 1, 1), ())
        return self._builder.snapshot()

    @property
    def pen_down(self) -> bool:
        return self._builder is not None and self._builder.pen_down

    def clear(self) -> None:
        self._builder = None
        self._ink = None
        self.update()

    def pen_lost(self) -> bool:
        """The pad went away: a stroke cut off mid-way is discarded, not kept as if it had
        been finished. Returns True when one was."""
        if self._builder is None or not self._builder.discard_current():
            return False
        self._ink = None  # the ink layer is drawn incrementally: redraw it without the stroke
        self.update()
        return True

    def set_pad_device(self, device: InputDevice) -> None:
        self._pad_device = device
        if self._builder is None:
            self.update()

    def _builder_for(self, device: InputDevice) -> StrokeBuilder | None:
        """The builder for this input; input from a second kind of device is ignored until
        the ink is cleared, so one signature never mixes coordinate systems."""
        if self._builder is None:
            self._builder = StrokeBuilder(device)
        elif self._builder.device.source != device.source:
            return None
        return self._builder

    def _feed(self, device: InputDevice, x: int, y: int, pressure: int, tip: bool,
              tilt_x: int = 0, tilt_y: int = 0, t_ns: int | None = None) -> None:
        builder = self._builder_for(device) if tip or self._builder else None
        if builder is None:
            return
        change = builder.add(x, y, pressure, tip, t_ns or time.monotonic_ns(), tilt_x, tilt_y)
        if change is StrokeChange.NONE:
            return
        if self.on_ink is not None:
            self.on_ink()
        self.update()

    # serial pad input --------------------------------------------------------------------
    def add_pad_sample(self, sample: PenSample) -> None:
        """A sample from the serial pad (connect SigpadBridge.sample here)."""
        if self._pad_device is None:
            return
        self._feed(
            self._pad_device, sample.x, sample.y, sample.pressure,
            sample.tip and sample.in_proximity and not sample.eraser,
            sample.tilt_x, sample.tilt_y, sample.t_ns,
        )

    # Qt input ----------------------------------------------------------------------------
    def _canvas_device(self, source: str, pressure: bool) -> InputDevice:
        if self._builder is not None and self._builder.device.source == source:
            return self._builder.device
        return InputDevice(
            source, max(1, self.width() * CANVAS_UNITS_PER_PX),
            max(1, self.height() * CANVAS_UNITS_PER_PX),
            CANVAS_MAX_PRESSURE if pressure else 0, 127 if pressure else 0,
            127 if pressure else 0,
        )

    def _canvas_point(self, position: QPointF) -> tuple[int, int]:
        """Widget position -> canvas units of the device the ink was started with."""
        device = self._builder.device if self._builder else None
        scale = 1.0
        if device is not None and device.source in ("tablet", "touch", "mouse"):
            # Keep earlier points valid if the widget was resized since the first point.
            scale = device.max_x / max(1, self.width() * CANVAS_UNITS_PER_PX)
        x = max(0.0, min(position.x(), self.width())) * CANVAS_UNITS_PER_PX * scale
        y = max(0.0, min(position.y(), self.height())) * CANVAS_UNITS_PER_PX * scale
        return round(x), round(y)

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        tip = kind != QTabletEvent.Type.TabletRelease and (
            event.pressure() > 0 or bool(event.buttons() & Qt.MouseButton.LeftButton)
        )
        device = self._canvas_device("tablet", pressure=True)
        x, y = self._canvas_point(event.position())
        self._feed(
            device, x, y, round(min(1.0, max(0.0, event.pressure())) * CANVAS_MAX_PRESSURE), tip,
            round(event.xTilt()) + TILT_OFFSET, round(event.yTilt()) + TILT_OFFSET,
        )
        event.accept()  # no synthesised mouse events follow

    def event(self, event: object) -> bool:
        if isinstance(event, QTouchEvent):
            kind = event.type()
            points = event.points()
            if points:
                point = points[0]  # one finger signs; more fingers are ignored
                x, y = self._canvas_point(point.position())
                tip = kind != QTouchEvent.Type.TouchEnd and kind != QTouchEvent.Type.TouchCancel
                self._feed(self._canvas_device("touch", pressure=False), x, y, 0, tip)
            event.accept()
            return True
        return super().event(event)  # type: ignore[arg-type]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._mouse(event, True)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._mouse(event, True)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._mouse(event, False)

    def _mouse(self, event: QMouseEvent, tip: bool) -> None:
        x, y = self._canvas_point(event.position())
        self._feed(self._canvas_device("mouse", pressure=False), x, y, 0, tip)
        event.accept()

    # painting ----------------------------------------------------------------------------
    def _area(self, device: InputDevice | None) -> tuple[QRectF, float]:
        """Where the device's units land on the widget, and units -> pixels."""
        if device is None or device.source in ("tablet", "touch", "mouse"):
            scale = 1.0 / CANVAS_UNITS_PER_PX
            if device is not None:
                scale = self.width() / max(1, device.max_x)
            return QRectF(0, 0, self.width(), self.height()), scale
        margin = 8.0
        scale = min((self.width() - 2 * margin) / device.max_x,
                    (self.height() - 2 * margin) / device.max_y)
        w, h = device.max_x * scale, device.max_y * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h), scale

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), QColor("#f4f4f4"))
        device = self._builder.device if self._builder else self._pad_device
        area, scale = self._area(device)
        painter.fillRect(area, QColor("white"))
        # The "sign here" line at three quarters of the height, with its cross.
        baseline = area.top() + area.height() * 0.75
        painter.setPen(QPen(QColor("#9aa4b1"), 1.5))
        painter.drawLine(QPointF(area.left() + 24, baseline), QPointF(area.right() - 24, baseline))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * (1.4 if self._large else 1.0))
        painter.setFont(font)
        painter.drawText(QPointF(area.left() + 24, baseline - 8), "✕")
        painter.drawText(
            QRectF(area.left(), baseline + 6, area.width(), 40),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            self.tr("Sign here"),
        )
        if self._builder is not None:
            painter.drawImage(QPointF(0, 0), self._updated_ink(area, scale))
        painter.end()

    def _updated_ink(self, area: QRectF, scale: float) -> QImage:
        """The ink layer, drawing only the points added since the last paint: each point
        costs two painter calls once, not on every repaint."""
        assert self._builder is not None
        key = (self.width(), self.height(), round(area.left(), 2), round(area.top(), 2))
        if self._ink is None or self._ink_key != key:
            self._ink = QImage(self.width(), self.height(), QImage.Format.Format_ARGB32_Premultiplied)
            self._ink.fill(Qt.GlobalColor.transparent)
            self._ink_key = key
            self._ink_drawn = 0
        device = self._builder.device
        base = 4.5 if self._large else 3.0
        painter = QPainter(self._ink)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        current_width = -1.0
        seen = 0
        for stroke in self._builder.strokes():
            if seen + len(stroke) <= self._ink_drawn:
                seen += len(stroke)
                continue
            for index, point in enumerate(stroke):
                seen += 1
                if seen <= self._ink_drawn:
                    continue
                width = base
                if device.has_pressure:
                    width = base * (0.35 + 0.9 * min(1.0, point.pressure / device.max_pressure))
                width = round(width * 4) / 4  # fewer pen changes, no visible difference
                if width != current_width:
                    painter.setPen(QPen(_INK, width, Qt.PenStyle.SolidLine,
                                        Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
                    current_width = width
                here = QPointF(area.left() + point.x * scale, area.top() + point.y * scale)
                if index == 0:
                    painter.drawPoint(here)
                else:
                    before = stroke[index - 1]
                    painter.drawLine(
                        QPointF(area.left() + before.x * scale, area.top() + before.y * scale), here
                    )
        painter.end()
        self._ink_drawn = seen
        return self._ink

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._ink = None
        self.update()


class SignatureCaptureWidget(QWidget):
    """Captures one signature for one case and one agreement text.

    ``accepted(record)`` carries a station.signature.record.SignatureRecord; ``cancelled()``
    follows Cancel or the timeout (``finish_reason`` says which). With a serial ``pad`` and
    the station ``bus``, sampling runs from start() until the widget finishes.
    """

    accepted = Signal(object)
    cancelled = Signal()

    def __init__(
        self,
        case_id: str,
        agreement_text: str,
        agreement_version: str,
        *,
        agreement_kind: str = "user_agreement",
        agreement_language: str = "zh_CN",
        signer_role: str = "applicant",
        pad: SignaturePad | None = None,
        bus: EventBus | None = None,
        large: bool = False,
        rules: QualityRules | None = None,
        inactivity_s: float | None = 4.0,
        timeout_s: float | None = 180.0,
        min_reading_s: float = 0.0,
        escape_cancels: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._case_id = case_id
        self._agreement_text = agreement_text
        self._agreement_version = agreement_version
        self._agreement_kind = agreement_kind
        self._agreement_language = agreement_language
        self._signer_role = signer_role
        self._pad = pad
        self._rules = rules or load_rules("kiosk" if large else "default")
        self._started = False
        self._finished = False
        self._capture_open: list[bool] = [False]  # shared with the destroyed() handler
        self._building = False
        self.finish_reason: str | None = None  # accepted | cancelled | timeout | aborted
        self.record: SignatureRecord | None = None
        # never accepted by itself before the agreement has been on screen this long
        self._min_reading_s = max(0.0, min_reading_s)
        self._shown_at: float | None = None
        self._pad_lost = False  # the pad went away: wait for new ink before accepting by itself
        self._stroke_discarded = False  # ... and a stroke was cut off: said until new ink

        self.title = QLabel(self.tr("Please read the agreement, then sign below."))
        self.text_view = QTextBrowser()
        self.text_view.setPlainText(agreement_text)
        self.text_view.setOpenLinks(False)
        self.canvas = SignatureCanvas(large=large, on_ink=self._on_ink)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("signatureMessage")
        self.clear_button = QPushButton(self.tr("Clear"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.accept_button = QPushButton(self.tr("Accept"))
        self.accept_button.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.text_view, 2)
        layout.addWidget(self.canvas, 3)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        if large:
            self._enlarge()

        self.clear_button.clicked.connect(self.clear)
        self.cancel_button.clicked.connect(self.cancel)
        self.accept_button.clicked.connect(self.try_accept)
        if escape_cancels:  # off where Esc belongs to the page around (the counter's case)
            QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.cancel)

        self._inactivity = QTimer(self)
        self._inactivity.setSingleShot(True)
        self._inactivity.timeout.connect(self._on_inactive)
        self._inactivity_ms = round(inactivity_s * 1000) if inactivity_s else 0
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._on_timeout)
        self._timeout_ms = round(timeout_s * 1000) if timeout_s else 0

        # Pad events arrive on the pad's thread; the bridge hands them over on the GUI thread
        # (batched by the relay: not one queued signal per sample, see SignatureCanvas).
        self._unsubscribe: list[Callable[[], None]] = []
        if pad is not None and bus is not None:
            bridge = EventBridge.for_bus(bus)
            offs = [
                bridge.on(PenSample, self.add_pad_sample),
                bridge.on(PadInfo, self._on_pad_info),
                bridge.on(DeviceStatusEvent, self._on_pad_status),
            ]
            self._unsubscribe = offs
            capture_open = self._capture_open
            # Deleted without finishing: stop listening for it and end the pad's sampling.
            self.destroyed.connect(lambda *_: _release(offs, pad, capture_open))
            info = getattr(pad, "pad_info", None)
            if isinstance(info, PadInfo):
                self.canvas.set_pad_device(info.input_device())

    def _enlarge(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.6)
        for widget in (self.title, self.text_view, self.message, self.clear_button,
                       self.cancel_button, self.accept_button):
            widget.setFont(font)
        for button in (self.clear_button, self.cancel_button, self.accept_button):
            button.setMinimumSize(180, 72)

    # lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Open the capture: start the pad's sampling and the timeout. Called on first show."""
        if self._started or self._finished:
            return
        self._started = True
        self._shown_at = time.monotonic()
        if self._timeout_ms:
            self._timeout.start(self._timeout_ms)
        if self._pad is not None:
            status = self._pad.status
            if status.state not in (DeviceState.READY, DeviceState.BUSY):
                self._show_pad_unavailable(status.detail)
            self._pad.begin_capture()  # non-blocking: queued to the pad's thread
            self._capture_open[0] = True

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.start()

    def _finish(self, reason: str) -> None:
        self._finished = True
        self.finish_reason = reason
        self._inactivity.stop()
        self._timeout.stop()
        if self._pad is not None and self._capture_open[0]:
            self._capture_open[0] = False
            self._pad.end_capture()
        for off in self._unsubscribe:
            off()
        for button in (self.clear_button, self.cancel_button, self.accept_button):
            button.setEnabled(False)

    @property
    def finished(self) -> bool:
        return self._finished

    # input -------------------------------------------------------------------------------
    def add_pad_sample(self, sample: PenSample) -> None:
        if not self._finished:
            self.canvas.add_pad_sample(sample)

    def _on_pad_info(self, info: PadInfo) -> None:
        if not self._finished:
            self.canvas.set_pad_device(info.input_device())

    def _on_pad_status(self, event: DeviceStatusEvent) -> None:
        status = event.status
        if status.kind != "sigpad" or self._finished:
            return
        if status.state in (DeviceState.ABSENT, DeviceState.ERROR):
            self._stroke_discarded = self.canvas.pen_lost() or self._stroke_discarded
            self._pad_lost = True
            self._inactivity.stop()  # nothing is accepted by itself after a loss
            self._show_pad_unavailable(status.detail, self._stroke_discarded)
        elif status.state in (DeviceState.READY, DeviceState.BUSY) and not self._pad_lost:
            self.message.clear()

    def _show_pad_unavailable(self, detail: str, discarded: bool = False) -> None:
        text = self.tr("The signature pad is not available ({detail}). "
                       "You can sign on the screen instead.").format(detail=detail)
        if discarded:
            text = self.tr("The pad was disconnected in the middle of a stroke: that stroke "
                           "was discarded. Please sign it again.") + " " + text
        self.message.setText(text)

    def _on_ink(self) -> None:
        if self._finished:
            return
        self._pad_lost = self._stroke_discarded = False
        self.message.clear()
        if self._inactivity_ms:
            self._inactivity.start(self._inactivity_ms)

    def reading_time_left(self) -> float:
        """Seconds until the agreement has been shown for the minimum reading time."""
        if self._shown_at is None:
            return self._min_reading_s
        return max(0.0, self._min_reading_s - (time.monotonic() - self._shown_at))

    def _on_inactive(self) -> None:
        """The signer stopped: accept by itself only a signature that meets the quality rules
        (try_accept says what is wrong otherwise), never right after a pad loss and never
        before the agreement has been shown for the minimum reading time."""
        if self._finished or self._building or self._pad_lost:
            return
        if self.canvas.pen_down:  # resting the pen on the pad is not "done"
            self._inactivity.start(self._inactivity_ms)
            return
        left = self.reading_time_left()
        if left > 0:
            self.message.setText(self.tr("Please take the time to read the agreement; the "
                                         "signature is accepted after that."))
            self._inactivity.start(max(1, round(left * 1000)))
            return
        self.try_accept()

    def _on_timeout(self) -> None:
        if self._finished or self._building:
            return
        self._finish("timeout")
        self.message.setText(self.tr("The time for signing has run out."))
        self.cancelled.emit()

    # actions -----------------------------------------------------------------------------
    def clear(self) -> None:
        if self._finished or self._building:
            return
        self._inactivity.stop()
        self.canvas.clear()
        self.message.clear()

    def cancel(self) -> None:
        if self._finished or self._building:
            return
        self._finish("cancelled")
        self.cancelled.emit()

    def abort(self) -> None:
        """Stop quietly (the flow left this step): end the pad's sampling, emit nothing."""
        if not self._finished:
            self._finish("aborted")

    def problems(self) -> list[str]:
        """What is wrong with the ink so far, in the station language (empty: acceptable)."""
        language = "zh" if current_language() == "zh_CN" else "en"
        return [p.message[language] for p in check(self.canvas.signature(), self._rules)]

    def try_accept(self) -> bool:
        """Accept if the signature passes the quality rules; otherwise say why. The record is
        built on a worker thread (rendering takes tens of milliseconds)."""
        if self._finished or self._building:
            return False
        self._inactivity.stop()
        signature = self.canvas.signature()
        problems = self.problems()
        if problems:
            self.message.setText(problems[0])
            return False
        self._building = True
        self.accept_button.setEnabled(False)
        self.message.setText(self.tr("Saving the signature…"))
        case_id, text, version = self._case_id, self._agreement_text, self._agreement_version
        kind, role = self._agreement_kind, self._signer_role
        extra = {
            "agreement_language": self._agreement_language,
            "points": signature.point_count,
            "strokes": signature.stroke_count,
            "duration_ms": round(signature.duration_ms),
        }

        def build() -> SignatureRecord:
            return create_record(
                signature, case_id, text, version, signer_role=role, agreement_kind=kind,
                extra=extra,
            )

        run_async(build, on_result=self._on_record_built, on_error=self._on_record_built)
        return True

    def _on_record_built(self, result: object) -> None:
        if not shiboken6.isValid(self):  # the widget was closed while the record was built
            return
        self._building = False
        if isinstance(result, SignatureRecord):
            self.record = result
            self._finish("accepted")
            self.message.setText(self.tr("Signature accepted."))
            self.accepted.emit(result)
        else:
            self.accept_button.setEnabled(True)
            self.message.setText(
                self.tr("The signature could not be saved: {reason}").format(reason=str(result))
            )

"""The exported photo at its true printed size (e.g. 22 x 32 mm for the e-licence), with the
head-size guides of its profile, so the applicant sees what the licence will show.

The millimetres come from the profile (pixels / dpi); the screen's physical dots per inch turn
them into screen pixels. The guides are the profile's template: the band the top of the head
must lie in, the band for the chin (top band + head length), and the allowed head widths; the
head as measured in the exported photo is marked over them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from station.photo.profiles import PhotoProfile

MM_PER_INCH = 25.4
_BAND = QColor(46, 125, 50, 60)  # allowed zones
_LIMIT = QColor("#2e7d32")
_MEASURED = QColor("#c62828")


@dataclass(frozen=True)
class HeadLines:
    """The head as measured in the exported photo (its pixels): top of the head, chin."""

    crown_y: int | None = None
    chin_y: int | None = None


def size_mm(profile: PhotoProfile) -> tuple[float, float]:
    output = profile.output
    return (output.width_px / output.dpi * MM_PER_INCH, output.height_px / output.dpi * MM_PER_INCH)


class TrueSizePhoto(QWidget):
    def __init__(self, profile: PhotoProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export_preview")
        self._profile = profile
        self._pixmap = QPixmap()
        self._head = HeadLines()
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        w_mm, h_mm = self._mm()
        self.setToolTip(self.tr("Actual size: {w:.0f} × {h:.0f} mm").format(w=w_mm, h=h_mm))

    def _mm(self) -> tuple[float, float]:
        return size_mm(self._profile)

    def dots_per_mm(self) -> float:
        screen = self.screen()
        dpi = screen.physicalDotsPerInch() if screen is not None else 0.0
        if not dpi or dpi < 50:  # no usable monitor data: the logical dpi is the best guess
            dpi = float(self.logicalDpiX()) or 96.0
        return dpi / MM_PER_INCH

    def photo_rect(self) -> QRectF:
        """Where the photo is drawn (widget pixels): its true size, centred."""
        w_mm, h_mm = self._mm()
        scale = self.dots_per_mm()
        width, height = w_mm * scale, h_mm * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def sizeHint(self) -> QSize:
        w_mm, h_mm = self._mm()
        scale = self.dots_per_mm()
        return QSize(round(w_mm * scale) + 8, round(h_mm * scale) + 8)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def set_photo(self, jpeg: bytes, head: HeadLines | None = None) -> None:
        self._pixmap = QPixmap()
        self._pixmap.loadFromData(jpeg, "JPEG")
        self._head = head or HeadLines()
        self.update()

    def clear(self) -> None:
        self._pixmap = QPixmap()
        self._head = HeadLines()
        self.update()

    def pixmap(self) -> QPixmap:
        return self._pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        target = self.photo_rect()
        painter.setPen(QPen(QColor("#9aa5b1"), 1))
        painter.drawRect(target.adjusted(-1, -1, 1, 1))
        if self._pixmap.isNull():
            painter.end()
            return
        painter.drawPixmap(target, self._pixmap, QRectF(self._pixmap.rect()))
        self._paint_guides(painter, target)
        painter.end()

    def _paint_guides(self, painter: QPainter, target: QRectF) -> None:
        output, geometry = self._profile.output, self._profile.geometry
        sy = target.height() / output.height_px
        sx = target.width() / output.width_px

        def band(top_px: float, bottom_px: float) -> None:
            painter.fillRect(QRectF(target.left(), target.top() + top_px * sy, target.width(),
                                    max(1.0, (bottom_px - top_px) * sy)), _BAND)

        crown = geometry.crown_margin_px
        band(crown[0], crown[1])  # the top of the head lies here
        if geometry.head_length_px is not None:
            length = geometry.head_length_px
            band(crown[0] + length[0], crown[1] + length[1])  # ... and the chin here
        if geometry.head_width_px is not None:
            painter.setPen(QPen(_LIMIT, 1, Qt.PenStyle.DashLine))
            centre = target.left() + target.width() / 2
            for width_px in geometry.head_width_px:  # narrowest and widest head allowed
                half = width_px / 2 * sx
                for x in (centre - half, centre + half):
                    painter.drawLine(QPointF(x, target.top() + crown[0] * sy),
                                     QPointF(x, target.bottom()))
        painter.setPen(QPen(_MEASURED, 1))
        for y in (self._head.crown_y, self._head.chin_y):
            if y is not None:
                painter.drawLine(QPointF(target.left(), target.top() + y * sy),
                                 QPointF(target.right(), target.top() + y * sy))

"""A picture shown as large as its box allows, its proportions kept.

A plain QLabel with a pixmap asks the layout for the pixmap's size: a big scan or photo then
grows the window past the screen. This label's size never depends on the picture; the
picture is scaled to whatever room the layout gives it. Placeholder text, frame and style
sheet work as on any QLabel.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class FittedImage(QLabel):
    def __init__(self, minimum: QSize | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = QPixmap()
        self._minimum = minimum if minimum is not None else QSize(96, 64)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def setPixmap(self, pixmap: QPixmap | QImage | str) -> None:
        self._source = QPixmap.fromImage(pixmap) if isinstance(pixmap, QImage) else QPixmap(pixmap)
        self.update()

    def pixmap(self) -> QPixmap:
        return self._source

    def clear(self) -> None:
        self._source = QPixmap()
        super().clear()

    def sizeHint(self) -> QSize:
        return self._minimum.expandedTo(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._minimum.expandedTo(super().minimumSizeHint())

    def picture_rect(self) -> QRectF:
        """Where the picture is drawn: the contents rectangle, fitted, centred."""
        box = QRectF(self.contentsRect())
        if self._source.isNull() or box.isEmpty():
            return QRectF()
        scale = min(box.width() / self._source.width(), box.height() / self._source.height())
        width, height = self._source.width() * scale, self._source.height() * scale
        return QRectF(box.x() + (box.width() - width) / 2, box.y() + (box.height() - height) / 2,
                      width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        target = self.picture_rect()
        if target.isEmpty():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(target, self._source, QRectF(self._source.rect()))
        painter.end()

"""Receipt preview with Print, Save as PDF and Done.

The PDF is produced by station.receipts (or handed in ready-made), its pages are rasterised
with pypdfium2 on a worker thread and shown as images; printing paints page images rendered at
the printer's resolution (capped) onto the QPrinter, also on a worker thread (Qt allows
QPainter on a QPrinter outside the GUI thread). Saving writes the PDF bytes off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import shiboken6
from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station.receipts import FontNotFoundError, ReceiptData, ReceiptError, render_receipt
from ui.places import documents_folder
from ui.workers import run_async

log = logging.getLogger(__name__)

PREVIEW_DPI = 110
MAX_PRINT_DPI = 300  # receipts are text and a small photo; more only makes the spool huge
_pdfium_lock = threading.Lock()  # PDFium is not thread-safe: one rasterisation at a time


def rasterise(pdf: bytes, dpi: float) -> list[QImage]:
    """Every page of ``pdf`` as an RGB QImage at ``dpi`` (runs on worker threads)."""
    images: list[QImage] = []
    with _pdfium_lock:
        document = pdfium.PdfDocument(pdf)
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    pil = page.render(scale=dpi / 72).to_pil().convert("RGB")
                finally:
                    page.close()
                data = pil.tobytes()
                image = QImage(data, pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888)
                images.append(image.copy())  # own the pixels; ``data`` goes away
        finally:
            document.close()
    return images


def print_pages(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page onto ``printer`` at its resolution (capped); returns pages printed."""
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    images = rasterise(pdf, dpi)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be opened")
    try:
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
            scale = min(target.width() / image.width(), target.height() / image.height())
            width, height = image.width() * scale, image.height() * scale
            painter.drawImage(
                QRectF(target.x() + (target.width() - width) / 2,
                       target.y() + (target.height() - height) / 2, width, height),
                image,
            )
    finally:
        painter.end()
    return len(images)


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, (ReceiptError, FontNotFoundError, OSError, ValueError)):
        return str(error)
    return type(error).__name__


class ReceiptView(QWidget):
    """Shows a receipt and lets the clerk print or save it; ``finished`` when Done is pressed."""

    finished = Signal()
    previewReady = Signal(int)  # number of pages shown
    saved = Signal(str)  # path written
    printed = Signal(int)  # pages sent to the printer
    failed = Signal(str)  # a message for the status line (already shown there)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptView")
        self._pdf: bytes | None = None
        self._file_name = "receipt.pdf"
        self._pages: list[QImage] = []
        self._generation = 0  # a newer receipt makes older worker results stale
        self._busy = False
        self._printer: QPrinter | None = None

        self.status = QLabel()
        self.status.setObjectName("receiptStatus")
        self.status.setWordWrap(True)
        self.pages_box = QVBoxLayout()
        self.pages_box.setSpacing(12)
        holder = QWidget()
        holder.setObjectName("receiptPages")
        holder.setLayout(self.pages_box)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(holder)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # pages fit
        self.print_button = QPushButton()
        self.print_button.setObjectName("printReceipt")
        self.print_button.clicked.connect(lambda: self.print_receipt())
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveReceipt")
        self.save_button.clicked.connect(lambda: self.save_as())
        self.done_button = QPushButton()
        self.done_button.setObjectName("receiptDone")
        self.done_button.clicked.connect(lambda: self.finished.emit())
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)
        self.retranslate()
        self._set_actions_enabled(False)

    # -- public API ---------------------------------------------------------------------------

    def show_receipt(self, data: ReceiptData) -> None:
        """Render ``data`` to PDF and preview it, all off the GUI thread."""
        self._start(lambda: render_receipt(data), f"{data.case_number}.pdf")

    def show_pdf(self, pdf: bytes, file_name: str = "receipt.pdf") -> None:
        """Preview a ready-made PDF (e.g. a re-print of a stored receipt)."""
        self._start(lambda: pdf, file_name)

    def show_document(self, produce: Callable[[], bytes], file_name: str) -> None:
        """Produce any PDF on the worker and preview it, e.g. the end-of-day report:
        ``view.show_document(lambda: render_daily_report(stats), "daily.pdf")``."""
        self._start(produce, file_name)

    def pdf(self) -> bytes | None:
        return self._pdf

    def page_images(self) -> list[QImage]:
        return list(self._pages)

    def save_as(self, path: str | Path | None = None) -> None:
        """Write the PDF to ``path``; without one, ask with a file dialog (tests pass a path)."""
        if self._pdf is None or self._busy:
            return
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save receipt as PDF"), str(documents_folder() / self._file_name),
                self.tr("PDF files (*.pdf)"))
            if not chosen:
                return
            path = chosen
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        pdf = self._pdf
        self._begin(self.tr("Saving…"))
        run_async(lambda: target.write_bytes(pdf), self._guard(lambda _: self._saved(target)),
                  self._guard(lambda error: self._fail(self.tr("Could not save the receipt: {error}"),
                                                       error)))

    def print_receipt(self, printer: QPrinter | None = None) -> None:
        """Print on ``printer``; without one, ask with the print dialog (tests pass a printer)."""
        if self._pdf is None or self._busy:
            return
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            printer.setPageOrientation(QPageLayout.Orientation.Portrait)
            printer.setDocName(self._file_name)
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle(self.tr("Print receipt"))
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return
        printer.setFullPage(True)  # the PDF carries its own margins
        pdf, job_printer = self._pdf, printer
        self._printer = printer  # kept alive until the worker is done with it
        self._begin(self.tr("Printing…"))
        run_async(lambda: print_pages(pdf, job_printer), self._guard(self._printed),
                  self._guard(lambda error: self._fail(self.tr("Printing failed: {error}"), error)))

    # -- internals ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.print_button.setText(self.tr("Print…"))
        self.save_button.setText(self.tr("Save as PDF…"))
        self.done_button.setText(self.tr("Done"))
        if self._pdf is None and not self._busy:
            self.status.setText("")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def resizeEvent(self, event: object) -> None:  # type: ignore[override]
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._show_pages()

    def _guard(self, callback: Callable[[object], None]) -> Callable[[object], None]:
        """Drop results that arrive after this view was deleted or given a newer receipt."""
        generation = self._generation

        def deliver(value: object) -> None:
            if shiboken6.isValid(self) and generation == self._generation:
                callback(value)

        return deliver

    def _start(self, produce: Callable[[], bytes], file_name: str) -> None:
        self._generation += 1
        self._pdf, self._pages, self._file_name = None, [], file_name
        self._show_pages()
        self._begin(self.tr("Preparing the receipt…"))

        def work() -> tuple[bytes, list[QImage]]:
            pdf = produce()
            return pdf, rasterise(pdf, PREVIEW_DPI)

        run_async(work, self._guard(self._preview_ready),
                  self._guard(lambda error: self._fail(
                      self.tr("The receipt could not be produced: {error}"), error)))

    def _begin(self, message: str) -> None:
        self._busy = True
        self.status.setText(message)
        self._set_actions_enabled(False)

    def _end(self, message: str) -> None:
        self._busy = False
        self.status.setText(message)
        self._set_actions_enabled(self._pdf is not None)

    def _set_actions_enabled(self, enabled: bool) -> None:
        self.print_button.setEnabled(enabled)
        self.save_button.setEnabled(enabled)

    def _preview_ready(self, result: object) -> None:
        pdf, pages = result  # type: ignore[misc]
        self._pdf, self._pages = pdf, pages
        self._show_pages()
        self._end(self.tr("Receipt ready ({pages} page(s)).").format(pages=len(pages)))
        self.previewReady.emit(len(pages))

    def _show_pages(self) -> None:
        while self.pages_box.count():
            item = self.pages_box.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        margins = self.pages_box.contentsMargins()
        width = max(200, self.scroll.viewport().width() - margins.left() - margins.right() - 4)
        for number, image in enumerate(self._pages, start=1):
            label = QLabel()
            label.setObjectName(f"receiptPage{number}")
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            pixmap = QPixmap.fromImage(image)
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setStyleSheet("background: white; border: 1px solid #B8C2D1;")
            self.pages_box.addWidget(label)
        self.pages_box.addStretch(1)

    def _saved(self, path: Path) -> None:
        self._end(self.tr("Saved to {path}").format(path=str(path)))
        self.saved.emit(str(path))

    def _printed(self, pages: object) -> None:
        self._printer = None
        self._end(self.tr("Sent to the printer."))
        self.printed.emit(int(pages))  # type: ignore[call-overload]

    def _fail(self, template: str, error: object) -> None:
        self._printer = None
        detail = _describe(error) if isinstance(error, BaseException) else str(error)
        log.warning("receipt view: %s", type(error).__name__)
        message = template.format(error=detail)
        self._end(message)
        self.failed.emit(message)

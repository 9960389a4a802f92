"""The receipt preview: pages appear, Save writes the PDF, Print paints on a real QPrinter."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pypdf
import pytest
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter

from station import i18n
from station.receipts import render_receipt
from station.receipts.sample import sample_receipt
from ui.receipt_view import ReceiptView, rasterise
from ui.workers import wait_for_background

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def chinese(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The UI in zh_CN, with this area's catalog compiled as scripts/setup.sh does."""
    from ui.i18n import install_language

    ts = ROOT / "resources" / "translations" / "receipts_zh_CN.ts"
    qm = ts.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        lrelease = Path(sys.executable).parent / "pyside6-lrelease"
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)
    install_language("zh_CN")
    yield
    install_language("zh_CN")


@pytest.fixture
def view(qtbot, chinese) -> Iterator[ReceiptView]:  # type: ignore[no-untyped-def]
    widget = ReceiptView()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    yield widget
    wait_for_background(10)


def ink_share(image: QImage) -> float:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    array = np.frombuffer(rgb.constBits(), np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
    pixels = array[:, : rgb.width() * 3].reshape(rgb.height(), rgb.width(), 3)
    return float((pixels.min(axis=2) < 200).mean())


def test_preview_appears_with_chinese_buttons(qtbot, view: ReceiptView) -> None:  # type: ignore[no-untyped-def]
    assert view.print_button.text() == "打印…"
    assert not view.save_button.isEnabled()
    with qtbot.waitSignal(view.previewReady, timeout=20_000) as ready:
        view.show_receipt(sample_receipt("organisation", "zh_CN"))
    assert ready.args == [1]
    assert view.save_button.isEnabled() and view.print_button.isEnabled()
    assert "回执已生成" in view.status.text()
    page = view.findChild(type(view.status), "receiptPage1")
    assert page is not None and not page.pixmap().isNull()
    qtbot.waitUntil(page.isVisible, timeout=2_000)
    assert page.pixmap().width() <= view.scroll.viewport().width()
    images = view.page_images()
    assert abs(images[0].width() - 595.28 * 110 / 72) <= 1.5  # A4 at the preview resolution
    assert ink_share(images[0]) > 0.03


def test_save_writes_the_pdf(qtbot, view: ReceiptView, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.previewReady, timeout=20_000):
        view.show_receipt(sample_receipt("individual", "en"))
    with qtbot.waitSignal(view.saved, timeout=10_000) as saved:
        view.save_as(tmp_path / "copy")  # the dialog's answer; ".pdf" is added
    target = tmp_path / "copy.pdf"
    assert saved.args == [str(target)]
    assert target.read_bytes() == view.pdf()
    assert "In-Person Registration Receipt" in pypdf.PdfReader(target).pages[0].extract_text()


def test_save_failure_is_shown(qtbot, view: ReceiptView, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.previewReady, timeout=20_000):
        view.show_receipt(sample_receipt())
    with qtbot.waitSignal(view.failed, timeout=10_000) as failed:
        view.save_as(tmp_path / "no-such-dir" / "r.pdf")
    assert "无法保存" in failed.args[0]
    assert view.save_button.isEnabled(), "the clerk can try again"


def test_print_paints_the_pages(qtbot, view: ReceiptView, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.previewReady, timeout=20_000):
        view.show_receipt(sample_receipt("manual_review", "zh_CN"))
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    with qtbot.waitSignal(view.printed, timeout=30_000) as printed:
        view.print_receipt(printer)
    assert printed.args == [1]
    assert len(pypdf.PdfReader(out).pages) == 1
    [page] = rasterise(out.read_bytes(), 60)
    assert ink_share(page) > 0.03, "the printed page must carry the receipt, not a blank sheet"


def test_ready_made_pdf_and_done(qtbot, view: ReceiptView) -> None:  # type: ignore[no-untyped-def]
    pdf = render_receipt(sample_receipt("elicence_photo", "en"))
    with qtbot.waitSignal(view.previewReady, timeout=20_000):
        view.show_pdf(pdf, "again.pdf")
    assert view.pdf() == pdf
    with qtbot.waitSignal(view.finished, timeout=1_000):
        view.done_button.click()


def test_unprintable_data_gives_a_message(qtbot, view: ReceiptView) -> None:  # type: ignore[no-untyped-def]
    bad = sample_receipt()
    from dataclasses import replace

    with qtbot.waitSignal(view.failed, timeout=20_000) as failed:
        view.show_receipt(replace(bad, kind="parking_permit"))
    assert "parking_permit" in failed.args[0]
    assert not view.save_button.isEnabled()
    with qtbot.waitSignal(view.failed, timeout=20_000):
        view.show_pdf(b"%PDF-1.4 broken")
    assert i18n.current_language() == "zh_CN"


def test_a_newer_receipt_wins(qtbot, view: ReceiptView) -> None:  # type: ignore[no-untyped-def]
    first = sample_receipt("individual", "zh_CN")
    second = sample_receipt("organisation", "en")
    with qtbot.waitSignal(view.previewReady, timeout=20_000):
        view.show_receipt(first)
        view.show_receipt(second)
    wait_for_background(10)
    qtbot.wait(50)
    text = pypdf.PdfReader(io.BytesIO(view.pdf() or b"")).pages[0].extract_text()
    assert "Organisation in-person registration" in text


def test_closing_the_view_while_rendering_is_safe(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    import shiboken6

    widget = ReceiptView()
    widget.show_receipt(sample_receipt())
    shiboken6.delete(widget)  # the clerk moved on before the preview arrived
    wait_for_background(10)
    qtbot.wait(100)  # the late result is delivered to a relay and dropped, not raised


def test_the_daily_report_previews_too(qtbot, view: ReceiptView) -> None:  # type: ignore[no-untyped-def]
    from station.reports import render_daily_report
    from station.reports.sample import sample_stats

    with qtbot.waitSignal(view.previewReady, timeout=20_000) as ready:
        view.show_document(lambda: render_daily_report(sample_stats()), "daily.pdf")
    assert ready.args == [2]
    assert all(ink_share(image) > 0.01 for image in view.page_images())

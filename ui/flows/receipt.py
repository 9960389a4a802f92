"""The receipt of a committed case, shown for printing or saving (the counter's last step)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QBoxLayout

from app.runtime import StationRuntime
from station.i18n import current_language
from station.workflows.cases import CommitResult
from station.workflows.receipt_data import load_receipt
from ui.receipt_view import ReceiptView
from ui.workers import run_async


def attach_receipt(area: QBoxLayout, runtime: StationRuntime, result: CommitResult,
                   clerk_name: str, on_error: Callable[[str], None]) -> ReceiptView:
    """Add a receipt view to ``area`` and render the case's receipt into it off the GUI
    thread; ``on_error`` gets the reason if it cannot be built."""
    view = ReceiptView()
    view.setObjectName("caseReceipt")
    area.addWidget(view)
    language, case_id = current_language(), result.case_id
    run_async(lambda: load_receipt(runtime.db, case_id, runtime.settings, language, clerk_name),
              view.show_receipt, lambda e: on_error(str(e)))
    return view

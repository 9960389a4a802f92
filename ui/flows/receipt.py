"""The receipt of a committed case, shown in the review step for printing or saving."""

from __future__ import annotations

from typing import TYPE_CHECKING

from station.i18n import current_language
from station.workflows.cases import CommitResult
from station.workflows.receipt_data import receipt_data
from ui.receipt_view import ReceiptView
from ui.workers import run_async

if TYPE_CHECKING:
    from ui.flows.steps.review import ReviewStep


def attach_receipt(step: ReviewStep, result: CommitResult) -> ReceiptView:
    view = ReceiptView()
    view.setObjectName("caseReceipt")
    step.receipt_area.addWidget(view)
    step.done_button.setVisible(False)  # the receipt's own Done button ends the case
    view.finished.connect(step.finish)
    runtime, case_id = step.ctx.runtime, result.case_id
    language, clerk = current_language(), step.ctx.operator.display_name

    def load():  # type: ignore[no-untyped-def]
        with runtime.db.session() as session:
            return receipt_data(session, case_id, runtime.settings, language, clerk_name=clerk)

    run_async(load, view.show_receipt, lambda e: step.show_error(str(e)))
    step.receipt_view = view
    return view

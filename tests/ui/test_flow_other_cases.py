"""Before Submit, the clerk hears from the central service (embedded, demo) whether the
applicant already has another open or recent case: its number, kind and state, nothing
personal; offline the step says the check was not made and Submit still works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from station.db.models import CaseKind, OutboxItem, OutboxState
from station.workflows import cases
from tests.helpers.cases import VERIFIED_PHONE, card_document
from ui.event_bridge import EventBridge
from ui.flows.step import FlowContext
from ui.flows.steps.review import ReviewStep
from ui.review.format import kind_label, state_label


def tr(text: str) -> str:
    return QCoreApplication.translate("OtherCasesNotice", text)


def elicence_case(runtime: Any, photo: bytes) -> tuple[str, str]:
    """The sample card's holder with an e-licence photo (routed to review): (id, number)."""
    clerk = runtime.extras["clerk"]
    ref = runtime.db.write(lambda s: cases.start_case(s, CaseKind.ELICENCE_PHOTO,
                                                      runtime.settings.station.code, clerk.id,
                                                      "clerk"))
    doc = card_document()
    runtime.db.write(lambda s: cases.save_document(s, ref.id, doc, "clerk"))
    runtime.db.write(lambda s: cases.save_photo(s, ref.id, "elicence", photo, "clerk",
                                                profile="cn-driving-licence", compliant=True))
    runtime.db.write(lambda s: cases.save_phone(s, ref.id, VERIFIED_PHONE, True, "clerk"))
    return ref.id, ref.number


def review_step(qtbot, runtime: Any, case_id: str, number: str) -> ReviewStep:  # type: ignore[no-untyped-def]
    ctx = FlowContext(runtime, runtime.extras["clerk"], EventBridge.for_bus(runtime.bus),
                      CaseKind.ELICENCE_PHOTO, case_id, number)
    step = ReviewStep(ctx)
    qtbot.addWidget(step)
    step.show()
    step.activate()
    return step


def delivered(runtime: Any, case_id: str) -> bool:
    with runtime.db.session() as session:
        item = session.query(OutboxItem).filter_by(case_id=case_id).one_or_none()
        return item is not None and item.state == OutboxState.DELIVERED


def test_the_clerk_is_told_of_the_applicants_open_case(qtbot, live_runtime,  # type: ignore[no-untyped-def]
                                                       faces_dir: Path) -> None:
    live_runtime.extras["sync_started"].result(timeout=60)
    photo = (faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes()
    first_id, first_number = elicence_case(live_runtime, photo)
    live_runtime.db.write(lambda s: cases.commit_case(s, first_id, "clerk"))
    qtbot.waitUntil(lambda: delivered(live_runtime, first_id), timeout=30_000)

    second_id, second_number = elicence_case(live_runtime, photo)  # the same card again
    step = review_step(qtbot, live_runtime, second_id, second_number)
    notice = step.other_cases
    qtbot.waitUntil(lambda: notice.state == "found", timeout=20_000)
    assert notice.isVisible()
    text = notice.text()
    assert first_number in text and kind_label("elicence_photo") in text
    assert state_label("pending") in text
    assert tr("Attention: this person already has {n} open case(s). Check with the "
              "applicant before submitting another.").format(n=1) in text
    document = card_document()
    assert document.number not in text and document.name not in text
    step.confirmed.setChecked(True)
    assert step.commit_button.isEnabled()  # a warning, not a stop


def test_offline_the_check_is_said_to_be_skipped_and_submit_still_works(  # type: ignore[no-untyped-def]
        qtbot, live_runtime, faces_dir: Path) -> None:
    live_runtime.extras["sync_started"].result(timeout=60)
    live_runtime.sync.embedded.stop()  # the central service goes away
    photo = (faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes()
    case_id, number = elicence_case(live_runtime, photo)
    step = review_step(qtbot, live_runtime, case_id, number)
    qtbot.waitUntil(lambda: step.other_cases.state == "unknown", timeout=30_000)
    assert step.other_cases.text() == tr(
        "The central service cannot be reached: other cases of this person were not checked. "
        "You can submit; the supervisor will see them.")
    step.confirmed.setChecked(True)
    assert step.commit_button.isEnabled()

"""A case a supervisor returned for more information: the clerk sees the supervisor's note in
the station's case list and resubmits it; the new case must carry the same person's card."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt

from station.db.models import Case, CaseKind, CaseState, ReviewDecision, ReviewStatus
from station.identity.chip_photo import decode_chip_photo
from station.identity.samples import sample_card, sample_wlt
from station.identity.validation import validate_card
from station.workflows import cases
from station.workflows.documents import from_identity_card
from ui.event_bridge import EventBridge
from ui.main_window import Workspace
from ui.pages.cases import CasesPage
from ui.pages.registration import RegistrationPage
from ui.pages.registry import register_builtin_pages

JPEG = b"\xff\xd8\xff\xe0" + b"photo" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"sig" * 50
NOTE = "请补充清晰的现场照片"


def returned_case(runtime, card_key: str, reason: str | None = None) -> str:  # type: ignore[no-untyped-def]
    card = sample_card(card_key)
    doc = from_identity_card(card, decode_chip_photo(sample_wlt(card), None),
                             list(validate_card(card)))
    db = runtime.db
    ref = db.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL,
                                              runtime.settings.station.code, None, "clerk"))
    db.write(lambda s: cases.save_document(s, ref.id, doc, "clerk"))
    db.write(lambda s: cases.save_photo(s, ref.id, "live", JPEG, "clerk", compliant=True))
    db.write(lambda s: cases.save_phone(s, ref.id, "13812345678", True, "clerk"))
    db.write(lambda s: cases.save_signature(s, ref.id, b"r", PNG, "ab" * 32, "2026.1", "clerk"))
    db.write(lambda s: cases.commit_case(s, ref.id, "clerk"))

    def returned(session) -> None:  # type: ignore[no-untyped-def]
        case = session.get(Case, ref.id)
        case.review_status, case.state = ReviewStatus.RETURNED, CaseState.DECIDED
        case.decisions.append(ReviewDecision(decision=ReviewStatus.RETURNED, note=NOTE,
                                             reason_code=reason, reviewer="sup1",
                                             decided_at=datetime.now(UTC)))

    db.write(returned)
    return ref.number


def test_clerk_resubmits_a_returned_case_from_the_case_list(qtbot, live_runtime,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path) -> None:
    from devices.idcard.factory import DEMO_CARD

    number = returned_case(live_runtime, DEMO_CARD)
    register_builtin_pages()
    workspace = Workspace(live_runtime, live_runtime.extras["clerk"],
                          EventBridge.for_bus(live_runtime.bus))
    qtbot.addWidget(workspace)
    workspace.resize(1280, 900)
    workspace.show()
    page = workspace.open_page("cases")
    assert isinstance(page, CasesPage) and page.resubmit_button.isVisible()
    qtbot.waitUntil(lambda: page.table.rowCount() >= 1, timeout=10_000)
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == number)
    from ui.pages.cases import COLUMNS

    assert page.table.item(row, COLUMNS.index("review")).text() == "退回补充材料"
    assert page.table.item(row, COLUMNS.index("note")).text() == NOTE
    assert not page.resubmit_button.isEnabled()  # nothing selected yet
    page.table.selectRow(row)
    assert page.resubmit_button.isEnabled()
    workspace.grab().save(str(tmp_path / "cases-returned.png"))
    qtbot.mouseClick(page.resubmit_button, Qt.MouseButton.LeftButton)

    registration = workspace.page("registration")
    assert isinstance(registration, RegistrationPage)
    qtbot.waitUntil(lambda: registration.wizard is not None, timeout=10_000)
    wizard = registration.wizard
    assert workspace.pages.currentWidget() is registration
    assert number in wizard.resubmission_note.text() and NOTE in wizard.resubmission_note.text()
    document = wizard.current()
    assert document.key == "document"
    qtbot.waitUntil(lambda: document.use_button.isEnabled(), timeout=20_000)  # card read
    qtbot.mouseClick(document.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "photo", timeout=10_000)  # same person
    workspace.grab().save(str(tmp_path / "resubmission-photo.png"))
    with live_runtime.db.session() as session:
        new = session.get(Case, wizard.ctx.case_id)
        assert new.details["resubmission_of"]["number"] == number
    wizard.cancel_case()
    qtbot.waitUntil(lambda: registration.wizard is None, timeout=10_000)


def test_a_different_persons_card_is_refused_for_a_resubmission(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    from devices.idcard.factory import DEMO_CARD

    other = "resident-male" if DEMO_CARD != "resident-male" else "resident"
    returned_case(live_runtime, other)
    with live_runtime.db.session() as session:
        original = session.query(Case).filter(Case.review_status == ReviewStatus.RETURNED).one()
    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.show()
    page.resubmit(original.id)
    qtbot.waitUntil(lambda: page.wizard is not None, timeout=10_000)
    document = page.wizard.current()
    qtbot.waitUntil(lambda: document.use_button.isEnabled(), timeout=20_000)
    qtbot.mouseClick(document.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "不属于" in document.message.text(), timeout=10_000)
    assert page.wizard.current().key == "document"
    page.wizard.cancel_case()
    qtbot.waitUntil(lambda: page.wizard is None, timeout=10_000)


def test_a_resubmission_shows_only_what_was_asked_with_the_number_filled_in(  # type: ignore[no-untyped-def]
        qtbot, live_runtime) -> None:
    from devices.idcard.factory import DEMO_CARD

    returned_case(live_runtime, DEMO_CARD, reason="photo_noncompliant")
    with live_runtime.db.session() as session:
        original = session.query(Case).filter(Case.review_status == ReviewStatus.RETURNED).one()
    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.show()
    page.resubmit(original.id)
    qtbot.waitUntil(lambda: page.wizard is not None, timeout=10_000)
    wizard = page.wizard
    assert [step.key for step in wizard.steps] == ["document", "photo", "agreement", "review"]
    assert "手机号码" in wizard.resubmission_note.text()  # carried over, said so
    document = wizard.current()
    qtbot.waitUntil(lambda: document.use_button.isEnabled(), timeout=20_000)
    qtbot.mouseClick(document.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "photo", timeout=10_000)
    photo = wizard.current()
    qtbot.waitUntil(lambda: photo.continue_button.isEnabled(), timeout=60_000)
    qtbot.mouseClick(photo.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "agreement", timeout=10_000)  # no phone
    wizard.cancel_case()
    qtbot.waitUntil(lambda: page.wizard is None, timeout=10_000)


def test_the_phone_step_of_a_resubmission_has_the_number_filled_in(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    from devices.idcard.factory import DEMO_CARD

    returned_case(live_runtime, DEMO_CARD, reason="other")  # asks for every step
    with live_runtime.db.session() as session:
        original = session.query(Case).filter(Case.review_status == ReviewStatus.RETURNED).one()
    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.show()
    page.resubmit(original.id)
    qtbot.waitUntil(lambda: page.wizard is not None, timeout=10_000)
    wizard = page.wizard
    wizard.go_to_key("phone")
    phone = wizard.current()
    qtbot.waitUntil(lambda: phone.phone.text() == "13812345678", timeout=10_000)
    wizard.cancel_case()
    qtbot.waitUntil(lambda: page.wizard is None, timeout=10_000)

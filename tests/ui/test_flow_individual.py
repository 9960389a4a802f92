"""A clerk's individual face-sign registration end to end in demo mode: simulated reader,
replayed camera, signature on screen, receipt; plus resume after a crash and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from station.db.models import Case, CaseKind, CaseState
from tests.ui.conftest import sign_on_canvas
from ui.pages.registration import RegistrationPage


def test_individual_registration_from_card_to_receipt(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.resize(1280, 900)
    page.show()
    wizard = page.start(CaseKind.INDIVIDUAL)
    qtbot.waitUntil(lambda: bool(wizard.ctx.case_number), timeout=10_000)

    document = wizard.current()
    assert document.key == "document"
    qtbot.waitUntil(lambda: document.use_button.isEnabled(), timeout=20_000)  # card read
    assert document.card_panel.field_text("name")
    document_number = document.card_panel.field_text("id_number")
    qtbot.mouseClick(document.use_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: wizard.current().key == "photo", timeout=10_000)
    photo = wizard.current()
    qtbot.waitUntil(lambda: photo.continue_button.isEnabled(), timeout=60_000)  # auto-capture
    assert "芯片照片" in photo.match_label.text()  # no WLT decoder in demo: said plainly
    qtbot.mouseClick(photo.continue_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: wizard.current().key == "phone", timeout=10_000)
    phone = wizard.current()
    phone.phone.setText("12345")
    qtbot.mouseClick(phone.skip, Qt.MouseButton.LeftButton)  # asks why first
    assert wizard.current().key == "phone" and not phone.skip_reason.isHidden()
    qtbot.mouseClick(phone.skip, Qt.MouseButton.LeftButton)  # no reason: refused
    assert wizard.current().key == "phone" and phone.message.text()
    phone.skip_reason.setText("applicant's phone has no signal")
    qtbot.mouseClick(phone.skip, Qt.MouseButton.LeftButton)  # the number is invalid
    assert wizard.current().key == "phone" and phone.message.text()
    phone.phone.setText("13812345678")
    qtbot.mouseClick(phone.skip, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: wizard.current().key == "agreement", timeout=10_000)
    agreement = wizard.current()
    qtbot.waitUntil(lambda: agreement.widget is not None, timeout=10_000)
    sign_on_canvas(qtbot, agreement.widget.canvas)
    agreement.widget.try_accept()

    qtbot.waitUntil(lambda: wizard.current().key == "review", timeout=20_000)
    review = wizard.current()
    qtbot.waitUntil(lambda: "审核" in review.summary.text(), timeout=10_000)
    preview = review.summary.text()  # the applicant checks all of it before submitting
    for shown in ("13812345678", "未验证", "用户服务协议", "2026.1", "居民身份证", "********"):
        assert shown in preview, shown
    assert document_number not in preview  # the identity number is masked on screen too
    assert not review.photo_preview.pixmap().isNull()  # the photo that will be submitted
    assert not review.commit_button.isEnabled()  # not before the applicant confirms
    qtbot.keyClick(review.commit_button, Qt.Key.Key_Return)
    assert review.result is None
    qtbot.keyClick(review.confirmed, Qt.Key.Key_Space)  # ticked from the keyboard
    assert review.commit_button.isEnabled()
    qtbot.mouseClick(review.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.result is not None, timeout=10_000)
    qtbot.waitUntil(lambda: review.receipt_view.pdf() is not None, timeout=30_000)
    assert review.receipt_view.page_images()
    page.grab().save(str(Path(live_runtime.settings.storage.data_dir) / "receipt-step.png"))

    wizard_number = wizard.ctx.case_number
    with live_runtime.db.session() as session:
        case = session.scalar(select(Case).where(Case.number == wizard_number))
        assert case is not None and case.state in (CaseState.COMMITTED, CaseState.SYNCED)
        assert {"CHIP_PHOTO_UNAVAILABLE", "PHONE_NOT_VERIFIED"} <= set(case.flags)
        assert case.details["phone"] == {"verified": False,
                                         "skip_reason": "applicant's phone has no signal"}
        assert case.signatures and case.photos[0].purpose == "live"
        live = case.photos[0]  # evidence: when and by which camera the frame was taken
        assert live.captured_at is not None and live.camera is not None
        assert live.camera["simulated"] is True and live.camera["name"].endswith(".jpg")
        assert live.camera["format"].startswith("1280x") or "x" in live.camera["format"]
        from station.sync.payload import build_case_payload

        meta = next(p.meta for p in build_case_payload(session, case).parts if p.role == "photo")
        assert meta["camera"] == live.camera and meta["captured_at"].startswith("20")
    qtbot.mouseClick(review.receipt_view.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.wizard is None, timeout=5000)

    def synced() -> bool:  # delivered to the embedded central service by the outbox worker
        with live_runtime.db.session() as session:
            row = session.scalar(select(Case).where(Case.number == wizard_number))
            return row is not None and row.state == CaseState.SYNCED

    qtbot.waitUntil(synced, timeout=60_000)


def test_interrupted_case_resumes_and_cancel_wipes(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    wizard = page.start(CaseKind.INDIVIDUAL)
    qtbot.waitUntil(lambda: bool(wizard.ctx.case_number), timeout=10_000)
    document = wizard.current()
    qtbot.waitUntil(lambda: document.use_button.isEnabled(), timeout=20_000)
    qtbot.mouseClick(document.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "photo", timeout=10_000)
    number = wizard.ctx.case_number

    # the window goes away mid-case (crash, power cut): a new page lists the draft
    page.close_wizard()
    qtbot.waitUntil(lambda: page.drafts.count() == 1, timeout=5000)
    assert number in page.drafts.item(0).text()
    page._resume_item(page.drafts.item(0))
    assert page.wizard is not None and page.wizard.current().key == "photo"
    page.wizard.cancel_case()
    qtbot.waitUntil(lambda: page.wizard is None, timeout=5000)
    with live_runtime.db.session() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert case is not None and case.state == CaseState.CANCELLED and case.people == []

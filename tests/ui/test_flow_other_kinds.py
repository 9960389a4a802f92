"""Organisation registration (documents imported, agent signs the power of attorney) and the
e-licence photo flow, driven as a clerk would in demo mode."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import Qt
from sqlalchemy import select

from station.db.models import Case, CaseKind, CaseState
from tests.ui.conftest import sign_on_canvas
from ui.pages.registration import RegistrationPage


def licence_photo(path: Path) -> Path:
    page = np.full((1100, 780, 3), 250, np.uint8)
    for row in range(80, 1020, 36):
        cv2.putText(page, "YINGYE ZHIZHAO 91350100M000100Y43", (40, row),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.8, (20, 20, 20), 2)
    desk = np.full((1200, 1000, 3), (40, 60, 80), np.uint8)
    desk[50:1150, 110:890] = page
    cv2.imwrite(str(path), desk)
    return path


def use_card(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: bool(wizard.ctx.case_number), timeout=10_000)
    document = wizard.current()
    qtbot.waitUntil(lambda: document.use_button.isEnabled(), timeout=20_000)
    qtbot.mouseClick(document.use_button, Qt.MouseButton.LeftButton)


def test_organisation_registration(qtbot, live_runtime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.show()
    wizard = page.start(CaseKind.ORGANISATION)
    use_card(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.current().key == "photo", timeout=10_000)
    photo = wizard.current()  # the agent is photographed, and matched with the card's chip
    qtbot.waitUntil(lambda: photo.continue_button.isEnabled(), timeout=60_000)
    qtbot.mouseClick(photo.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "organisation", timeout=10_000)
    org = wizard.current()
    org.name.setText("福州某某科技有限公司")
    org.code.setText("91350100M000100Y44")
    qtbot.mouseClick(org.next_button, Qt.MouseButton.LeftButton)
    assert wizard.current() is org and org.message.text()  # wrong check character refused
    org.code.setText("91350100M000100Y43")
    assert "有效" in org.code_check.text() or org.code_check.text()
    qtbot.mouseClick(org.next_button, Qt.MouseButton.LeftButton)
    assert wizard.current() is org and org.message.text()  # no legal representative yet
    org.representative.setText("陈建国")
    qtbot.mouseClick(org.next_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: wizard.current().key == "scans", timeout=10_000)
    scans = wizard.current()
    qtbot.mouseClick(scans.next_button, Qt.MouseButton.LeftButton)
    assert "营业执照" in scans.message.text()  # nothing captured yet
    qtbot.waitUntil(lambda: scans.live.showing_frame, timeout=20_000)  # the camera, live
    scans.capture("business_licence")
    qtbot.waitUntil(lambda: "business_licence" in scans.done, timeout=20_000)
    camera = live_runtime.devices.device("camera")
    camera.stop()  # the camera is lost: no picture on screen, nothing to capture
    qtbot.waitUntil(lambda: not scans.live.showing_frame, timeout=10_000)
    scans.message.clear()
    scans.capture("power_of_attorney")
    assert scans.message.text() and "power_of_attorney" not in scans.done
    image = licence_photo(tmp_path / "licence.png")
    for kind in scans.kinds:
        scans.import_file(kind, str(image))
    qtbot.waitUntil(lambda: scans.done == set(scans.kinds), timeout=20_000)
    assert scans.slots["business_licence"].preview.pixmap() is not None
    qtbot.mouseClick(scans.next_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: wizard.current().key == "phone", timeout=10_000)
    phone = wizard.current()
    phone.phone.setText("13912345678")
    qtbot.mouseClick(phone.skip, Qt.MouseButton.LeftButton)  # asks why
    phone.skip_reason.setText("agent's phone is flat")
    qtbot.mouseClick(phone.skip, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: wizard.current().key == "agreement", timeout=10_000)
    agreement = wizard.current()
    qtbot.waitUntil(lambda: agreement.widget is not None, timeout=10_000)
    assert "法定代表人（负责人）：陈建国" in agreement.widget.text_view.toPlainText()
    sign_on_canvas(qtbot, agreement.widget.canvas)
    agreement.widget.try_accept()
    qtbot.waitUntil(lambda: wizard.current().key == "review", timeout=20_000)
    review = wizard.current()
    review.confirmed.setChecked(True)  # the applicant checked the preview
    qtbot.mouseClick(review.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.result is not None, timeout=10_000)
    assert "ORGANISATION" in {f.code for f in review.result.flags}
    with live_runtime.db.session() as session:
        case = session.scalar(select(Case).where(Case.number == wizard.ctx.case_number))
        assert case is not None and case.state in (CaseState.COMMITTED, CaseState.SYNCED)
        assert {s.kind for s in case.scans} == set(scans.kinds)
        assert case.signatures[0].signer_role == "agent"
        assert case.signatures[0].agreement_version
        assert [p.purpose for p in case.photos] == ["live"]  # the agent's live photo
        assert case.personal["legal_representative"] == "陈建国"
        assert case.details["face_match"]["attempts"] >= 1


def test_elicence_photo_flow(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.show()
    wizard = page.start(CaseKind.ELICENCE_PHOTO)
    use_card(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.current().key == "photo", timeout=10_000)
    photo = wizard.current()
    qtbot.waitUntil(lambda: photo.continue_button.isEnabled(), timeout=60_000)
    assert photo.captured is not None and photo.captured.override_reason is None
    exported = cv2.imdecode(np.frombuffer(photo.captured.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert exported.shape[:2] == (378, 260)  # GA 482 digital size
    assert 14_000 <= len(photo.captured.jpeg) <= 30_000
    qtbot.mouseClick(photo.continue_button, Qt.MouseButton.LeftButton)
    # the office's answer goes by SMS: the mobile number as in F1 (no SMS code here)
    qtbot.waitUntil(lambda: wizard.current().key == "phone", timeout=10_000)
    phone = wizard.current()
    phone.phone.setText("13712345678")
    qtbot.mouseClick(phone.skip, Qt.MouseButton.LeftButton)  # asks why
    assert wizard.current() is phone
    phone.skip_reason.setText("applicant's phone is not at hand")
    qtbot.mouseClick(phone.skip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "review", timeout=10_000)
    review = wizard.current()
    review.confirmed.setChecked(True)  # the applicant checked the preview
    qtbot.mouseClick(review.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.result is not None, timeout=10_000)
    assert [f.code for f in review.result.flags] == ["ELICENCE_PHOTO"]
    assert review.result.due_at is not None
    with live_runtime.db.session() as session:
        case = session.scalar(select(Case).where(Case.number == wizard.ctx.case_number))
        assert case is not None and case.people[0].phone == "13712345678"
        assert case.details["phone"]["verified"] is False

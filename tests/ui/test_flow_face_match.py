"""The live photo is compared with a chip photo when one is available (here a passport-style
document whose chip photo is the same person): the score is shown and recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import cv2
from PySide6.QtCore import Qt
from sqlalchemy import select

from station.db.models import Case, CaseKind
from station.workflows.documents import DocumentInput
from ui.pages.registration import RegistrationPage


def test_live_photo_matches_the_chip_photo(qtbot, live_runtime, faces_dir) -> None:  # type: ignore[no-untyped-def]
    # The same (demo) person the replay camera shows; one picture only, so the match is trivial.
    chip = cv2.imread(str(faces_dir.parent.parent / "demo" / "demo_person_white.jpg"))
    chip = cv2.resize(chip, (102 * 3, 126 * 3))[::3, ::3]  # about the size of a chip photo
    document = DocumentInput(
        source="emrtd", doc_type="passport", number="E12345678", name_en="ZHANG, WEI",
        birth_date=date(1990, 1, 1), valid_from=date(2020, 1, 1), valid_to=date(2030, 1, 1),
        chip_photo_image=cv2.imencode(".jpg", chip)[1].tobytes())
    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.show()
    wizard = page.start(CaseKind.INDIVIDUAL, carry={"document": replace(document)})
    qtbot.waitUntil(lambda: bool(wizard.ctx.case_number), timeout=10_000)
    step = wizard.current()
    qtbot.waitUntil(lambda: step.use_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(step.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "photo", timeout=10_000)
    photo = wizard.current()
    qtbot.waitUntil(lambda: photo.continue_button.isEnabled(), timeout=90_000)
    assert "同一人" in photo.match_label.text(), photo.match_label.text()
    with live_runtime.db.session() as session:
        case = session.scalar(select(Case).where(Case.number == wizard.ctx.case_number))
        assert case is not None and case.details["face_match"]["match"] is True
        assert case.details["face_match"]["score"] >= 60

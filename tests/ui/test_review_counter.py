"""What a supervisor sees of a case the counter recorded: every raw value as words, every
reason the clerk gave, the camera evidence, the state after a decision and the next case;
whole case numbers in the queue."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from station.beijing import beijing_text
from station.db.models import CaseKind
from station.workflows import cases
from tests.helpers.cases import LocalStation, card_document
from tests.integration.test_review_central import ReviewWorld, start_world
from ui.review.format import state_label
from ui.review.queue_model import COLUMNS
from ui.review.queue_page import ReviewQueuePage

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Beijing
TAKEN = datetime(2026, 11, 24, 1, 58, 30, tzinfo=UTC)
CAMERA = {"name": "/dev/video0", "model": "HD Pro Webcam C920", "backend": "V4L2",
          "format": "1280x720@30", "simulated": False}


@pytest.fixture
def world(tmp_path: Path, qapp) -> Iterator[ReviewWorld]:  # type: ignore[no-untyped-def]
    w = start_world(tmp_path, NOW)
    yield w
    w.close()


@pytest.fixture
def station(tmp_path: Path) -> Iterator[LocalStation]:
    local = LocalStation.open(tmp_path / "station")
    yield local
    local.close()


@pytest.fixture
def portrait(faces_dir: Path) -> bytes:
    return (faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes()


@pytest.fixture
def make_page(world: ReviewWorld, qtbot) -> Iterator[Callable[[], ReviewQueuePage]]:  # type: ignore[no-untyped-def]
    pages: list[ReviewQueuePage] = []

    def make() -> ReviewQueuePage:
        page = ReviewQueuePage(lambda: world.login("sup1"), auto_refresh_ms=0)
        qtbot.addWidget(page)
        page.resize(1366, 768)
        page.show()
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()


def counter_case(station: LocalStation, photo: bytes) -> str:
    """An individual case where the clerk went past three checks, each with a reason: an
    expired card, a photo that fails a check, a number not verified by SMS."""
    db, clerk = station.db, "clerk1"
    case_id = db.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, station.code,
                                                  station.clerks[clerk], clerk)).id
    doc = replace(card_document("expired"))
    db.write(lambda s: cases.save_document(s, case_id, doc, clerk,
                                           expiry_reason="新证办理中，持公安机关受理回执"))
    db.write(lambda s: cases.save_photo(s, case_id, "live", photo, clerk, compliant=False,
                                        override_reason="applicant wears a hearing aid",
                                        captured_at=TAKEN, camera=CAMERA))
    db.write(lambda s: cases.save_phone(s, case_id, "13812345678", False, clerk,
                                        skip_reason="no signal at the counter"))
    db.write(lambda s: cases.save_signature(s, case_id, b"record", b"\x89PNG\r\n\x1a\n" + b"x" * 40,
                                            "ab" * 32, "2026.1", clerk))
    db.write(lambda s: cases.commit_case(s, case_id, clerk, confirmed_by_applicant=True))
    return case_id


def all_texts(item: QTreeWidgetItem) -> list[str]:
    found = [item.text(0), item.text(1)]
    for index in range(item.childCount()):
        found += all_texts(item.child(index))
    return found


def open_case(qtbot, page: ReviewQueuePage, case_id: str):  # type: ignore[no-untyped-def]
    page.open_case(case_id)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None
                    and page.case_view.case_id == case_id, timeout=15_000)
    return page.case_view


def test_the_case_view_says_everything_in_words_with_the_clerks_reasons(
        world, station, make_page, qtbot, portrait) -> None:  # type: ignore[no-untyped-def]
    case_id = counter_case(station, portrait)
    central_id = station.deliver(world.station, case_id).case_id
    view = open_case(qtbot, make_page(), central_id)
    tree = view.fields_tree
    texts = [t for i in range(tree.topLevelItemCount()) for t in all_texts(tree.topLevelItem(i))]
    joined = "\n".join(texts)
    for raw in ("resident_id", "decoder_not_configured", "citizen_id", "validity", "reader",
                "birth_date", "number_kind"):
        assert raw not in texts and f"✓ {raw}" not in joined and f"✗ {raw}" not in joined, raw
    for reason in ("新证办理中，持公安机关受理回执", "applicant wears a hearing aid",
                   "no signal at the counter"):
        assert reason in texts, reason
    reasons = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                   if "新证办理中，持公安机关受理回执" in all_texts(tree.topLevelItem(i)))
    assert reasons.childCount() == 4  # three reasons and the applicant's confirmation
    note = view.photo_note.text()
    assert "HD Pro Webcam C920" in note and beijing_text(TAKEN) in note  # 09:58 in Beijing
    assert "applicant wears a hearing aid" in note
    assert "DOCUMENT_EXPIRED" in view.data.detail["case"]["flags"]
    assert view.chip_photo.text() and "decoder_not_configured" not in view.chip_photo.text()


def test_after_a_decision_the_header_says_so_and_next_case_opens_the_next(
        world, station, make_page, qtbot, portrait) -> None:  # type: ignore[no-untyped-def]
    first = station.deliver(world.station, station.individual(portrait)).case_id
    world.clock.now = NOW.replace(minute=5)
    second = station.deliver(world.station, station.individual(portrait, clerk="clerk2")).case_id
    page = make_page()
    view = open_case(qtbot, page, first)
    assert not view.next_button.isVisibleTo(view)
    view.decide("approve")
    qtbot.waitUntil(lambda: view.next_button.isVisibleTo(view), timeout=10_000)
    assert state_label("approved") in view.heading.text()
    assert state_label("pending") not in view.heading.text()
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view is not view
                    and page.case_view.case_id == second, timeout=15_000)
    assert page.case_view.holds_lease()


def test_the_queue_shows_whole_case_numbers_in_columns_sized_to_them(
        world, station, make_page, qtbot, portrait) -> None:  # type: ignore[no-untyped-def]
    ids = [station.individual(portrait) for _ in range(3)]
    for case_id in ids:
        station.deliver(world.station, case_id)
    page = make_page()
    qtbot.waitUntil(lambda: len(page.model.rows) == 3 and not page.model.busy(), timeout=10_000)
    metrics = page.table.fontMetrics()
    for column in ("number", "kind", "clerk", "due", "state"):
        index = COLUMNS.index(column)
        widest = max(metrics.horizontalAdvance(str(page.model.data(page.model.index(r, index))))
                     for r in range(3))
        assert page.table.columnWidth(index) >= widest, column
    shown = {str(page.model.data(page.model.index(r, 0))) for r in range(3)}
    assert shown == {station.number(case_id) for case_id in ids}  # whole, and all different

"""The review queue, case view and dashboard against a running central service (embedded,
temporary SQLite), seeded with cases delivered through the station's real client."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, QPointF, Qt, QTranslator
from PySide6.QtGui import QWheelEvent

from station import vocabulary
from station.i18n import both, current_language
from station.sync.client import CentralClient, CentralError
from station.wire import CaseIn
from tests.helpers.cases import LocalStation
from tests.integration.test_review_central import (
    PASSWORD,
    ReviewWorld,
    deliver,
    scan_png,
    signature_record,
    start_world,
)
from ui.review.queue_model import CASE_ROLE, COLUMNS
from ui.review.queue_page import ReviewQueuePage

TS_FILE = Path(__file__).resolve().parents[2] / "resources" / "translations" / "review_zh_CN.ts"
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Beijing


@pytest.fixture
def world(tmp_path: Path, qapp) -> Iterator[ReviewWorld]:  # type: ignore[no-untyped-def]
    w = start_world(tmp_path, NOW)
    yield w
    w.close()


@pytest.fixture
def station(tmp_path: Path) -> Iterator[LocalStation]:
    """The station the world's cases come from: made, routed and delivered for real."""
    local = LocalStation.open(tmp_path / "station")
    yield local
    local.close()


@pytest.fixture
def make_page(world: ReviewWorld, qtbot) -> Iterator[Callable[..., ReviewQueuePage]]:  # type: ignore[no-untyped-def]
    pages: list[ReviewQueuePage] = []

    def make(user: str = "sup1", **options: object) -> ReviewQueuePage:
        page = ReviewQueuePage(lambda: world.login(user), auto_refresh_ms=0, **options)  # type: ignore[arg-type]
        qtbot.addWidget(page)
        page.resize(1200, 800)
        page.show()
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()


def numbers(page: ReviewQueuePage) -> list[str]:
    return [row.number for row in page.model.rows]


def wait_rows(qtbot, page: ReviewQueuePage, count: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: len(page.model.rows) == count and not page.model.busy(),
                    timeout=10_000)


def cell(page: ReviewQueuePage, row: int, column: str,
         role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> object:
    return page.model.data(page.model.index(row, COLUMNS.index(column)), role)


JPEG = b"\xff\xd8\xff\xe0" + b"live" * 200


@dataclass
class Seeded:
    ids: list[str]  # central case ids, in delivery order
    numbers: list[str]  # the station's case numbers
    flags: list[tuple[str, ...]]  # what the routing rules raised for each


def seed(world: ReviewWorld, station: LocalStation, count: int) -> Seeded:
    """``count`` cases five minutes apart, made at the station and routed by its rules: the
    first an individual whose card chip had no photo (CHIP_PHOTO_UNAVAILABLE), then
    organisations (ORGANISATION) and individuals whose face did not match (LOW_FACE_MATCH)
    in turn; the last one is clerk2's."""
    seeded = Seeded([], [], [])
    for index in range(count):
        world.clock.now += timedelta(minutes=5)
        clerk = "clerk2" if index == count - 1 else "clerk1"
        if index == 0:
            case_id = station.individual(JPEG, clerk=clerk)
        elif index % 2:
            case_id = station.organisation(scan_png(), JPEG, clerk=clerk)
        else:
            case_id = station.individual(JPEG, clerk=clerk, chip_photo=JPEG, match=False)
        seeded.flags.append(station.commit(case_id))
        seeded.numbers.append(station.number(case_id))
        seeded.ids.append(station.deliver(world.station, case_id).case_id)
    return seeded


def test_queue_lists_sorts_and_filters_on_the_server(world, station, make_page,  # type: ignore[no-untyped-def]
                                                      qtbot) -> None:
    cases = seed(world, station, 4)
    assert cases.flags == [("CHIP_PHOTO_UNAVAILABLE",), ("ORGANISATION",), ("LOW_FACE_MATCH",),
                           ("ORGANISATION",)]
    n0, n1, n2, n3 = cases.numbers
    page = make_page()
    wait_rows(qtbot, page, 4)
    assert numbers(page) == [n0, n1, n2, n3]  # most urgent due first
    assert page.model.counts["pending"] == 4
    assert "4" in page.counts_label.text()
    assert page.model.data(page.model.index(0, 0), CASE_ROLE).number == n0
    # flags by their labels, never their codes; the tooltip explains them
    assert cell(page, 0, "flags") in ("No chip photo", "无芯片照片")
    assert cell(page, 1, "flags") in ("Organisation registration", "单位注册")
    assert cell(page, 2, "flags") in ("Face match failed", "人像比对未通过")
    assert str(cell(page, 2, "flags", Qt.ItemDataRole.ToolTipRole)).endswith((
        "The live photo does not match the chip photo closely enough.",
        "现场照片与证件芯片照片比对相似度不足。"))
    header = page.table.horizontalHeader()
    header.setSortIndicator(COLUMNS.index("number"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: numbers(page) == [n3, n2, n1, n0], timeout=10_000)
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("organisation"))
    page.apply_filters()
    qtbot.waitUntil(lambda: numbers(page) == [n3, n1], timeout=10_000)
    page.clerk_filter.setText("clerk2")
    page.apply_filters()
    qtbot.waitUntil(lambda: numbers(page) == [n3], timeout=10_000)
    page.kind_filter.setCurrentIndex(0)
    page.clerk_filter.setText("")
    # the reason filter offers the routing flags and finds the cases routed with one
    offered = [page.reason_filter.itemData(i) for i in range(1, page.reason_filter.count())]
    assert offered == list(vocabulary.flags().codes)
    for flag, expected in (("CHIP_PHOTO_UNAVAILABLE", [n0]), ("LOW_FACE_MATCH", [n2]),
                           ("ORGANISATION", [n3, n1])):
        page.reason_filter.setCurrentIndex(page.reason_filter.findData(flag))
        assert page.reason_filter.currentText() == vocabulary.flags().label(flag)
        page.apply_filters()
        qtbot.waitUntil(lambda e=expected: numbers(page) == e, timeout=10_000)


def test_overdue_cases_stand_out_with_text_and_icon(world, station, make_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    cases = seed(world, station, 2)
    world.clock.now = NOW + timedelta(days=1, minutes=7)  # past the first case's due time
    page = make_page()
    wait_rows(qtbot, page, 2)
    overdue = [row.overdue for row in page.model.rows]
    assert overdue == [True, False]
    assert "Overdue" in str(cell(page, 0, "due")) or "超期" in str(cell(page, 0, "due"))
    assert cell(page, 0, "due", Qt.ItemDataRole.DecorationRole) is not None
    assert cell(page, 0, "number", Qt.ItemDataRole.BackgroundRole) is not None
    assert cell(page, 1, "due", Qt.ItemDataRole.DecorationRole) is None
    page.due_filter.setCurrentIndex(page.due_filter.findData("overdue"))
    page.apply_filters()
    qtbot.waitUntil(lambda: numbers(page) == cases.numbers[:1], timeout=10_000)


def test_rows_are_fetched_a_page_at_a_time(world, station, qtbot) -> None:  # type: ignore[no-untyped-def]
    cases = seed(world, station, 5)
    asked: list[tuple[int, int]] = []

    class Recording(CentralClient):
        def list_queue(self, **params):  # type: ignore[no-untyped-def, override]
            asked.append((params["offset"], params["limit"]))
            return super().list_queue(**params)

    def factory() -> CentralClient:
        client = Recording(world.base_url)
        world.clients.append(client)
        client.login("sup1", PASSWORD)
        return client

    page = ReviewQueuePage(factory, page_size=2, auto_refresh_ms=0)
    qtbot.addWidget(page)
    try:
        qtbot.waitUntil(lambda: len(page.model.rows) >= 2, timeout=10_000)
        assert page.model.total == 5
        while page.model.canFetchMore(QModelIndex()) or page.model.busy():
            page.model.fetchMore(QModelIndex())
            qtbot.wait(20)
        assert numbers(page) == cases.numbers
        assert asked == [(0, 2), (2, 2), (4, 2)]
    finally:
        page.shutdown()


def test_refresh_keeps_the_selection(world, station, make_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = seed(world, station, 3).ids
    page = make_page()
    wait_rows(qtbot, page, 3)
    page.table.selectRow(1)
    assert page.selected_case_id() == ids[1]
    page.refresh()
    qtbot.waitUntil(lambda: not page.model.busy(), timeout=10_000)
    assert page.selected_case_id() == ids[1]
    page.table.horizontalHeader().setSortIndicator(COLUMNS.index("age"),
                                                   Qt.SortOrder.DescendingOrder)
    wait_rows(qtbot, page, 3)
    page.table.selectRow(page.model.row_of(ids[1]))
    world.clock.now -= timedelta(minutes=30)  # a new case sorts before the selected one
    deliver(world, "key-seed-new1", number="N-new")
    page.refresh()
    qtbot.waitUntil(lambda: len(page.model.rows) == 4 and not page.model.busy(), timeout=10_000)
    assert page.model.rows[0].number == "N-new"
    assert page.selected_case_id() == ids[1]


def test_opening_a_case_claims_renews_and_releases_it(world, station, make_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    (case_id,) = seed(world, station, 1).ids
    other = world.login("sup2")
    page = make_page(renew_interval_ms=200)
    wait_rows(qtbot, page, 1)
    page.table.selectRow(0)
    page.open_button.click()
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                    timeout=10_000)
    taken = other.list_queue(state="claimed").items
    assert [(i.case_id, i.claimed_by) for i in taken] == [(case_id, "sup1")]
    with pytest.raises(CentralError) as refused:
        other.claim(case_id)
    assert refused.value.code == "case_claimed"
    first_until = taken[0].lease_until
    world.clock.now += timedelta(seconds=30)
    qtbot.waitUntil(lambda: other.list_queue(state="claimed").items[0].lease_until
                    != first_until, timeout=10_000)
    world.clock.now += timedelta(seconds=45)  # past the first lease: only renewal kept it
    with pytest.raises(CentralError):
        other.claim(case_id)
    assert page.case_view.holds_lease()
    page.case_view.close_button.click()
    assert page.case_view is None
    qtbot.waitUntil(lambda: other.counts()["pending"] == 1, timeout=10_000)
    assert other.claim(case_id)["claimed_by"] == "sup2"
    # sup2 has it now: the first reviewer's queue (open cases) shows it as taken, and
    # opening it is refused
    assert page.state_filter.currentData() == "open"
    page.refresh()
    qtbot.waitUntil(lambda: not page.model.busy() and "sup2" in str(cell(page, 0, "state")),
                    timeout=10_000)
    page.open_row(0)
    qtbot.waitUntil(lambda: "sup2" in page.status.text(), timeout=10_000)
    assert page.case_view is None


def test_a_lapsed_lease_taken_by_another_stops_the_decision(world, station, make_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    (case_id,) = seed(world, station, 1).ids
    page = make_page(renew_interval_ms=3_600_000)
    wait_rows(qtbot, page, 1)
    page.open_case(case_id)
    qtbot.waitUntil(lambda: page.case_view is not None, timeout=10_000)
    view = page.case_view
    world.clock.now += timedelta(seconds=61)
    world.login("sup2").claim(case_id)
    view.keeper.renew()
    qtbot.waitUntil(lambda: not view.holds_lease(), timeout=10_000)
    assert not view.approve_button.isEnabled()
    assert view.message.text()


def test_case_view_shows_the_evidence(world, make_page, qtbot, faces_dir) -> None:  # type: ignore[no-untyped-def]
    case_id = deliver(world, "key-full-0001", faces_dir, full=True).case_id
    page = make_page()
    page.open_case(case_id)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                    timeout=15_000)
    view = page.case_view
    assert view.chip_photo.pixmap().isNull()
    assert view.chip_photo.text() in ("The card has no photo on its chip.", "证件芯片中没有照片。")
    assert not view.live_photo.pixmap().isNull()
    assert "0.41" in view.match_label.text() and "0.60" in view.match_label.text()
    first_check = view.quality.item(0)
    assert first_check.text().startswith("✗") and first_check.data(Qt.ItemDataRole.UserRole) \
        == "background"
    assert view.quality.item(1).text().startswith("✓")
    texts = [view.fields_tree.topLevelItem(i).text(0)
             for i in range(view.fields_tree.topLevelItemCount())]
    applicant = QCoreApplication.translate("CaseView", "applicant")  # whichever language is on
    assert any(applicant in t for t in texts)
    person = next(view.fields_tree.topLevelItem(i) for i in range(len(texts))
                  if applicant in texts[i])
    document = next(person.child(i) for i in range(person.childCount())
                    if person.child(i).childCount())
    checks = [document.child(i).text(0) for i in range(document.childCount())]
    expiry = QCoreApplication.translate("ReviewWords", "Expiry date")  # words, not "expiry"
    assert "✓ check_digit" in checks and f"✗ {expiry}" in checks  # an unknown check: as sent
    assert view.scan_tabs.count() == 1
    scan = view.scan_tabs.widget(0)
    before = scan.scale_factor()
    centre = QPointF(scan.viewport().rect().center())
    wheel = QWheelEvent(centre, scan.viewport().mapToGlobal(centre), QPoint(0, 0),
                        QPoint(0, 240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    scan.wheelEvent(wheel)
    assert scan.scale_factor() == pytest.approx(before * 1.25 ** 2)
    assert view.data.signature is not None and view.data.signature.ok
    assert view.data.signature.checks["case"] is True
    assert not view.signature_image.pixmap().isNull()  # the image sealed in the record
    assert view.audit.topLevelItemCount() >= 1
    # why it is here: the flags the rules raised, by label, each with its explanation
    flags = vocabulary.flags()
    routed = ["LOW_FACE_MATCH", "CHIP_PHOTO_UNAVAILABLE", "DOCUMENT_CHECK_FAILED"]
    assert page.case_view.data.detail["case"]["flags"] == routed
    reasons = view.fields_tree.topLevelItem(0)
    assert reasons.text(0) == QCoreApplication.translate("CaseView", "Review reasons")
    assert reasons.text(1) == ", ".join(flags.label(code) for code in routed)
    assert [(reasons.child(i).text(0), reasons.child(i).text(1))
            for i in range(reasons.childCount())] == [
        (flags.label(code), flags.get(code).explanation.text()) for code in routed]  # type: ignore[union-attr]
    # every part it came with, named by its kind
    listed = {view.parts_list.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole):
              view.parts_list.topLevelItem(i).text(0)
              for i in range(view.parts_list.topLevelItemCount())}
    assert listed == {kind: vocabulary.part_kinds().label(kind)
                      for kind in ("photo", "signature_record", "document_scan")}


def test_an_elicence_photo_is_shown_by_its_label(world, station, make_page, qtbot,  # type: ignore[no-untyped-def]
                                                 faces_dir) -> None:
    """The e-licence photo travels as its own part kind; the supervisor sees it, named."""
    photo = (faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes()
    local_id = station.elicence_photo(photo)
    assert station.commit(local_id) == ("ELICENCE_PHOTO",)
    case_id = station.deliver(world.station, local_id).case_id
    page = make_page()
    wait_rows(qtbot, page, 1)
    assert cell(page, 0, "flags") == vocabulary.flags().label("ELICENCE_PHOTO")
    page.open_case(case_id)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                    timeout=15_000)
    view = page.case_view
    roles = [part["role"] for part in view.data.detail["parts"]]
    assert "photo_elicence" in roles and "photo" not in roles
    assert not view.live_photo.pixmap().isNull()  # the photo itself, not "no photo"
    labels = vocabulary.part_kinds()
    assert view.live_box.title() == labels.label("photo_elicence")
    shown = {view.parts_list.topLevelItem(i).text(0): view.parts_list.topLevelItem(i).text(3)
             for i in range(view.parts_list.topLevelItemCount())}
    assert shown[labels.label("photo_elicence")] == QCoreApplication.translate("CaseView",
                                                                               "shown")
    with qtbot.waitSignal(view.decided, timeout=10_000):
        view.approve_button.click()


def test_every_image_a_case_brings_is_shown_under_its_label(world, make_page, qtbot,  # type: ignore[no-untyped-def]
                                                           faces_dir) -> None:
    """Images without a place of their own (as the 12123 app sends them: the photo as
    submitted, liveness frames) are shown with the scans, titled by their kind."""
    import hashlib

    portraits = sorted((faces_dir / "portraits").glob("*.jpg"))[:3]
    assert len(portraits) == 3, "three portraits in the faces folder"
    kinds = ("photo_elicence", "photo_submitted", "photo_liveness")
    parts = []
    for kind, path in zip(kinds, portraits, strict=True):
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        world.station.upload_part(sha, data)
        parts.append({"sha256": sha, "role": kind, "media_type": "image/jpeg",
                      "size": len(data), "meta": {}})
    case_id = world.station.ingest_case(CaseIn.model_validate({
        "number": "N-app-0001", "kind": "elicence_photo", "review_required": True,
        "flags": ["APP_PHOTO_SUBMISSION"], "parts": parts}), "key-app-00001").case_id
    page = make_page()
    page.open_case(case_id)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                    timeout=15_000)
    view = page.case_view
    labels = vocabulary.part_kinds()
    assert view.live_box.title() == labels.label("photo_elicence")
    assert not view.live_photo.pixmap().isNull()
    assert [view.scan_tabs.tabText(i) for i in range(view.scan_tabs.count())] == [
        labels.label("photo_submitted"), labels.label("photo_liveness")]
    shown = QCoreApplication.translate("CaseView", "shown")
    assert [view.parts_list.topLevelItem(i).text(3)
            for i in range(view.parts_list.topLevelItemCount())] == [shown] * 3


def test_a_case_closed_before_it_has_loaded_drops_the_late_answer(world, station, make_page,  # type: ignore[no-untyped-def]
                                                                  qtbot) -> None:
    (case_id,) = seed(world, station, 1).ids
    page = make_page()
    page.open_case(case_id)
    qtbot.waitUntil(lambda: page.case_view is not None, timeout=10_000)
    view = page.case_view
    shown = view.data  # None, unless a busy machine's waitUntil let the answer arrive first
    view.close_button.click()  # at once: the case's parts are still on their way
    assert page.case_view is None
    qtbot.waitUntil(lambda: not page.backend.busy(), timeout=15_000)
    qtbot.wait(50)  # the answer is delivered (and dropped) after the view is gone
    assert view.data is shown  # nothing reached the closed view


def test_a_resubmission_shows_the_returned_case_and_its_note(world, make_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    link = {"case_id": "c" * 32, "number": "ST-20261124-0007", "note": "请补充清晰的现场照片"}
    case_id = deliver(world, "key-resub-0001", details={"resubmission_of": link}).case_id
    page = make_page()
    page.open_case(case_id)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                    timeout=15_000)
    tree = page.case_view.fields_tree
    label = QCoreApplication.translate("CaseView", "Resubmission of")
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0) == label)
    assert item.text(1) == "ST-20261124-0007"
    assert item.child(0).text(1) == "请补充清晰的现场照片"


def test_tampered_signature_record_fails_its_binding_check(world, make_page, qtbot,
                                                           faces_dir) -> None:  # type: ignore[no-untyped-def]
    record = bytearray(signature_record())
    record[-20] ^= 0xFF  # a byte of the PNG inside the record
    case_id = deliver(world, "key-sig-00001", faces_dir, full=True,
                      signature=bytes(record)).case_id
    page = make_page()
    page.open_case(case_id)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                    timeout=15_000)
    result = page.case_view.data.signature
    assert result is not None and not result.ok and result.checks["image"] is False
    marks = [page.case_view.signature_checks.item(i).text()
             for i in range(page.case_view.signature_checks.count())]
    assert any(text.startswith("✗") for text in marks)


def test_reject_needs_a_reason_and_the_decision_reaches_the_station(world, station, make_page,
                                                                    qtbot) -> None:  # type: ignore[no-untyped-def]
    cases = seed(world, station, 2)
    first, second = cases.ids
    page = make_page()
    wait_rows(qtbot, page, 2)
    page.open_case(first)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                    timeout=10_000)
    view = page.case_view
    view.reject_button.click()
    assert view.message.text()  # refused in the UI: no reason code chosen
    view.return_button.click()
    assert view.holds_lease()
    assert world.station.feed(0)["entries"] == []
    view.reason.setCurrentIndex(view.reason.findData("face_mismatch"))
    view.note.setText("现场照片与证件照片不符")
    with qtbot.waitSignal(view.decided, timeout=10_000):
        view.reject_button.click()
    feed = world.station.feed(0)["entries"]
    assert [(e["case_id"], e["review_state"]) for e in feed] == [(first, "rejected")]
    assert feed[0]["decision"]["reason_code"] == "face_mismatch"
    view.close_button.click()
    qtbot.waitUntil(lambda: numbers(page) == cases.numbers[1:], timeout=10_000)
    page.next_button.click()
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.case_id == second,
                    timeout=10_000)
    with qtbot.waitSignal(page.case_view.decided, timeout=10_000):
        page.case_view.approve_button.click()
    assert world.station.feed(feed[0]["seq"])["entries"][0]["review_state"] == "approved"
    page.case_view.close_button.click()
    qtbot.waitUntil(lambda: page.model.counts.get("approved") == 1, timeout=10_000)


def test_a_clerk_sees_the_refusal_in_the_queue(world, station, make_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    seed(world, station, 1)
    page = make_page("clerk1")
    qtbot.waitUntil(lambda: bool(page.status.text()), timeout=10_000)
    refusal = both("CentralApi", "Your role is not allowed to do this.")
    assert page.status.text() == (refusal["en"] if current_language() == "en" else refusal["zh"])
    assert page.model.rows == []


def test_dashboard_shows_today_and_week_and_makes_the_report(world, station, qtbot,
                                                             tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from ui.review.dashboard import DashboardPage

    world.clock.now = NOW - timedelta(days=1)  # Monday: this week, not today
    deliver(world, "key-monday-01", clerk="clerk2")
    world.clock.now = NOW
    ids = seed(world, station, 3).ids
    world.station.ingest_case(CaseIn(number="N-clean", kind="individual", clerk="clerk1"),
                              "key-dash-clean")  # registered, not flagged
    sup = world.login("sup1")
    lease = sup.claim(ids[0])
    world.clock.now += timedelta(seconds=30)
    sup.decide(ids[0], "approve", lease["lease_token"])
    world.clock.now = NOW + timedelta(hours=8)  # 18:00 in Beijing, the same day
    opened: list[Path] = []
    suggested: list[Path] = []
    chosen = tmp_path / "chosen folder" / "日报"  # the dialog adds .pdf when it is left off

    def choose(_parent: object, proposal: Path) -> Path:
        suggested.append(proposal)
        return chosen.with_suffix(".pdf")

    page = DashboardPage(lambda: world.login("sup1"), office="测试车管所",
                         reports_dir=tmp_path / "reports", open_file=opened.append,
                         clock=lambda: world.clock.now, choose_path=choose)
    qtbot.addWidget(page)
    try:
        qtbot.waitUntil(lambda: page.figures is not None, timeout=10_000)
        today, week = page.figures["today"], page.figures["week"]
        assert today["registrations"] == 4 and today["total"] == 3
        assert week["registrations"] == 5
        panel = page.panels["today"]
        per_clerk = {panel.per_clerk.item(r, 0).text(): panel.per_clerk.item(r, 1).text()
                     for r in range(panel.per_clerk.rowCount())}
        assert per_clerk == {"clerk1": "3", "clerk2": "1"}
        assert "75 %" in panel.summary.text()  # 3 of 4 registrations flagged
        flags = vocabulary.flags()
        per_reason = {panel.per_reason.item(r, 0).text(): panel.per_reason.item(r, 1).text()
                      for r in range(panel.per_reason.rowCount())}
        assert per_reason == {flags.label("CHIP_PHOTO_UNAVAILABLE"): "1",
                              flags.label("ORGANISATION"): "1",
                              flags.label("LOW_FACE_MATCH"): "1"}
        assert page.report_button.isEnabled()
        page.report_button.click()
        qtbot.waitUntil(lambda: page.last_report is not None, timeout=30_000)
        assert suggested == [tmp_path / "reports" / "daily-report-2026-11-24.pdf"]
        assert page.last_report == chosen.with_suffix(".pdf") and page.last_report.is_file()
        assert str(page.last_report) in page.status.text()
        assert opened == [] and page.open_report_button.isVisibleTo(page)
        page.open_report_button.click()
        assert opened == [page.last_report]
        text = "".join(p.extract_text() for p in PdfReader(str(opened[0])).pages)
        assert "测试车管所" in text
    finally:
        page.shutdown()


def test_pages_register_for_supervisors(world, qtbot) -> None:  # type: ignore[no-untyped-def]
    from station.db.models import Role
    from ui.pages import registry
    from ui.review import register_review_pages

    saved = list(registry._PAGES)
    try:
        register_review_pages(lambda: world.login("sup1"))
        keys = [spec.key for spec in registry.pages_for(Role.SUPERVISOR)]
        assert "review_queue" in keys and "dashboard" in keys
        assert "review_queue" not in [s.key for s in registry.pages_for(Role.CLERK)]
        spec = next(s for s in registry.pages_for(Role.SUPERVISOR) if s.key == "review_queue")
        widget = spec.factory(None, None)  # type: ignore[arg-type]
        qtbot.addWidget(widget)
        qtbot.waitUntil(lambda: not widget.model.busy(), timeout=10_000)
        widget.shutdown()
        assert spec.title()
    finally:
        registry._PAGES[:] = saved


def test_chinese_labels_come_from_the_review_catalog(world, make_page, qtbot, qapp,
                                                     tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    qm = tmp_path / "review_zh_CN.qm"
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), "-silent", str(TS_FILE), "-qm", str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    try:
        page = make_page()
        qtbot.waitUntil(lambda: not page.model.busy(), timeout=10_000)
        assert page.open_button.text() == "打开案件"
        assert page.model.headerData(COLUMNS.index("due"), Qt.Orientation.Horizontal) == "截止时间"
    finally:
        qapp.removeTranslator(translator)


def test_a_decided_case_opens_read_only(world, station, make_page, qtbot) -> None:  # type: ignore[no-untyped-def]
    (case_id,) = seed(world, station, 1).ids
    sup2 = world.login("sup2")
    sup2.decide(case_id, "approve", sup2.claim(case_id)["lease_token"])
    page = make_page()
    page.state_filter.setCurrentIndex(page.state_filter.findData("approved"))
    page.apply_filters()
    wait_rows(qtbot, page, 1)
    page.open_row(0)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                    timeout=10_000)
    view = page.case_view
    assert not view.holds_lease() and not view.approve_button.isEnabled()
    assert view.message.text()
    trail = [view.audit.topLevelItem(i).text(1) for i in range(view.audit.topLevelItemCount())]
    assert "sup2" in trail
    view.close_button.click()
    assert page.case_view is None


def test_an_unreachable_service_is_reported_not_raised(qtbot) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nobody listens there
    page = ReviewQueuePage(lambda: CentralClient(f"http://127.0.0.1:{port}", "token", timeout=2),
                           auto_refresh_ms=0)
    qtbot.addWidget(page)
    try:
        unreachable = both("CentralClient", "The central service cannot be reached.")
        qtbot.waitUntil(lambda: bool(page.status.text()), timeout=10_000)
        assert page.status.text() in (unreachable["zh"], unreachable["en"])
        assert page.model.rows == []
    finally:
        page.shutdown()


def test_a_destroyed_page_gives_its_open_case_back(world, station, qtbot) -> None:  # type: ignore[no-untyped-def]
    import shiboken6

    (case_id,) = seed(world, station, 1).ids
    other = world.login("sup2")
    page = ReviewQueuePage(lambda: world.login("sup1"), auto_refresh_ms=0)
    page.open_case(case_id)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                    timeout=10_000)
    assert other.counts()["claimed"] == 1
    shiboken6.delete(page)  # e.g. the workspace goes away at sign-out
    qtbot.waitUntil(lambda: other.counts()["pending"] == 1, timeout=10_000)


def test_no_request_runs_on_the_gui_thread(world, qtbot, faces_dir) -> None:  # type: ignore[no-untyped-def]
    import threading

    from ui.review.dashboard import DashboardPage

    on_gui_thread: list[str] = []

    class Guarded(CentralClient):
        def _request(self, method, path, **kwargs):  # type: ignore[no-untyped-def, override]
            if threading.current_thread() is threading.main_thread():
                on_gui_thread.append(f"{method} {path}")
            return super()._request(method, path, **kwargs)

    def factory() -> CentralClient:
        client = Guarded(world.base_url)
        world.clients.append(client)
        client.login("sup1", PASSWORD)
        return client

    case_id = deliver(world, "key-guard-001", faces_dir, full=True).case_id
    page = ReviewQueuePage(factory, auto_refresh_ms=0, renew_interval_ms=100)
    dashboard = DashboardPage(factory, reports_dir=None)
    qtbot.addWidget(page)
    qtbot.addWidget(dashboard)
    try:
        page.open_case(case_id)
        qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.data is not None,
                        timeout=15_000)
        qtbot.wait(300)  # a few renewals
        with qtbot.waitSignal(page.case_view.decided, timeout=10_000):
            page.case_view.approve_button.click()
        page.case_view.close_button.click()
        qtbot.waitUntil(lambda: dashboard.figures is not None and not page.model.busy(),
                        timeout=10_000)
    finally:
        page.shutdown()
        dashboard.shutdown()
    assert on_gui_thread == []


def test_today_counts_the_early_morning_in_beijing_and_the_report_agrees(
        world, station, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pypdf

    from ui.review.dashboard import DashboardPage
    from ui.review.report import daily_stats, load_period_figures, render_report

    world.clock.now = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # Tuesday 07:30 in Beijing
    deliver(world, "key-early-bird", number="EARLY", clerk="clerk2")
    world.clock.now = NOW  # 10:00
    seed(world, station, 2)
    sup = world.login("sup1")
    figures = load_period_figures(sup, world.clock.now)
    assert figures["today"]["registrations"] == 3 == figures["week"]["registrations"]
    stats = daily_stats(figures, "测试车管所", "全部窗口")
    today_bar = dict(stats.per_day_week)[stats.date]
    assert sum(stats.per_kind_today.values()) == today_bar == 3  # the card, the table, the bar
    assert sum(stats.per_clerk_today.values()) == 3
    text = "".join(p.extract_text() for p in pypdf.PdfReader(
        __import__("io").BytesIO(render_report(figures, "测试车管所", "全部窗口", "en"))).pages)
    assert "Registrations today" in text and "3" in text
    page = DashboardPage(lambda: world.login("sup1"), reports_dir=tmp_path,
                         clock=lambda: world.clock.now, open_file=None)
    qtbot.addWidget(page)
    try:
        qtbot.waitUntil(lambda: page.figures is not None, timeout=10_000)
        assert "3" in page.panels["today"].summary.text()
        assert page.figures["today"]["total"] == 3
    finally:
        page.shutdown()


def test_the_report_dialog_can_be_cancelled_and_a_bad_folder_is_explained(
        world, station, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.review.dashboard import DashboardPage

    seed(world, station, 1)
    answers: list[Path | None] = [None]
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("x")
    page = DashboardPage(lambda: world.login("sup1"), reports_dir=tmp_path,
                         clock=lambda: world.clock.now, open_file=None,
                         choose_path=lambda _parent, _suggested: answers[0])
    qtbot.addWidget(page)
    try:
        qtbot.waitUntil(lambda: page.report_button.isEnabled(), timeout=10_000)
        page.report_button.click()  # cancelled: nothing happens
        assert page.last_report is None and page.report_button.isEnabled()
        answers[0] = blocked / "report.pdf"
        page.report_button.click()
        qtbot.waitUntil(lambda: page.report_button.isEnabled(), timeout=30_000)
        assert page.last_report is None
        assert "cannot be written" in page.status.text() or "无法" in page.status.text()
    finally:
        page.shutdown()

"""The case view shows the applicant's photo in the traffic-management system (fetched by
the central service from the simulator when the case is opened) beside the chip and live
photos, and says why when there is none."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from central.upstream.simulator import TrafficSystemSimulator
from tests.integration.test_review_central import ReviewWorld, deliver, start_world
from ui.review.queue_page import ReviewQueuePage

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
APPLICANT = "11010519491231002X"  # the identity number the delivered case names


def tr(text: str) -> str:
    return QCoreApplication.translate("CaseView", text)


@pytest.fixture
def simulator() -> Iterator[TrafficSystemSimulator]:
    instance = TrafficSystemSimulator("central-ui", "ui-secret", slow_s=5.0).start()
    yield instance
    instance.stop()


@pytest.fixture
def world(tmp_path: Path, qapp, simulator: TrafficSystemSimulator  # type: ignore[no-untyped-def]
          ) -> Iterator[ReviewWorld]:
    w = start_world(tmp_path, NOW, upstream_url=simulator.url, upstream_client_id="central-ui",
                    upstream_secret="ui-secret", upstream_timeout_s=0.5)
    yield w
    w.close()


def open_view(world: ReviewWorld, qtbot, case_id: str):  # type: ignore[no-untyped-def]
    page = ReviewQueuePage(lambda: world.login("sup1"), auto_refresh_ms=0)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.open_case(case_id)
    qtbot.waitUntil(lambda: page.case_view is not None and page.case_view.on_file is not None
                    and page.case_view.data is not None, timeout=15_000)
    return page


def test_the_photo_on_file_is_shown_beside_the_case_photos(world, simulator, qtbot,  # type: ignore[no-untyped-def]
                                                           faces_dir) -> None:
    on_file = (faces_dir / "portraits" / "fr_obama_smile.jpg").read_bytes()
    simulator.add_photo(APPLICANT, on_file, "2018-03-09")
    case_id = deliver(world, "key-onfile-001", faces_dir, full=True).case_id
    page = open_view(world, qtbot, case_id)
    view = page.case_view
    assert view.on_file_box.title() == tr("Photo in the traffic system")
    assert not view.on_file_photo.pixmap().isNull()
    assert view.on_file.image.width() > 0
    assert view.on_file_note.text() == tr("Taken on {date}").format(date="2018-03-09")
    assert not view.live_photo.pixmap().isNull()  # still beside it
    assert simulator.lookups == [APPLICANT]
    page.shutdown()


def test_without_a_photo_or_a_reachable_system_the_view_says_why(world, simulator, qtbot,  # type: ignore[no-untyped-def]
                                                                 faces_dir) -> None:
    case_id = deliver(world, "key-onfile-002", faces_dir, full=True).case_id
    page = open_view(world, qtbot, case_id)
    assert page.case_view.on_file_photo.pixmap().isNull()
    assert page.case_view.on_file_photo.text() == tr(
        "The traffic system has no photo on file for this person.")
    page.shutdown()
    simulator.set_mode("down")
    page = open_view(world, qtbot, case_id)
    assert page.case_view.on_file_photo.text() == tr(
        "The traffic system cannot be reached now; open the case again later to compare.")
    assert page.case_view.data is not None  # the rest of the case is there all the same
    page.shutdown()

"""The receipt is printed before the case reaches the central service, so the station makes
the status page token at commit and sends it with the case: the printed QR code (rendered
with poppler, decoded with OpenCV) opens the case's status page once it is delivered, on the
central service on real PostgreSQL; a token is never accepted for a second case."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import cv2
import httpx
import pytest

from central.testing import scratch_database
from station.config import Settings
from station.db.models import Case
from station.receipts.render import PAGE_HEIGHT, render_receipt_with_layout
from station.sync.client import CentralError
from station.wire import STATUS_TOKEN
from station.workflows.receipt_data import receipt_data
from tests.helpers.cases import LocalStation
from tests.integration.test_review_central import ReviewWorld, start_world

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
DPI = 200


@pytest.fixture
def world(tmp_path: Path, postgres_url: str) -> Iterator[ReviewWorld]:
    with scratch_database(postgres_url, "receipts") as url:
        w = start_world(tmp_path, NOW, db_url=url)
        yield w
        w.close()


@pytest.fixture
def station(tmp_path: Path) -> Iterator[LocalStation]:
    local = LocalStation.open(tmp_path / "station")
    yield local
    local.close()


def printed_qr(station: LocalStation, case_id: str, settings: Settings, tmp_path: Path) -> str:
    """What the receipt's QR code says, read from the PDF as poppler renders it."""
    with station.db.session() as session:
        data = receipt_data(session, case_id, settings)
    rendered = render_receipt_with_layout(data)
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(rendered.pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", str(pdf),
                    str(tmp_path / "receipt")], check=True)
    page = cv2.imread(str(tmp_path / "receipt.png"))
    assert page is not None
    x, y, w, h = rendered.boxes["qr"]
    scale = DPI / 72
    region = page[round((PAGE_HEIGHT - y - h - 8) * scale):round((PAGE_HEIGHT - y + 8) * scale),
                  round((x - 8) * scale):round((x + w + 8) * scale)]
    # OpenCV's classic decoder misreads about 1 in 200 random tokens' codes at this size (a
    # decoder artefact: 0 of 600 with the ArUco-based one), so that one reads first
    for detector in (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector()):
        decoded, _points, _ = detector.detectAndDecode(region)
        if decoded:
            return str(decoded)
    raise AssertionError("no QR code could be read on the receipt")


def token_of(station: LocalStation, case_id: str) -> str:
    with station.db.session() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return str(case.details[STATUS_TOKEN])


@pytest.mark.postgres
def test_the_printed_qr_code_opens_the_cases_status_page(
        world: ReviewWorld, station: LocalStation, settings: Settings, tmp_path: Path,
        faces_dir: Path) -> None:
    photo = (faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes()
    case_id = station.elicence_photo(photo)
    station.commit(case_id)
    token = token_of(station, case_id)
    assert len(token) >= 22

    settings.central.status_page_url = world.base_url + "/"
    url = printed_qr(station, case_id, settings, tmp_path)
    assert url == f"{world.base_url}/s/{token}"
    assert station.number(case_id) not in url  # nothing about the case in the address
    assert httpx.get(url).status_code == 404  # printed before the case is delivered

    receipt = station.deliver(world.station, case_id)
    assert receipt.status_token == token
    page = httpx.get(url)
    assert page.status_code == 200
    assert "审核中" in page.text and station.number(case_id) in page.text

    settings.central.status_page_url = None  # no status address: the case number, as before
    assert printed_qr(station, case_id, settings, tmp_path) == station.number(case_id)


@pytest.mark.postgres
def test_a_token_is_not_accepted_for_a_second_case(
        world: ReviewWorld, station: LocalStation, faces_dir: Path) -> None:
    photo = (faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes()
    first, second = station.elicence_photo(photo), station.elicence_photo(photo)
    station.commit(first)
    station.commit(second)
    assert token_of(station, first) != token_of(station, second)
    station.deliver(world.station, first)
    copied = token_of(station, first)

    def reuse(session) -> None:  # type: ignore[no-untyped-def]
        case = session.get(Case, second)
        case.details = {**case.details, STATUS_TOKEN: copied}

    station.db.write(reuse)
    with pytest.raises(CentralError) as refused:
        station.deliver(world.station, second)
    assert refused.value.status == 409 and refused.value.code == "status_token_taken"
    assert station.deliver(world.station, first).replayed  # its own delivery still repeats

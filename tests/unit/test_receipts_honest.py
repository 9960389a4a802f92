"""Receipts state only what happened: each kind of case is recorded through the workflow,
committed, turned into a receipt, rendered to PDF and read back line by line (poppler)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import pytest

from station.beijing import beijing_text
from station.config import load_settings
from station.db.database import Database
from station.db.models import Case, CaseKind, CaseState, ReviewDecision, ReviewStatus
from station.receipts import render_receipt
from station.receipts.render import format_time
from station.receipts.sample import sample_signature_png
from station.workflows import cases
from station.workflows.receipt_data import receipt_data
from tests.helpers.cases import card_document

SETTINGS = load_settings(profiles=("demo",), environ={})
SIGNATURE = sample_signature_png()


def pdf_lines(pdf: bytes, tmp_path: Path) -> list[str]:
    """Every line of the PDF as poppler lays it out, and a page image that is not blank."""
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.fail("poppler-utils is missing: scripts/setup.sh installs it")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(path),
                    str(tmp_path / "page")], check=True)
    page = cv2.imread(str(tmp_path / "page.png"), cv2.IMREAD_GRAYSCALE)
    assert page is not None and page.min() < 100, "the rendered page is blank"
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture
def photo(faces_dir: Path) -> bytes:
    image = cv2.imread(str(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg"))
    return cv2.imencode(".jpg", image)[1].tobytes()


def committed(db: Database, kind: CaseKind, photo: bytes, *, chip: bytes | None = None) -> str:
    """A case of ``kind`` recorded the way its flow records it, then committed."""
    ref = db.write(lambda s: cases.start_case(s, kind, "S1", None, "clerk"))
    role = "agent" if kind == CaseKind.ORGANISATION else "applicant"
    db.write(lambda s: cases.save_document(s, ref.id, card_document(chip_image=chip), "clerk",
                                           role=role))
    if kind == CaseKind.ORGANISATION:
        db.write(lambda s: cases.save_organisation(s, ref.id, "上海测试运输有限公司",
                                                   "91350100M000100Y43", "clerk",
                                                   legal_representative="王建国"))
        for scan in ("business_licence", "power_of_attorney", "agent_id_front", "agent_id_back"):
            db.write(lambda s, k=scan: cases.save_scan(s, ref.id, k, photo, "clerk"))
    if kind == CaseKind.MANUAL_REVIEW:
        for scan in ("id_front", "id_back"):
            db.write(lambda s, k=scan: cases.save_scan(s, ref.id, k, photo, "clerk"))
    purpose = "elicence" if kind == CaseKind.ELICENCE_PHOTO else "live"
    db.write(lambda s: cases.save_photo(s, ref.id, purpose, photo, "clerk", compliant=True))
    if kind == CaseKind.INDIVIDUAL and chip is not None:
        db.write(lambda s: cases.save_face_match(s, ref.id, "clerk", score=91.0, threshold=60.0,
                                                 match=True))
    if kind in (CaseKind.INDIVIDUAL, CaseKind.ORGANISATION, CaseKind.MANUAL_REVIEW):
        db.write(lambda s: cases.save_phone(s, ref.id, "13812345678", True, "clerk"))
    if kind in (CaseKind.INDIVIDUAL, CaseKind.ORGANISATION):
        db.write(lambda s: cases.save_signature(s, ref.id, b"record", SIGNATURE, "ab" * 32, "2026.1",
                                                "clerk", signer_role=role))
    db.write(lambda s: cases.commit_case(s, ref.id, "clerk"))
    return ref.id


def receipt_lines(db: Database, case_id: str, tmp_path: Path, language: str = "zh_CN",
                  reprint: bool = False) -> tuple[list[str], Case]:
    with db.session() as session:
        data = receipt_data(session, case_id, SETTINGS, language, clerk_name="李警官",
                            reprint=reprint)
        case = session.get(Case, case_id)
        assert case is not None
        session.expunge(case)
    return pdf_lines(render_receipt(data), tmp_path), case


def test_a_clean_individual_registration_is_complete_with_beijing_times(
        database: Database, photo: bytes, tmp_path: Path) -> None:
    case_id = committed(database, CaseKind.INDIVIDUAL, photo, chip=photo)
    lines, case = receipt_lines(database, case_id, tmp_path)
    text = "\n".join(lines)
    assert case.review_status == ReviewStatus.NOT_REQUIRED
    assert "注册完成" in text and "提交时间" not in text
    completed = beijing_text(case.committed_at)  # stored UTC, printed on Beijing's clock
    assert any("办结时间" in line and completed in line for line in lines), lines
    assert "UTC" not in text
    assert "申请人签名" in text and "《交管12123" in text and "用户服务协议" in text


@pytest.mark.parametrize("kind", [CaseKind.ELICENCE_PHOTO, CaseKind.MANUAL_REVIEW])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_unsigned_kinds_print_no_signature_and_no_completion_while_pending(
        database: Database, photo: bytes, tmp_path: Path, kind: CaseKind, language: str) -> None:
    case_id = committed(database, kind, photo)
    lines, case = receipt_lines(database, case_id, tmp_path, language)
    text = "\n".join(lines)
    assert case.review_status == ReviewStatus.PENDING
    if language == "zh_CN":
        assert "待人工审核" in text and "提交时间" in text
        assert not any(line.startswith("办结时间") for line in lines), lines  # no completion
        for absent in ("签名", "协议", "确认以上信息"):
            assert absent not in text, f"{absent!r} on the {kind} receipt"
    else:
        assert "Awaiting manual review" in text and "Submitted at" in text
        for absent in ("Completed at", "signature", "Signed at", "agreement"):
            assert absent.lower() not in text.lower(), f"{absent!r} on the {kind} receipt"
    submitted = beijing_text(case.committed_at)
    assert any(submitted in line for line in lines)


def test_the_organisation_receipt_names_the_power_of_attorney_the_agent_signed(
        database: Database, photo: bytes, tmp_path: Path) -> None:
    case_id = committed(database, CaseKind.ORGANISATION, photo)
    lines, _ = receipt_lines(database, case_id, tmp_path)
    text = "\n".join(lines)
    assert "用户服务协议" not in text and "用户协议" not in text
    assert "经办人签名" in text and "经办人确认" in text and "授权委托书版本" in text
    declaration = "".join(line for line in lines if "经办人）确认" in line or "授权委托书（" in line)
    assert "授权委托书" in declaration and "上海测试运输有限公司" in text
    assert any("法定代表人" in line and "王建国" in line for line in lines)
    assert not any(line.startswith("办结时间") for line in lines) and "待人工审核" in text
    signed = next(line for line in lines if "签名时间" in line)
    with database.session() as session:
        signature = session.get(Case, case_id).signatures[0]  # type: ignore[union-attr]
        assert beijing_text(signature.created_at) in signed


def test_a_reprint_after_the_decision_prints_the_decision_and_its_time(
        database: Database, photo: bytes, tmp_path: Path) -> None:
    case_id = committed(database, CaseKind.MANUAL_REVIEW, photo)
    decided = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)  # 10:30 in Beijing

    def approve(session: object) -> None:
        case = session.get(Case, case_id)  # type: ignore[attr-defined]
        case.review_status, case.state = ReviewStatus.APPROVED, CaseState.DECIDED
        case.decisions.append(ReviewDecision(decision=ReviewStatus.APPROVED, reviewer="sup1",
                                             decided_at=decided))

    database.write(approve)
    first, _ = receipt_lines(database, case_id, tmp_path)
    assert "待人工审核" in "\n".join(first)  # the receipt of the day stays what it said
    lines, _ = receipt_lines(database, case_id, tmp_path, reprint=True)
    text = "\n".join(lines)
    assert "审核通过" in text and "待人工审核" not in text
    assert any("审核完成时间" in line and "2026-11-25 10:30" in line for line in lines)
    assert any(line.startswith("补打时间") or "补打时间" in line for line in lines)


def test_times_from_any_zone_print_on_beijings_clock() -> None:
    moment = datetime(2026, 11, 24, 18, 5, tzinfo=UTC)  # the next day in Beijing
    assert format_time(moment) == "2026-11-25 02:05"
    assert format_time(moment.replace(tzinfo=None)) == "2026-11-25 02:05"  # naive = UTC
    assert format_time(moment.astimezone(UTC) + timedelta(0)) == "2026-11-25 02:05"
    assert format_time(None) == "—"

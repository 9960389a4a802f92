"""Receipt PDFs: text (pypdf), page image (pypdfium2), QR code (OpenCV), embedded font."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import cv2
import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from station.receipts import ReceiptData, ReceiptError, render_receipt, render_receipt_with_layout
from station.receipts.__main__ import main as receipts_cli
from station.receipts.fonts import FONT_ENV, FontNotFoundError, find_cjk_font
from station.receipts.model import RECEIPT_KINDS
from station.receipts.render import PAGE_HEIGHT, format_time
from station.receipts.sample import sample_signature_png

CHINA = timezone(timedelta(hours=8))
DPI = 120
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
CASE_NUMBER = "SH0312-20261124-0042"


@pytest.fixture(scope="module")
def portrait_jpeg() -> bytes:
    """A real face photo cut to the e-licence proportions, as the photo engine delivers it."""
    from tests.conftest import FACES_DIR

    source = FACES_DIR / "portraits" / "ppp_frontal_white_bg.jpg"
    if not source.is_file():
        pytest.skip(f"{source} not present (a fresh clone without ../shared)")
    with Image.open(source) as image:
        rgb = image.convert("RGB")
    width, height = rgb.size
    crop_width = round(height * 260 / 378)
    left = (width - crop_width) // 2
    buffer = io.BytesIO()
    rgb.crop((left, 0, left + crop_width, height)).resize((260, 378)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def make_data(kind: str = "individual", language: str = "zh_CN", **changes: object) -> ReceiptData:
    created = datetime(2026, 11, 24, 14, 5, tzinfo=CHINA)
    data = ReceiptData(
        case_number=CASE_NUMBER,
        kind=kind,
        station_code="SH0312-W01",
        station_name="徐汇车管所 1号窗口",
        office="上海市公安局交通警察总队",
        clerk_name="李娜",
        created_at=created,
        committed_at=created + timedelta(minutes=7),
        applicant_name="赵敏",
        document_type="resident_id",
        id_number=ID_NUMBER,
        phone=PHONE,
        organisation_name="上海测试运输有限公司" if kind == "organisation" else None,
        credit_code="91310104MA1FL5LR8N" if kind == "organisation" else None,
        photo_jpeg=None,
        signature_png=sample_signature_png(),
        agreement_version="2026.1",
        review_required=kind in {"organisation", "manual_review"},
        review_reasons=("证件照片与现场照片相似度偏低",) if kind == "manual_review" else (),
        due_at=created + timedelta(days=2) if kind in {"organisation", "manual_review"} else None,
        face_match_score=88.4,
        documents=("business_licence", "power_of_attorney") if kind == "organisation" else (),
        language=language,
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def page_image(pdf: bytes, index: int = 0, dpi: int = DPI) -> np.ndarray:
    document = pdfium.PdfDocument(pdf)
    try:
        return np.asarray(document[index].render(scale=dpi / 72).to_pil().convert("RGB"))
    finally:
        document.close()


def crop(image: np.ndarray, box: tuple[float, float, float, float], inset: float = 0.0,
         dpi: int = DPI) -> np.ndarray:
    """The pixels of a box given in PDF points (origin bottom-left), shrunk by ``inset`` points."""
    x, y, w, h = box
    scale = dpi / 72
    top = round((PAGE_HEIGHT - y - h + inset) * scale)
    bottom = round((PAGE_HEIGHT - y - inset) * scale)
    return image[top:bottom, round((x + inset) * scale):round((x + w - inset) * scale)]


ZH_LABELS = {
    "individual": ("交管12123 面签注册回执", "个人面签注册", "注册完成"),
    "organisation": ("单位面签注册", "统一社会信用代码", "待人工审核", "营业执照"),
    "elicence_photo": ("电子驾驶证照片采集回执", "照片已采集"),
    "manual_review": ("人工审核申请回执", "审核原因", "证件照片与现场照片相似度偏低"),
}
EN_LABELS = {
    "individual": ("12123 In-Person Registration Receipt", "Registration complete"),
    "organisation": ("Organisation in-person registration", "Unified social credit code"),
    "elicence_photo": ("E-Driving-Licence Photo Receipt", "Photo accepted"),
    "manual_review": ("Manual Review Application Receipt", "Reasons for review"),
}


@pytest.mark.parametrize("kind", RECEIPT_KINDS)
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_each_kind_prints_its_labels_and_masked_numbers(kind: str, language: str) -> None:
    pdf = render_receipt(make_data(kind, language))
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    common_zh = ("受理编号", "证件号码", "手机号码", "受理人：李娜", "隐私提示")
    common_en = ("Case number", "Document number", "Mobile phone", "Clerk: 李娜", "Privacy")
    for label in (ZH_LABELS[kind] + common_zh) if language == "zh_CN" else (EN_LABELS[kind] + common_en):
        assert label in text, f"{label!r} missing from the {language} {kind} receipt"
    assert CASE_NUMBER in text
    assert "110105********002X" in text
    assert "138****5678" in text
    assert ID_NUMBER not in text and PHONE not in text, "full personal numbers must not be printed"
    assert "2026-11-24 14:05" in text
    assert "2026.1" in text


def test_font_is_embedded_and_the_only_one() -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_receipt(make_data("organisation"))))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts, "no fonts on the page"
    for font in fonts.values():
        font = font.get_object()
        assert "WenQuanYiZenHei" in font["/BaseFont"]
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, "TrueType outlines must be embedded"


def test_page_is_not_blank_and_shows_the_photo(portrait_jpeg: bytes) -> None:
    rendered = render_receipt_with_layout(make_data(photo_jpeg=portrait_jpeg))
    image = page_image(rendered.pdf)
    ink = (image.min(axis=2) < 200).mean()
    assert ink > 0.03, f"page looks blank: {ink:.3%} inked"

    drawn = crop(image, rendered.boxes["photo"], inset=3).astype(np.float32)
    source = np.asarray(Image.open(io.BytesIO(portrait_jpeg)).convert("RGB").resize(
        (drawn.shape[1], drawn.shape[0]), Image.Resampling.BILINEAR), dtype=np.float32)
    # the photo box holds this very photo: strongly correlated, small mean difference
    correlation = np.corrcoef(drawn.mean(axis=2).ravel(), source.mean(axis=2).ravel())[0, 1]
    assert correlation > 0.9, correlation
    assert np.abs(drawn - source).mean() < 20


def test_missing_photo_leaves_a_placeholder_box(portrait_jpeg: bytes) -> None:
    rendered = render_receipt_with_layout(make_data(photo_jpeg=None))
    inside = crop(page_image(rendered.pdf), rendered.boxes["photo"], inset=3)
    assert inside.std() < 40, "the placeholder box should be plain, not a picture"
    assert "无照片" in pdf_text(rendered.pdf)


@pytest.mark.parametrize(
    "bad",
    [b"\xff\xd8\xff\xe0 definitely not a jpeg", b"", b"GIF89a\x00", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40],
)
def test_corrupt_photo_and_signature_do_not_crash(bad: bytes) -> None:
    pdf = render_receipt(make_data(photo_jpeg=bad, signature_png=bad))
    text = pdf_text(pdf)
    if bad:
        assert "照片无法读取" in text and "签名无法读取" in text
    else:
        assert "无照片" in text and "无签名" in text


def test_truncated_photo_gives_a_placeholder(portrait_jpeg: bytes) -> None:
    pdf = render_receipt(make_data(photo_jpeg=portrait_jpeg[: len(portrait_jpeg) // 3], language="en"))
    assert "Photo could not be read" in pdf_text(pdf)


def test_transparent_signature_is_drawn_dark_on_white() -> None:
    rendered = render_receipt_with_layout(make_data())
    inside = crop(page_image(rendered.pdf), rendered.boxes["signature"], inset=3)
    grey = inside.mean(axis=2)
    assert (grey > 235).mean() > 0.8, "background must stay white (alpha laid on white)"
    assert (grey < 120).mean() > 0.01, "the strokes must be visible"


def test_qr_code_carries_the_case_number() -> None:
    rendered = render_receipt_with_layout(make_data())
    x, y, w, h = rendered.boxes["qr"]
    region = crop(page_image(rendered.pdf), (x - 8, y - 8, w + 16, h + 16))
    decoded, points, _ = cv2.QRCodeDetector().detectAndDecode(region)
    assert points is not None
    assert decoded == CASE_NUMBER


def test_many_review_reasons_continue_on_a_second_page() -> None:
    reasons = tuple(f"审核原因第{n}条：需核对证件信息与现场照片" for n in range(1, 41))
    pdf = render_receipt(make_data("manual_review", review_reasons=reasons))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = pdf_text(pdf)
    assert "第 2 页 / 共 2 页" in text
    assert "审核原因第40条" in text
    assert text.count(CASE_NUMBER) >= 1


def test_markup_characters_are_printed_literally() -> None:
    pdf = render_receipt(make_data("organisation", language="en",
                                   organisation_name="A&B <Logistics> Co.", applicant_name="O'Brien"))
    text = pdf_text(pdf)
    assert "A&B <Logistics> Co." in text
    assert "O'Brien" in text


def test_other_documents_and_missing_phone() -> None:
    pdf = render_receipt(make_data(
        "manual_review", language="en", document_type="passport", id_number="E12345678",
        phone=None, face_match_score=None))
    text = pdf_text(pdf)
    assert "Passport" in text
    assert "E1*****78" in text
    assert "E12345678" not in text
    assert "quoting the case number" in text.replace("\n", " ")


def test_bad_kind_or_language_is_a_clear_error() -> None:
    with pytest.raises(ReceiptError, match="unknown receipt kind"):
        render_receipt(make_data(kind="driving_test"))
    with pytest.raises(ReceiptError, match="unsupported receipt language"):
        render_receipt(make_data(language="fr"))


def test_same_data_gives_the_same_bytes() -> None:
    assert render_receipt(make_data()) == render_receipt(make_data())


def test_times_in_other_zones_print_in_beijing_time() -> None:
    moment = datetime(2026, 11, 24, 6, 5, tzinfo=UTC)
    assert format_time(moment) == "2026-11-24 14:05"
    assert format_time(moment.astimezone(CHINA)) == "2026-11-24 14:05"
    assert format_time(None) == "—"


def test_missing_font_is_reported_clearly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from station.receipts import fonts

    monkeypatch.setenv(FONT_ENV, str(tmp_path / "nope.ttc"))
    with pytest.raises(FontNotFoundError, match="does not name a font file"):
        find_cjk_font()
    monkeypatch.delenv(FONT_ENV)
    monkeypatch.setattr(fonts, "KNOWN_LOCATIONS", (tmp_path / "a.ttc",))
    monkeypatch.setattr(fonts, "SEARCH_ROOTS", (tmp_path,))
    with pytest.raises(FontNotFoundError, match="fonts-wqy-zenhei"):
        find_cjk_font()
    (tmp_path / "deep" / "wqy").mkdir(parents=True)
    found = tmp_path / "deep" / "wqy" / "wqy-zenhei.ttc"
    found.write_bytes(b"")
    assert find_cjk_font() == found


def test_cli_writes_a_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sample.pdf"
    assert receipts_cli(["sample", "--kind", "organisation", "--language", "en", "--out", str(out)]) == 0
    assert "Organisation in-person registration" in pdf_text(out.read_bytes())
    assert receipts_cli(["sample", "--photo", str(tmp_path / "missing.jpg"), "--out", str(out)]) == 2
    assert "photo file not found" in capsys.readouterr().err

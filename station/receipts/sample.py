"""A realistic receipt for looking at the layout (CLI, UI demo) and for tests."""

from __future__ import annotations

import io
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PIL import Image, ImageDraw

from station.i18n import translate
from station.receipts.model import ReceiptData

CHINA = timezone(timedelta(hours=8), "CST")


def sample_signature_png(width: int = 600, height: int = 200) -> bytes:
    """A handwriting-like signature on a transparent background, as the signature pad delivers."""
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    strokes = (  # (start x, length, loops, slant): three "characters" and a flourish
        (50, 150, 2.5, 0.35), (215, 130, 3.0, 0.3), (360, 140, 2.0, 0.4), (60, 480, 0.5, 0.0),
    )
    for index, (start, length, loops, slant) in enumerate(strokes):
        points = []
        for step in range(160):
            t = step / 159
            angle = t * loops * 2 * math.pi
            if index == 3:  # underline flourish
                x, y = start + t * length, height * 0.78 - 10 * math.sin(t * math.pi)
            else:
                x = start + t * length + 22 * math.sin(angle) + slant * 40 * math.cos(angle)
                y = height * 0.45 - 38 * math.cos(angle) * (1 - 0.3 * t) - 12 * t
            points.append((x, y))
        draw.line(points, fill=(20, 30, 90, 255), width=4, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _portrait_crop(data: bytes) -> bytes:
    """Centre crop to the e-licence proportions (260 x 378), as the photo engine would deliver;
    bytes Pillow cannot read are passed through unchanged (the receipt shows a placeholder)."""
    try:
        with Image.open(io.BytesIO(data)) as source:
            image = source.convert("RGB")
    except Exception:  # a deliberately corrupt sample stays corrupt
        return data
    target = 260 / 378
    width, height = image.size
    if width / height > target:
        new_width = round(height * target)
        box = ((width - new_width) // 2, 0, (width - new_width) // 2 + new_width, height)
    else:
        new_height = round(width / target)
        box = (0, (height - new_height) // 2, width, (height - new_height) // 2 + new_height)
    buffer = io.BytesIO()
    image.crop(box).resize((260, 378), Image.Resampling.LANCZOS).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def sample_receipt(kind: str = "individual", language: str = "zh_CN",
                   photo: Path | bytes | None = None) -> ReceiptData:
    """Sample data of one case kind; ``photo`` is a file (any format Pillow reads) or bytes."""
    photo_bytes = photo.read_bytes() if isinstance(photo, Path) else photo
    if photo_bytes:
        photo_bytes = _portrait_crop(photo_bytes)
    created = datetime(2026, 11, 24, 9, 41, tzinfo=CHINA)
    review = kind != "individual"  # as the routing rules have it: F2, F3 and F4 are reviewed
    signed = kind in ("individual", "organisation")  # F3 and F4 sign nothing
    reasons: tuple[str, ...] = {
        "manual_review": (
            translate("ReceiptSample", "Face match score below the automatic threshold", language),
            translate("ReceiptSample", "Document entered by hand", language)),
        "organisation": (translate("ReceiptSample", "Power of attorney to be checked", language),),
        "elicence_photo": (translate(
            "ReceiptSample", "E-licence photos are checked by the licensing office", language),),
    }.get(kind, ())
    documents: tuple[str, ...] = {
        "organisation": ("business_licence", "power_of_attorney", "agent_id_front", "agent_id_back"),
        "manual_review": ("id_front", "id_back"),
    }.get(kind, ())
    return ReceiptData(
        case_number="BJ0105-20261124-0007",
        kind=kind,
        station_code="BJ0105-W03",
        station_name=translate("ReceiptSample", "Chaoyang vehicle office, window 3", language),
        office=translate("ReceiptSample", "Beijing Traffic Management Bureau", language),
        clerk_name=translate("ReceiptSample", "Wang Fang", language),
        created_at=created,
        committed_at=created + timedelta(minutes=6, seconds=20),
        applicant_name=translate("ReceiptSample", "Zhang Wei", language),
        document_type="manual" if kind == "manual_review" else "resident_id",
        id_number="11010519491231002X",
        phone="13812345678",
        organisation_name=translate("ReceiptSample", "Beijing Example Logistics Co., Ltd.", language)
        if kind == "organisation" else None,
        credit_code="91110105MA01ABCD3X" if kind == "organisation" else None,
        photo_jpeg=photo_bytes,
        signature_png=sample_signature_png() if signed else None,
        agreement_version="2026.1" if signed else None,
        review_required=review,
        review_reasons=reasons,
        due_at=created + timedelta(days=2, hours=7, minutes=19) if review else None,
        face_match_score=91.6 if kind == "individual" else None,
        documents=documents,
        language=language,
        agreement_kind=({"individual": "user_agreement", "organisation": "power_of_attorney"}
                        .get(kind)),
        signed_at=created + timedelta(minutes=5, seconds=2) if signed else None,
        legal_representative=translate("ReceiptSample", "Li Jianguo", language)
        if kind == "organisation" else None,
    )

"""Stroke model, quality rules, rendering, the signature record and agreement texts."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from devices.sigpad.handwriting import generate_signature
from station.signature import agreements, quality
from station.signature.model import InputDevice, PenPoint, SignatureData, StrokeBuilder, StrokeChange
from station.signature.record import (
    SignatureRecordError,
    create_record,
    record_from_bytes,
    verify,
)
from station.signature.render import render_png

PAD = InputDevice("isdv4", 26202, 16325, 1023, 127, 127, 1029, "test")
TEXT = "本人已阅读并同意以上条款。"
VERSION = "2026.1"


def handwriting(seed: int = 3) -> SignatureData:
    """The simulator's generated signature fed through the stroke model."""
    builder = StrokeBuilder(PAD)
    t = 1_000_000_000
    for frame in generate_signature(seed):
        t += round(frame.dt_s * 1e9)
        builder.add(
            round(frame.x * PAD.max_x), round(frame.y * PAD.max_y),
            round(frame.pressure * PAD.max_pressure), frame.tip and frame.in_proximity, t,
            round(frame.tilt_x * 127), round(frame.tilt_y * 127),
        )
    builder.pen_up()
    return builder.snapshot()


def test_stroke_builder_makes_one_stroke_per_pen_down_run() -> None:
    builder = StrokeBuilder(PAD)
    assert builder.add(1, 1, 0, False, 1) is StrokeChange.NONE  # hovering
    assert builder.add(2, 2, 10, True, 2) is StrokeChange.STARTED
    assert builder.add(3, 3, 10, True, 3) is StrokeChange.EXTENDED
    assert builder.add(3, 3, 10, True, 3) is StrokeChange.NONE  # duplicate report
    assert builder.add(4, 4, 0, False, 4) is StrokeChange.FINISHED
    builder.add(5, 5, 10, True, 5)
    assert builder.pen_down
    signature = builder.snapshot()
    assert signature.stroke_count == 2 and signature.point_count == 3
    assert builder.pen_up() is StrokeChange.FINISHED and not builder.pen_down
    builder.clear()
    assert builder.snapshot().point_count == 0


def test_generated_handwriting_passes_the_quality_rules() -> None:
    signature = handwriting()
    assert signature.stroke_count == 3
    assert quality.check(signature, quality.load_rules()) == []
    assert quality.check(signature, quality.load_rules("kiosk")) == []


def test_quality_rules_refuse_empty_small_and_quick_signatures() -> None:
    rules = quality.load_rules()
    empty = SignatureData(PAD, ())
    assert [p.code for p in quality.check(empty, rules)] == ["empty"]
    dot = SignatureData(PAD, ((PenPoint(100, 100, 500, 0), PenPoint(110, 104, 500, 10_000_000)),))
    codes = {p.code for p in quality.check(dot, rules)}
    assert codes == {"too_few_points", "too_small", "too_quick"}
    problem = quality.check(dot, rules)[0]
    assert problem.message["en"] and problem.message["zh"]
    strict = rules.model_copy(update={"min_strokes": 5})
    assert [p.code for p in quality.check(handwriting(), strict)] == ["too_few_strokes"]


def test_rules_file_profiles_are_validated(tmp_path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text("[default]\nmin_points = -1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="invalid"):
        quality.load_rules(path=bad)
    with pytest.raises(ValueError, match="no signature quality profile"):
        quality.load_rules("nope")


def _dark_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("L")
    return image.point(lambda v: 255 if v < 128 else 0).histogram()[255]


def test_render_draws_ink_whose_width_follows_pressure() -> None:
    def line(pressure: int) -> SignatureData:
        pts = tuple(
            PenPoint(1000 + i * 100, 5000 + round(800 * math.sin(i / 8)), pressure, i * 7_000_000)
            for i in range(120)
        )
        return SignatureData(PAD, (pts,))

    light, heavy = render_png(line(100)), render_png(line(1000))
    image = Image.open(io.BytesIO(heavy))
    assert image.format == "PNG" and image.width <= 600 and image.height <= 240
    assert _dark_pixels(heavy) > 1.5 * _dark_pixels(light) > 0
    assert render_png(line(1000)) == heavy  # deterministic
    with pytest.raises(ValueError):
        render_png(SignatureData(PAD, ()))


def test_record_round_trips_and_verifies() -> None:
    record = create_record(handwriting(), "case-1", TEXT, VERSION, extra={"checked": True})
    data = record.to_bytes()
    again = record_from_bytes(data)
    assert again == record
    assert again.to_bytes() == data
    assert verify(again, "case-1", TEXT, VERSION)
    assert verify(again, "case-1", TEXT, VERSION, expected_content_sha256=record.content_sha256)
    assert again.signature.points()[0].t_ns == 0  # time relative to the first point
    assert again.signature.device.max_pressure == 1023
    assert Image.open(io.BytesIO(again.png)).format == "PNG"


def test_verify_detects_another_case_text_version_and_edits() -> None:
    record = create_record(handwriting(), "case-1", TEXT, VERSION)
    assert verify(record, "case-2", TEXT, VERSION).problems == ("case",)
    assert verify(record, "case-1", TEXT + " ", VERSION).problems == ("agreement_text",)
    assert verify(record, "case-1", TEXT, "2025.9").problems == ("agreement_version",)
    strokes = list(record.signature.strokes)
    first = strokes[0]
    strokes[0] = (dataclasses.replace(first[0], x=first[0].x + 1), *first[1:])
    moved = dataclasses.replace(record, signature=SignatureData(record.signature.device, tuple(strokes)))
    result = verify(record_from_bytes(moved.to_bytes()), "case-1", TEXT, VERSION)
    assert not result and result.problems == ("points",)
    assert all(m["zh"] and m["en"] for m in result.messages())
    swapped = dataclasses.replace(record, png=render_png(handwriting(seed=9)))
    assert verify(swapped, "case-1", TEXT, VERSION).problems == ("image",)
    # A record rebuilt for another case seals correctly, but not to the anchored hash.
    forged = create_record(handwriting(), "case-2", TEXT, VERSION)
    assert verify(forged, "case-2", TEXT, VERSION)
    assert verify(
        forged, "case-2", TEXT, VERSION, expected_content_sha256=record.content_sha256
    ).problems == ("seal",)


def test_broken_record_bytes_give_a_clear_error() -> None:
    data = create_record(handwriting(), "case-1", TEXT, VERSION).to_bytes()
    for bad in (b"", b"CSSR", data[:-1], data + b"\0", b"XXXX" + data[4:], data[:4] + b"\x09" + data[5:]):
        with pytest.raises(SignatureRecordError):
            record_from_bytes(bad)


@given(st.binary(max_size=300), st.booleans())
def test_record_parser_never_raises_anything_else(data: bytes, with_magic: bool) -> None:
    with contextlib.suppress(SignatureRecordError):
        record_from_bytes((b"CSSR\x01" if with_magic else b"") + data)


@given(st.integers(0, 10_000), st.integers(0, 255))
@settings(max_examples=150)
def test_a_flipped_byte_is_refused_or_fails_verification(position: int, value: int) -> None:
    record = _RECORD
    data = bytearray(record.to_bytes())
    position %= len(data)
    if data[position] == value:
        return
    data[position] = value
    try:
        parsed = record_from_bytes(bytes(data))
    except SignatureRecordError:
        return
    if parsed == record:
        return  # an equivalent encoding of the same content (JSON whitespace)
    assert not verify(parsed, "case-1", TEXT, VERSION)


_RECORD = create_record(handwriting(), "case-1", TEXT, VERSION)


def test_a_series_claiming_an_impossible_pad_size_is_refused() -> None:
    """Found by the fuzzer: a flipped high byte of max_x parsed, then broke verification."""
    import struct

    from station.signature.record import CHANNELS, SERIES_MAGIC, decode_series

    head = struct.pack(">8sHIIIBBI", SERIES_MAGIC, CHANNELS, 16_803_418, 16_325, 1023, 0, 0, 0)
    with pytest.raises(SignatureRecordError, match="pad size"):
        decode_series(head)


def test_agreements_load_per_language_with_version() -> None:
    version, text = agreements.load_agreement(agreements.USER_AGREEMENT, "zh_CN")
    assert version == agreements.current_version() == "2026.1"
    assert "用户服务协议" in text and "面签注册" in text
    version_en, text_en = agreements.load_agreement(agreements.USER_AGREEMENT, "en")
    assert version_en == version and "User Service Agreement" in text_en
    fields = {name: f"<{name}>" for name in agreements.PLACEHOLDERS}
    _, poa = agreements.load_agreement(agreements.POWER_OF_ATTORNEY, "zh_CN", fields=fields)
    assert "授权委托书" in poa and "<agent_name>" in poa and "${" not in poa
    with pytest.raises(agreements.AgreementError, match="needs the fields"):
        agreements.load_agreement(agreements.POWER_OF_ATTORNEY, "en", fields={"agent_name": "x"})
    with pytest.raises(agreements.AgreementError):
        agreements.load_agreement(agreements.USER_AGREEMENT, "fr")
    with pytest.raises(agreements.AgreementError):
        agreements.load_agreement(agreements.USER_AGREEMENT, "zh_CN", version="1999.1")

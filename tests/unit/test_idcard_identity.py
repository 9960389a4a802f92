"""Card text layouts (all four), code tables, the card model's JSON; fuzzed parser."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.identity.card import CardLayout, CardType, IdentityCard
from station.identity.codes import NATION_NAMES, nation_name, sex_name
from station.identity.layout import CardParseError, encode_text, parse_text
from station.identity.samples import SAMPLES


def _block(fields: dict[int, str], marker: str = " ") -> bytes:
    """A text block built by hand from the reference offsets (not through encode_text)."""
    block = bytearray(" ".encode("utf-16-le") * 128)
    for offset, text in fields.items():
        raw = text.encode("utf-16-le")
        block[offset : offset + len(raw)] = raw
    block[248:250] = marker.encode("utf-16-le")
    return bytes(block)


def test_resident_layout_from_reference_offsets() -> None:
    block = _block({0: "李秀兰", 30: "2", 32: "01", 36: "19491231", 52: "北京市朝阳区建国路88号",
                    122: "11010519491231002X", 158: "北京市公安局朝阳分局", 188: "20150301",
                    204: "长期"})
    card = parse_text(block)
    assert card.layout is CardLayout.RESIDENT and card.card_type is CardType.RESIDENT_ID
    assert (card.name, card.sex, card.nation) == ("李秀兰", "女", "汉")
    assert card.birth_date == date(1949, 12, 31)
    assert card.valid_to is None and card.long_term
    assert card.to_json()["valid_to"] == "长期"
    assert card.issuing_authority == "北京市公安局朝阳分局"


def test_residence_permit_layout() -> None:
    block = _block({0: "黄家明", 30: "1", 36: "19880416", 52: "广东省深圳市福田区",
                    122: "810000198804160032", 158: "深圳市公安局", 188: "20230315",
                    204: "20280315", 220: "H60231877", 238: "01"}, "J")
    card = parse_text(block)
    assert card.card_type is CardType.HK_MO_TW_RESIDENCE_PERMIT
    assert (card.pass_number, card.issue_count, card.nation) == ("H60231877", "01", "")
    assert card.valid_to == date(2028, 3, 15)


def test_foreigner_2017_layout() -> None:
    block = _block({0: "SMITH, JOHN MICHAEL", 120: "1", 122: "USA118509120017", 152: "USA",
                    158: "史密斯·约翰", 188: "20170601", 204: "20270601", 220: "19850912",
                    236: "17", 240: "1500"}, "I")
    card = parse_text(block)
    assert card.card_type is CardType.FOREIGN_PERMANENT_RESIDENT
    assert card.layout is CardLayout.FOREIGNER_2017
    assert (card.name_en, card.name, card.nationality_code) == (
        "SMITH, JOHN MICHAEL", "史密斯·约翰", "USA")
    assert card.birth_date == date(1985, 9, 12)
    assert card.to_json()["name_en"] == "SMITH, JOHN MICHAEL"


def test_foreigner_2023_layout_joins_the_english_name() -> None:
    part1 = "GARCIA LOPEZ, MARIA FERNANDA DE LOS"  # exactly 35 characters
    assert len(part1) == 35
    block = _block({0: "玛丽亚·加西亚", 30: "2", 32: "00", 36: "19920305", 52: part1,
                    122: "931724199203050024", 188: "20231201", 204: "20331201",
                    220: " ANGELES", 242: "ESP"}, "Y")
    card = parse_text(block)
    assert card.layout is CardLayout.FOREIGNER_2023
    assert card.name_en == "GARCIA LOPEZ, MARIA FERNANDA DE LOS ANGELES"
    assert (card.nationality_code, card.renewal_count) == ("ESP", "00")


@pytest.mark.parametrize("key", list(SAMPLES))
def test_every_sample_round_trips(key: str) -> None:
    card = SAMPLES[key]
    block = encode_text(card)
    assert len(block) == 256
    assert parse_text(block) == card


@pytest.mark.parametrize("key", list(SAMPLES))
def test_json_round_trips(key: str) -> None:
    card = SAMPLES[key]
    assert IdentityCard.from_json(json.loads(json.dumps(card.to_json()))) == card


def test_from_json_rejects_bad_records() -> None:
    with pytest.raises(ValueError):
        IdentityCard.from_json({"layout": "resident"})
    with pytest.raises(ValueError):
        IdentityCard.from_json({**SAMPLES["J"].to_json(), "layout": "Q"})


def test_json_has_the_cli_fields() -> None:
    data = SAMPLES["resident-minority"].to_json()
    for key in ("card_type", "name", "name_en", "sex", "nation", "birth_date", "address",
                "id_number", "issuing_authority", "valid_from", "valid_to"):
        assert key in data
    assert data["nation"] == "蒙古" and data["sex"] == "男"
    assert data["valid_to"] == "2036-09-20"


def test_code_tables() -> None:
    assert len(NATION_NAMES) == 58
    assert nation_name("56") == "基诺" and nation_name("98") == "外国血统中国籍人士"
    assert nation_name("77") == ""
    assert (sex_name("1"), sex_name("2"), sex_name("0"), sex_name("9")) == (
        "男", "女", "未知", "未说明")


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda b: b[:200], "bad_length"),
        (lambda b: b[:248] + "Q".encode("utf-16-le") + b[250:], "unknown_card_type"),
        (lambda b: b[:36] + "19491331".encode("utf-16-le") + b[52:], "bad_date"),
        (lambda b: b[:30] + "5".encode("utf-16-le") + b[32:], "bad_sex_code"),
        (lambda b: " ".encode("utf-16-le") * 15 + b[30:], "missing_field"),
        (lambda b: b[:2] + b"\x00\xd8" + b[4:], "bad_encoding"),
    ],
)
def test_bad_blocks_give_clear_errors(mutate, code) -> None:
    with pytest.raises(CardParseError) as caught:
        parse_text(mutate(encode_text(SAMPLES["resident"])))
    assert caught.value.code == code
    assert caught.value.reason["zh"] and caught.value.reason["en"]


def test_error_reason_is_translated() -> None:
    with pytest.raises(CardParseError) as caught:
        parse_text(encode_text(SAMPLES["resident"])[:36] + "2000".encode("utf-16-le") * 2
                   + encode_text(SAMPLES["resident"])[52:])
    assert caught.value.reason["zh"] == "证件的出生日期不是有效日期。"


@settings(max_examples=400, deadline=None)
@given(st.binary(min_size=0, max_size=300))
def test_any_bytes_parse_or_fail_clearly(block: bytes) -> None:
    try:
        card = parse_text(block)
    except CardParseError as exc:
        assert exc.code and exc.reason["en"]
    else:
        assert card.id_number and card.to_json()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(SAMPLES)), st.lists(
    st.tuples(st.integers(0, 255), st.integers(0, 255)), min_size=1, max_size=8))
def test_corrupted_real_blocks_parse_or_fail_clearly(key: str, edits) -> None:
    block = bytearray(encode_text(SAMPLES[key]))
    for offset, value in edits:
        block[offset] = value
    try:
        card = parse_text(bytes(block))
    except CardParseError as exc:
        assert exc.reason["zh"]
    else:
        assert card.layout.label in ("resident", "J", "I", "Y")

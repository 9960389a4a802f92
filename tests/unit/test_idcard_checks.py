"""Check digits (GB 11643, GB 32100, GB 11714), mobile numbers and card validations."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from station.identity.card import CardType
from station.identity.checks import (
    citizen_id_check_char,
    validate_citizen_id,
    validate_credit_code,
    validate_mobile,
    validate_org_code,
)
from station.identity.samples import SAMPLES
from station.identity.validation import failed, validate_card


def test_reference_citizen_id_is_valid() -> None:
    result = validate_citizen_id("11010519491231002x")
    assert result.ok and result.value == "11010519491231002X"
    assert result.details == {"birth_date": date(1949, 12, 31), "sex_code": "2"}


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "empty"),
        ("1101051949123100", "bad_format"),
        ("11010519491231002Y", "bad_format"),
        ("110105194902300021", "bad_birth_date"),
        ("110105194912310021", "bad_check_digit"),
    ],
)
def test_bad_citizen_ids(number: str, code: str) -> None:
    result = validate_citizen_id(number)
    assert not result.ok and result.code == code
    assert result.reason["zh"] != result.reason["en"]


def test_wrong_check_digit_names_the_expected_one() -> None:
    result = validate_citizen_id("110105194912310021")
    assert "X" in result.reason["en"] and "X" in result.reason["zh"]


def test_every_single_digit_change_is_caught() -> None:
    number = "11010519491231002X"
    for position in range(17):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            changed = number[:position] + digit + number[position + 1 :]
            assert not validate_citizen_id(changed).ok, changed
    assert citizen_id_check_char(number[:17]) == "X"


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L",
                                  "9144030071526726XG"])
def test_real_credit_codes_are_valid(code: str) -> None:
    assert validate_credit_code(code).ok


@pytest.mark.parametrize(
    ("code", "outcome"),
    [("91350100M000100Y44", "bad_check_digit"), ("91350100M000100I43", "bad_format"),
     ("9135", "bad_format"), ("", "empty")],
)
def test_bad_credit_codes(code: str, outcome: str) -> None:
    assert validate_credit_code(code).code == outcome


@pytest.mark.parametrize("code", ["D2143569-X", "d2143569x", "60003734-1", "71526726-X"])
def test_real_org_codes_are_valid(code: str) -> None:
    result = validate_org_code(code)
    assert result.ok and result.value == code.upper().replace("-", "")[:8] + "-" + code[-1].upper()


@pytest.mark.parametrize(("code", "outcome"),
                         [("D2143569-1", "bad_check_digit"), ("D21435-X", "bad_format")])
def test_bad_org_codes(code: str, outcome: str) -> None:
    assert validate_org_code(code).code == outcome


@pytest.mark.parametrize("number", ["13812345678", "+86 138-1234-5678", "008619912345678"])
def test_mobile_numbers(number: str) -> None:
    result = validate_mobile(number)
    assert result.ok and len(result.value) == 11


@pytest.mark.parametrize("number", ["12812345678", "1381234567", "138123456789", "abc", ""])
def test_bad_mobile_numbers(number: str) -> None:
    assert not validate_mobile(number).ok


@pytest.mark.parametrize("key", list(SAMPLES))
def test_samples_pass_their_number_checks(key: str) -> None:
    results = validate_card(SAMPLES[key], today=date(2026, 11, 24))
    problems = {(r.check, r.code) for r in failed(results)}
    assert problems == ({("validity", "expired")} if key == "expired" else set())


def test_expired_and_not_yet_valid() -> None:
    card = SAMPLES["resident-male"]
    assert {r.code for r in validate_card(card, today=date(2038, 6, 13))} >= {"expired"}
    assert {r.code for r in validate_card(card, today=date(2018, 6, 11))} >= {"not_yet_valid"}
    assert "2038-06-12" in next(r for r in validate_card(card, today=date(2040, 1, 1))
                                if r.check == "validity").reason["zh"]


def test_birth_date_and_sex_must_match_the_number() -> None:
    card = dataclasses.replace(SAMPLES["resident"], birth_date=date(1949, 12, 30), sex_code="1")
    codes = {r.check: r.code for r in failed(validate_card(card, today=date(2026, 1, 1)))}
    assert codes == {"birth_date": "mismatch", "sex": "mismatch"}


def test_card_type_allowed_for_the_flow() -> None:
    results = validate_card(SAMPLES["I"], today=date(2026, 1, 1),
                            allowed_types={CardType.RESIDENT_ID})
    assert [r.code for r in failed(results)] == ["type_not_allowed"]


def test_number_family_must_match_the_card_kind() -> None:
    card = dataclasses.replace(SAMPLES["J"], id_number=SAMPLES["resident"].id_number,
                               birth_date=date(1949, 12, 31), sex_code="2")
    assert [r.code for r in failed(validate_card(card, today=date(2026, 1, 1)))] == [
        "bad_prefix"]


def test_foreigner_2017_number_format() -> None:
    card = dataclasses.replace(SAMPLES["I"], id_number="CAN118509120017")
    assert [r.code for r in failed(validate_card(card, today=date(2026, 1, 1)))] == [
        "nationality_mismatch"]

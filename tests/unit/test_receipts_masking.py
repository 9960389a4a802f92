"""Masking of personal numbers printed on receipts."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from station.receipts.masking import mask_id_number, mask_phone


def test_resident_id_keeps_region_and_last_four() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number(" 110105 19491231 002X ") == "110105********002X"


def test_other_documents_hide_the_middle() -> None:
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_id_number("H0123456789") == "H0*******89"
    assert mask_id_number("1234") == "****"
    assert mask_id_number("") == ""


def test_mobile_number() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone(None) == ""
    assert mask_phone("") == ""
    assert mask_phone("010-62345678") == "010*****5678"
    assert mask_phone("123") == "***"


@given(st.text(alphabet=string.digits + "X", min_size=5, max_size=40))
def test_masking_keeps_length_and_hides_at_least_two_fifths(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked.count("*") >= len(number) * 2 // 5
    assert masked != number


@given(st.text(max_size=30))
def test_masking_never_raises(value: str) -> None:
    mask_id_number(value)
    mask_phone(value)


def test_names_are_masked_alike_on_screens_and_in_sms() -> None:
    from station.receipts.masking import mask_name

    assert mask_name("张三丰") == "张**" and mask_name("李") == "李*" and mask_name(" ") == ""
    assert mask_name("John Ronald Tolkien") == "John R. T."

"""Sex and nation as printed on a card, named in English for an English interface."""

from __future__ import annotations

from station.identity.codes import NATION_NAMES, NATION_NAMES_EN, in_english


def test_every_nation_has_its_english_name() -> None:
    assert set(NATION_NAMES_EN) == set(NATION_NAMES)


def test_printed_values_in_english() -> None:
    assert in_english("sex", "男") == "male" and in_english("sex", "女") == "female"
    assert in_english("nation", "汉") == "Han" and in_english("nation", "维吾尔") == "Uyghur"
    assert in_english("nation", "火星") == "火星"  # not in the table: as printed
    assert in_english("address", "上海市") == "上海市"  # other fields are data

"""MRZ parsing and check digits on the ICAO 9303 specimens (TD3 passport, TD1 card)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.mrz import MrzError, check_digit, normalise_lines, parse_mrz
from station.mrz.parser import yymmdd_to_date

# ICAO 9303 part 4 specimen (the older issue with the 1994 expiry, used in part 11 app. D).
TD3_OLD = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C<3UTO6908061F9406236ZE184226B<<<<<14"
)
# The current part 4 specimen.
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)
# ICAO 9303 part 5 TD1 specimen.
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n"
    "7408122F1204159UTO<<<<<<<<<<<6\n"
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
# ICAO 9303 part 6 TD2 specimen.
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"


def test_check_digits_of_known_fields() -> None:
    assert check_digit("L898902C<") == "3"
    assert check_digit("690806") == "1"
    assert check_digit("940623") == "6"
    assert check_digit("D23145890") == "7"
    assert check_digit("<<<<<<") == "0"
    with pytest.raises(ValueError):
        check_digit("a")


def test_td3_specimen_for_bac() -> None:
    mrz = parse_mrz(TD3_OLD)
    assert mrz.format == "TD3" and mrz.valid
    assert mrz.bac_key_seed_info == "L898902C<369080619406236"
    assert mrz.document_number == "L898902C"
    assert mrz.birth_date == date(1969, 8, 6)


def test_td3_current_specimen_fields() -> None:
    mrz = parse_mrz(TD3)
    assert mrz.valid, mrz.failed_checks
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert (mrz.issuing_state, mrz.nationality, mrz.sex) == ("UTO", "UTO", "F")
    assert mrz.optional_data == "ZE184226B"
    assert mrz.birth_date == date(1974, 8, 12)
    assert mrz.expiry_date == date(2012, 4, 15)
    assert mrz.bac_key_seed_info == "L898902C3674081221204159"


def test_td1_specimen() -> None:
    mrz = parse_mrz(TD1)
    assert mrz.format == "TD1" and mrz.valid
    assert mrz.document_code == "I" and mrz.document_number == "D23145890"
    assert mrz.bac_key_seed_info == "D23145890774081221204159"


def test_td2_specimen() -> None:
    mrz = parse_mrz(TD2)
    assert mrz.format == "TD2" and mrz.valid, mrz.failed_checks
    assert mrz.document_number == "D23145890"


def test_td1_long_document_number_continues_in_optional_data() -> None:
    number = "D23145890AB1"
    number_check = check_digit(number)
    line1 = "I<UTO" + number[:9] + "<" + number[9:] + number_check + "<" * 11
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    mrz = parse_mrz(f"{line1}\n{line2}{composite}\nERIKSSON<<ANNA<MARIA<<<<<<<<<<")
    assert mrz.document_number == "D23145890AB1"
    assert mrz.valid
    assert mrz.bac_key_seed_info.startswith(number + number_check)


def test_a_typo_is_reported_per_field() -> None:
    typo = TD3.replace("7408122F", "7408132F")
    mrz = parse_mrz(typo)
    assert not mrz.valid
    assert mrz.failed_checks == ["birth_date", "composite"]


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty"), ("P<UTO", "length"), (TD3.replace("P<", "p-"), "characters")],
)
def test_incomplete_or_foreign_text_is_refused(text: str, code: str) -> None:
    with pytest.raises(MrzError) as caught:
        parse_mrz(text)
    assert caught.value.code == code


def test_scanner_and_typed_forms_are_normalised() -> None:
    joined = TD3.replace("\n", "")
    assert normalise_lines(joined) == TD3.split("\n")
    assert normalise_lines(TD1.lower().replace("\n", "\r\n")) == TD1.split("\n")
    assert parse_mrz(TD1.replace("\n", " ")).valid


def test_two_digit_years() -> None:
    today = date(2026, 11, 24)
    assert yymmdd_to_date("991231", past=True, today=today) == date(1999, 12, 31)
    assert yymmdd_to_date("250101", past=True, today=today) == date(2025, 1, 1)
    assert yymmdd_to_date("350101", past=False, today=today) == date(2035, 1, 1)
    assert yymmdd_to_date("991231", past=False, today=today) == date(1999, 12, 31)
    assert yymmdd_to_date("9913<<", past=True, today=today) is None
    assert yymmdd_to_date("990231", past=True, today=today) is None


@given(st.text(max_size=120))
def test_parser_never_raises_anything_but_mrz_error(text: str) -> None:
    try:
        mrz = parse_mrz(text)
    except MrzError:
        return
    assert mrz.format in {"TD1", "TD2", "TD3"}
    mrz.to_json()


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<", min_size=88, max_size=90))
def test_parser_on_mrz_alphabet(text: str) -> None:
    try:
        mrz = parse_mrz(text)
    except MrzError:
        return
    assert len(mrz.bac_key_seed_info) >= 24

"""Machine-readable zones of travel documents (ICAO 9303 parts 4-6): TD1, TD2 and TD3.

``parse_mrz`` takes what a clerk typed or a scanner sent and returns an ``Mrz`` with every
check digit verified; ``Mrz.bac_key_seed_info`` is the string BAC derives its keys from.
"""

from station.mrz.checkdigit import check_digit, is_mrz_text
from station.mrz.parser import Mrz, MrzError, MrzField, normalise_lines, parse_mrz

__all__ = [
    "Mrz",
    "MrzError",
    "MrzField",
    "check_digit",
    "is_mrz_text",
    "normalise_lines",
    "parse_mrz",
]

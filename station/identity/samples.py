"""Realistic simulated people for the reader simulator, demo mode and tests.

Every number carries a correct check digit (computed, never typed in). The people and
addresses are invented.
"""

from __future__ import annotations

import hashlib
from datetime import date

from station.identity.card import CardLayout, IdentityCard
from station.identity.checks import citizen_id_check_char


def _number(first17: str) -> str:
    return first17 + citizen_id_check_char(first17)


SAMPLES: dict[str, IdentityCard] = {
    "resident": IdentityCard(
        layout=CardLayout.RESIDENT,
        name="李秀兰",
        sex_code="2",
        nation_code="01",
        birth_date=date(1949, 12, 31),
        address="北京市朝阳区建国路88号院3号楼1单元502号",
        id_number=_number("11010519491231002"),  # 11010519491231002X
        issuing_authority="北京市公安局朝阳分局",
        valid_from=date(2015, 3, 1),
        valid_to=None,
    ),
    "resident-male": IdentityCard(
        layout=CardLayout.RESIDENT,
        name="陈志强",
        sex_code="1",
        nation_code="01",
        birth_date=date(1990, 3, 7),
        address="广东省深圳市南山区粤海街道科技南十二路18号",
        id_number=_number("44030519900307431"),
        issuing_authority="深圳市公安局南山分局",
        valid_from=date(2018, 6, 12),
        valid_to=date(2038, 6, 12),
    ),
    "resident-minority": IdentityCard(
        layout=CardLayout.RESIDENT,
        name="巴特尔",
        sex_code="1",
        nation_code="02",
        birth_date=date(1985, 8, 15),
        address="内蒙古自治区呼和浩特市新城区锡林郭勒北路36号",
        id_number=_number("15010219850815121"),
        issuing_authority="呼和浩特市公安局新城区分局",
        valid_from=date(2016, 9, 20),
        valid_to=date(2036, 9, 20),
    ),
    "expired": IdentityCard(
        layout=CardLayout.RESIDENT,
        name="周丽华",
        sex_code="2",
        nation_code="01",
        birth_date=date(1978, 5, 20),
        address="江苏省南京市鼓楼区中山北路105号",
        id_number=_number("32010619780520262"),
        issuing_authority="南京市公安局鼓楼分局",
        valid_from=date(2004, 5, 10),
        valid_to=date(2024, 5, 10),
    ),
    "J": IdentityCard(
        layout=CardLayout.RESIDENCE_PERMIT,
        name="黄家明",
        sex_code="1",
        birth_date=date(1988, 4, 16),
        address="广东省深圳市福田区福华三路168号",
        id_number=_number("81000019880416003"),
        issuing_authority="深圳市公安局",
        valid_from=date(2023, 3, 15),
        valid_to=date(2028, 3, 15),
        pass_number="H60231877",
        issue_count="01",
    ),
    "I": IdentityCard(
        layout=CardLayout.FOREIGNER_2017,
        name="史密斯·约翰",
        name_en="SMITH, JOHN MICHAEL",
        sex_code="1",
        birth_date=date(1985, 9, 12),
        id_number="USA118509120017",
        nationality_code="USA",
        valid_from=date(2017, 6, 1),
        valid_to=date(2027, 6, 1),
        card_version="17",
        authority_code="1500",
    ),
    "Y": IdentityCard(
        layout=CardLayout.FOREIGNER_2023,
        name="玛丽亚·加西亚",
        name_en="GARCIA LOPEZ, MARIA FERNANDA DE LOS ANGELES",
        sex_code="2",
        birth_date=date(1992, 3, 5),
        id_number=_number("93172419920305002"),
        nationality_code="ESP",
        valid_from=date(2023, 12, 1),
        valid_to=date(2033, 12, 1),
        renewal_count="00",
    ),
}


def sample_card(key: str) -> IdentityCard:
    """One of SAMPLES (KeyError names the keys that exist)."""
    try:
        return SAMPLES[key]
    except KeyError:
        raise KeyError(f"no sample card {key!r}; choose from {', '.join(SAMPLES)}") from None


def sample_wlt(card: IdentityCard) -> bytes:
    """1024 deterministic bytes standing in for the card's WLT photo (not decodable)."""
    return hashlib.shake_256(card.id_number.encode()).digest(1024)

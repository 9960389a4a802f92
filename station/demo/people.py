"""Simulated people for demo mode, read from resources/demo/people.toml.

A person is what the simulated camera shows (a portrait and where the head is in it), the
picture on their card's chip (cropped to the 102x126 chip framing) and their card data. The
card comes in the kinds a training console places: the resident ID, a Hong Kong/Macau/Taiwan
residence permit, a foreigner's permanent residence card and an expired resident ID, all with
computed check digits and the person's own chip photo.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from station.config import Settings
from station.i18n import current_language
from station.identity.card import CardLayout, IdentityCard
from station.identity.checks import citizen_id_check_char

DEMO_DIR = Path(__file__).resolve().parents[2] / "resources" / "demo"
PEOPLE_FILE = DEMO_DIR / "people.toml"
CHIP_WIDTH, CHIP_HEIGHT = 102, 126
CARD_KINDS = ("resident", "permit", "foreigner", "expired")
WHITE = (255, 255, 255)
# Validity of the permit and foreigner cards every demo person gets (valid for years to come).
PERMIT_VALIDITY = (date(2024, 7, 1), date(2029, 7, 1))
FOREIGNER_VALIDITY = (date(2023, 12, 1), date(2033, 12, 1))
FOREIGNER_NATIONALITY = ("SGP", "702")  # ISO 3166 alpha-3 and numeric (Singapore)


class DemoDataError(ValueError):
    """people.toml or one of its pictures cannot be used."""


def _number(first17: str) -> str:
    return first17 + citizen_id_check_char(first17)


def _load_picture(name: str) -> np.ndarray:
    if name.startswith("skimage:"):
        from skimage import data

        loader = getattr(data, name.split(":", 1)[1], None)
        if loader is None:
            raise DemoDataError(f"scikit-image has no picture {name!r}")
        rgb = np.asarray(loader())
        return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    path = DEMO_DIR / name
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise DemoDataError(f"demo picture {path} is missing or unreadable")
    return image


def _crop(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """``box`` of ``image``; what lies outside the picture is white (an ID photo's background)."""
    left, top, width, height = box
    pad = max(0, -left, -top, left + width - image.shape[1], top + height - image.shape[0])
    padded = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=WHITE)
    return padded[top + pad : top + pad + height, left + pad : left + pad + width]


@dataclass(frozen=True)
class DemoPerson:
    key: str
    title_zh: str
    title_en: str
    camera_file: str
    camera_head: tuple[float, float, float]  # crown_y, chin_y, centre_x in the camera portrait
    chip_file: str
    chip_crop: tuple[int, int, int, int]
    same_picture: bool  # chip and camera from one picture: a face match is trivially high
    resident: IdentityCard
    name_en: str  # for the cards that carry one (a foreigner's card); a resident ID has none

    @property
    def title(self) -> str:
        return self.title_en if current_language() == "en" else self.title_zh

    # -- pictures ---------------------------------------------------------------------------

    @cached_property
    def portrait(self) -> np.ndarray:
        """The picture the simulated camera shows (BGR)."""
        return _load_picture(self.camera_file)

    @cached_property
    def chip_image(self) -> np.ndarray:
        """The chip photo before the card's compression: 102x126 BGR."""
        crop = _crop(_load_picture(self.chip_file), self.chip_crop)
        return cv2.resize(crop, (CHIP_WIDTH, CHIP_HEIGHT), interpolation=cv2.INTER_AREA)

    @cached_property
    def photo_on_file(self) -> np.ndarray:
        """The photo the simulated traffic system holds: the chip's picture at the 358x441
        of an ID photo on file (the same framing, not the chip's compression)."""
        crop = _crop(_load_picture(self.chip_file), self.chip_crop)
        return cv2.resize(crop, (358, 441), interpolation=cv2.INTER_CUBIC)

    # -- cards ------------------------------------------------------------------------------

    def card(self, kind: str = "resident") -> IdentityCard:
        """The person's card of ``kind`` (one of CARD_KINDS)."""
        base = self.resident
        birth = base.birth_date.strftime("%Y%m%d")
        sequence = base.id_number[14:17]
        if kind == "resident":
            return base
        if kind == "expired":
            ended = base.valid_from
            age = ended.year - base.birth_date.year
            years = 10 if age - 10 >= 16 else 5  # a card issued before 16 is valid 5 years
            return replace(base, valid_from=ended.replace(year=ended.year - years), valid_to=ended)
        if kind == "permit":
            start, end = PERMIT_VALIDITY
            return IdentityCard(
                layout=CardLayout.RESIDENCE_PERMIT, name=base.name, sex_code=base.sex_code,
                birth_date=base.birth_date, address=base.address,
                id_number=_number(f"810000{birth}{sequence}"),
                issuing_authority=base.issuing_authority, valid_from=start, valid_to=end,
                pass_number=f"H{int(sequence) * 104729 % 10**8:08d}", issue_count="01",
            )
        if kind == "foreigner":
            start, end = FOREIGNER_VALIDITY
            alpha, numeric = FOREIGNER_NATIONALITY
            return IdentityCard(
                layout=CardLayout.FOREIGNER_2023, name=base.name, name_en=self.name_en,
                sex_code=base.sex_code, birth_date=base.birth_date,
                id_number=_number(f"9{base.id_number[:2]}{numeric}{birth}{sequence}"),
                nationality_code=alpha, valid_from=start, valid_to=end, renewal_count="00",
            )
        raise KeyError(f"no card kind {kind!r}; choose from {', '.join(CARD_KINDS)}")


def _person(entry: dict[str, Any]) -> DemoPerson:
    try:
        first17 = f"{entry['region']}{entry['birth_date']:%Y%m%d}{entry['sequence']}"
        resident = IdentityCard(
            layout=CardLayout.RESIDENT, name=entry["name"],
            sex_code=str(entry["sex_code"]), nation_code=str(entry["nation_code"]),
            birth_date=entry["birth_date"], address=entry["address"],
            id_number=_number(first17), issuing_authority=entry["issuing_authority"],
            valid_from=entry["valid_from"], valid_to=entry.get("valid_to"),
        )
        crown, chin, centre = (float(v) for v in entry["camera_head"])
        left, top, width, height = (int(v) for v in entry["chip_crop"])
        return DemoPerson(
            key=entry["key"], title_zh=entry["title_zh"], title_en=entry["title_en"],
            camera_file=entry["camera"], camera_head=(crown, chin, centre),
            chip_file=entry["chip"], chip_crop=(left, top, width, height),
            same_picture=bool(entry.get("same_picture", entry["camera"] == entry["chip"])),
            resident=resident, name_en=str(entry.get("name_en", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DemoDataError(f"{PEOPLE_FILE}: person {entry.get('key', '?')!r}: {exc!r}") from exc


@cache
def demo_people() -> dict[str, DemoPerson]:
    """Every simulated person, by key, in file order (the first is the default)."""
    try:
        data = tomllib.loads(PEOPLE_FILE.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DemoDataError(f"cannot read {PEOPLE_FILE}: {exc}") from exc
    people = [_person(entry) for entry in data.get("person", [])]
    if not people:
        raise DemoDataError(f"{PEOPLE_FILE} lists no person")
    return {person.key: person for person in people}


def demo_person(key: str | None = None) -> DemoPerson:
    """One person (KeyError names the keys); None: the default (the first)."""
    people = demo_people()
    if key is None:
        return next(iter(people.values()))
    try:
        return people[key]
    except KeyError:
        raise KeyError(f"no demo person {key!r}; choose from {', '.join(people)}") from None


def person_at_camera(settings: Settings) -> bool:
    """Does demo mode's simulated person stand at this station's camera? Only on a demo
    station whose camera is the simulated one (no webcam, no replay configured): then the
    simulated reader carries that person's card, so card, chip photo and live face belong
    together. Never on any other station."""
    camera = settings.devices.camera
    return (settings.demo and settings.devices.simulate and not camera.replay
            and camera.device is None and camera.index is None)

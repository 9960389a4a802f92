"""Demo mode's simulated people: their cards, their chip photos through the demo decoder, and
where the demo decoder may never appear."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.idcard.simphoto import MARKER, DemoWltDecoder, encode_chip_photo
from station.config import load_settings
from station.demo import CARD_KINDS, demo_people, demo_person, person_at_camera
from station.identity.card import CardLayout
from station.identity.chip_photo import WLT_SIZE, PhotoStatus, decode_chip_photo
from station.identity.layout import encode_text, parse_text
from station.identity.samples import sample_card, sample_wlt
from station.identity.validation import validate_card

TODAY = date(2026, 12, 4)


def test_every_card_of_every_person_is_consistent() -> None:
    assert list(demo_people()) == ["lin", "mismatch"]
    for person in demo_people().values():
        for kind in CARD_KINDS:
            card = person.card(kind)
            assert parse_text(encode_text(card)) == card  # fits the GA 467 text layout
            failed = {r.check for r in validate_card(card, today=TODAY) if not r.ok}
            assert failed == ({"validity"} if kind == "expired" else set()), (person.key, kind)
        assert person.card("permit").layout is CardLayout.RESIDENCE_PERMIT
        assert person.card("foreigner").layout is CardLayout.FOREIGNER_2023
        assert person.card("permit").birth_date == person.card().birth_date


def test_unknown_person_and_card_kind_are_named() -> None:
    with pytest.raises(KeyError, match="lin"):
        demo_person("nobody")
    with pytest.raises(KeyError, match="resident"):
        demo_person().card("passport")


def test_chip_photo_round_trips_through_the_demo_decoder() -> None:
    person = demo_person()
    wlt = encode_chip_photo(person.chip_image)
    assert len(wlt) == WLT_SIZE and wlt.startswith(MARKER)
    photo = decode_chip_photo(wlt, None, stand_in=DemoWltDecoder())
    assert photo.status is PhotoStatus.SIMULATED and photo.simulated and photo.decoded
    assert photo.info()["simulated"] is True
    image = cv2.imdecode(np.frombuffer(photo.bmp or b"", np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (126, 102, 3)
    # lossy like a chip photo, but the same picture
    assert float(np.abs(image.astype(int) - person.chip_image).mean()) < 12


def test_without_the_stand_in_a_simulated_photo_is_not_decoded() -> None:
    wlt = encode_chip_photo(demo_person().chip_image)
    photo = decode_chip_photo(wlt, None)
    assert photo.status is PhotoStatus.DECODER_NOT_CONFIGURED and not photo.decoded
    missing = Path("/nonexistent/libwlt2bmp.so")
    assert decode_chip_photo(wlt, missing).status is PhotoStatus.DECODER_UNAVAILABLE


def test_the_stand_in_leaves_real_photos_to_the_vendor_path() -> None:
    real = sample_wlt(sample_card("resident"))  # not a simulated block
    photo = decode_chip_photo(real, None, stand_in=DemoWltDecoder())
    assert photo.status is PhotoStatus.DECODER_NOT_CONFIGURED


def test_a_damaged_simulated_photo_says_so() -> None:
    wlt = bytearray(encode_chip_photo(demo_person().chip_image))
    wlt[len(MARKER) + 2 : len(MARKER) + 40] = bytes(38)  # the codec's header wiped
    photo = decode_chip_photo(bytes(wlt), None, stand_in=DemoWltDecoder())
    assert photo.status is PhotoStatus.DECODE_FAILED and photo.reason["zh"] and not photo.decoded


def test_the_simulated_person_stands_only_at_a_demo_station(tmp_path: Path) -> None:
    data = {"STATION__STORAGE__DATA_DIR": str(tmp_path)}
    assert person_at_camera(load_settings(profiles=("demo",), environ=data))
    replay = {**data, "STATION__DEVICES__CAMERA__DEVICE": "/dev/video0"}
    assert not person_at_camera(load_settings(profiles=("demo",), environ=replay))
    simulated = {**data, "STATION__DEVICES__SIMULATE": "true"}  # simulators, not the demo
    assert not person_at_camera(load_settings(environ=simulated))

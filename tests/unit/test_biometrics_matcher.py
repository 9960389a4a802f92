"""Face matcher on real photos: genuine pairs match, impostors do not, bad input is explained."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.biometrics import (
    FaceMatcher,
    FaceNotFound,
    ImageUnreadable,
    load_calibration,
    read_image,
    to_rgb8,
)
from station.biometrics.calibration import parse_calibration
from tests.helpers.processes import run_module

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def matcher() -> FaceMatcher:
    return FaceMatcher()


def _chip(faces_dir: Path, person: str, index: int) -> np.ndarray:
    files = sorted((faces_dir / "verification" / person).iterdir())
    return read_image(files[index])


def test_genuine_chip_pairs_match(matcher: FaceMatcher, faces_dir: Path) -> None:
    for person in ("John_Salley", "John_Savage", "John_Schneider"):
        result = matcher.compare(_chip(faces_dir, person, 0), _chip(faces_dir, person, 5))
        assert result.match, (person, result)
        assert result.score >= 60
        assert result.faces_a == result.faces_b == 1


def test_impostor_pairs_do_not_match(matcher: FaceMatcher, faces_dir: Path) -> None:
    salley = _chip(faces_dir, "John_Salley", 1)
    savage = _chip(faces_dir, "John_Savage", 5)  # the hardest impostor of the set, vs biden
    biden = read_image(faces_dir / "verification/biden/biden.jpg")
    for first, second in ((salley, savage), (savage, biden), (salley, biden)):
        result = matcher.compare(first, second)
        assert not result.match, result
        assert result.score < 60
        assert result.distance > result.threshold


def test_ordinary_photos_against_each_other(matcher: FaceMatcher, faces_dir: Path) -> None:
    verification = faces_dir / "verification"
    obama = matcher.embed(read_image(verification / "obama/obama.jpg"))
    obama2 = matcher.embed(read_image(verification / "obama/obama2.jpg"))
    rose = matcher.embed(read_image(verification / "rose_leslie/img1.jpg"))
    assert matcher.compare_embeddings(obama, obama2).match
    assert not matcher.compare_embeddings(obama, rose).match


def test_chip_sized_and_grayscale_inputs(matcher: FaceMatcher, faces_dir: Path) -> None:
    """102x126 like a Chinese ID-card chip photo, grayscale, RGBA: all still match."""
    live = _chip(faces_dir, "John_Schneider", 2)
    chip = cv2.resize(
        _chip(faces_dir, "John_Schneider", 7), (102, 126), interpolation=cv2.INTER_AREA
    )
    assert matcher.compare(live, chip).match
    gray = cv2.cvtColor(chip, cv2.COLOR_BGR2GRAY)
    assert matcher.compare(live, gray).match
    rgba = cv2.cvtColor(chip, cv2.COLOR_BGR2BGRA)
    assert matcher.compare(rgba, live).match


def test_rgba_png_file_loads(matcher: FaceMatcher, faces_dir: Path) -> None:
    image = read_image(faces_dir / "portraits/fr_rgba_32bit.png")
    assert image.ndim == 3 and image.shape[2] == 4
    embedding = matcher.embed(image)
    assert embedding.vector.shape == (128,)
    assert embedding.faces == 1


def test_face_cut_by_the_border_is_still_found(matcher: FaceMatcher, faces_dir: Path) -> None:
    whole = _chip(faces_dir, "John_Salley", 3)
    cut = whole[:, whole.shape[1] // 3 :]  # left third of the face missing
    result = matcher.compare(whole, cut)
    assert result.faces_b == 1
    assert result.box_b is not None and result.box_b[0] == 0  # the box touches the border


def test_no_face_raises_with_both_languages(matcher: FaceMatcher, faces_dir: Path) -> None:
    dogs = read_image(faces_dir / "portraits/dlib_no_human_face.jpg")
    with pytest.raises(FaceNotFound) as caught:
        matcher.compare(_chip(faces_dir, "John_Salley", 0), dogs)
    assert caught.value.which == "b"
    assert caught.value.message["en"]
    assert caught.value.message["zh"] != caught.value.message["en"]


def test_several_faces_use_the_largest_and_say_so(matcher: FaceMatcher, faces_dir: Path) -> None:
    embedding = matcher.embed(read_image(faces_dir / "portraits/fr_two_faces.jpg"))
    assert embedding.faces >= 2
    assert any("largest" in note["en"] for note in embedding.notes)


@pytest.mark.parametrize(
    "array",
    [np.zeros((0, 0, 3), np.uint8), np.zeros((10, 10, 2), np.uint8), np.zeros((4,), np.uint8)],
)
def test_bad_arrays_are_refused_clearly(array: np.ndarray) -> None:
    with pytest.raises(ImageUnreadable):
        to_rgb8(array)


def test_sixteen_bit_and_float_images_convert() -> None:
    wide = np.full((8, 8, 3), 65535, np.uint16)
    assert to_rgb8(wide).max() == 255
    unit = np.full((8, 8), 0.5, np.float32)
    assert to_rgb8(unit).shape == (8, 8, 3)


def test_unreadable_file(tmp_path: Path) -> None:
    bogus = tmp_path / "photo.jpg"
    bogus.write_bytes(b"not a jpeg")
    with pytest.raises(ImageUnreadable):
        read_image(bogus)
    with pytest.raises(ImageUnreadable):
        read_image(tmp_path / "missing.jpg")


def test_score_is_monotone_and_passes_at_the_threshold() -> None:
    calibration = load_calibration()
    assert calibration.score(calibration.distance_threshold) == pytest.approx(60, abs=0.1)
    scores = [calibration.score(d / 100) for d in range(0, 150, 5)]
    assert scores == sorted(scores, reverse=True)
    assert min(scores) >= 0 and max(scores) <= 100


def test_calibration_file_is_consistent() -> None:
    data = json.loads((PROJECT_ROOT / "resources/biometrics/calibration.json").read_text("utf-8"))
    calibration = parse_calibration(data)
    assert calibration.review_low <= calibration.distance_threshold <= calibration.review_high
    with pytest.raises(ValueError):
        parse_calibration({**data, "review_band": [0.1, 0.2]})


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_module("station.biometrics", *args)


def test_cli_json_match_and_errors(faces_dir: Path, tmp_path: Path) -> None:
    chips = sorted((faces_dir / "verification/John_Savage").iterdir())
    done = _cli("compare", str(chips[0]), str(chips[3]), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["match"] is True
    assert {"score", "threshold", "distance"} <= result.keys()

    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((120, 100, 3), 200, np.uint8))
    no_face = _cli("compare", str(chips[0]), str(blank), "--json")
    assert no_face.returncode != 0
    assert json.loads(no_face.stdout)["error"] == "face_not_found"
    assert len(no_face.stderr.strip().splitlines()) == 1

    bogus = tmp_path / "x.png"
    bogus.write_text("nope")
    unreadable = _cli("compare", str(bogus), str(chips[0]), "--json")
    assert unreadable.returncode != 0
    assert json.loads(unreadable.stdout)["error"] == "image_unreadable"

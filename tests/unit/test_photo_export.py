"""Export: crop, scale and encode to each profile; the exported file passes final mode."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from station.photo.analysis import PhotoAnalyser
from station.photo.export import ExportError, export_photo
from station.photo.images import load_image
from station.photo.profiles import load_profile

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def analyser() -> Iterator[PhotoAnalyser]:
    with PhotoAnalyser() as instance:
        yield instance


EXPORTABLE = [
    ("portraits/ppp_full_body_hires.jpg", "cn-driving-licence"),
    ("portraits/ppp_full_body_hires.jpg", "cn-resident-id"),
    ("portraits/ppp_full_body_hires.jpg", "icao-9303"),
    ("portraits/ppp_frontal_white_bg.jpg", "cn-resident-id"),
    ("portraits/ppp_frontal_white_bg.jpg", "icao-9303"),
    ("../../demo/demo_person_white.jpg", "cn-driving-licence"),
    ("../../demo/demo_person_white.jpg", "icao-9303"),
    ("cfd/CFD-BF-236-177-N.jpg", "icao-9303"),
    ("cfd/CFD-WM-222-057-N.jpg", "icao-9303"),
]


@pytest.mark.parametrize(("source", "profile_name"), EXPORTABLE)
def test_export_passes_final_mode(faces_dir, analyser, profile_name, source):
    profile = load_profile(profile_name)
    loaded = load_image(faces_dir / source)
    result = export_photo(analyser, loaded, profile)
    assert result.compliant, [(c.name, c.value) for c in result.report.failed]
    image = Image.open(io.BytesIO(result.jpeg))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert image.size == (profile.output.width_px, profile.output.height_px)
    assert image.info["dpi"] == pytest.approx((profile.output.dpi, profile.output.dpi))
    assert result.quality >= profile.output.jpeg_quality_min
    if profile.output.file_size_kb:
        low, high = profile.output.file_size_kb
        assert low <= len(result.jpeg) / 1024 <= high
    # Re-checking the exported bytes from scratch gives the same verdict.
    again = analyser.analyse_file(result.jpeg, profile, mode="final")
    assert again.compliant
    names = {check.name for check in again.checks}
    assert {"image_size", "crown_margin", "face_centre", "jpeg_quality"} <= names


def test_original_photo_is_not_a_final_photo(faces_dir, analyser):
    report = analyser.analyse_file(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg",
                                   "cn-driving-licence", mode="final")  # fmt: skip
    failed = {check.name for check in report.failed}
    assert {"image_size", "head_length", "file_size"} <= failed


def test_non_compliant_source_is_refused_with_its_reasons(faces_dir, analyser):
    loaded = load_image(faces_dir / "portraits" / "fr_obama_smile.jpg")
    with pytest.raises(ExportError) as caught:
        export_photo(analyser, loaded, "cn-driving-licence")
    assert "expression" in {check.name for check in caught.value.checks}
    forced = export_photo(analyser, loaded, "cn-driving-licence", force=True)
    assert Image.open(io.BytesIO(forced.jpeg)).size == (260, 378)


def test_faceless_source_cannot_be_exported_even_when_forced(faces_dir, analyser):
    loaded = load_image(faces_dir / "portraits" / "dlib_no_human_face.jpg")
    with pytest.raises(ExportError) as caught:
        export_photo(analyser, loaded, "cn-driving-licence", force=True)
    assert [check.name for check in caught.value.checks] == ["face_count"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "station.photo", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


def test_cli_export_and_check(faces_dir, tmp_path):
    out = tmp_path / "licence.jpg"
    done = _cli("export", "--profile", "cn-driving-licence",
                str(faces_dir.parent.parent / "demo" / "demo_person_white.jpg"), str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["compliant"] is True
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    checked = _cli("check", "--profile", "cn-driving-licence", "--json", str(out), str(broken),
                   str(tmp_path / "missing.png"))  # fmt: skip
    assert checked.returncode == 1  # not every file is compliant
    results = json.loads(checked.stdout)
    assert [r["file"] for r in results] == [str(out), str(broken), str(tmp_path / "missing.png")]
    assert results[0]["compliant"] is True
    for result in results[1:]:
        assert result["compliant"] is False
        (check,) = result["checks"]
        assert check["name"] == "readable" and not check["passed"]
        assert check["message_zh"] and check["message_en"]
    for check in results[0]["checks"]:
        assert set(check) == {"name", "value", "score", "threshold", "passed", "message_zh",
                              "message_en"}  # fmt: skip
        assert 0 <= check["score"] <= 100


def test_cli_export_refuses_and_explains(faces_dir, tmp_path):
    out = tmp_path / "smile.jpg"
    done = _cli("export", "--profile", "cn-driving-licence",
                str(faces_dir / "portraits" / "fr_obama_smile.jpg"), str(out))  # fmt: skip
    assert done.returncode == 1
    assert "expression" in done.stderr and not out.exists()
    unknown = _cli("check", "--profile", "no-such-profile", str(out))
    assert unknown.returncode == 2 and "unknown photo profile" in unknown.stderr


def test_cli_source_mode(faces_dir):
    done = _cli("check", "--source", "--profile", "icao-9303", "--json",
                str(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg"))  # fmt: skip
    assert done.returncode == 0, done.stdout
    (result,) = json.loads(done.stdout)
    assert result["compliant"] and any(c["name"] == "resolution" for c in result["checks"])

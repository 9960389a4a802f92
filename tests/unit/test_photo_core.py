"""Profiles (data, schema), scoring, guidance and the auto-capture state machine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from station.photo import scoring
from station.photo.autocapture import AutoCapture, CaptureState
from station.photo.guidance import instruction_for
from station.photo.messages import CHECK_NAMES
from station.photo.profiles import ProfileError, load_profile, load_profile_file, profile_names
from station.photo.report import PhotoReport, make_check


def _report(*failing: str, score: int = 90) -> PhotoReport:
    checks = [make_check(name, 1.0, 10 if name in failing else score, "t", name not in failing)
              for name in ("face_count", "yaw", "expression", "head_covering", "resolution")]  # fmt: skip
    return PhotoReport(profile="cn-driving-licence", mode="capture", image_size=(1280, 720),
                       checks=checks)  # fmt: skip


def test_builtin_profiles_follow_the_standards():
    assert {"cn-driving-licence", "cn-resident-id", "icao-9303"} <= set(profile_names())
    licence = load_profile("cn-driving-licence")
    assert (licence.output.width_px, licence.output.height_px, licence.output.dpi) == (260, 378, 300)
    assert licence.geometry.head_width_px == (165, 189)
    assert licence.geometry.head_length_px == (224, 260)
    assert licence.geometry.crown_margin_px == (10, 20)
    assert licence.output.file_size_kb == (14, 30) and licence.output.jpeg_quality_min == 70
    resident = load_profile("cn-resident-id")
    assert (resident.output.width_px, resident.output.height_px) == (358, 441)
    assert resident.geometry.eye_line_min_above_bottom_px == 207
    icao = load_profile("icao-9303")
    ratio = icao.output.width_px / icao.output.height_px
    assert 0.74 <= ratio <= 0.80
    low, high = icao.geometry.head_length_px
    assert low / icao.output.height_px == pytest.approx(0.70, abs=0.005)
    assert high / icao.output.height_px == pytest.approx(0.80, abs=0.005)


def test_a_new_profile_is_just_a_file(tmp_path: Path):
    (tmp_path / "test-visa.toml").write_text(
        'name = "test-visa"\ntitle_zh = "签证"\ntitle_en = "Visa"\n'
        "[output]\nwidth_px = 390\nheight_px = 567\n"
        "[geometry]\nhead_length_px = [300, 340]\ncrown_margin_px = [20, 40]\n",
        encoding="utf-8",
    )
    profile = load_profile("test-visa", tmp_path)
    assert profile.output.width_px == 390 and profile.background.kind == "white"


@pytest.mark.parametrize(
    "body",
    [
        'name = "bad"\ntitle_zh = "x"\ntitle_en = "x"\n[output]\nwidth_px = -1\nheight_px = 2\n'
        "[geometry]\nhead_length_px = [1, 2]\ncrown_margin_px = [1, 2]\n",
        'name = "bad"\ntitle_zh = "x"\ntitle_en = "x"\n[output]\nwidth_px = 1\nheight_px = 2\n'
        "[geometry]\ncrown_margin_px = [1, 2]\n",  # no head size at all
        'name = "bad"\ntitle_zh = "x"\ntitle_en = "x"\n[output]\nwidth_px = 1\nheight_px = 2\n'
        "[geometry]\nhead_length_px = [9, 2]\ncrown_margin_px = [1, 2]\n",  # reversed range
        "this is not toml = = =",
        'name = "other"\ntitle_zh = "x"\ntitle_en = "x"\n[output]\nwidth_px = 1\nheight_px = 2\n'
        "[geometry]\nhead_length_px = [1, 2]\ncrown_margin_px = [1, 2]\n",  # name != file
    ],
)
def test_invalid_profiles_are_refused(tmp_path: Path, body: str):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ProfileError):
        load_profile_file(path)


def test_unknown_profile():
    with pytest.raises(ProfileError, match="unknown photo profile"):
        load_profile("nope")


def test_scores_are_50_at_the_threshold_and_monotonic():
    assert scoring.at_least(0.02, 0.02, 0.004) == pytest.approx(50)
    assert scoring.at_least(0.03, 0.02, 0.004) > 90 > 10 > scoring.at_least(0.01, 0.02, 0.004)
    assert scoring.at_most(0.2, 0.08, 0.02) < 1
    assert scoring.pose_score(0) == 100 and scoring.pose_score(90) == pytest.approx(0, abs=1e-9)
    assert scoring.within(5, 0, 10, 1) > 99 and scoring.within(-3, 0, 10, 1) < 5


def test_every_check_has_messages_in_both_languages():
    for name in CHECK_NAMES:
        passed = make_check(name, 1.0, 100, "t", True)
        failed = make_check(name, 1.0, 0, "t", False)
        assert passed.message_en != failed.message_en
        assert failed.message_zh and failed.message_zh != failed.message_en


def test_instruction_picks_the_most_important_problem():
    assert instruction_for(_report()) is None
    hat_and_smile = instruction_for(_report("expression", "head_covering"))
    assert hat_and_smile == {"zh": "请摘下帽子", "en": "Please take off your hat",
                             "check": "head_covering"}  # fmt: skip
    assert instruction_for(_report("yaw", "expression"))["zh"] == "请正视镜头"
    assert instruction_for(_report("resolution", "yaw"))["zh"] == "请靠近一点"


def test_auto_capture_needs_a_steady_period_and_picks_the_best_frame():
    auto = AutoCapture(steady_seconds=1.0, max_gap_seconds=0.5)
    frames = [np.full((2, 2, 3), i, np.uint8) for i in range(10)]
    assert auto.feed(0.0, _report("yaw"), frames[0]) is None
    assert auto.state == CaptureState.SEARCHING
    assert auto.feed(0.2, _report(score=80), frames[1]) is None
    assert auto.state == CaptureState.STEADY
    assert auto.feed(0.5, _report(score=95), frames[2]) is None
    assert 0.2 < auto.progress < 0.5
    assert auto.feed(0.9, _report(score=85), frames[3]) is None
    captured = auto.feed(1.25, _report(score=90), frames[4])
    assert captured is not None and captured.frame is frames[2]  # the best-scoring frame
    assert auto.state == CaptureState.CAPTURED and auto.progress == 1.0
    assert auto.feed(1.3, _report(score=99), frames[5]) is None  # holds until retake
    auto.reset()
    assert auto.state == CaptureState.SEARCHING and auto.captured is None


def test_auto_capture_restarts_on_a_failure_or_a_gap():
    auto = AutoCapture(steady_seconds=1.0, max_gap_seconds=0.5)
    frame = np.zeros((2, 2, 3), np.uint8)
    auto.feed(0.0, _report(), frame)
    auto.feed(0.6, _report("expression"), frame)  # a smile breaks the steady period
    auto.feed(0.7, _report(), frame)
    assert auto.feed(1.5, _report(), frame) is None  # 0.8 s steady only ... and a 0.8 s gap
    assert auto.feed(1.9, _report(), frame) is None
    assert auto.feed(2.3, _report(), frame) is None  # steady since 1.5 only
    assert auto.feed(2.6, _report(), frame) is not None

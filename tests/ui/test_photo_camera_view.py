"""CameraView with a replay camera: preview, auto-capture, manual override with a reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from bench.photo import make_frame
from devices.camera import CameraDevice, StillImagesSource
from station.photo.guidance import instruction_for
from ui.camera_view import CameraView, CapturedPhoto


def _camera(faces_dir: Path, tmp_path: Path, name: str) -> CameraDevice:
    folder = tmp_path / name.split(".")[0]
    folder.mkdir()
    # The demo person (../shared/demo) fills a GA 482 crop with real pixels down to the chest;
    # the ppp frontal portrait ends too close below the chin for one.
    source = faces_dir.parent.parent / "demo" / name
    if not source.is_file():
        source = faces_dir / "portraits" / name
    image = cv2.imread(str(source), cv2.IMREAD_COLOR)
    cv2.imwrite(str(folder / "frame.png"), make_frame(image))
    return CameraDevice(StillImagesSource(folder, fps=15.0))


@pytest.fixture
def compliant_camera(faces_dir, tmp_path) -> Iterator[CameraDevice]:
    camera = _camera(faces_dir, tmp_path, "demo_person_white.jpg")
    camera.start()
    yield camera
    camera.stop()


@pytest.fixture
def smiling_camera(faces_dir, tmp_path) -> Iterator[CameraDevice]:
    camera = _camera(faces_dir, tmp_path, "fr_obama_smile.jpg")
    camera.start()
    yield camera
    camera.stop()


def test_auto_capture_exports_a_compliant_photo(qtbot, compliant_camera):
    view = CameraView(compliant_camera, "cn-driving-licence", steady_seconds=0.4)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.photo_captured, timeout=60_000) as blocker:
        view.show()
    photo: CapturedPhoto = blocker.args[0]
    assert photo.automatic and photo.override_reason is None
    assert photo.report["compliant"] and photo.source_report["compliant"]
    decoded = cv2.imdecode(np.frombuffer(photo.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == (378, 260, 3)
    assert view.preview.painted_frames > 0
    assert view.export_preview.pixmap().width() == 260  # the exported pixels, all of them
    preview = view.export_preview  # shown at the printed size, 22 x 32 mm, with guides
    rect, per_mm = preview.photo_rect(), preview.dots_per_mm()
    assert abs(rect.width() / per_mm - 22.0) < 0.2 and abs(rect.height() / per_mm - 32.0) < 0.2
    x = round(rect.left() + 4)  # white background at the photo's left edge
    top = round(rect.top() + 15 * rect.height() / 378)  # inside the crown band (10-20 px)
    assert preview.toolTip()  # says it is the actual size
    band = preview.grab().toImage().pixelColor(x, top)
    assert band.green() > band.red() + 5, "the top-of-head band is drawn"
    from ui.true_size_photo import HeadLines

    preview.set_photo(photo.jpeg, HeadLines(crown_y=15))  # a measured crown, in red
    line = preview.grab().toImage().pixelColor(x, top)
    assert line.red() > line.green() + 40
    assert view.retake_button.isEnabled()
    with qtbot.waitSignal(view.photo_discarded, timeout=2_000):
        view.retake_button.click()
    assert view.captured is None and view.export_preview.pixmap().isNull()
    view.close()


def test_manual_capture_of_a_failing_frame_needs_a_reason(qtbot, smiling_camera):
    view = CameraView(smiling_camera, "cn-driving-licence", steady_seconds=0.4)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.current_report is not None, timeout=60_000)
    report = view.current_report
    assert report is not None and not report.compliant
    failing = {check.name for check in report.failed}
    assert "expression" in failing
    instruction = instruction_for(report)
    assert instruction is not None and view.instruction.text() == instruction["zh"]
    assert view.checks.count() == len(report.checks)

    assert not view.manual_button.isEnabled()  # no reason yet
    assert view.capture_manually(None) is False
    assert view.status_label.text()
    qtbot.keyClicks(view.reason_edit, "elderly applicant cannot stop smiling")
    assert view.manual_button.isEnabled()
    with qtbot.waitSignal(view.photo_captured, timeout=60_000) as blocker:
        view.manual_button.click()
    photo: CapturedPhoto = blocker.args[0]
    assert photo.override_reason == "elderly applicant cannot stop smiling"
    assert not photo.automatic
    assert not photo.source_report["compliant"]
    decoded = cv2.imdecode(np.frombuffer(photo.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == (378, 260, 3)
    view.close()


def test_kiosk_variant_uses_larger_text(qtbot, compliant_camera):
    normal = CameraView(None, "cn-driving-licence")
    kiosk = CameraView(None, "cn-driving-licence", text_scale=1.6, show_checks=False)
    qtbot.addWidget(normal)
    qtbot.addWidget(kiosk)
    assert kiosk.instruction.font().pointSizeF() > normal.instruction.font().pointSizeF() * 1.5
    assert kiosk.checks.isHidden()


def test_stop_and_start_keep_the_captured_photo(qtbot, compliant_camera):
    view = CameraView(compliant_camera, "cn-driving-licence", steady_seconds=0.3)
    qtbot.addWidget(view)
    captured: list[CapturedPhoto] = []
    view.photo_captured.connect(captured.append)
    view.show()
    qtbot.waitUntil(lambda: len(captured) == 1, timeout=60_000)
    view.stop()
    view.start()  # e.g. the flow stepped back and forth
    qtbot.wait(1_500)
    assert len(captured) == 1 and view.captured is captured[0]
    view.retake()
    qtbot.waitUntil(lambda: len(captured) == 2, timeout=60_000)
    view.close()


def test_a_lost_camera_leaves_no_stale_picture_and_nothing_to_capture(qtbot, faces_dir,
                                                                       tmp_path) -> None:
    """Unplugged: the last frame and its guidance go, capture is impossible (also straight at
    the worker, which once saved that last frame as the live photo) until fresh frames come;
    the photo then taken records its frame's time and the camera."""
    from datetime import UTC, datetime

    folder = tmp_path / "camera"
    folder.mkdir()
    image = cv2.imread(str(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg"), cv2.IMREAD_COLOR)
    cv2.imwrite(str(folder / "frame.png"), make_frame(image))
    camera = CameraDevice(StillImagesSource(folder, fps=15.0), retry_interval=0.2)
    camera.start()
    try:
        view = CameraView(camera, "cn-driving-licence", steady_seconds=600)  # no auto-capture
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: view.live and view.current_report is not None, timeout=60_000)
        qtbot.keyClicks(view.reason_edit, "testing a lost camera")
        assert view.manual_button.isEnabled() and view.preview.showing_frame

        unplugged = tmp_path / "unplugged"
        folder.rename(unplugged)  # the replay vanishing is the camera's unplug
        qtbot.waitUntil(lambda: not view.live, timeout=10_000)
        assert not view.preview.showing_frame and view.preview.note
        assert view.current_report is None and view.checks.count() == 0
        assert not view.manual_button.isEnabled()
        assert view.capture_manually("testing a lost camera") is False
        assert view._worker is not None
        with qtbot.waitSignal(view._worker.failed, timeout=5_000) as refused:
            view._worker.request_manual("testing a lost camera")
        assert refused.args[0]
        qtbot.wait(300)
        assert view.captured is None

        unplugged.rename(folder)  # plugged back in
        back = datetime.now(UTC)
        qtbot.waitUntil(lambda: view.live and view.manual_button.isEnabled(), timeout=30_000)
        with qtbot.waitSignal(view.photo_captured, timeout=60_000) as blocker:
            view.manual_button.click()
        photo: CapturedPhoto = blocker.args[0]
        assert photo.captured_at is not None and back <= photo.captured_at <= datetime.now(UTC)
        assert photo.camera is not None and photo.camera["name"] == str(folder)
        assert photo.camera["simulated"] is True and photo.camera["backend"] == "still images"
        assert photo.camera["format"].startswith("1280x720")
        view.close()
    finally:
        camera.stop()


def test_auto_captured_photo_records_its_frame_time_and_camera(qtbot, compliant_camera) -> None:
    from datetime import UTC, datetime, timedelta

    view = CameraView(compliant_camera, "cn-driving-licence", steady_seconds=0.4)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.photo_captured, timeout=60_000) as blocker:
        view.show()
    photo: CapturedPhoto = blocker.args[0]
    assert photo.automatic and photo.camera == compliant_camera.identity.to_json()
    assert photo.captured_at is not None
    assert datetime.now(UTC) - timedelta(seconds=60) < photo.captured_at <= datetime.now(UTC)
    view.close()

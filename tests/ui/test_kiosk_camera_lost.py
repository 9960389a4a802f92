"""The kiosk's camera pictures are evidence too: on the manual-review route the person's
photo is a snapshot of the camera's picture, so a lost camera's last frame must leave the
screen and never be taken as the live photo, until fresh frames arrive."""

from __future__ import annotations

from pathlib import Path

import cv2
from PySide6.QtCore import Qt

from bench.photo import make_frame
from devices.camera import CameraDevice, StillImagesSource
from ui.kiosk.flow_screens import ScanScreen


def test_a_lost_camera_leaves_no_picture_to_take(qtbot, faces_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "camera"
    folder.mkdir()
    image = cv2.imread(str(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg"), cv2.IMREAD_COLOR)
    cv2.imwrite(str(folder / "frame.png"), make_frame(image))
    camera = CameraDevice(StillImagesSource(folder, fps=15.0), retry_interval=0.2)
    camera.start()
    taken: list[object] = []
    try:
        screen = ScanScreen(camera, step=3)
        qtbot.addWidget(screen)
        screen.capture_requested.connect(lambda: taken.append(screen.preview.latest()))
        screen.show()
        screen.preview.start()
        qtbot.waitUntil(lambda: screen.preview.showing_frame, timeout=20_000)
        assert screen.preview.latest() is not None

        unplugged = tmp_path / "unplugged"
        folder.rename(unplugged)  # the replay vanishing is the camera's unplug
        qtbot.waitUntil(lambda: not screen.preview.showing_frame, timeout=10_000)
        assert screen.preview.note  # says it waits for the picture
        qtbot.mouseClick(screen.capture_button, Qt.MouseButton.LeftButton)
        assert taken == [None]  # the visit hears "no picture" (Say.NO_PICTURE), saves nothing

        unplugged.rename(folder)  # plugged back in
        qtbot.waitUntil(lambda: screen.preview.showing_frame, timeout=30_000)
        qtbot.mouseClick(screen.capture_button, Qt.MouseButton.LeftButton)
        assert taken[-1] is not None  # a fresh frame again
        screen.release()
    finally:
        camera.stop()

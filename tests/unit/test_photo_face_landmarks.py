"""station.face: MediaPipe landmarks, head pose signs and eye/mouth measures on real photos."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.face import FaceLandmarker, mean_eye_aspect_ratio, mouth_opening_ratio
from station.face.measures import eye_aspect_ratios, eye_openings


@pytest.fixture(scope="module")
def landmarker() -> Iterator[FaceLandmarker]:
    with FaceLandmarker(static_images=True, max_faces=2) as instance:
        yield instance


def _read(faces_dir: Path, name: str) -> np.ndarray:
    image = cv2.imread(str(faces_dir / "portraits" / name))
    assert image is not None
    return image


def _rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate counter-clockwise on a canvas large enough to keep the whole image."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(height * sin + width * cos), int(height * cos + width * sin)
    matrix[0, 2] += new_w / 2 - width / 2
    matrix[1, 2] += new_h / 2 - height / 2
    return cv2.warpAffine(image, matrix, (new_w, new_h), borderValue=(255, 255, 255))


def test_frontal_face_has_478_points_and_near_zero_pose(faces_dir, landmarker):
    image = _read(faces_dir, "ppp_frontal_white_bg.jpg")
    faces = landmarker.detect(image)
    assert len(faces) == 1
    face = faces[0]
    assert face.points.shape == (478, 3) and face.points.dtype == np.float32
    assert face.image_size == (image.shape[1], image.shape[0])
    x, y, w, h = face.bbox
    assert 0 <= x < image.shape[1] and 0 <= y < image.shape[0] and w > 200 and h > 200
    assert abs(face.yaw) < 8 and abs(face.pitch) < 10 and abs(face.roll) < 4
    assert mean_eye_aspect_ratio(face.points) > 0.2
    assert mouth_opening_ratio(face.points) < 0.05
    assert min(eye_openings(face.points)) > 0.02


def test_in_plane_rotation_moves_roll_by_the_rotation(faces_dir, landmarker):
    image = _read(faces_dir, "ppp_frontal_white_bg.jpg")
    base = landmarker.detect(image)[0]
    counter_clockwise = landmarker.detect(_rotate(image, 20))[0]
    clockwise = landmarker.detect(_rotate(image, -20))[0]
    # Counter-clockwise lifts the image-right (person's left) eye: roll decreases.
    assert counter_clockwise.roll == pytest.approx(base.roll - 20, abs=3)
    assert clockwise.roll == pytest.approx(base.roll + 20, abs=3)
    assert abs(counter_clockwise.yaw - base.yaw) < 6


def test_mirroring_negates_yaw_and_roll(faces_dir, landmarker):
    image = _read(faces_dir, "fr_obama_mouth_open.jpg")  # head clearly turned
    face = landmarker.detect(image)[0]
    mirrored = landmarker.detect(cv2.flip(image, 1))[0]
    assert abs(face.yaw) > 8
    assert mirrored.yaw == pytest.approx(-face.yaw, abs=4)
    assert mirrored.roll == pytest.approx(-face.roll, abs=3)
    assert mirrored.pitch == pytest.approx(face.pitch, abs=4)


def test_mouth_open_measures_higher_than_closed(faces_dir, landmarker):
    open_face = landmarker.detect(_read(faces_dir, "fr_obama_mouth_open.jpg"))[0]
    closed_face = landmarker.detect(_read(faces_dir, "ppp_frontal_white_bg.jpg"))[0]
    assert mouth_opening_ratio(open_face.points) > 0.1 > mouth_opening_ratio(closed_face.points)
    right, left = eye_aspect_ratios(open_face.points)
    assert right > 0.15 and left > 0.15


def test_no_face_and_two_faces(faces_dir, landmarker):
    assert landmarker.detect(_read(faces_dir, "dlib_no_human_face.jpg")) == []
    faces = landmarker.detect(_read(faces_dir, "fr_two_faces.jpg"))
    assert len(faces) == 2
    assert faces[0].bbox[2] * faces[0].bbox[3] >= faces[1].bbox[2] * faces[1].bbox[3]


def test_downscaled_analysis_reports_full_size_pixels(faces_dir, landmarker):
    image = _read(faces_dir, "ppp_frontal_white_bg.jpg")
    full = landmarker.detect(image)[0]
    small = landmarker.detect(image, max_side=640)[0]
    assert small.image_size == full.image_size
    assert np.abs(small.points[:, :2] - full.points[:, :2]).mean() < 0.02 * image.shape[1]


def test_gray_and_empty_inputs(faces_dir, landmarker):
    gray = cv2.cvtColor(_read(faces_dir, "ppp_frontal_white_bg.jpg"), cv2.COLOR_BGR2GRAY)
    assert len(landmarker.detect(gray)) == 1
    assert landmarker.detect(np.zeros((0, 0, 3), np.uint8)) == []


def test_landmarker_is_thread_confined(landmarker):
    errors: list[BaseException] = []

    def use() -> None:
        try:
            landmarker.detect(np.zeros((10, 10, 3), np.uint8))
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=use)
    thread.start()
    thread.join()
    assert errors and "thread" in str(errors[0])


def test_tracking_mode_follows_a_face(faces_dir):
    image = _read(faces_dir, "ppp_frontal_white_bg.jpg")
    frame = cv2.resize(image, (960, 720))
    with FaceLandmarker(static_images=False, max_faces=1) as tracker:
        results = [tracker.detect(frame) for _ in range(3)]
    assert all(len(r) == 1 for r in results)

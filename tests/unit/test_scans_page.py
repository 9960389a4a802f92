"""Page detection and flattening on a synthetic photographed document built from real text."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.scans.page import capture_page, decode_image, encode_jpeg, sharpness


def document_photo(blur: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A white A4-like page with printed lines, photographed at an angle on a dark desk."""
    page = np.full((1100, 780, 3), 250, np.uint8)
    for row in range(80, 1020, 36):
        cv2.putText(page, "BUSINESS LICENCE 91350100M000100Y43", (50, row),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.8, (20, 20, 20), 2)
    desk = np.full((1080, 1440, 3), (40, 60, 80), np.uint8)
    corners = np.array([[420, 90], [1080, 150], [1010, 1010], [360, 960]], np.float32)
    src = np.array([[0, 0], [779, 0], [779, 1099], [0, 1099]], np.float32)
    warped = cv2.warpPerspective(page, cv2.getPerspectiveTransform(src, corners), (1440, 1080))
    mask = cv2.warpPerspective(np.full(page.shape[:2], 255, np.uint8),
                               cv2.getPerspectiveTransform(src, corners), (1440, 1080))
    desk[mask > 0] = warped[mask > 0]
    if blur:
        desk = cv2.GaussianBlur(desk, (blur, blur), 0)
    return desk, corners


def test_page_is_found_and_flattened() -> None:
    frame, corners = document_photo()
    result = capture_page(frame)
    assert result.corners is not None
    assert np.abs(result.corners - corners).max() < 12
    h, w = result.image.shape[:2]
    assert 1.25 < h / w < 1.6  # portrait page, like the original 1100x780
    assert result.sharp_enough and result.quality()["page_detected"]


def test_blurred_page_is_reported() -> None:
    frame, _ = document_photo(blur=31)
    result = capture_page(frame)
    assert not result.sharp_enough
    assert any("模糊" in m["zh"] for m in result.messages)
    assert sharpness(result.image) < sharpness(capture_page(document_photo()[0]).image)


def test_no_page_keeps_the_whole_frame() -> None:
    frame = np.full((480, 640, 3), 128, np.uint8)
    result = capture_page(frame)
    assert result.corners is None and result.image.shape == frame.shape


def test_imported_files_round_trip_and_garbage_is_refused() -> None:
    frame, _ = document_photo()
    assert decode_image(encode_jpeg(frame)).shape == frame.shape
    with pytest.raises(ValueError, match="not an image"):
        decode_image(b"%PDF-1.7 not an image")
    with pytest.raises(ValueError):
        decode_image(b"")


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_decode_or_give_a_clear_error(data: bytes) -> None:
    try:
        image = decode_image(data)
    except ValueError:
        return
    capture_page(image)


def test_a_photographed_id_card_looks_like_a_card() -> None:
    from station.scans.page import card_shape
    from tests.helpers.cards import card_on_desk

    shape = card_shape(capture_page(card_on_desk()))
    assert shape.page_detected and shape.looks_like_card, shape
    assert abs(shape.aspect - 85.6 / 54) < 0.1 and shape.messages == []


def test_a_page_or_a_picture_without_edges_does_not_look_like_a_card() -> None:
    from station.scans.page import card_shape

    page, _corners = document_photo()  # an A4 page: edges found, wrong proportions
    shape = card_shape(capture_page(page))
    assert shape.page_detected and not shape.looks_like_card
    assert any("proportions" in m["en"] for m in shape.messages)
    flat = np.full((600, 800, 3), 128, np.uint8)  # no edges at all
    shape = card_shape(capture_page(flat))
    assert not shape.page_detected and not shape.looks_like_card
    assert shape.to_json()["expected_aspect"] == round(85.6 / 54, 3)

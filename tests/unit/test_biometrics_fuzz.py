"""Arbitrary bytes and arrays give ImageUnreadable or a usable image, never another error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from station.biometrics import ImageUnreadable, read_image, to_rgb8

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG_HEAD = b"\x89PNG\r\n\x1a\n"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([b"", JPEG_HEAD, PNG_HEAD, b"BM"]), st.binary(max_size=2048))
def test_random_files(tmp_path_factory, head: bytes, body: bytes) -> None:
    path: Path = tmp_path_factory.mktemp("fuzz") / "image.bin"
    path.write_bytes(head + body)
    try:
        image = read_image(path)
    except ImageUnreadable as error:
        assert error.message["en"] and error.message["zh"]
        return
    assert isinstance(image, np.ndarray) and image.size > 0


@settings(max_examples=80, deadline=None)
@given(
    hnp.arrays(
        dtype=st.sampled_from([np.uint8, np.uint16, np.float32, np.float64, np.int32, np.bool_]),
        shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=6),
    ),
    st.sampled_from(["bgr", "rgb"]),
)
def test_random_arrays(array: np.ndarray, order: str) -> None:
    try:
        rgb = to_rgb8(array, order)
    except ImageUnreadable:
        return
    assert rgb.dtype == np.uint8 and rgb.ndim == 3 and rgb.shape[2] == 3
    assert rgb.shape[:2] == array.shape[:2]

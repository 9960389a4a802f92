"""Bring any image the station meets (camera frame, chip photo, file) to 8-bit RGB for dlib."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from station.i18n import both


class ImageUnreadable(ValueError):
    """A file or array that is not a usable image; carries the message in both languages."""

    def __init__(self, message: dict[str, str], detail: str = "") -> None:
        super().__init__(message["en"] + (f": {detail}" if detail else ""))
        self.message = message
        self.detail = detail


def read_image(path: str | Path) -> np.ndarray:
    """Read an image file as OpenCV does (BGR, BGRA or grayscale, any bit depth).

    ``cv2.imdecode`` on the bytes (not ``cv2.imread``) so non-ASCII paths work everywhere.
    """
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as error:
        raise ImageUnreadable(
            both("Biometrics", "The image file cannot be read."), f"{path}: {error}"
        ) from error
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if image is None:
        raise ImageUnreadable(
            both("Biometrics", "The file is not an image in a known format."), str(path)
        )
    return image


def to_rgb8(image: np.ndarray, channel_order: str = "bgr") -> np.ndarray:
    """Contiguous HxWx3 uint8 RGB from gray, BGR/RGB, BGRA/RGBA, 16-bit or float [0, 1]."""
    if not isinstance(image, np.ndarray) or image.ndim not in (2, 3) or image.size == 0:
        raise ImageUnreadable(both("Biometrics", "The image is empty or has an unknown layout."))
    if image.ndim == 3 and image.shape[2] not in (1, 3, 4):
        raise ImageUnreadable(both("Biometrics", "The image is empty or has an unknown layout."))
    image = _to_uint8(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        return np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_GRAY2RGB))
    if image.shape[2] == 4:
        image = _flatten_alpha(image)
    if channel_order == "bgr":
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    return np.ascontiguousarray(image)


def _to_uint8(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.uint8:
        return image
    if image.dtype == np.uint16:
        return (image >> 8).astype(np.uint8)
    if np.issubdtype(image.dtype, np.floating):
        finite = np.nan_to_num(image, nan=0.0, posinf=1.0, neginf=0.0)
        return (np.clip(finite, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    raise ImageUnreadable(both("Biometrics", "The image is empty or has an unknown layout."))


def _flatten_alpha(image: np.ndarray) -> np.ndarray:
    """Composite on white: transparent chip photos have a white card background."""
    colour = image[:, :, :3].astype(np.float32)
    alpha = image[:, :, 3:4].astype(np.float32) / 255.0
    return (colour * alpha + 255.0 * (1.0 - alpha) + 0.5).astype(np.uint8)

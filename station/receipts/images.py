"""Decoding the photo and signature for printing; bad bytes give ``None``, never an exception."""

from __future__ import annotations

import io
import logging

from PIL import Image, ImageOps

log = logging.getLogger(__name__)
MAX_PIXELS = 40_000_000  # a camera frame is far smaller; anything bigger is not a photo we made


def decode_image(data: bytes | None, what: str) -> Image.Image | None:
    """An RGB image, transparent parts laid on white (signatures are transparent PNGs).

    ``None`` when the bytes are absent, corrupt, truncated or absurdly large; the receipt then
    prints a placeholder. ``what`` names the image in the log line (never its content).
    """
    if not data:
        return None
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            log.warning("%s image too large to print: %dx%d", what, image.width, image.height)
            return None
        image.load()
        image = ImageOps.exif_transpose(image)
    except Exception as exc:  # Pillow raises many types for bad input; all mean "cannot print"
        log.warning("%s image cannot be decoded: %s", what, type(exc).__name__)
        return None
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")

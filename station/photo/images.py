"""Load photos robustly: EXIF orientation, alpha, grayscale, 16-bit, damaged and huge files."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# refused before decoding, from the header: a 233 KB PNG of 8944x8944 took 1.4 GB to load at
# the former 80 MP; 40 MP is more than any camera a counter uses
MAX_PIXELS = 40_000_000

# IJG standard luminance quantisation table (ITU T.81 Annex K), zig-zag free order.
_STD_LUMINANCE = np.array(
    [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
     14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
     18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
     49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99],
    dtype=np.float64,
)  # fmt: skip


class ImageLoadError(ValueError):
    """The file is not a readable image; ``reason`` is a short English phrase."""


@dataclass(frozen=True)
class LoadedImage:
    bgr: np.ndarray  # 8-bit, 3 channels
    format: str | None  # "JPEG", "PNG", ...
    file_size: int | None  # bytes
    jpeg_quality: int | None  # estimated from the quantisation tables
    is_colour: bool  # False for grayscale files or colourless content
    had_alpha: bool
    exif_rotated: bool
    dpi: tuple[float, float] | None


def estimate_jpeg_quality(image: Image.Image) -> int | None:
    """IJG quality (1-100) that would produce the file's luminance table; None if not JPEG."""
    tables = getattr(image, "quantization", None)
    if not tables or 0 not in tables:
        return None
    table = np.array(tables[0], dtype=np.float64)
    if table.size != 64:
        return None
    # Compare by sums: independent of the order Pillow lists the coefficients in.
    scale = float(table.sum() * 100.0 / _STD_LUMINANCE.sum())
    quality = (200.0 - scale) / 2.0 if scale <= 100.0 else 5000.0 / scale
    return round(max(1.0, min(100.0, quality)))


def _is_colour(rgb: np.ndarray) -> bool:
    small = rgb[:: max(1, rgb.shape[0] // 200), :: max(1, rgb.shape[1] // 200)].astype(np.int16)
    spread = np.abs(small[..., 0] - small[..., 1]) + np.abs(small[..., 1] - small[..., 2])
    return float(spread.mean()) > 3.0


def load_image(source: str | Path | bytes) -> LoadedImage:
    """Decode a photo to BGR; raises ImageLoadError with a clear reason."""
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        raise ImageLoadError(f"cannot read the file: {exc.strerror or exc}") from exc
    if not data:
        raise ImageLoadError("the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
        with opened:
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise ImageLoadError(f"the image is too large ({width}x{height} pixels)")
            image_format = opened.format
            quality = estimate_jpeg_quality(opened) if image_format == "JPEG" else None
            dpi = opened.info.get("dpi")
            orientation = opened.getexif().get(0x0112, 1)
            opened.load()
            upright = ImageOps.exif_transpose(opened)
            had_alpha = upright.mode in ("RGBA", "LA", "PA") or (
                upright.mode == "P" and "transparency" in upright.info
            )
            rgb = _to_rgb(upright)
    except ImageLoadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageLoadError("the image is too large") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageLoadError(f"not a readable image ({type(exc).__name__})") from exc
    except Exception as exc:  # any other decoder failure is still just a bad file
        raise ImageLoadError(f"not a readable image ({type(exc).__name__})") from exc
    if rgb.shape[0] < 8 or rgb.shape[1] < 8:
        raise ImageLoadError(f"the image is too small ({rgb.shape[1]}x{rgb.shape[0]} pixels)")
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    return LoadedImage(
        bgr=bgr,
        format=image_format,
        file_size=len(data),
        jpeg_quality=quality,
        is_colour=_is_colour(rgb),
        had_alpha=had_alpha,
        exif_rotated=orientation not in (None, 1),
        dpi=(float(dpi[0]), float(dpi[1])) if dpi else None,
    )


def _to_rgb(image: Image.Image) -> np.ndarray:
    """8-bit RGB; transparent areas become white (the usual photo background)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        peak = array.max() or 1.0
        gray = np.clip(array * (255.0 / peak), 0, 255).astype(np.uint8)
        return np.repeat(gray[..., None], 3, axis=2)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(image.convert("RGB"))

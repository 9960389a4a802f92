"""Render a signature to PNG (Pillow, no Qt): ink width follows pen pressure."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from station.signature.model import PenPoint, SignatureData

SUPERSAMPLE = 3  # draw large, then downscale: smooth edges without an antialiasing API


def _width(point: PenPoint, max_pressure: int, base: float) -> float:
    if max_pressure <= 0:
        return base
    return base * (0.35 + 0.9 * min(1.0, point.pressure / max_pressure))


def render_png(
    signature: SignatureData,
    max_width: int = 600,
    max_height: int = 240,
    margin: int = 12,
    stroke_width: float = 3.0,
) -> bytes:
    """A greyscale PNG of the ink fitted into max_width x max_height, aspect kept.

    Deterministic: the same signature always gives the same bytes (the record hashes them).
    """
    box = signature.bounds()
    if box is None:
        raise ValueError("cannot render an empty signature")
    min_x, min_y, max_x, max_y = box
    ink_w, ink_h = max(1, max_x - min_x), max(1, max_y - min_y)
    # One scale for both axes (device units are square on ISDV4 pads and canvases).
    scale = min((max_width - 2 * margin) / ink_w, (max_height - 2 * margin) / ink_h)
    width = max(2 * margin + 1, round(ink_w * scale) + 2 * margin)
    height = max(2 * margin + 1, round(ink_h * scale) + 2 * margin)
    k = SUPERSAMPLE
    image = Image.new("L", (width * k, height * k), 255)
    draw = ImageDraw.Draw(image)
    max_p = signature.device.max_pressure

    def to_px(p: PenPoint) -> tuple[float, float]:
        return ((p.x - min_x) * scale + margin) * k, ((p.y - min_y) * scale + margin) * k

    for stroke in signature.strokes:
        previous: PenPoint | None = None
        for point in stroke:
            x, y = to_px(point)
            w = _width(point, max_p, stroke_width) * k
            r = w / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)  # round joins and dots
            if previous is not None:
                draw.line((*to_px(previous), x, y), fill=0, width=max(1, round(w)))
            previous = point
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

"""Messages for each check (pass / fail) and instructions for the person, in zh and en.

The strings are literal so scripts/i18n.py can collect them into photo_zh_CN.ts.
"""

from __future__ import annotations

from station.i18n import both

Message = dict[str, str]


def _messages() -> dict[str, tuple[Message, Message]]:
    """check name -> (message when passed, message when failed)."""
    return {
        "readable": (
            both("PhotoCheck", "The image was read"),
            both("PhotoCheck", "The image cannot be read (damaged, empty or not an image)"),
        ),
        "face_count": (
            both("PhotoCheck", "Exactly one face found"),
            both("PhotoCheck", "There must be exactly one face in the photo"),
        ),
        "face_in_frame": (
            both("PhotoCheck", "The whole face is inside the image"),
            both("PhotoCheck", "The face is cut off at the edge of the image"),
        ),
        "resolution": (
            both("PhotoCheck", "Enough pixels on the head for this photo size"),
            both("PhotoCheck", "The head is too small in the image (resolution too low)"),
        ),
        "crop_margins": (
            both("PhotoCheck", "Enough space around the head to crop the photo"),
            both("PhotoCheck", "Not enough space around the head (crown, chin or sides cut off)"),
        ),
        "image_size": (
            both("PhotoCheck", "The image has the required pixel size"),
            both("PhotoCheck", "The image does not have the required pixel size"),
        ),
        "head_length": (
            both("PhotoCheck", "Head height (crown to chin) is within the standard"),
            both("PhotoCheck", "Head height (crown to chin) is outside the standard"),
        ),
        "head_width": (
            both("PhotoCheck", "Head width is within the standard"),
            both("PhotoCheck", "Head width is outside the standard"),
        ),
        "crown_margin": (
            both("PhotoCheck", "Space above the head is within the standard"),
            both("PhotoCheck", "Space above the head is outside the standard"),
        ),
        "face_centre": (
            both("PhotoCheck", "The face is centred"),
            both("PhotoCheck", "The face is not centred"),
        ),
        "eye_line": (
            both("PhotoCheck", "The eyes are at the required height"),
            both("PhotoCheck", "The eyes are too low in the photo"),
        ),
        "inter_eye_distance": (
            both("PhotoCheck", "Distance between the eyes is large enough"),
            both("PhotoCheck", "Distance between the eyes is too small (face too small)"),
        ),
        "yaw": (
            both("PhotoCheck", "The head is not turned sideways"),
            both("PhotoCheck", "The head is turned to the side"),
        ),
        "pitch": (
            both("PhotoCheck", "The head is level (not tilted up or down)"),
            both("PhotoCheck", "The head is tilted up or down"),
        ),
        "roll": (
            both("PhotoCheck", "The head is upright"),
            both("PhotoCheck", "The head is tilted towards a shoulder"),
        ),
        "eyes_open": (
            both("PhotoCheck", "Both eyes are open"),
            both("PhotoCheck", "The eyes are closed or half closed"),
        ),
        "mouth_closed": (
            both("PhotoCheck", "The mouth is closed"),
            both("PhotoCheck", "The mouth is open"),
        ),
        "expression": (
            both("PhotoCheck", "Neutral expression"),
            both("PhotoCheck", "The expression is not neutral (smiling)"),
        ),
        "background_lightness": (
            both("PhotoCheck", "The background is light enough"),
            both("PhotoCheck", "The background is too dark"),
        ),
        "background_colour": (
            both("PhotoCheck", "The background has no colour cast"),
            both("PhotoCheck", "The background has a colour cast"),
        ),
        "background_uniformity": (
            both("PhotoCheck", "The background is even"),
            both("PhotoCheck", "The background is uneven (shadows or gradients)"),
        ),
        "background_marks": (
            both("PhotoCheck", "The background is plain"),
            both("PhotoCheck", "The background has objects, patterns or marks"),
        ),
        "image_marks": (
            both("PhotoCheck", "No text or marks on the photo"),
            both("PhotoCheck", "The photo has text, a watermark or other marks"),
        ),
        "illumination": (
            both("PhotoCheck", "The face is evenly lit"),
            both("PhotoCheck", "One side of the face is darker (uneven lighting)"),
        ),
        "exposure": (
            both("PhotoCheck", "The face is well exposed"),
            both("PhotoCheck", "The face is too dark or too bright"),
        ),
        "clipping": (
            both("PhotoCheck", "No burnt-out or black areas on the face"),
            both("PhotoCheck", "Parts of the face are burnt out or black"),
        ),
        "dynamic_range": (
            both("PhotoCheck", "The face has enough contrast"),
            both("PhotoCheck", "The face has too little contrast"),
        ),
        "sharpness": (
            both("PhotoCheck", "The face is sharp"),
            both("PhotoCheck", "The face is blurred"),
        ),
        "colour": (
            both("PhotoCheck", "Natural colour photo"),
            both("PhotoCheck", "The photo is not in natural colour"),
        ),
        "glasses_glare": (
            both("PhotoCheck", "No glare on the eyes"),
            both("PhotoCheck", "Glare or reflections cover the eyes"),
        ),
        "dark_lenses": (
            both("PhotoCheck", "The eyes are clearly visible"),
            both("PhotoCheck", "The eyes are hidden (dark glasses or shadow)"),
        ),
        "head_covering": (
            both("PhotoCheck", "No head covering detected"),
            both("PhotoCheck", "Possible hat or head covering"),
        ),
        "jpeg_quality": (
            both("PhotoCheck", "JPEG quality is high enough"),
            both("PhotoCheck", "The file is not a JPEG of the required quality"),
        ),
        "file_size": (
            both("PhotoCheck", "File size is within the standard"),
            both("PhotoCheck", "File size is outside the standard"),
        ),
    }


_CACHE: dict[str, tuple[Message, Message]] = {}


def check_message(name: str, passed: bool) -> Message:
    if not _CACHE:
        _CACHE.update(_messages())
    pair = _CACHE.get(name)
    if pair is None:
        return {"zh": name, "en": name}
    return pair[0] if passed else pair[1]


CHECK_NAMES: tuple[str, ...] = tuple(_messages())

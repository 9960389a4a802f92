"""The Qt-free photo engine and face matcher, run on what the platform sends.

Both engines are confined to the thread that made them (MediaPipe and dlib models), so one
worker thread per API process owns them and requests wait for it; the models load on the
first submission, not at start-up.
"""

from __future__ import annotations

import io
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import cv2
import numpy as np

log = logging.getLogger(__name__)
ELICENCE_PROFILE = "cn-driving-licence"
MAX_DECODE_PIXELS = 40_000_000  # a phone photo; bigger is refused before decoding


def decode_bgr(data: bytes) -> np.ndarray | None:
    """Decode a JPEG/PNG with a pixel bound checked from the header first (no bombs)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    if width * height > MAX_DECODE_PIXELS:
        return None
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    return image if image is not None and image.size else None


class IntakeAnalyser:
    """Photo compliance and face match for platform submissions, on one owning thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="intake-analysis")
        self._photo: Any = None
        self._matcher: Any = None

    def close(self) -> None:
        """Close the models on their own thread, then stop it."""
        if self._photo is not None:
            self._pool.submit(self._photo.close).result(timeout=30)
            self._photo = None
        self._pool.shutdown(wait=True, cancel_futures=True)

    def photo_report(self, image: bytes) -> dict[str, Any]:
        """The e-licence photo's compliance report (cn-driving-licence, final mode)."""
        return self._pool.submit(self._photo_report, image).result(timeout=120)

    def face_match(self, reference: bytes, candidates: list[bytes]) -> dict[str, Any]:
        """The best match of the candidates (selfie or liveness frames) against the
        reference (the ID card's front): score, verdict, and why when there is none."""
        return self._pool.submit(self._face_match, reference, candidates).result(timeout=120)

    def _photo_report(self, image: bytes) -> dict[str, Any]:
        """A finished 260x378 photo is checked as it is (final mode); any other picture is
        checked as a source (capture mode) and, when it can make a compliant photo, exported
        and the export checked (final mode) — the export is what the reviewer approves."""
        from station.photo.analysis import PhotoAnalyser
        from station.photo.export import ExportError, export_photo
        from station.photo.images import ImageLoadError, load_image
        from station.photo.profiles import load_profile

        if self._photo is None:
            self._photo = PhotoAnalyser()
        profile = load_profile(ELICENCE_PROFILE)
        try:
            loaded = load_image(image)
        except ImageLoadError as exc:
            return {"profile": ELICENCE_PROFILE, "mode": "capture", "compliant": False,
                    "failed": ["unreadable"], "error": str(exc), "export": None}
        if (loaded.bgr.shape[1], loaded.bgr.shape[0]) == (profile.output.width_px, profile.output.height_px):
            report = self._photo.analyse(loaded, profile, mode="final")
            return {"profile": ELICENCE_PROFILE, "mode": "final", "compliant": report.compliant,
                    "failed": [c.name for c in report.failed], "report": report.to_dict(),
                    "export": None}
        try:
            result = export_photo(self._photo, loaded, profile)
        except ExportError as refused:
            return {"profile": ELICENCE_PROFILE, "mode": refused.report.mode,
                    "compliant": False, "failed": [c.name for c in refused.checks],
                    "report": refused.report.to_dict(), "export": None}
        return {"profile": ELICENCE_PROFILE, "mode": "final", "compliant": result.compliant,
                "failed": [c.name for c in result.report.failed],
                "report": result.report.to_dict(),
                "source_report": result.source_report.to_dict(), "export": result.jpeg}

    def _face_match(self, reference: bytes, candidates: list[bytes]) -> dict[str, Any]:
        from station.biometrics.matcher import FaceMatcher, FaceNotFound

        if self._matcher is None:
            self._matcher = FaceMatcher()
        card = decode_bgr(reference)
        if card is None:
            return {"score": None, "match": False, "reason": "reference_unreadable"}
        try:
            card_face = self._matcher.embed(card)
        except FaceNotFound:
            return {"score": None, "match": False, "reason": "no_face_on_id_front"}
        best: dict[str, Any] | None = None
        for index, candidate in enumerate(candidates):
            frame = decode_bgr(candidate)
            if frame is None:
                continue
            try:
                result = self._matcher.compare_embeddings(card_face, self._matcher.embed(frame))
            except FaceNotFound:
                continue
            if best is None or result.score > best["score"]:
                best = {**result.to_json(), "candidate": index}
        if best is None:
            return {"score": None, "match": False, "reason": "no_face_in_selfie"}
        return best

"""The photo-compliance engine: one report per image, in capture or final mode.

* capture mode: can this camera frame (or photo) become a compliant photo after the export's
  crop and scale? Enough pixels on the head, margins present, all non-geometric checks.
* final mode: is this image itself compliant (pixel size, head size and position, JPEG
  quality and file size included)?

``PhotoAnalyser`` owns MediaPipe graphs, so it is confined to the thread that made it (make one
per worker thread). Nothing here touches the network.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import cv2
import numpy as np

from station.face import FaceLandmarker, FaceLandmarks
from station.photo import scoring
from station.photo.geometry import CropPlan, HeadGeometry, head_geometry, plan_crop, refine_crown
from station.photo.images import ImageLoadError, LoadedImage, load_image
from station.photo.measures import (
    BackgroundMeasures,
    FaceMeasures,
    background_measures,
    face_measures,
    face_shape_measures,
    overlay_marks,
)
from station.photo.profiles import PhotoProfile, load_profile
from station.photo.render import crop_box, render
from station.photo.report import CheckResult, Overlay, PhotoReport, make_check
from station.photo.segmentation import BackgroundSegmenter, PersonSegmenter, StreamResult

Mode = Literal["capture", "final"]
# A stream's helper thread (person mask, face count, background, the face's light and
# texture) takes every n-th frame: at 30 fps its measures are about 100 ms old.
STREAM_HELPER_EVERY = 3


def _fmt_range(low: float, high: float) -> str:
    return f"[{low:g}, {high:g}]"


class PhotoAnalyser:
    """Scores images against photo profiles.

    ``video=True`` tracks the face between frames (faster for a camera stream) and analyses
    landmarks on a copy no larger than ``landmark_max_side``. A stream's live guidance is made
    cheap: the face mesh tracks one face (so MediaPipe does not run its face detector on every
    frame looking for more), while a helper thread segments the person, counts the faces,
    measures the background where the last crop lay and the face's light, texture and colour
    where the face was, on every STREAM_HELPER_EVERY-th frame; the eyes and the mouth are
    measured on every frame. A stream's frames must not be written to once handed over (the
    helper may still read one; camera reads are new arrays). A captured frame is exported
    through the still path, whose verdict is the one that counts.
    """

    def __init__(self, *, video: bool = False, landmark_max_side: int | None = None) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")
        self._owner = threading.get_ident()
        self._video = video
        self._landmarker = FaceLandmarker(static_images=not video, max_faces=1 if video else 3)
        # On a stream, segmentation runs in a helper thread, overlapping the landmark pass.
        self._segmenter: PersonSegmenter | BackgroundSegmenter = (
            BackgroundSegmenter(landscape=True, count_faces=True, every=STREAM_HELPER_EVERY)
            if video else PersonSegmenter()
        )
        # Stream: where the last frame's background and face were (profile, work-image box,
        # chin row, face), for the helper to measure the next frame there.
        self._stream_hint: _StreamHint | None = None
        self._landmark_max_side = landmark_max_side or (640 if video else 1280)
        self._tracking = False  # stream: the mesh followed a face on the last frame
        self.last_timings: dict[str, float] = {}  # stage -> ms of the last analyse() (benchmarks)

    def close(self) -> None:
        self._landmarker.close()
        self._segmenter.close()

    def __enter__(self) -> PhotoAnalyser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- entry points -------------------------------------------------------------------

    def analyse_file(
        self, path: str | Path | bytes, profile: PhotoProfile | str, *, mode: Mode = "final"
    ) -> PhotoReport:
        """Report for a file (or encoded bytes); unreadable files give a failed report."""
        profile = load_profile(profile) if isinstance(profile, str) else profile
        try:
            loaded = load_image(path)
        except ImageLoadError as exc:
            return _unreadable(profile, mode, str(exc))
        return self.analyse(loaded, profile, mode=mode)

    def analyse(
        self,
        image: np.ndarray | LoadedImage,
        profile: PhotoProfile | str,
        *,
        mode: Mode = "capture",
    ) -> PhotoReport:
        profile = load_profile(profile) if isinstance(profile, str) else profile
        loaded = image if isinstance(image, LoadedImage) else None
        bgr = loaded.bgr if loaded else image
        if not isinstance(bgr, np.ndarray) or bgr.ndim not in (2, 3) or min(bgr.shape[:2]) < 8:
            return _unreadable(profile, mode, "not an image")
        if bgr.ndim == 2:
            bgr = cv2.cvtColor(bgr, cv2.COLOR_GRAY2BGR)
        elif bgr.shape[2] == 4:
            bgr = cv2.cvtColor(bgr, cv2.COLOR_BGRA2BGR)
        return _Analysis(self, bgr, profile, mode, loaded).run()

    # -- model calls (thread-confined) ----------------------------------------------------

    def _faces(self, bgr: np.ndarray) -> list[FaceLandmarks]:
        faces = self._landmarker.detect(bgr)
        if not faces and self._video and self._tracking:
            # The tracked face is gone (a new person, a jump): MediaPipe runs its detector
            # again only on the next frame, so look at this one again at once.
            faces = self._landmarker.detect(bgr)
        self._tracking = bool(faces)
        return faces

    def _work_image(self, bgr: np.ndarray) -> tuple[np.ndarray, float]:
        """One downscaled copy (longest side <= landmark_max_side) shared by the models and the
        background measures; returns it and its scale relative to ``bgr``."""
        height, width = bgr.shape[:2]
        factor = min(1.0, self._landmark_max_side / max(height, width))
        if factor >= 1.0:
            return bgr, 1.0
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        return cv2.resize(bgr, size, interpolation=cv2.INTER_AREA), size[0] / width

    def _prefetch_mask(self, work: np.ndarray, bgr: np.ndarray) -> None:
        if isinstance(self._segmenter, BackgroundSegmenter):
            hint = self._stream_hint
            self._segmenter.submit(work, None if hint is None else _stream_job(hint, bgr))

    def _stream_result(self, bgr: np.ndarray) -> StreamResult | None:
        if threading.get_ident() != self._owner:
            raise RuntimeError("PhotoAnalyser is confined to the thread that created it")
        assert isinstance(self._segmenter, BackgroundSegmenter)
        return self._segmenter.result(bgr)

    def _person_mask(self, bgr: np.ndarray) -> np.ndarray | None:
        if threading.get_ident() != self._owner:
            raise RuntimeError("PhotoAnalyser is confined to the thread that created it")
        return self._segmenter.mask(bgr)


def _unreadable(profile: PhotoProfile, mode: Mode, reason: str) -> PhotoReport:
    check = make_check("readable", reason, 0, "readable image", False)
    return PhotoReport(profile=profile.name, mode=mode, image_size=None, checks=[check])


class _Analysis:
    """One image through every check (kept as an object so the steps stay small)."""

    def __init__(
        self,
        analyser: PhotoAnalyser,
        bgr: np.ndarray,
        profile: PhotoProfile,
        mode: Mode,
        loaded: LoadedImage | None,
    ) -> None:
        self.analyser = analyser
        self.bgr = bgr
        self.profile = profile
        self.mode = mode
        self.loaded = loaded
        self.height, self.width = bgr.shape[:2]
        self.checks: list[CheckResult] = []
        self.crop_overflow: dict[str, float] = {}
        self.work, self.work_factor = analyser._work_image(bgr)

    def add(self, name: str, value: float | str | None, score: float, threshold: str,
            passed: bool) -> None:  # fmt: skip
        self.checks.append(make_check(name, value, score, threshold, passed))

    def report(self, overlay: Overlay | None = None, plan: CropPlan | None = None) -> PhotoReport:
        return PhotoReport(
            profile=self.profile.name,
            mode=self.mode,
            image_size=(self.width, self.height),
            checks=self.checks,
            overlay=overlay or Overlay(),
            crop=plan.box if plan else None,
            scale=plan.scale if plan else None,
            crop_overflow=self.crop_overflow,
        )

    def run(self) -> PhotoReport:
        timings = self.analyser.last_timings
        timings.clear()
        started = time.perf_counter()
        factor = self.work_factor
        self.analyser._prefetch_mask(self.work, self.bgr)  # overlaps the landmark pass
        faces = [f.scaled(1.0 / factor) if factor != 1.0 else f
                 for f in self.analyser._faces(self.work)]  # fmt: skip
        landmarks_done = time.perf_counter()
        timings["landmarks_ms"] = (landmarks_done - started) * 1000
        counted = len(faces)
        self.stream: StreamResult | None = None
        if self.analyser._video:
            self.stream = self.analyser._stream_result(self.work)
            if faces and self.stream is not None and self.stream.faces is not None:
                counted = max(counted, self.stream.faces)  # the mesh tracks only one
        self.add("face_count", float(counted), 100.0 if counted == 1 else 0.0, "== 1",
                 counted == 1)  # fmt: skip
        if not faces:
            if self.mode == "final":
                self._file_checks()
            return self.report()
        face = faces[0]
        if self.analyser._video:
            mask = self.stream.mask if self.stream is not None else None
        else:
            mask = self.analyser._person_mask(self.work)
        mask_done = time.perf_counter()
        timings["segmentation_ms"] = (mask_done - landmarks_done) * 1000
        head = refine_crown(self.bgr, head_geometry(face, mask))
        plan = plan_crop(head, self.profile, (self.width, self.height))
        self._face_in_frame(face)
        measured_bgr, measured_face = self.bgr, face
        if self.mode == "capture":
            self._capture_geometry(head, plan)
            background_box = _box_of(plan, self.width, self.height)
            if plan.fits and not self.analyser._video:
                # Measure the face on the photo the export would make, as final mode will (a
                # camera stream measures the frame; its captured frame is exported through
                # this path, so the export's verdict is the one that counts).
                measured_bgr, measured_face = _preview(self.bgr, face, plan, self.profile)
                # The pose too comes from landmarks found on that photo: the mesh's pitch
                # shifts by a degree or two with the face's size in the image.
                found = self.analyser._faces(measured_bgr)
                if len(found) == 1:
                    measured_face = found[0]
        else:
            self._final_geometry(head)
            background_box = (0, 0, self.width, self.height)
        self._pose(measured_face)
        self._face_checks(measured_face, measured_bgr, self._streamed().face)
        self._background(mask, background_box, head)
        if self.analyser._video:  # where the helper measures the next frame
            self.analyser._stream_hint = _StreamHint(
                self.profile.name, _scaled_box(background_box, factor), head.chin_y * factor,
                face)  # fmt: skip
        self._head_covering(head)
        if self.mode == "final":
            self._file_checks()
        timings["measures_ms"] = (time.perf_counter() - mask_done) * 1000
        return self.report(_overlay(face, head, plan, self.profile, (self.width, self.height)), plan)

    # -- geometry -----------------------------------------------------------------------

    def _face_in_frame(self, face: FaceLandmarks) -> None:
        xy = face.points[:, :2]
        inside = (xy[:, 0] >= 0) & (xy[:, 0] < self.width) & (xy[:, 1] >= 0) & (xy[:, 1] < self.height)
        fraction = float(inside.mean())
        self.add("face_in_frame", fraction, 100.0 * fraction, "== 1.0", fraction >= 0.999)

    def _capture_geometry(self, head: HeadGeometry, plan: CropPlan) -> None:
        geometry = self.profile.geometry
        # Source pixels per output pixel: below 1 the export would have to enlarge the head.
        source_per_output = 1.0 / plan.scale
        enough = source_per_output >= 1.0 - 1e-9
        self.add("resolution", source_per_output, scoring.at_least(source_per_output, 1.0, 0.08),
                 ">= 1.0 source px per output px", enough)  # fmt: skip
        overflow = plan.overflow(self.width, self.height)
        excess = max(overflow.values())
        if plan.fits:
            excess = 0.0
        # A plan that only fits at the standard's very limits would be refused after export
        # by re-measuring; a finished photo re-checked is its own crop and always fits.
        identity = (abs(plan.scale - 1.0) < 1e-6 and plan.width <= self.width + 0.5
                    and plan.height <= self.height + 0.5)  # fmt: skip
        # Hair at the frame's top edge hides where the crown is; a finished photo (its own
        # crop) is judged by final mode's margins instead (ICAO's may cut the hair).
        passed = plan.fits and (identity or not (plan.at_limit or head.crown_at_top_edge))
        self.add("crop_margins", excess, scoring.at_most(excess, 0.0, 0.01),
                 "crop inside the frame (no pixel is ever filled in)", passed)  # fmt: skip
        self.crop_overflow = overflow if not plan.fits else {}
        if geometry.head_width_px is not None:
            predicted = head.head_width * plan.scale
            low, high = geometry.head_width_px
            self.add("head_width", predicted, scoring.within(predicted, low, high, 3.0),
                     _fmt_range(low, high), low <= predicted - 1e-6 and predicted <= high + 1e-6)  # fmt: skip
        if geometry.eye_line_min_above_bottom_px is not None:
            above_bottom = (plan.top + plan.height - head.eye_y) * plan.scale
            limit = geometry.eye_line_min_above_bottom_px
            self.add("eye_line", above_bottom, scoring.at_least(above_bottom, limit, 4.0),
                     f">= {limit:g} px above the bottom", above_bottom >= limit)  # fmt: skip
        if geometry.min_inter_eye_px is not None:
            predicted = head.inter_eye * plan.scale
            limit = geometry.min_inter_eye_px
            self.add("inter_eye_distance", predicted, scoring.at_least(predicted, limit, 4.0),
                     f">= {limit:g} px", predicted >= limit)  # fmt: skip

    def _final_geometry(self, head: HeadGeometry) -> None:
        geometry = self.profile.geometry
        output = self.profile.output
        size_ok = (self.width, self.height) == (output.width_px, output.height_px)
        self.add("image_size", f"{self.width}x{self.height}", 100.0 if size_ok else 0.0,
                 f"{output.width_px}x{output.height_px}", size_ok)  # fmt: skip
        kind = geometry.head_top
        hair_cut = head.crown_at_top_edge and kind == "hair"
        if geometry.head_length_px is not None:
            low, high = geometry.head_length_px
            value = head.length(kind)
            passed = low <= value <= high and not hair_cut
            self.add("head_length", value, scoring.within(value, low, high, 4.0),
                     _fmt_range(low, high), passed)  # fmt: skip
        if geometry.head_width_px is not None:
            low, high = geometry.head_width_px
            value = head.head_width
            self.add("head_width", value, scoring.within(value, low, high, 3.0),
                     _fmt_range(low, high), low <= value <= high)  # fmt: skip
        low, high = geometry.crown_margin_px
        value = head.top(kind)
        passed = low <= value <= high and not hair_cut
        self.add("crown_margin", value, scoring.within(value, low, high, 2.0),
                 _fmt_range(low, high), passed)  # fmt: skip
        low, high = geometry.face_centre_x
        value = head.centre_x / self.width
        self.add("face_centre", value, scoring.within(value, low, high, 0.01),
                 _fmt_range(low, high), low <= value <= high)  # fmt: skip
        if geometry.eye_line_min_above_bottom_px is not None:
            value = self.height - head.eye_y
            limit = geometry.eye_line_min_above_bottom_px
            self.add("eye_line", value, scoring.at_least(value, limit, 4.0),
                     f">= {limit:g} px above the bottom", value >= limit)  # fmt: skip
        if geometry.min_inter_eye_px is not None:
            value = head.inter_eye
            limit = geometry.min_inter_eye_px
            self.add("inter_eye_distance", value, scoring.at_least(value, limit, 4.0),
                     f">= {limit:g} px", value >= limit)  # fmt: skip

    # -- face ---------------------------------------------------------------------------

    def _pose(self, face: FaceLandmarks) -> None:
        pose = self.profile.pose
        for name, angle, limit in (
            ("yaw", face.yaw, pose.max_yaw_deg),
            ("pitch", face.level_pitch, pose.max_pitch_deg),
            ("roll", face.roll, pose.max_roll_deg),
        ):
            self.add(name, angle, scoring.pose_score(angle), f"|angle| <= {limit:g} deg",
                     abs(angle) <= limit)  # fmt: skip

    def _streamed(self) -> _StreamMeasures:
        """What the stream's helper measured a few frames ago for this profile (empty on
        stills, on the first frames, or when the profile changed)."""
        done = self.stream.job_result if self.stream is not None else None
        if isinstance(done, _StreamMeasures) and done.profile == self.profile.name:
            return done
        return _StreamMeasures(self.profile.name)

    def _face_checks(self, face: FaceLandmarks, bgr: np.ndarray,
                     streamed: FaceMeasures | None = None) -> None:  # fmt: skip
        spec = self.profile.face
        m: FaceMeasures | None = None
        if streamed is not None:
            # Light, texture and colour from the helper (measured where the face was a few
            # frames ago); the eyes and the mouth from this frame.
            m = replace(streamed, **face_shape_measures(bgr, face))
        else:
            try:
                m = face_measures(bgr, face)
            except ValueError:
                m = None
        if m is None:
            self.add("sharpness", None, 0.0, "face large enough to measure", False)
            return
        add = self.add
        add("eyes_open", m.eye_opening, scoring.at_least(m.eye_opening, spec.min_eye_opening, 0.004),
            f">= {spec.min_eye_opening:g}", m.eye_opening >= spec.min_eye_opening)  # fmt: skip
        add("mouth_closed", m.mouth_opening,
            scoring.at_most(m.mouth_opening, spec.max_mouth_opening, 0.02),
            f"<= {spec.max_mouth_opening:g}", m.mouth_opening <= spec.max_mouth_opening)  # fmt: skip
        add("expression", m.smile_index, scoring.at_most(m.smile_index, spec.max_smile_index, 0.15),
            f"<= {spec.max_smile_index:g}", m.smile_index <= spec.max_smile_index)  # fmt: skip
        add("illumination", m.illumination_imbalance,
            scoring.at_most(m.illumination_imbalance, spec.max_illumination_imbalance, 0.04),
            f"<= {spec.max_illumination_imbalance:g}",
            m.illumination_imbalance <= spec.max_illumination_imbalance)  # fmt: skip
        low, high = spec.face_lightness
        add("exposure", m.lightness, scoring.within(m.lightness, low, high, 4.0),
            _fmt_range(low, high), low <= m.lightness <= high)  # fmt: skip
        add("clipping", m.clipped, scoring.at_most(m.clipped, spec.max_clipped_fraction, 0.01),
            f"<= {spec.max_clipped_fraction:g}", m.clipped <= spec.max_clipped_fraction)  # fmt: skip
        add("dynamic_range", m.dynamic_range,
            scoring.at_least(m.dynamic_range, spec.min_dynamic_range, 12.0),
            f">= {spec.min_dynamic_range:g}", m.dynamic_range >= spec.min_dynamic_range)  # fmt: skip
        add("sharpness", m.sharpness, scoring.at_least(m.sharpness, spec.min_sharpness, 15.0),
            f">= {spec.min_sharpness:g}", m.sharpness >= spec.min_sharpness)  # fmt: skip
        self._colour(m)
        add("glasses_glare", m.glare, scoring.at_most(m.glare, spec.max_glare_fraction, 0.005),
            f"<= {spec.max_glare_fraction:g}", m.glare <= spec.max_glare_fraction)  # fmt: skip
        ratio, limit = m.eye_brightness_ratio, spec.min_eye_region_brightness
        add("dark_lenses", ratio, scoring.at_least(ratio, limit, 0.06), f">= {limit:g}",
            ratio >= limit)  # fmt: skip

    def _colour(self, m: FaceMeasures) -> None:
        if not self.profile.output.colour:
            return
        is_colour = self.loaded.is_colour if self.loaded else _looks_colour(self.bgr)
        natural_hue = -15.0 <= m.hue_deg <= 100.0
        passed = is_colour and m.chroma >= 3.0 and natural_hue
        score = scoring.at_least(m.chroma, 3.0, 1.0) if is_colour and natural_hue else 0.0
        self.add("colour", m.chroma, score, "colour image, skin chroma >= 3, hue in [-15, 100]",
                 passed)  # fmt: skip

    def _head_covering(self, head: HeadGeometry) -> None:
        limit = self.profile.face.max_crown_ratio
        value = head.crown_ratio
        self.add("head_covering", value, scoring.at_most(value, limit, 0.08), f"<= {limit:g}",
                 value <= limit)  # fmt: skip

    # -- background ---------------------------------------------------------------------

    def _background(self, mask: np.ndarray | None, box: tuple[int, int, int, int],
                    head: HeadGeometry) -> None:  # fmt: skip
        factor = self.work_factor
        work_box = _scaled_box(box, factor)
        streamed = self._streamed()  # the helper measured where the crop lay a few frames ago
        if streamed.marks is None:
            measures = background_measures(self.work, mask, work_box)
            marks = overlay_marks(self.work, work_box, head.chin_y * factor, mask)
        else:
            measures, marks = streamed.background, streamed.marks
        self._background_checks(measures)
        limit = self.profile.background.max_marks
        self.add("image_marks", marks, scoring.at_most(marks, limit, 0.005), f"<= {limit:g}",
                 marks <= limit)  # fmt: skip

    def _background_checks(self, measures: BackgroundMeasures | None) -> None:
        spec = self.profile.background
        if measures is None:
            self.add("background_lightness", None, 0.0, "background visible", False)
            return
        min_lightness, max_chroma = spec.min_lightness, spec.max_chroma
        tint = spec.tint_hue_deg
        if tint is not None and tint[0] <= measures.hue_deg <= tint[1] and measures.chroma > max_chroma:
            min_lightness, max_chroma = spec.tint_min_lightness, spec.tint_max_chroma
        self.add("background_lightness", measures.lightness,
                 scoring.at_least(measures.lightness, min_lightness, 3.0),
                 f">= {min_lightness:g} L*", measures.lightness >= min_lightness)  # fmt: skip
        self.add("background_colour", measures.chroma,
                 scoring.at_most(measures.chroma, max_chroma, 2.0),
                 f"<= {max_chroma:g} chroma", measures.chroma <= max_chroma)  # fmt: skip
        self.add("background_uniformity", measures.unevenness,
                 scoring.at_most(measures.unevenness, spec.max_unevenness, 2.0),
                 f"<= {spec.max_unevenness:g} L*",
                 measures.unevenness <= spec.max_unevenness)  # fmt: skip
        self.add("background_marks", measures.clutter,
                 scoring.at_most(measures.clutter, spec.max_clutter, 0.01),
                 f"<= {spec.max_clutter:g} edge fraction",
                 measures.clutter <= spec.max_clutter)  # fmt: skip

    # -- file ---------------------------------------------------------------------------

    def _file_checks(self) -> None:
        output = self.profile.output
        loaded = self.loaded
        quality = loaded.jpeg_quality if loaded else None
        is_jpeg = loaded is not None and loaded.format == "JPEG"
        passed = is_jpeg and quality is not None and quality >= output.jpeg_quality_min
        self.add("jpeg_quality", quality if is_jpeg else "not JPEG",
                 scoring.at_least(float(quality or 0), output.jpeg_quality_min, 3.0),
                 f"JPEG, quality >= {output.jpeg_quality_min}", passed)  # fmt: skip
        if output.file_size_kb is not None:
            low, high = output.file_size_kb
            size_kb = (loaded.file_size or 0) / 1024 if loaded else 0.0
            self.add("file_size", size_kb, scoring.within(size_kb, low, high, 0.5),
                     f"{_fmt_range(low, high)} KB", low <= size_kb <= high)  # fmt: skip


@dataclass(frozen=True)
class _StreamHint:
    """Where the last frame's crop and face were (work-image box and chin; the face in
    pixels of the full frame)."""

    profile: str
    box: tuple[int, int, int, int]
    chin_y: float
    face: FaceLandmarks


@dataclass(frozen=True)
class _StreamMeasures:
    """The helper's measures of one frame (None: not measured)."""

    profile: str
    background: BackgroundMeasures | None = None
    marks: float | None = None
    face: FaceMeasures | None = None


def _stream_job(hint: _StreamHint, bgr: np.ndarray
                ) -> Callable[[np.ndarray, np.ndarray | None], _StreamMeasures]:  # fmt: skip
    """What needs no landmarks of the frame itself, so a stream's helper thread can do it:
    background measures and overlay marks where the crop lay, and the face's light, texture
    and colour where the face was (``bgr``: the full frame; ``work``: its analysed copy)."""

    def job(work: np.ndarray, mask: np.ndarray | None) -> _StreamMeasures:
        try:
            face: FaceMeasures | None = face_measures(bgr, hint.face)
        except ValueError:
            face = None
        return _StreamMeasures(hint.profile, background_measures(work, mask, hint.box),
                               overlay_marks(work, hint.box, hint.chin_y, mask), face)  # fmt: skip

    return job


def _looks_colour(bgr: np.ndarray) -> bool:
    small = bgr[:: max(1, bgr.shape[0] // 120), :: max(1, bgr.shape[1] // 120)].astype(np.int16)
    spread = np.abs(small[..., 0] - small[..., 1]) + np.abs(small[..., 1] - small[..., 2])
    return float(spread.mean()) > 3.0


def _scaled_box(box: tuple[int, int, int, int], factor: float) -> tuple[int, int, int, int]:
    if factor == 1.0:
        return box
    x0, y0, x1, y1 = box
    return round(x0 * factor), round(y0 * factor), round(x1 * factor), round(y1 * factor)


def _preview(bgr: np.ndarray, face: FaceLandmarks, plan: CropPlan,
             profile: PhotoProfile) -> tuple[np.ndarray, FaceLandmarks]:  # fmt: skip
    """The photo the export would make from ``plan`` and the face's landmarks in it."""
    size = (profile.output.width_px, profile.output.height_px)
    x0, y0, x1, y1 = crop_box(plan, bgr.shape[1], bgr.shape[0])
    image = render(bgr, plan, size)
    points = face.points.copy()
    points[:, 0] = (points[:, 0] - x0) * (size[0] / (x1 - x0))
    points[:, 1] = (points[:, 1] - y0) * (size[1] / (y1 - y0))
    points[:, 2] *= size[0] / (x1 - x0)
    return image, replace(face, points=points.astype(np.float32), image_size=size)


def _box_of(plan: CropPlan, width: int, height: int) -> tuple[int, int, int, int]:
    x0 = max(0, int(plan.left))
    y0 = max(0, int(plan.top))
    x1 = min(width, int(plan.left + plan.width))
    y1 = min(height, int(plan.top + plan.height))
    return x0, y0, x1, y1


def target_oval(profile: PhotoProfile, width: int, height: int) -> tuple[int, int, int, int]:
    """Where a head should sit in a ``width`` x ``height`` frame (x, y, w, h of an ellipse):
    centred, big enough to fill the profile without enlarging, small enough that the whole
    crop (margins, shoulders) fits in the frame."""
    output = profile.output
    geometry = profile.geometry
    if geometry.head_length_px is not None:
        out_length = sum(geometry.head_length_px) / 2
    else:
        assert geometry.head_width_px is not None
        out_length = sum(geometry.head_width_px) / 2 / 0.74
    fit = min(height / output.height_px, width / output.width_px)  # source px per output px
    scale_up = max(1.0, 0.8 * fit)  # 80 % of the largest crop the frame can hold
    length = out_length * scale_up
    crop_height = output.height_px * scale_up
    top = (height - crop_height) / 2 + sum(geometry.crown_margin_px) / 2 * scale_up
    oval_width = 0.74 * length
    return int(width / 2 - oval_width / 2), int(top), int(oval_width), int(length)


def _overlay(face: FaceLandmarks, head: HeadGeometry, plan: CropPlan, profile: PhotoProfile,
             image_size: tuple[int, int]) -> Overlay:  # fmt: skip
    p = face.points
    right_eye = (int(p[468, 0]), int(p[468, 1]))
    left_eye = (int(p[473, 0]), int(p[473, 1]))
    return Overlay(
        face_box=face.bbox,
        crop_box=(int(plan.left), int(plan.top), int(plan.width), int(plan.height)),
        target_head=target_oval(profile, *image_size),
        eye_line=(right_eye, left_eye),
        crown_y=int(head.crown_y),
        chin_y=int(head.chin_y),
    )


_local = threading.local()


def shared_analyser(*, video: bool = False) -> PhotoAnalyser:
    """One analyser per thread and mode (MediaPipe graphs are thread-confined)."""
    key = "video" if video else "still"
    analyser = getattr(_local, key, None)
    if analyser is None:
        analyser = PhotoAnalyser(video=video)
        setattr(_local, key, analyser)
    return analyser


def analyse_file(path: str | Path | bytes, profile: PhotoProfile | str, *,
                 mode: Mode = "final") -> PhotoReport:  # fmt: skip
    """Convenience: analyse one file with this thread's still-image analyser."""
    return shared_analyser().analyse_file(path, profile, mode=mode)

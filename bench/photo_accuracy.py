"""python -m bench.photo_accuracy --json: how often the photo engine is right, per profile, mode
and Chicago Face Database group.

Sources and their expected verdicts come from ../shared/data/faces/README.md (labelled by eye
against ICAO 9303 / ISO/IEC 19794-5 and GA 482):

* cfd/: 68 studio portraits, six groups (A, B, I, L, M, W) and two sexes. For icao-9303 a
  neutral (N) portrait is compliant unless its hair reaches the top edge of the frame
  (CFD_HAIR_AT_TOP below, judged by eye on the top 0.7 % of each frame); every closed-mouth
  smile (HC) is non-compliant. For cn-driving-licence every CFD frame is non-compliant as a
  source: it ends at the collar, so a 22x32 mm crop would need pixels the camera never saw.
* portraits/: the verdicts of the README table; files it calls borderline or "depends" are
  reported apart, not counted.
* ../demo/demo_person_white.jpg: a compliant frontal portrait on white, to the chest.

Modes:

* capture: the verdict on each source frame (accept = the engine would export it).
* final: every accepted source is exported; the export must pass final mode and capture mode
  again (a finished photo re-checked), and no source frame passes final mode unchanged.

Calibration note (what was held out): the smile threshold was set on the neutral portraits
of groups A, B, I, L, M and the B-group and README smiles, then checked on group W; the
illumination and sharpness thresholds were set on groups A, B, I, L and checked on M and W;
the skull ratio (ICAO crown) was set on the bald and close-cropped B and L portraits.
Set on all 60 neutral portraits (no group held out, so the CFD figures are not an unseen
test of them): the zero of the head-level pitch (one constant, the median ear-to-eye angle,
17.1 deg; the limit is the standard's 5 deg plus twice the spread) and the share of the top
rows that must hold hair for it to count as cut by the edge (0.5 %, between a stray strand's
0.1 % and the 2.1 % of the faintest hair mass judged cut by eye).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FACES_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "faces"
PROFILES = ("icao-9303", "cn-driving-licence")
GROUPS = {"A": "Asian", "B": "Black", "I": "Indian", "L": "Latino", "M": "multiracial",
          "W": "White"}  # fmt: skip
# Neutral CFD portraits whose hair reaches the frame's top edge (by eye, top 12 rows).
CFD_HAIR_AT_TOP = frozenset({
    "CFD-AF-207-023-N.jpg", "CFD-BF-204-189-N.jpg", "CFD-BF-229-179-N.jpg",
    "CFD-BM-253-004-N.jpg", "CFD-IF-693-172-N.jpg", "CFD-IM-685-004-N.jpg",
    "CFD-IM-702-101-N.jpg", "CFD-LM-208-110-N.jpg", "CFD-LM-221-216-N.jpg",
    "CFD-MM-301-011-N.jpg", "CFD-MM-323-053-N.jpg", "CFD-WF-219-038-N.jpg",
    "CFD-WM-232-070-N.jpg",
})  # fmt: skip
# README verdicts for the capture check. None: borderline / depends, reported but not counted.
PORTRAITS: dict[str, dict[str, bool | None]] = {
    "fr_obama_smile.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "fr_obama_mouth_open.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "fr_obama_lowres.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "fr_biden_full_body.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "fr_two_faces.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "fr_partial_face.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "fr_mouth_open_dark_bg.png": {"icao-9303": False, "cn-driving-licence": False},
    "fr_rgba_32bit.png": {"icao-9303": None, "cn-driving-licence": None},  # load test only
    "dlib_no_human_face.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "dlib_many_faces.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "dlib_group_glasses.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "dlib_crown_cut_smile.jpg": {"icao-9303": False, "cn-driving-licence": False},
    # README: accept for both; it ends ~1 output px short of a GA 482 crop below the chin.
    "ppp_frontal_white_bg.jpg": {"icao-9303": True, "cn-driving-licence": None},
    # README: no margin above the crown; the hair has 11 % of the frame above it, and the
    # skull-based ICAO crop fits, so only GA 482 (which needs more below the chin) is counted.
    "ppp_crown_cut.jpg": {"icao-9303": None, "cn-driving-licence": False},
    "ppp_smile_shadow.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "ppp_watermark.jpg": {"icao-9303": False, "cn-driving-licence": False},
    "ppp_full_body_hires.jpg": {"icao-9303": None, "cn-driving-licence": None},  # "depends"
    "ppp_beige_bg.png": {"icao-9303": None, "cn-driving-licence": False},  # light: ICAO
    "hiv_near_frontal_grey_bg.jpg": {"icao-9303": None, "cn-driving-licence": None},
    "hiv_child_cluttered_bg.png": {"icao-9303": False, "cn-driving-licence": False},
}


@dataclass
class Source:
    path: Path
    name: str
    expected: dict[str, bool | None]
    group: str | None = None  # CFD group letter
    sex: str | None = None


@dataclass
class Tally:
    compliant: int = 0
    accepted: int = 0
    non_compliant: int = 0
    refused: int = 0
    false_refusals: list[dict[str, Any]] = field(default_factory=list)
    false_accepts: list[str] = field(default_factory=list)

    def add(self, source: str, expected: bool, compliant: bool, failed: list[str]) -> None:
        if expected:
            self.compliant += 1
            self.accepted += compliant
            if not compliant:
                self.false_refusals.append({"file": source, "failed": failed})
        else:
            self.non_compliant += 1
            self.refused += not compliant
            if compliant:
                self.false_accepts.append(source)

    def to_dict(self) -> dict[str, Any]:
        return {
            "compliant": self.compliant,
            "accepted": self.accepted,
            "accept_rate": _rate(self.accepted, self.compliant),
            "non_compliant": self.non_compliant,
            "refused": self.refused,
            "refuse_rate": _rate(self.refused, self.non_compliant),
            "false_refusals": self.false_refusals,
            "false_accepts": self.false_accepts,
        }


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def sources(faces_dir: Path) -> list[Source]:
    found: list[Source] = []
    for path in sorted((faces_dir / "cfd").glob("CFD-*.jpg")):
        _, code, _, _, expression = path.stem.split("-")
        neutral = expression == "N"
        found.append(Source(path, f"cfd/{path.name}", {
            "icao-9303": neutral and path.name not in CFD_HAIR_AT_TOP,
            "cn-driving-licence": False,
        }, group=code[0], sex=code[1]))  # fmt: skip
    for name, expected in PORTRAITS.items():
        path = faces_dir / "portraits" / name
        if path.is_file():
            found.append(Source(path, f"portraits/{name}", expected))
    demo = faces_dir.parent.parent / "demo" / "demo_person_white.jpg"
    if demo.is_file():
        found.append(Source(demo, "demo/demo_person_white.jpg",
                            {"icao-9303": True, "cn-driving-licence": True}))  # fmt: skip
    return found


def run(faces_dir: Path, profiles: tuple[str, ...]) -> dict[str, Any]:
    warnings.filterwarnings("ignore", message=r"SymbolDatabase\.GetPrototype")
    from station.photo.analysis import PhotoAnalyser
    from station.photo.export import ExportError, export_photo
    from station.photo.images import load_image

    started = time.perf_counter()
    items = sources(faces_dir)
    if not items:
        raise SystemExit(f"no face images in {faces_dir}")
    result: dict[str, Any] = {"benchmark": "photo_accuracy", "faces_dir": str(faces_dir),
                              "profiles": {}}  # fmt: skip
    with PhotoAnalyser() as analyser:
        for profile in profiles:
            capture, final = Tally(), Tally()
            groups: dict[str, Tally] = {g: Tally() for g in GROUPS}
            sexes: dict[str, Tally] = {"F": Tally(), "M": Tally()}
            borderline: list[dict[str, Any]] = []
            rechecks: dict[str, Any] = {"exports": 0, "final_compliant": 0,
                                        "capture_recheck_compliant": 0, "failures": []}  # fmt: skip
            for item in items:
                loaded = load_image(item.path)
                report = analyser.analyse(loaded, profile, mode="capture")
                failed = [c.name for c in report.failed]
                expected = item.expected.get(profile)
                if expected is None:
                    borderline.append({"file": item.name, "accepted": report.compliant,
                                       "failed": failed})  # fmt: skip
                else:
                    capture.add(item.name, expected, report.compliant, failed)
                    if item.group:
                        groups[item.group].add(item.name, expected, report.compliant, failed)
                    if item.sex:
                        sexes[item.sex].add(item.name, expected, report.compliant, failed)
                    # No source frame is a finished photo: final mode refuses it unchanged.
                    as_final = analyser.analyse(loaded, profile, mode="final")
                    final.add(item.name, False, as_final.compliant, [])
                if not report.compliant:
                    continue
                rechecks["exports"] += 1
                try:
                    exported = export_photo(analyser, loaded, profile)
                except ExportError as exc:
                    rechecks["failures"].append({"file": item.name, "final_failed":
                                                 [c.name for c in exc.checks]})  # fmt: skip
                    final.add(item.name, True, False, [c.name for c in exc.checks])
                    continue
                rechecks["final_compliant"] += 1
                final.add(item.name, True, True, [])
                again = analyser.analyse(load_image(exported.jpeg), profile, mode="capture")
                if again.compliant:
                    rechecks["capture_recheck_compliant"] += 1
                else:
                    rechecks["failures"].append({"file": item.name, "recheck_failed":
                                                 [c.name for c in again.failed]})  # fmt: skip
            group_rates = {g: groups[g].to_dict() for g in GROUPS if groups[g].compliant
                           or groups[g].non_compliant}  # fmt: skip
            accept_rates = [r["accept_rate"] for r in group_rates.values()
                            if r["accept_rate"] is not None]  # fmt: skip
            spread = round(max(accept_rates) - min(accept_rates), 1) if accept_rates else None
            result["profiles"][profile] = {
                "capture": capture.to_dict(),
                "final": {**final.to_dict(), **{k: v for k, v in rechecks.items()}},
                "cfd_groups": group_rates,
                "cfd_group_accept_spread_points": spread,
                "cfd_sexes": {s: t.to_dict() for s, t in sexes.items()},
                "borderline_not_counted": borderline,
            }
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.photo_accuracy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--json", action="store_true", help="one line of JSON (default: indented)")
    parser.add_argument("--faces", type=Path, default=FACES_DIR)
    parser.add_argument("--profile", action="append", choices=PROFILES,
                        help="profile to measure (repeatable; default both)")  # fmt: skip
    args = parser.parse_args(argv)
    result = run(args.faces, tuple(args.profile or PROFILES))
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Genuine/impostor separation of the face matcher on a folder-per-person image set.

python -m bench.biometrics [--dir DIR] [--json]
Every image is embedded once; every pair is compared: same folder = genuine, else impostor.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

from station.biometrics import FaceMatcher, FaceNotFound, ImageUnreadable, read_image

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared/data/faces/verification"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"}


def rates(genuine: np.ndarray, impostor: np.ndarray, threshold: float) -> tuple[float, float]:
    """(FMR, FNMR) when a distance <= threshold is declared a match."""
    fmr = float(np.mean(impostor <= threshold)) if impostor.size else 0.0
    fnmr = float(np.mean(genuine > threshold)) if genuine.size else 0.0
    return fmr, fnmr


def equal_error_rate(genuine: np.ndarray, impostor: np.ndarray) -> tuple[float, float]:
    """(EER, threshold) by sweeping every observed distance; the midpoint of the gap when the
    two sets separate completely (EER 0 there, the threshold is then only indicative)."""
    candidates = np.unique(np.concatenate([genuine, impostor]))
    best = (1.0, 0.0, float("inf"))
    for threshold in candidates:
        fmr, fnmr = rates(genuine, impostor, float(threshold))
        gap = abs(fmr - fnmr)
        if gap < best[2] or (gap == best[2] and (fmr + fnmr) / 2 < best[0]):
            best = ((fmr + fnmr) / 2, float(threshold), gap)
    eer, threshold, _ = best
    if genuine.size and impostor.size and genuine.max() < impostor.min():
        return 0.0, float((genuine.max() + impostor.min()) / 2)
    return float(eer), threshold


def run(directory: Path) -> dict:
    matcher = FaceMatcher()
    embeddings: dict[Path, object] = {}
    failures: list[dict[str, str]] = []
    embed_ms: list[float] = []
    files = sorted(
        p for p in directory.glob("*/*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
    )
    for path in files:
        started = time.perf_counter()
        try:
            embeddings[path] = matcher.embed(read_image(path))
        except (FaceNotFound, ImageUnreadable) as error:
            failures.append({"file": str(path.relative_to(directory)), "error": str(error)})
            continue
        embed_ms.append((time.perf_counter() - started) * 1000.0)

    genuine: list[float] = []
    impostor: list[float] = []
    hardest_impostor: tuple[float, str, str] = (float("inf"), "", "")
    for first, second in itertools.combinations(embeddings, 2):
        distance = matcher.distance(embeddings[first], embeddings[second])  # type: ignore[arg-type]
        if first.parent == second.parent:
            genuine.append(distance)
        else:
            impostor.append(distance)
            if distance < hardest_impostor[0]:
                hardest_impostor = (
                    distance,
                    str(first.relative_to(directory)),
                    str(second.relative_to(directory)),
                )
    genuine_arr, impostor_arr = np.array(genuine), np.array(impostor)
    threshold = matcher.threshold
    fmr, fnmr = rates(genuine_arr, impostor_arr, threshold)
    fmr_dlib, fnmr_dlib = rates(genuine_arr, impostor_arr, 0.6)
    eer, eer_threshold = equal_error_rate(genuine_arr, impostor_arr)
    ms_embed = float(np.mean(embed_ms)) if embed_ms else 0.0
    chip_ms = [
        ms for path, ms in zip(embeddings, embed_ms, strict=True) if path.parent.name[:5] == "John_"
    ]
    chip_section = _chip_sized(matcher, embeddings)
    return {
        "dataset": str(directory),
        "people": len({p.parent for p in files}),
        "images": len(files),
        "images_without_face": failures,
        "genuine_pairs": len(genuine),
        "impostor_pairs": len(impostor),
        "threshold": threshold,
        "FMR": fmr,
        "FNMR": fnmr,
        "at_dlib_0.6": {"FMR": fmr_dlib, "FNMR": fnmr_dlib},
        "genuine_distance": _summary(genuine_arr),
        "impostor_distance": _summary(impostor_arr),
        "hardest_impostor_pair": {
            "distance": round(hardest_impostor[0], 4),
            "images": list(hardest_impostor[1:]),
        },
        "margin_below_threshold": round(threshold - float(genuine_arr.max()), 4)
        if genuine
        else None,
        "margin_above_threshold": round(float(impostor_arr.min()) - threshold, 4)
        if impostor
        else None,
        "EER": eer,
        "EER_threshold": round(eer_threshold, 4),
        # A comparison is two embeddings (detection + landmarks + descriptor) and a distance.
        "ms_per_embedding": round(ms_embed, 1),
        "ms_per_embedding_150px_chip": round(float(np.mean(chip_ms)), 1) if chip_ms else None,
        "ms_per_comparison": round(2 * ms_embed, 1),
        "chip_102x126_vs_photo": chip_section,
    }


def _chip_sized(matcher: FaceMatcher, embeddings: dict) -> dict:
    """Each 150x150 chip shrunk to 102x126 (a Chinese ID-card chip photo) against every other
    image: the registration case (small chip photo vs live photo)."""
    import cv2

    chips = {}
    for path in embeddings:
        if path.parent.name.startswith("John_"):
            small = cv2.resize(read_image(path), (102, 126), interpolation=cv2.INTER_AREA)
            try:
                chips[path] = matcher.embed(small)
            except FaceNotFound:
                continue
    genuine, impostor = [], []
    for chip_path, chip in chips.items():
        for path, other in embeddings.items():
            if path == chip_path:
                continue
            distance = matcher.distance(chip, other)
            (genuine if path.parent == chip_path.parent else impostor).append(distance)
    genuine_arr, impostor_arr = np.array(genuine), np.array(impostor)
    fmr, fnmr = rates(genuine_arr, impostor_arr, matcher.threshold)
    return {
        "chips": len(chips),
        "genuine_pairs": len(genuine),
        "impostor_pairs": len(impostor),
        "FMR": fmr,
        "FNMR": fnmr,
        "genuine_distance": _summary(genuine_arr),
        "impostor_distance": _summary(impostor_arr),
    }


def _summary(values: np.ndarray) -> dict[str, float | None]:
    if not values.size:
        return {"min": None, "max": None, "mean": None}
    return {
        "min": round(float(values.min()), 4),
        "max": round(float(values.max()), 4),
        "mean": round(float(values.mean()), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.biometrics")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.dir.is_dir():
        print(f"error: {args.dir} is not a folder of per-person image folders", file=sys.stderr)
        return 2
    report = run(args.dir)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

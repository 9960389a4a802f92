"""python -m station.biometrics compare IMAGE_A IMAGE_B [--json] [--lang zh_CN|en]"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from station.biometrics.images import ImageUnreadable, read_image
from station.biometrics.matcher import FaceMatcher, FaceNotFound
from station.i18n import set_language, tr


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m station.biometrics")
    commands = parser.add_subparsers(dest="command", required=True)
    compare = commands.add_parser("compare", help="1:1 comparison of two face images")
    compare.add_argument("image_a")
    compare.add_argument("image_b")
    compare.add_argument("--json", action="store_true", help="print one JSON object")
    compare.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN")
    args = parser.parse_args(argv)
    set_language(args.lang)

    try:
        image_a = read_image(args.image_a)
        image_b = read_image(args.image_b)
        matcher = FaceMatcher()
        result = matcher.compare(image_a, image_b)
    except (ImageUnreadable, FaceNotFound) as error:
        return _fail(error, args.json)

    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        verdict = tr("Biometrics", "same person") if result.match else tr(
            "Biometrics", "different people"
        )
        print(
            tr("Biometrics", "Score {score} (pass mark {pass_mark}): {verdict}").format(
                score=result.score,
                pass_mark=int(matcher.calibration.pass_score),
                verdict=verdict,
            )
        )
        print(f"distance={result.distance:.4f} threshold={result.threshold}")
        for note in result.notes:
            print(note["zh"] if args.lang == "zh_CN" else note["en"])
    return 0


def _fail(error: ImageUnreadable | FaceNotFound, as_json: bool) -> int:
    message = error.message
    kind = "face_not_found" if isinstance(error, FaceNotFound) else "image_unreadable"
    detail = getattr(error, "detail", "") or getattr(error, "which", "") or ""
    if as_json:
        print(json.dumps({"error": kind, "message": message, "detail": detail}, ensure_ascii=False))
    print(f"error: {message['zh']} / {message['en']}" + (f" ({detail})" if detail else ""),
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

"""python -m station.liveness check (--image FILE | --video FILE) [--seconds N] [--json]"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from station.i18n import set_language, tr


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m station.liveness")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="run a liveness session on recorded input")
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("--image", help="a still image replayed as the camera")
    source.add_argument("--video", help="a video file played as the camera")
    check.add_argument("--seconds", type=float, default=8.0)
    check.add_argument("--fps", type=float, default=10.0, help="replay rate of --image")
    check.add_argument("--challenges", type=int, default=3)
    check.add_argument("--seed", type=int, default=None, help="fixed challenge order")
    check.add_argument("--no-identity", action="store_true", help="skip the dlib identity check")
    check.add_argument("--json", action="store_true")
    check.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN")
    args = parser.parse_args(argv)
    set_language(args.lang)
    os.environ.setdefault("GLOG_minloglevel", "2")

    from station.biometrics import ImageUnreadable, read_image
    from station.face import FaceLandmarker
    from station.liveness.challenges import random_challenges
    from station.liveness.identity import MatcherIdentity
    from station.liveness.replay import run_session, still_frames, video_frames

    challenges = random_challenges(args.challenges, args.seed)
    try:
        if args.image:
            frames = still_frames(read_image(args.image), args.seconds, args.fps)
        else:
            if not os.path.isfile(args.video):
                raise OSError(f"no such file: {args.video}")
            frames = video_frames(args.video, args.seconds)
        identity = None if args.no_identity else MatcherIdentity()
        with FaceLandmarker(static_images=False, max_faces=2) as landmarker:
            verdict = run_session(frames, challenges, landmarker=landmarker, identity=identity)
    except (ImageUnreadable, OSError) as error:
        message = getattr(error, "message", None) or {"zh": str(error), "en": str(error)}
        if args.json:
            print(json.dumps({"error": "input_unreadable", "message": message}, ensure_ascii=False))
        print(f"error: {message['en']}", file=sys.stderr)
        return 2

    if args.json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False))
    else:
        language = "zh" if args.lang == "zh_CN" else "en"
        verdict_text = tr("Liveness", "live") if verdict.live else tr("Liveness", "not live")
        print(f"{verdict_text}: {verdict.message[language]}")
        for result in verdict.to_json()["challenges"]:
            print(f"  {result['instruction'][language]}: {result['passed']} {result['reason'] or ''}")
    return 0 if verdict.live else 1


if __name__ == "__main__":
    sys.exit(main())

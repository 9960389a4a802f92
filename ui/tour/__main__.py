"""python -m ui.tour --size WxH --language zh_CN|en --out DIR

Starts the station in demo mode on an offscreen WxH screen (simulated devices, embedded
central service, a fresh data folder), drives it as a clerk, a supervisor, an administrator
and a kiosk visitor would, and writes one PNG per screen (exactly WxH) and DIR/report.json.
Exit status 0 when the tour went through (whatever it found), 1 when it could not.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{3,5})x(\d{3,5})", text)
    if not match:
        raise argparse.ArgumentTypeError("expected WxH, e.g. 1366x768")
    return int(match.group(1)), int(match.group(2))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ui.tour", description=__doc__.split("\n\n")[1])
    parser.add_argument("--size", type=_size, default=(1366, 768), help="screen size WxH")
    parser.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNGs and report.json")
    parser.add_argument("--only", choices=["counter", "kiosk"], help="one half of the tour")
    return parser.parse_args(argv)


def offscreen_screen(width: int, height: int, folder: Path) -> None:
    """The offscreen platform with one screen of exactly WxH (before QApplication exists)."""
    config = folder / "offscreen-screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "tour", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    width, height = args.size
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="station-tour-") as work:
        offscreen_screen(width, height, Path(work))
        from ui.tour.run import run_tour

        report, error = run_tour((width, height), args.language, out, Path(work), args.only)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                     encoding="utf-8")
    screens = report["screens"]
    misfits = [s["name"] for s in screens if not s["fits"]]
    untranslated = [s["name"] for s in screens if s["untranslated"]]
    print(json.dumps({"screens": len(screens), "not_fitting": misfits,
                      "untranslated": untranslated, "f1_input": report.get("f1_input"),
                      "error": error}, ensure_ascii=False))
    return 1 if error else 0


if __name__ == "__main__":
    sys.exit(main())

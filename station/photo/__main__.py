"""python -m station.photo check|export|profiles — photo compliance from the command line.

check [--source] --profile NAME [--json] FILE...   one result per file (JSON array with --json)
export --profile NAME IN OUT                        write the compliant photo, or exit 1 with
                                                    the failing checks
profiles                                            list the profiles
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any, Literal

from station.photo.profiles import ProfileError, load_profile, profile_names


def _quiet() -> None:
    warnings.filterwarnings("ignore", message=r"SymbolDatabase\.GetPrototype")


def _file_result(path: str, report: Any) -> dict[str, Any]:
    data = report.to_dict()
    return {"file": path, "compliant": data["compliant"], "quality_score": data["quality_score"],
            "image_size": data["image_size"], "checks": data["checks"]}  # fmt: skip


def cmd_check(args: argparse.Namespace) -> int:
    from station.photo.analysis import PhotoAnalyser

    profile = load_profile(args.profile)
    mode: Literal["capture", "final"] = "capture" if args.source else "final"
    results = []
    with PhotoAnalyser() as analyser:
        for path in args.files:
            report = analyser.analyse_file(path, profile, mode=mode)
            results.append(_file_result(path, report))
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for result in results:
            verdict = "PASS" if result["compliant"] else "FAIL"
            print(f"{verdict}  {result['file']}")
            for check in result["checks"]:
                if not check["passed"]:
                    print(f"   - {check['name']}: {check['message_zh']} / {check['message_en']}"
                          f" (value {check['value']}, threshold {check['threshold']})")  # fmt: skip
    return 0 if all(r["compliant"] for r in results) else 1


def cmd_export(args: argparse.Namespace) -> int:
    from station.photo.analysis import PhotoAnalyser
    from station.photo.export import ExportError, export_photo
    from station.photo.images import ImageLoadError, load_image

    profile = load_profile(args.profile)
    try:
        loaded = load_image(args.input)
    except ImageLoadError as exc:
        print(f"cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    with PhotoAnalyser() as analyser:
        try:
            result = export_photo(analyser, loaded, profile)
        except ExportError as exc:
            print(f"{args.input}: {exc}", file=sys.stderr)
            for check in exc.checks:
                print(f"  - {check.name}: {check.message_zh} / {check.message_en}"
                      f" (value {check.value}, threshold {check.threshold})", file=sys.stderr)  # fmt: skip
            return 1
    Path(args.output).write_bytes(result.jpeg)
    print(json.dumps({"file": args.output, "bytes": len(result.jpeg), "quality": result.quality,
                      "compliant": result.compliant}))  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    _quiet()
    parser = argparse.ArgumentParser(prog="python -m station.photo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check photos against a profile")
    check.add_argument("--profile", required=True)
    check.add_argument("--source", action="store_true",
                       help="capture mode: can the image become a compliant photo?")  # fmt: skip
    check.add_argument("--json", action="store_true", help="print a JSON array")
    check.add_argument("files", nargs="+")
    export = sub.add_parser("export", help="crop, scale and encode a compliant photo")
    export.add_argument("--profile", required=True)
    export.add_argument("input")
    export.add_argument("output")
    sub.add_parser("profiles", help="list the photo profiles")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "export":
            return cmd_export(args)
        print("\n".join(profile_names()))
        return 0
    except ProfileError as exc:
        print(str(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

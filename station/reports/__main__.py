"""python -m station.reports sample --out report.pdf [--language en]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station.i18n import LANGUAGES
from station.receipts.fonts import FontNotFoundError
from station.reports.daily import render_daily_report
from station.reports.sample import sample_stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m station.reports", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="render a sample end-of-day report to a PDF file")
    sample.add_argument("--language", choices=LANGUAGES, default="zh_CN")
    sample.add_argument("--out", type=Path, required=True, help="where to write the PDF")
    args = parser.parse_args(argv)
    try:
        pdf = render_daily_report(sample_stats(args.language), args.language)
    except FontNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        args.out.write_bytes(pdf)
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"{args.out}: {len(pdf)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""python -m station.receipts sample --kind individual --out receipt.pdf [--language en] [--photo F]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station.i18n import LANGUAGES
from station.receipts.fonts import FontNotFoundError
from station.receipts.model import RECEIPT_KINDS
from station.receipts.render import render_receipt
from station.receipts.sample import sample_receipt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m station.receipts", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="render a sample receipt to a PDF file")
    sample.add_argument("--kind", choices=RECEIPT_KINDS, default="individual")
    sample.add_argument("--language", choices=LANGUAGES, default="zh_CN")
    sample.add_argument("--photo", type=Path, help="a face photo to print (any image format)")
    sample.add_argument("--out", type=Path, required=True, help="where to write the PDF")
    args = parser.parse_args(argv)

    if args.photo is not None and not args.photo.is_file():
        print(f"error: photo file not found: {args.photo}", file=sys.stderr)
        return 2
    try:
        pdf = render_receipt(sample_receipt(args.kind, args.language, args.photo))
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

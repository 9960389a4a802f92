"""Diagnostic command line: read a passport or travel document on a PC/SC reader.

  python -m devices.emrtd --mrz "LINE1 LINE2" [--reader NAME] [--csca DIR] [--json]
  python -m devices.idcard emrtd ...   (the ID-card CLI hands over to ``main``)

Exit status: 0 read and verified (passive authentication passed or hashes only),
2 bad arguments / MRZ, 3 no service / reader / card, 4 the read failed,
5 passive authentication failed (the data is printed, but must not be trusted).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from devices.emrtd import errors
from devices.emrtd.reader import DEFAULT_CHUNK
from station.i18n import current_language, set_language, tr
from station.identity.passport import EmrtdResult
from station.mrz import MrzError, parse_mrz

EXIT_OK, EXIT_USAGE, EXIT_NO_DEVICE, EXIT_READ_FAILED, EXIT_NOT_AUTHENTIC = 0, 2, 3, 4, 5
_NO_DEVICE = {"no_service", "no_reader", "no_card", "timeout", "reader_gone"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m devices.emrtd",
        description="Read an ICAO 9303 passport or travel document over PC/SC.",
    )
    parser.add_argument("--mrz", help="the machine-readable zone (lines separated by "
                        "newlines or spaces)")
    parser.add_argument("--reader", help="reader name (or part of it); default: the first "
                        "reader holding a card")
    parser.add_argument("--csca", action="append", type=Path, default=[],
                        help="CSCA certificate file or folder (repeatable)")
    parser.add_argument("--wait", type=float, default=10.0,
                        help="seconds to wait for a document on the reader (default 10)")
    parser.add_argument("--chunk", type=lambda v: int(v, 0), default=DEFAULT_CHUNK,
                        help="bytes per READ BINARY (default 0xDF; some chips need 160)")
    parser.add_argument("--no-pace", action="store_true", help="use BAC even if PACE is offered")
    parser.add_argument("--photo-out", type=Path, help="write the chip portrait here")
    parser.add_argument("--list-readers", action="store_true", help="list PC/SC readers")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="message language")
    return parser


def _emit(as_json: bool, payload: dict[str, object], text: str) -> None:
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(text)


def _error(as_json: bool, exc: errors.EmrtdError | MrzError, status: int) -> int:
    if isinstance(exc, MrzError):
        exc = errors.invalid_mrz(str(exc))
    message = exc.message_zh if current_language() == "zh_CN" else exc.message_en
    payload = {"ok": False, "error": {"code": exc.code, "message_en": exc.message_en,
                                      "message_zh": exc.message_zh}}
    _emit(as_json, payload, message)
    if not as_json:
        print(message, file=sys.stderr)
    return status


def _summary(result: EmrtdResult) -> str:
    holder, pa = result.holder, result.passive_auth
    lines = [
        f"{tr('EmrtdCli', 'Name')}: {holder.surname}, {holder.given_names}",
        f"{tr('EmrtdCli', 'Document')}: {holder.document_code} {holder.document_number} "
        f"({holder.issuing_state})",
        f"{tr('EmrtdCli', 'Nationality')}: {holder.nationality}",
        f"{tr('EmrtdCli', 'Birth date')}: {holder.birth_date}",
        f"{tr('EmrtdCli', 'Expiry date')}: {holder.expiry_date}",
    ]
    lines.append(f"{tr('EmrtdCli', 'Chip access')}: {result.access_protocol}")
    if result.face:
        lines.append(f"{tr('EmrtdCli', 'Photo')}: {result.face.format} "
                     f"{result.face.width}x{result.face.height}, {len(result.face.data)} B")
    lines.append(f"{tr('EmrtdCli', 'Passive authentication')}: {pa.verdict} "
                 f"(hashes {'ok' if pa.hashes_valid else 'NOT ok'}, signature {pa.signature}, "
                 f"chain {pa.chain})")
    lines += [f"  - {note}" for note in pa.notes]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    if args.lang:
        set_language(args.lang)
    from devices.emrtd.pcsc import PcscContext
    from devices.emrtd.service import read_passport
    from devices.emrtd.sod import load_csca_certificates

    if args.list_readers:
        try:
            context = PcscContext()
            try:
                names = context.readers()
                readers = [{"name": n, "card": context.card_present(n)} for n in names]
            finally:
                context.release()
        except errors.EmrtdError as exc:
            return _error(args.json, exc, EXIT_NO_DEVICE)
        _emit(args.json, {"ok": True, "readers": readers},
              "\n".join(f"{r['name']}{' *' if r['card'] else ''}" for r in readers))
        return EXIT_OK
    if not args.mrz:
        print(tr("EmrtdCli", "--mrz is required (the document's machine-readable zone)."),
              file=sys.stderr)
        return EXIT_USAGE
    try:
        mrz = parse_mrz(args.mrz)
    except MrzError as exc:
        return _error(args.json, exc, EXIT_USAGE)
    if not mrz.valid:
        return _error(args.json, errors.invalid_mrz(
            "check digit: " + ", ".join(mrz.failed_checks)), EXIT_USAGE)
    missing = [str(p) for p in args.csca if not p.exists()]
    if missing:
        print(tr("EmrtdCli", "CSCA path not found: {paths}").format(paths=", ".join(missing)),
              file=sys.stderr)
        return EXIT_USAGE
    try:
        result = read_passport(
            mrz, reader=args.reader, csca_certificates=load_csca_certificates(args.csca),
            wait_s=args.wait, chunk_size=args.chunk, use_pace=not args.no_pace,
        )
    except errors.EmrtdError as exc:
        return _error(args.json, exc, EXIT_NO_DEVICE if exc.code in _NO_DEVICE
                      else EXIT_READ_FAILED)
    if args.photo_out and result.face:
        args.photo_out.write_bytes(result.face.data)
    payload = {"ok": result.passive_auth.verdict != "failed", **result.to_json()}
    _emit(args.json, payload, _summary(result))
    return EXIT_NOT_AUTHENTIC if result.passive_auth.verdict == "failed" else EXIT_OK


def run() -> None:
    sys.exit(main(sys.argv[1:]))

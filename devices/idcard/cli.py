"""Diagnostics: ``python -m devices.idcard simulate|read|ports|emrtd ...``."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import signal
import sys
import threading
from pathlib import Path

import serial

from devices.idcard.discovery import candidate_ports
from devices.idcard.errors import IdCardError
from devices.idcard.reading import read_one
from devices.idcard.session import ReaderSession
from devices.idcard.simulator import FAULTS, ReaderSimulator
from station.identity.samples import SAMPLES, sample_card


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m devices.idcard",
                                     description="GA 467 ID-card reader diagnostics")
    sub = parser.add_subparsers(dest="command", required=True)

    sim = sub.add_parser("simulate", help="answer as a reader on a pseudo-terminal")
    sim.add_argument("--card", choices=list(SAMPLES), default="resident")
    sim.add_argument("--fault", choices=FAULTS)
    sim.add_argument("--no-card", action="store_true", help="start with the reader empty")
    sim.add_argument("--link", type=Path, help="also make this symlink to the pty")
    sim.add_argument("--read-delay", type=float, default=0.3, help="seconds a chip read takes")

    read = sub.add_parser("read", help="read one card and print it")
    read.add_argument("--port", required=True)
    read.add_argument("--baud", type=int, default=115200)
    read.add_argument("--timeout", type=float, default=10.0,
                      help="seconds to wait for the reader and a card")
    read.add_argument("--fingerprint", action="store_true", help="also read fingerprints")
    read.add_argument("--wlt-library", type=Path, help="vendor WLT decoder (.so)")
    read.add_argument("--save-photo", type=Path, help="write the WLT (or decoded BMP) here")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.add_argument("-v", "--verbose", action="store_true",
                      help="log retries and corrupted frames to stderr")

    ports = sub.add_parser("ports", help="list serial ports, likely readers first")
    ports.add_argument("--json", action="store_true")

    sub.add_parser("emrtd", help="passport / eMRTD diagnostics (devices.emrtd)",
                   add_help=False)
    return parser


def _simulate(args: argparse.Namespace) -> int:
    card = None if args.no_card else sample_card(args.card)
    simulator = ReaderSimulator(card, fault=args.fault, link_path=args.link,
                                read_delay_s=args.read_delay, pull_return_after_s=1.0)
    simulator.start()
    print(simulator.port, flush=True)
    print(f"simulating a reader with card {args.card if card else '(none)'}"
          f"{' and fault ' + args.fault if args.fault else ''}; Ctrl-C to stop",
          file=sys.stderr, flush=True)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    try:
        done.wait()
    finally:
        simulator.stop()
    return 0


def _read(args: argparse.Namespace) -> int:
    # Diagnostics go to stderr only on request: a failure is exactly one line there.
    logging.basicConfig(level=logging.INFO if args.verbose else logging.CRITICAL,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        port = serial.Serial(args.port, args.baud, timeout=0.02,
                             write_timeout=max(args.timeout, 1.0))
    except (serial.SerialException, OSError, ValueError) as exc:
        print(f"cannot open {args.port}: {exc}", file=sys.stderr)
        return 3
    try:
        session = ReaderSession(port, timeout_s=min(5.0, max(args.timeout, 0.5)))
        reading = read_one(session, timeout_s=args.timeout, fingerprint=args.fingerprint,
                           wlt_library=args.wlt_library)
    except IdCardError as exc:
        print(f"{exc.code}: {exc.message_en} / {exc.message_zh}", file=sys.stderr)
        return 2
    finally:
        port.close()
    if args.save_photo:
        args.save_photo.write_bytes(reading.photo.bmp or reading.photo.wlt)
    if args.json:
        print(json.dumps(reading.to_json(), ensure_ascii=False))
    else:
        data = reading.to_json()
        for key in ("card_type", "name", "name_en", "sex", "nation", "birth_date", "address",
                    "id_number", "issuing_authority", "valid_from", "valid_to"):
            if data.get(key):
                print(f"{key:18} {data[key]}")
        print(f"{'photo':18} {reading.photo.status.value} {reading.photo.message}")
        for result in reading.validations:
            print(f"{'check ' + result.check:18} {'ok' if result.ok else 'FAIL'} "
                  f"{result.message}")
    return 0


def _ports(args: argparse.Namespace) -> int:
    candidates = candidate_ports()
    if args.json:
        print(json.dumps([c.to_json() for c in candidates], ensure_ascii=False))
    else:
        for c in candidates:
            print(f"{c.device:24} score={c.score} {c.why} ({c.description})")
        if not candidates:
            print("no serial ports found", file=sys.stderr)
    return 0


def _emrtd(argv: list[str]) -> int:
    try:
        module = importlib.import_module("devices.emrtd.cli")
    except ModuleNotFoundError as exc:
        if exc.name not in ("devices.emrtd", "devices.emrtd.cli"):
            raise
        print("the passport (eMRTD) driver is not installed: devices.emrtd.cli is missing",
              file=sys.stderr)
        return 4
    return int(module.main(argv))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "emrtd":
        return _emrtd(argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "simulate":
        return _simulate(args)
    if args.command == "read":
        return _read(args)
    return _ports(args)


"""Present an emulated passport on pcscd's virtual reader (vsmartcard vpcd) until stopped.

  python -m devices.emrtd.simulator --mrz "LINE1 LINE2" --photo face.jpg [--csca-out csca.pem]
      [--port 35963] [--remove-after-reads N] [--eof 6282|6C] [--get-response] [--max-le N]
      [--read-delay S] [--no-sod] [--tamper-dg N] [--pace]

Then read it: python -m devices.emrtd --mrz "..." --reader "Virtual PCD 00 00" --csca csca.pem
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from devices.emrtd.simulator.builder import build_passport
from devices.emrtd.simulator.card import CardFaults, VirtualPassport
from devices.emrtd.simulator.vpcd import VPCD_PORT, VpcdCard
from station.mrz import MrzError, parse_mrz


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m devices.emrtd.simulator")
    parser.add_argument("--mrz", required=True)
    parser.add_argument("--photo", type=Path, required=True, help="JPEG or JPEG 2000 portrait")
    parser.add_argument("--full-name", help="DG11 full name (adds DG11)")
    parser.add_argument("--authority", help="DG12 issuing authority (adds DG12)")
    parser.add_argument("--csca-out", type=Path, help="write the CSCA certificate (PEM) here")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=VPCD_PORT)
    parser.add_argument("--remove-after-reads", type=int)
    parser.add_argument("--eof", choices=("6282", "6C"), default="6282")
    parser.add_argument("--get-response", action="store_true", help="answer 61xx (T=0 style)")
    parser.add_argument("--max-le", type=int)
    parser.add_argument("--read-delay", type=float, default=0.0)
    parser.add_argument("--no-sod", action="store_true")
    parser.add_argument("--tamper-dg", type=int)
    parser.add_argument("--pace", action="store_true", help="add EF.CardAccess (PACE info)")
    args = parser.parse_args(argv)
    try:
        parse_mrz(args.mrz)
    except MrzError as exc:
        print(f"--mrz: {exc}", file=sys.stderr)
        return 2
    from PIL import Image

    try:
        with Image.open(args.photo) as image:
            size = image.size
    except OSError as exc:
        print(f"--photo: {exc}", file=sys.stderr)
        return 2
    files = build_passport(
        args.mrz, args.photo.read_bytes(), size, full_name=args.full_name,
        issuing_authority=args.authority, with_sod=not args.no_sod,
        with_card_access=args.pace,
    )
    if args.csca_out and files.csca_certificate is not None:
        args.csca_out.write_bytes(files.csca_pem())
    faults = CardFaults(
        remove_after_reads=args.remove_after_reads, eof_answer=args.eof,
        t0_get_response=args.get_response, max_le=args.max_le, read_delay_s=args.read_delay,
        tamper_dg=args.tamper_dg,
    )
    card = VpcdCard(VirtualPassport(files, faults), args.host, args.port)
    try:
        card.insert()
    except OSError as exc:
        print(f"cannot reach vpcd at {args.host}:{args.port} (is pcscd running?): {exc}",
              file=sys.stderr)
        return 3
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"card on vpcd {args.host}:{args.port}; Ctrl-C removes it", flush=True)
    while not stop.is_set() and not card.removed.is_set():
        stop.wait(0.2)
    card.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Signature pad diagnostics.

  python -m devices.sigpad simulate [--fault noise|partial|unplug|silent] [--baud N]
                                    [--protocol isdv4|topaz] [--seconds N]
  python -m devices.sigpad capture --port PORT [--protocol isdv4|topaz] [--baud N]
                                   [--seconds N] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading

from devices.base import DeviceError
from devices.sigpad.capture import capture
from devices.sigpad.simulator import FAULTS, PadSimulator
from station.i18n import tr


def _simulate(args: argparse.Namespace) -> int:
    simulator = PadSimulator(protocol=args.protocol, baud=args.baud, fault=args.fault,
                             seed=args.seed)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    simulator.start()
    print(simulator.port, flush=True)  # first line: the port, for scripts
    print(
        tr("SignaturePadCli", "Simulated pad on {port} ({baud} baud). Ctrl+C to stop.").format(
            port=simulator.port, baud=simulator.baud
        ),
        file=sys.stderr, flush=True,
    )
    try:
        done.wait(args.seconds)
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
    return 0


def _capture(args: argparse.Namespace) -> int:
    try:
        result = capture(args.port, args.protocol, args.seconds, args.baud)
    except DeviceError as exc:
        print(f"{exc.message_zh}\n{exc.message_en}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        points = sum(len(s) for s in result["strokes"])
        print(tr("SignaturePadCli", "Pad {device}: {strokes} stroke(s), {points} point(s).").format(
            device=result["device"], strokes=len(result["strokes"]), points=points,
        ))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devices.sigpad")
    commands = parser.add_subparsers(dest="command", required=True)
    sim = commands.add_parser("simulate", help="simulated pad on a pseudo-terminal")
    sim.add_argument("--fault", choices=FAULTS)
    sim.add_argument("--baud", type=int)
    sim.add_argument("--protocol", choices=("isdv4", "topaz"), default="isdv4")
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--seconds", type=float, default=None, help="stop after N s (default: never)")
    cap = commands.add_parser("capture", help="capture strokes from a pad")
    cap.add_argument("--port", required=True)
    cap.add_argument("--protocol", choices=("isdv4", "topaz"), default="isdv4")
    cap.add_argument("--baud", type=int)
    cap.add_argument("--seconds", type=float, default=5.0)
    cap.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the CLI reports problems itself
    return _simulate(args) if args.command == "simulate" else _capture(args)


if __name__ == "__main__":
    sys.exit(main())

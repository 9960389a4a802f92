"""Run the traffic-management system simulator (central.upstream.simulator) on a port:

    python -m central.upstream_sim --port 8700 --client-id central --secret S \\
        [--photos DIR] [--mode ok|refuse|slow|down]

DIR holds photos on file named by identity number (``<number>.jpg`` or ``.png``). Each
hand-over it receives is printed as one JSON line (without the photo). Point the central
service at it with CENTRAL_UPSTREAM_URL, CENTRAL_UPSTREAM_CLIENT and CENTRAL_UPSTREAM_SECRET.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from central.upstream.simulator import MODES, TrafficSystemSimulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m central.upstream_sim", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--client-id", default="central")
    parser.add_argument("--secret", required=True)
    parser.add_argument("--photos", type=Path, help="photos on file, <identity number>.jpg")
    parser.add_argument("--mode", choices=MODES, default="ok")
    args = parser.parse_args(argv)
    simulator = TrafficSystemSimulator(args.client_id, args.secret, port=args.port)
    simulator.set_mode(args.mode)
    for path in sorted(args.photos.iterdir()) if args.photos else []:
        if path.suffix.lower() in (".jpg", ".jpeg", ".png"):
            media = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
            taken = date.fromtimestamp(path.stat().st_mtime).isoformat()
            simulator.add_photo(path.stem, path.read_bytes(), taken, media)
    simulator.start()
    print(json.dumps({"url": simulator.url, "photos": len(simulator.photos),
                      "mode": simulator.mode}), flush=True)
    printed = 0
    try:
        while True:
            time.sleep(0.5)
            stored = list(simulator.handovers.values())
            for handover in stored[printed:]:
                print(json.dumps({k: v for k, v in handover.items() if k != "photo"},
                                 ensure_ascii=False), flush=True)
            printed = len(stored)
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

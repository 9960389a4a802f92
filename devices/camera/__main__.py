"""python -m devices.camera list|probe — camera diagnostics.

list                                   video devices and the indices OpenCV can open
probe [--index N | --device PATH | --replay PATH... | --demo]
      [--width W --height H --fps F] [--frames N]
                                       open, report the granted format, measure the real
                                       frame rate over N frames; JSON on stdout
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
import threading

from devices.base import DeviceError
from devices.camera.device import CameraDevice, Frame
from devices.camera.sources import (
    ArraySource,
    FrameSource,
    OpenCVCamera,
    demo_portrait,
    quiet_opencv,
    replay_source,
)


def cmd_list(_: argparse.Namespace) -> int:
    quiet_opencv()
    devices = sorted(glob.glob("/dev/video*"))
    found = []
    for index in range(8):
        camera = OpenCVCamera(index=index)
        try:
            granted = camera.open()
        except DeviceError:
            continue
        finally:
            camera.close()
        found.append({"index": index, "format": granted.describe()})
    print(json.dumps({"device_nodes": devices, "cameras": found}, ensure_ascii=False, indent=2))
    return 0 if found else 1


def _source(args: argparse.Namespace) -> FrameSource:
    if args.replay:
        return replay_source(args.replay, fps=args.fps)
    if args.demo:
        return ArraySource([demo_portrait(args.width, args.height)], fps=args.fps)
    return OpenCVCamera(index=args.index if args.device is None else None, device=args.device,
                        width=args.width, height=args.height, fps=args.fps)  # fmt: skip


def cmd_probe(args: argparse.Namespace) -> int:
    source = _source(args)
    device = CameraDevice(source, retry_interval=0.2)
    done = threading.Event()
    stamps: list[float] = []

    def on_frame(frame: Frame) -> None:
        stamps.append(frame.timestamp)
        if len(stamps) >= args.frames:
            done.set()

    device.subscribe_frames(on_frame)
    device.start()
    done.wait(args.timeout)
    status = device.status  # before stop() turns it into DISABLED
    device.stop()
    granted = device.granted
    measured = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
    result = {
        "source": source.name,
        "requested": {"width": args.width, "height": args.height, "fps": args.fps},
        "granted": None if granted is None else {
            "width": granted.width, "height": granted.height, "fps": granted.fps,
            "backend": granted.backend,
        },
        "frames": len(stamps),
        "measured_fps": round(measured, 2),
        "state": status.state.value,
        "detail": status.detail,
    }  # fmt: skip
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if len(stamps) >= args.frames else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devices.camera", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list cameras")
    probe = sub.add_parser("probe", help="open a camera and measure it")
    where = probe.add_mutually_exclusive_group()
    where.add_argument("--index", type=int, default=0)
    where.add_argument("--device")
    where.add_argument("--replay", nargs="+")
    where.add_argument("--demo", action="store_true")
    probe.add_argument("--width", type=int, default=1280)
    probe.add_argument("--height", type=int, default=720)
    probe.add_argument("--fps", type=int, default=30)
    probe.add_argument("--frames", type=int, default=60)
    probe.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args(argv)
    return cmd_list(args) if args.command == "list" else cmd_probe(args)


if __name__ == "__main__":
    sys.exit(main())

"""Counter Station entry point: python main.py [--demo] [--kiosk] [--config FILE]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="counter-station", description="Counter Station — 交管12123 面签注册工作站"
    )
    parser.add_argument("--demo", action="store_true",
                        help="simulated devices and an embedded central service")
    parser.add_argument("--kiosk", action="store_true", help="self-service terminal mode")
    parser.add_argument("--config", type=Path, help="settings file (TOML)")
    parser.add_argument("--language", choices=["zh_CN", "en"], help="interface language")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from ui.app import run  # Qt is imported only once the arguments are known

    return run(args)


if __name__ == "__main__":
    sys.exit(main())

"""python -m station.security rotate-key | purge | wipe --yes  [--config FILE]"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path

from station.config import SettingsError, load_settings
from station.db.database import Database
from station.security import maintenance


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m station.security")
    parser.add_argument("command", choices=["rotate-key", "purge", "wipe"])
    parser.add_argument("--config", type=Path)
    parser.add_argument("--yes", action="store_true", help="confirm the wipe")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    data_dir = Path(settings.storage.data_dir)
    key_file = data_dir / "data.key"
    url = settings.storage.resolved_database_url()
    if args.command == "wipe":
        if not args.yes:
            print("error: the wipe destroys every case on this station; add --yes", file=sys.stderr)
            return 2
        db_file = Path(url.split("///", 1)[1]) if url.startswith("sqlite:///") else None
        removed = maintenance.wipe_station(data_dir, db_file, key_file)
        print(json.dumps({"removed": [str(p) for p in removed]}))
        return 0
    db = Database(url, key_file)
    try:
        if args.command == "rotate-key":
            count = db.write(lambda s: maintenance.rotate_key(s, key_file, "admin-cli"), timeout=None)
            print(json.dumps({"rewritten_values": count}))
        else:
            retention = timedelta(days=settings.security.retention_days)
            purged = db.write(lambda s: maintenance.purge_expired(s, retention, "admin-cli"))
            print(json.dumps({"purged_cases": len(purged)}))
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

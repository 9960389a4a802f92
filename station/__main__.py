"""The station's own command line: enrol with the central service, show the link's state.

    python -m station enrol --config FILE --code CODE
    python -m station status --config FILE [--json] [--no-probe]

Exit status: 0 done; 2 the settings or the central address cannot be used; 3 the central
service refused the enrolment code (wrong, used or expired); 4 the central service cannot be
reached (network, TLS certificate).

Only the core is needed (settings, the station database, the HTTP client), so this lives in
station/ and needs neither the devices nor the UI: it can run beside a running station.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from station import i18n
from station.config import Settings, SettingsError, load_settings
from station.db.database import Database
from station.enrolment import EnrolmentRefused, enrol, link_status
from station.i18n import tr
from station.security.files import private_dir
from station.sync.client import CentralUnavailable
from station.sync.connection import CentralAddressError

EXIT_OK, EXIT_SETTINGS, EXIT_REFUSED, EXIT_UNREACHABLE = 0, 2, 3, 4


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m station")
    commands = parser.add_subparsers(dest="command", required=True)
    enrol_cmd = commands.add_parser("enrol", help="enrol this station with the central service")
    enrol_cmd.add_argument("--config", type=Path, required=True, help="settings file (TOML)")
    enrol_cmd.add_argument("--code", required=True, help="one-time enrolment code")
    enrol_cmd.add_argument("--url", help="central service address (default: central.url)")
    status = commands.add_parser("status", help="enrolment, central link and backlog")
    status.add_argument("--config", type=Path, required=True, help="settings file (TOML)")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.add_argument("--no-probe", action="store_true",
                        help="do not contact the central service")
    return parser


def _database_path(settings: Settings) -> Path | None:
    url = settings.storage.resolved_database_url()
    return Path(url.split("///", 1)[1]) if url.startswith("sqlite:///") else None


def _open_database(settings: Settings, create: bool) -> Database | None:
    data_dir = Path(settings.storage.data_dir)
    path = _database_path(settings)
    if not create and path is not None and not path.exists():
        return None  # the station never started here: nothing to report, nothing to create
    private_dir(data_dir)
    return Database(settings.storage.resolved_database_url(), data_dir / "data.key")


def _enrol(settings: Settings, code: str, url: str | None) -> int:
    database = _open_database(settings, create=True)
    assert database is not None
    try:
        result = enrol(settings, database, code, url)
    except CentralAddressError as exc:
        print(tr("StationCli", "error: {error}").format(error=exc), file=sys.stderr)
        return EXIT_SETTINGS
    except EnrolmentRefused as exc:
        print(tr("StationCli", "error: {error}").format(error=exc), file=sys.stderr)
        return EXIT_REFUSED
    except CentralUnavailable as exc:
        print(tr("StationCli", "error: {error}").format(error=exc.message), file=sys.stderr)
        return EXIT_UNREACHABLE
    finally:
        database.close()
    done = tr("StationCli", "Station {code} is enrolled with {url}.") if not result.replaced \
        else tr("StationCli", "Station {code} is enrolled again with {url}; its previous "
                "credential is no longer valid.")
    print(done.format(code=result.station_code, url=result.central_url))
    print(tr("StationCli", "The credential is stored sealed in {path}.").format(
        path=settings.storage.resolved_database_url().split("///", 1)[-1]))
    print(tr("StationCli", "A running station picks it up within one sync interval."))
    return EXIT_OK


def _status(settings: Settings, as_json: bool, probe: bool) -> int:
    database = _open_database(settings, create=False)
    try:
        report = link_status(settings, database, probe=probe)
    finally:
        if database is not None:
            database.close()
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return EXIT_OK
    yes, no = tr("StationCli", "yes"), tr("StationCli", "no")
    lines = [
        (tr("StationCli", "Station"), report["station_code"]),
        (tr("StationCli", "Enrolled"), yes if report["enrolled"] else no),
        (tr("StationCli", "Central service"), f"{report['central']} {report['central_url'] or ''}"),
        (tr("StationCli", "Cases waiting to sync"), str(report["pending_cases"])),
        (tr("StationCli", "Cases refused"), str(report["failed_cases"])),
        (tr("StationCli", "Last sync"), report["last_sync"] or "-"),
    ]
    for label, value in lines:
        print(f"{label}: {value}")
    print(report["detail"])
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SETTINGS
    i18n.set_language(settings.ui.language)
    if args.command == "enrol":
        return _enrol(settings, args.code, args.url)
    return _status(settings, args.json, not args.no_probe)


if __name__ == "__main__":
    sys.exit(main())

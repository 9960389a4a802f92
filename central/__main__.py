"""Command line of the central service.

    python -m central migrate --db URL   (before serve, after every upgrade)
    python -m central serve --db URL [--host 127.0.0.1] [--port 8600] [--workers N]
    python -m central create-user --db URL USERNAME --role admin   (password from stdin)
    python -m central enrolment-code --db URL STATION_CODE [--name NAME]
    python -m central unlock-user --db URL USERNAME   (after repeated wrong passwords)
    python -m central rotate-key --db URL [--data-dir DIR | --key-file FILE]
    python -m central stations list|disable|enable [CODE] --db URL [--json]
    python -m central users list|disable|enable [USERNAME] --db URL [--json]
    python -m central seal-legacy --db URL [--data-dir DIR | --key-file FILE]   (once, after
        upgrading a service with rows from before sealing: the API refuses unsealed rows)
    python -m central config publish DIR --db URL [--note TEXT]   (rules, agreements, ...)
    python -m central config show --db URL [--version N] [--json] [--file PATH]
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from central import schemas
from central.config import CentralConfig, upstream_from_env
from central.db import make_engine, migrate, normalise_url, schema_state, session_factory
from central.errors import ApiError

DB_FROM_ENV = os.environ.get("CENTRAL_DB_URL")  # deploy/central.env sets it for systemd
DB_HELP = "SQLAlchemy URL (postgresql://... or sqlite:///...); default $CENTRAL_DB_URL"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m central")
    commands = parser.add_subparsers(dest="command", required=True)
    migrate_cmd = commands.add_parser(
        "migrate", help="bring the database schema to this version (run before serve)")
    migrate_cmd.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    env = os.environ
    serve.add_argument("--host", default=env.get("CENTRAL_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(env.get("CENTRAL_PORT", "8600")))
    serve.add_argument("--workers", type=int, default=int(env.get("CENTRAL_WORKERS", "1")),
                       help="API processes (stateless; default $CENTRAL_WORKERS or 1)")
    serve.add_argument("--data-dir", type=Path,
                       default=Path(env.get("CENTRAL_DATA_DIR", "central-data")))
    serve.add_argument("--sms-gateway", default=env.get("CENTRAL_SMS_GATEWAY"),
                       help='"dev" or "module:Class" (default $CENTRAL_SMS_GATEWAY)')
    serve.add_argument("--calendar-file", type=Path, default=None)
    serve.add_argument("--lease-seconds", type=int,
                       default=int(env.get("CENTRAL_LEASE_SECONDS", "300")))
    serve.add_argument("--log-level", default=env.get("CENTRAL_LOG_LEVEL", "INFO"))
    serve.add_argument("--no-dispatch", action="store_true", help="do not send notifications")
    serve.add_argument("--migrate", action="store_true",
                       help="migrate first (development; production runs `migrate` itself)")
    serve.add_argument("--amqp-url", default=env.get("CENTRAL_AMQP_URL"),
                       help="publish the event stream to this broker (amqp://...)")
    user = commands.add_parser("create-user", help="add an operator (password read from stdin)")
    user.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    user.add_argument("username")
    user.add_argument("--role", choices=["clerk", "supervisor", "admin"], required=True)
    user.add_argument("--display-name", default="")
    code = commands.add_parser("enrolment-code", help="issue a one-time station enrolment code")
    code.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    code.add_argument("station_code")
    code.add_argument("--name", default="")
    code.add_argument("--office", default="")
    unlock = commands.add_parser("unlock-user", help="lift a sign-in lockout")
    unlock.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    unlock.add_argument("username")
    platform = commands.add_parser(
        "platform-client", help="create a 12123 platform intake client (prints its credential)")
    platform.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    platform.add_argument("code", help="e.g. APP-12123")
    platform.add_argument("--name", default="交管12123")
    platform.add_argument("--data-dir", type=Path, default=Path("central-data"),
                          help="where the data key is (seals the webhook secret)")
    stations = commands.add_parser("stations", help="list, disable or enable stations")
    stations.add_argument("action", choices=["list", "disable", "enable"])
    stations.add_argument("station_code", nargs="?", help="the station (disable, enable)")
    stations.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    stations.add_argument("--json", action="store_true", help="print JSON")
    users = commands.add_parser("users", help="list, disable or enable operator accounts")
    users.add_argument("action", choices=["list", "disable", "enable"])
    users.add_argument("username", nargs="?", help="the operator (disable, enable)")
    users.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    users.add_argument("--json", action="store_true", help="print JSON")
    config = commands.add_parser("config", help="publish or show the stations' configuration")
    config_commands = config.add_subparsers(dest="config_command", required=True)
    publish = config_commands.add_parser(
        "publish", help="publish DIR (rules/review_routing.toml, agreements/, photo_profiles/, "
        "calendar.json, office.toml) as the next version")
    publish.add_argument("directory", type=Path)
    publish.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    publish.add_argument("--note", default="", help="what changed (kept with the version)")
    show = config_commands.add_parser("show", help="the newest version (or --version N)")
    show.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    show.add_argument("--version", type=int, default=None)
    show.add_argument("--json", action="store_true")
    show.add_argument("--file", default=None, help="print this file of the version")
    handovers = commands.add_parser(
        "handovers", help="approved results not yet stored by the traffic system; retry "
        "refused ones")
    handovers.add_argument("action", choices=["list", "retry"])
    handovers.add_argument("--case", default=None, help="retry: only this case number")
    handovers.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    handovers.add_argument("--json", action="store_true", help="print JSON")
    rotate = commands.add_parser("rotate-key", help="add a data key and re-seal all personal data")
    rotate.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    rotate.add_argument("--data-dir", type=Path, default=Path("central-data"))
    rotate.add_argument("--key-file", type=Path, default=None,
                        help="default: <data-dir>/data-key.json")
    legacy = commands.add_parser("seal-legacy",
                                 help="seal rows stored before sealing existed (run once)")
    legacy.add_argument("--db", default=DB_FROM_ENV, help=DB_HELP)
    legacy.add_argument("--data-dir", type=Path, default=Path("central-data"))
    legacy.add_argument("--key-file", type=Path, default=None,
                        help="default: <data-dir>/data-key.json")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from central.logs import configure

    configure(getattr(args, "log_level", "INFO"))
    if not args.db:
        print("error: no database: give --db URL or set CENTRAL_DB_URL", file=sys.stderr)
        return 2
    engine = make_engine(normalise_url(args.db), pool_size=2)
    if args.command == "migrate" or getattr(args, "migrate", False):
        before, head = schema_state(engine)
        migrate(engine)
        if args.command == "migrate":
            engine.dispose()
            print(f"database schema at {head}" + ("" if before == head else
                                                 f" (was {before or 'empty'})"))
            return 0
    current, head = schema_state(engine)
    if current != head:
        engine.dispose()
        print(f"error: the database schema is at {current or 'nothing'}, this version needs "
              f"{head}: run `python -m central migrate` first", file=sys.stderr)
        return 3
    if args.command == "serve":
        engine.dispose()
        return _serve(args)
    if args.command in ("rotate-key", "seal-legacy"):
        from central.maintenance import rotate_key, seal_legacy

        key_file = args.key_file or CentralConfig(db_url="", data_dir=args.data_dir).key_file
        result = (rotate_key if args.command == "rotate-key" else seal_legacy)(engine, key_file)
        engine.dispose()
        print(f"data key {result['key_id']}: sealed {result['cases']} cases, "
              f"{result['notes']} part notes, {result['parts']} parts and "
              f"{result['messages']} messages")
        return 0
    from central import accounts
    from central.models import utcnow

    sessions = session_factory(engine)
    if args.command == "config":
        code = _config(sessions, args)
        engine.dispose()
        return code
    if args.command == "handovers":
        code = _handovers(sessions, args)
        engine.dispose()
        return code
    if args.command in ("stations", "users"):
        code = _stations(sessions, args) if args.command == "stations" else _users(sessions, args)
        engine.dispose()
        return code
    with sessions.begin() as session:
        if args.command == "create-user":
            password = (sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty()
                        else getpass.getpass("Password: "))
            try:
                accounts.create_user(session, schemas.UserIn(
                    username=args.username, display_name=args.display_name, role=args.role,
                    password=password))
            except ApiError as refused:  # e.g. a password the policy refuses: say why
                print(f"refused: {refused.message['en']} / {refused.message['zh']}",
                      file=sys.stderr)
                return 1
            print(f"created {args.role} {args.username}")
        elif args.command == "platform-client":
            from central.sealing import Sealer

            sealer = Sealer.from_key_file(CentralConfig(db_url="", data_dir=args.data_dir).key_file)
            try:
                credential, secret = accounts.create_platform_client(
                    session, args.code, args.name, utcnow(), sealer)
            except ApiError as refusal:
                print(f"refused: {refusal.message['en']}", file=sys.stderr)
                return 1
            print(f"platform client {args.code}")
            print(f"  credential (Bearer token for /v1/intake/): {credential}")
            print(f"  webhook secret (verifies X-CS-Signature): {secret}")
            print("  (shown once)")
        elif args.command == "unlock-user":
            if not accounts.unlock(session, args.username):
                print(f"no such user: {args.username}", file=sys.stderr)
                return 1
            print(f"unlocked {args.username}")
        else:
            issued = accounts.issue_enrolment_code(session, schemas.EnrolmentCodeIn(
                station_code=args.station_code, station_name=args.name, office=args.office),
                None, utcnow(), 72.0)
            print(f"{issued.code} (station {issued.station_code}, expires {issued.expires_at})")
    engine.dispose()
    return 0


def _handovers(sessions: Any, args: argparse.Namespace) -> int:
    from central.audit import audit
    from central.models import utcnow
    from central.upstream.handover import open_handovers, retry_refused

    if args.action == "retry":
        with sessions.begin() as session:
            retried = retry_refused(session, utcnow(), args.case)
            for case_id in retried:
                audit(session, _cli_actor(), "upstream.handover_retried", case_id)
        print(json.dumps({"retried": len(retried)}) if args.json
              else f"{len(retried)} refused hand-over(s) will be sent again")
        return 0 if retried or args.case is None else 1
    with sessions() as session:
        rows = open_handovers(session)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    print(f"{'case':<24} {'result':<17} {'state':<8} {'tries':>5}  last error")
    for row in rows:
        print(f"{row['number']:<24} {row['result']:<17} {row['state']:<8} "
              f"{row['attempts']:>5}  {row['last_error'] or ''}")
    return 0


def _cli_actor() -> Any:
    """Who the audit names for a change made on the server's command line."""
    from central.audit import Principal

    return Principal("user", "", f"cli:{getpass.getuser()}"[:64], "admin")


def _stations(sessions: Any, args: argparse.Namespace) -> int:
    from central import stations
    from central.errors import ApiError
    from central.models import utcnow

    if args.action == "list":
        with sessions() as session:
            rows = stations.list_stations(session)
        if args.json:
            print(json.dumps([row.model_dump(mode="json") for row in rows], ensure_ascii=False))
            return 0
        print(f"{'code':<16} {'kind':<9} {'state':<13} {'last seen (UTC)':<20} "
              f"{'backlog':>7}  name")
        for row in rows:
            seen = row.last_seen_at.strftime("%Y-%m-%d %H:%M:%S") if row.last_seen_at else "-"
            backlog = "-" if row.backlog_pending is None else str(row.backlog_pending)
            print(f"{row.code:<16} {row.kind:<9} {row.state:<13} {seen:<20} {backlog:>7}  "
                  f"{row.name}")
        return 0
    if not args.station_code:
        print(f"error: stations {args.action} needs the station code", file=sys.stderr)
        return 2
    try:
        with sessions.begin() as session:
            row = stations.set_disabled(session, args.station_code, args.action == "disable",
                                        _cli_actor(), utcnow())
    except ApiError as refusal:
        print(f"error: {refusal.message['en']} ({args.station_code})", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(row.model_dump(mode="json"), ensure_ascii=False))
    else:
        print(f"station {row.code}: {row.state}")
    return 0


def _config(sessions: Any, args: argparse.Namespace) -> int:
    from central import published
    from central.errors import ApiError
    from central.models import utcnow
    from station.published import read_bundle_directory

    if args.config_command == "publish":
        if not args.directory.is_dir():
            print(f"error: {args.directory} is not a directory", file=sys.stderr)
            return 2
        try:
            files = read_bundle_directory(args.directory)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        try:
            with sessions.begin() as session:
                before = published.latest(session)
                row = published.publish(session, files, _cli_actor(), utcnow(), args.note)
                info = published.describe(row)
        except ApiError as refusal:
            print(f"error: {refusal.message['en']}", file=sys.stderr)
            for problem in refusal.extra.get("problems", []):
                print(f"  - {problem}", file=sys.stderr)
            return 1
        same = before is not None and before.version == info["version"]
        print(f"configuration version {info['version']} "
              f"{'is unchanged (same files)' if same else 'published'}: "
              f"{len(info['files'])} files, sha256 {info['sha256'][:16]}")
        return 0
    with sessions() as session:
        shown = published.get(session, args.version) if args.version \
            else published.latest(session)
        shown_info = published.describe(shown, with_files=bool(args.file)) if shown else None
    if shown_info is None:
        print("no configuration published yet" if not args.version
              else f"no configuration version {args.version}", file=sys.stderr)
        return 1
    info = shown_info
    if args.file:
        text = info["files"].get(args.file)
        if text is None:
            print(f"error: version {info['version']} has no file {args.file}", file=sys.stderr)
            return 1
        sys.stdout.write(text)
        return 0
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
        return 0
    print(f"version {info['version']} published {info['published_at']} by "
          f"{info['published_by']}: {info['note']}")
    for path, size in info["files"].items():
        print(f"  {path} ({size} bytes)")
    return 0


def _users(sessions: Any, args: argparse.Namespace) -> int:
    from central import roster
    from central.errors import ApiError
    from central.models import utcnow

    if args.action == "list":
        with sessions() as session:
            rows = roster.roster(session, utcnow())
        if args.json:
            print(json.dumps([row.model_dump(mode="json") for row in rows], ensure_ascii=False))
            return 0
        print(f"{'username':<20} {'role':<11} {'state':<9} {'locked until (UTC)':<20} name")
        for row in rows:
            locked = row.locked_until.strftime("%Y-%m-%d %H:%M:%S") if row.locked_until else "-"
            state = "active" if row.active else "disabled"
            print(f"{row.username:<20} {row.role:<11} {state:<9} {locked:<20} {row.display_name}")
        return 0
    if not args.username:
        print(f"error: users {args.action} needs the user name", file=sys.stderr)
        return 2
    try:
        with sessions.begin() as session:
            row = roster.set_active(session, args.username, args.action == "enable",
                                    _cli_actor(), utcnow())
    except ApiError as refusal:
        print(f"error: {refusal.message['en']} ({args.username})", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(row.model_dump(mode="json"), ensure_ascii=False))
    else:
        print(f"user {row.username}: {'active' if row.active else 'disabled'}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    config = CentralConfig(
        db_url=normalise_url(args.db), data_dir=args.data_dir, sms_gateway=args.sms_gateway,
        calendar_file=args.calendar_file, lease_seconds=args.lease_seconds,
        dispatch_notifications=not args.no_dispatch, amqp_url=args.amqp_url,
        **upstream_from_env(),
    )
    os.environ.update(config.to_env())
    os.environ["CENTRAL_LOG_LEVEL"] = args.log_level
    # request metrics of every API process in one place, summed at each scrape (/metrics);
    # a new start begins from zero (files of processes gone would be counted for ever)
    metrics_dir = Path(args.data_dir) / "metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    from central.timeouts import uvicorn_options  # after the environment: workers read it

    uvicorn.run("central.app:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers if args.workers > 1 else None, access_log=False,
                log_config=None, timeout_graceful_shutdown=5,
                **uvicorn_options(config.header_timeout_s))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

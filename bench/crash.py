"""Crash safety: SIGKILL the station at random points while it captures, saves and syncs.

    python -m bench.crash --json [--runs 200] [--seed 1]

A real central service runs as its own process. A headless station process (``child``)
captures cases step by step through station.workflows (the same calls the UI makes), prints a
line after each step returns from the database writer (= committed), and runs the sync
worker. The parent kills it with SIGKILL after a random delay, restarts it, and repeats;
finally a last station process drains the outbox. Then it counts:

  steps_confirmed / steps_lost   every step the station confirmed must be in its database
  cases_committed / delivered    every committed case must reach the central service ...
  lost / duplicated              ... exactly once
  audit_chain_ok                 the hash chain survived every kill
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STATION_CODE = "CRASH-01"
JPEG = b"\xff\xd8\xff\xe0" + os.urandom(30_000)  # ~30 KB "photo" part


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settings(data_dir: Path, url: str) -> Any:
    from station.config import load_settings

    return load_settings(environ={
        "STATION__STORAGE__DATA_DIR": str(data_dir), "STATION__CENTRAL__URL": url,
        "STATION__STATION__CODE": STATION_CODE, "STATION__CENTRAL__SYNC_INTERVAL_S": "0.2",
    })


def child(data_dir: Path, url: str, code: str, drain: bool) -> int:
    """The station under test: capture cases forever (or drain the outbox and exit)."""
    from sqlalchemy import select

    from app.sync import SyncRuntime
    from station.db.database import Database
    from station.db.models import CaseKind, OutboxItem, OutboxState
    from station.events import EventBus
    from station.identity.chip_photo import decode_chip_photo
    from station.identity.samples import sample_card, sample_wlt
    from station.identity.validation import validate_card
    from station.workflows import cases
    from station.workflows.documents import from_identity_card

    settings = _settings(data_dir, url)
    db = Database(settings.storage.resolved_database_url(), data_dir / "data.key")
    sync = SyncRuntime(settings, db, EventBus())
    sync.start()
    if sync.worker is None:
        sync.enrol(code)
    out = sys.stdout

    def confirm(case_id: str, step: str) -> None:
        out.write(f"STEP {case_id} {step}\n")
        out.flush()

    if drain:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with db.session() as session:
                pending = session.scalars(select(OutboxItem.id).where(
                    OutboxItem.state == OutboxState.PENDING)).all()
            if not pending:
                break
            assert sync.worker is not None
            sync.worker.wake()
            time.sleep(0.2)
        sync.stop()
        db.close()
        return 0

    card = sample_card("resident")
    doc = from_identity_card(card, decode_chip_photo(sample_wlt(card), None), list(validate_card(card)))
    while True:
        ref = db.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, STATION_CODE, None, "crash"))
        confirm(ref.id, "started")
        db.write(lambda s, r=ref: cases.save_document(s, r.id, doc, "crash"))
        confirm(ref.id, "document")
        db.write(lambda s, r=ref: cases.save_photo(s, r.id, "live", JPEG, "crash", compliant=True))
        confirm(ref.id, "photo")
        db.write(lambda s, r=ref: cases.save_phone(s, r.id, "13812345678", True, "crash"))
        confirm(ref.id, "phone")
        db.write(lambda s, r=ref: cases.save_signature(s, r.id, b"rec", b"\x89PNG", "0" * 64,
                                                       "2026.1", "crash"))
        confirm(ref.id, "agreement")
        db.write(lambda s, r=ref: cases.commit_case(s, r.id, "crash"))
        confirm(ref.id, "committed")
        if sync.worker is not None:
            sync.worker.wake()


STEP_ACTIONS = {"started": "case.started", "document": "case.document", "photo": "case.photo",
                "phone": "case.phone", "agreement": "case.signature", "committed": "case.committed"}


def run(runs: int, seed: int, central_db: str | None) -> dict[str, Any]:
    from sqlalchemy import create_engine, text

    from station import audit
    from station.db.database import Database
    from station.db.models import AuditEvent, Case, CaseState

    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="crash-"))
    station_dir = work / "station"
    central_url = central_db or f"sqlite:///{work / 'central.sqlite3'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "central", "migrate", "--db", central_url], cwd=ROOT,
                   env=env, capture_output=True, text=True, timeout=120, check=True)
    created = subprocess.run(
        [sys.executable, "-m", "central", "enrolment-code", "--db", central_url, STATION_CODE],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    code = created.stdout.strip().split()[0]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "central", "serve", "--db", central_url, "--port", str(port),
         "--data-dir", str(work / "central"), "--no-dispatch", "--migrate", "--log-level",
         "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    confirmed: list[tuple[str, str]] = []
    started = time.monotonic()
    child_cmd = [sys.executable, "-m", "bench.crash", "child", "--data", str(station_dir),
                 "--central", url, "--code", code]
    try:
        _wait_for(url)
        # enrol once, unharmed (the one-time code cannot be used twice)
        subprocess.run([*child_cmd, "--drain"], cwd=ROOT, env=env, capture_output=True,
                       timeout=180, check=True)
        for _ in range(runs):
            proc = subprocess.Popen(child_cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True)
            time.sleep(rng.uniform(1.0, 4.0))  # start-up takes about a second
            proc.send_signal(signal.SIGKILL)
            output, _ = proc.communicate(timeout=30)
            confirmed += [tuple(line.split()[1:3]) for line in output.splitlines()  # type: ignore[misc]
                          if line.startswith("STEP ")]
        drain = subprocess.run([*child_cmd, "--drain"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=180)
        if drain.returncode != 0:
            raise RuntimeError(f"drain failed: {drain.stderr[-2000:]}")
    finally:
        server.terminate()
        server.wait(timeout=30)

    db = Database(f"sqlite:///{station_dir / 'station.sqlite3'}", station_dir / "data.key")
    with db.session() as session:
        actions = {(e.case_id, e.action) for e in session.query(AuditEvent)}
        chain_ok = not audit.verify_chain(session)
        committed = {c.idempotency_key for c in session.query(Case).filter(
            Case.state.in_([CaseState.COMMITTED, CaseState.SYNCED, CaseState.DECIDED]))}
    db.close()
    steps_lost = [(c, s) for c, s in confirmed if (c, STEP_ACTIONS[s]) not in actions]
    engine = create_engine(central_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        rows = conn.execute(text("select idempotency_key, count(*) from cases group by 1")).all()
    engine.dispose()
    delivered = {key for key, _n in rows}
    return {
        "runs": runs,
        "seconds": round(time.monotonic() - started, 1),
        "steps_confirmed": len(confirmed),
        "steps_lost": len(steps_lost),
        "cases_committed": len(committed),
        "delivered": len(delivered & committed),
        "lost": len(committed - delivered),
        "duplicated": sum(n - 1 for _key, n in rows if n > 1) + len(delivered - committed),
        "audit_chain_ok": chain_ok,
    }


def _wait_for(url: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"central service at {url} did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crash")
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "child"])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--central-db", default=None, help="central DB URL (default: SQLite)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--central")
    parser.add_argument("--code")
    parser.add_argument("--drain", action="store_true")
    args = parser.parse_args(argv)
    if args.mode == "child":
        return child(args.data, args.central, args.code, args.drain)
    result = run(args.runs, args.seed, args.central_db)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0 if result["steps_lost"] == 0 and result["lost"] == 0 and not result["duplicated"] else 1


if __name__ == "__main__":
    sys.exit(main())

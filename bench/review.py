"""Review queue under load: listing latency and claims with concurrent reviewers.

python -m bench.review [--db-url URL] [--cases 100000] [--reviewers 20] [--json]

Creates its own PostgreSQL database (bench_review, dropped at the end), fills it with open
cases by COPY (not through the API, to be quick), starts two ``python -m central serve``
processes on free ports against it, and lets the reviewers (threads, each with its own
signed-in client, spread over both processes) work:

- list phase: each reviewer refreshes the queue (mostly the default view, sometimes with
  filters, another sort or a later page), pausing ``--think-ms`` between requests;
  list_p50_ms / list_p95_ms over all requests (target p95 <= 100 ms);
- claim phase: every reviewer takes the next case again and again (claim-next);
  claims_per_s, and double_claims = cases that two reviewers both hold (must be 0);
- race phase: all reviewers claim the same case at the same moment, for several cases;
  race_double_winners counts cases won by more than one (must be 0).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from argon2 import PasswordHasher

from central.db import make_engine, migrate
from station.sync.client import CentralClient, CentralError
from station.workdays import WorkdayCalendar

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password-1"
KINDS = ("individual", "organisation", "elicence_photo", "manual_review")
FLAGS = ("LOW_FACE_MATCH", "CHIP_PHOTO_UNAVAILABLE", "MANUAL_ENTRY", "PHOTO_OVERRIDE",
         "DOCUMENT_EXPIRED", "PHONE_NOT_VERIFIED")  # routing flags (station/vocabulary)


def plain_url(url: str) -> str:
    """psycopg wants postgresql://, SQLAlchemy postgresql+psycopg://."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def database_url(admin_url: str, name: str) -> str:
    base, _sep, _db = plain_url(admin_url).rpartition("/")
    return f"{base}/{name}"


def recreate_database(admin_url: str, name: str, drop_only: bool = False) -> None:
    with psycopg.connect(plain_url(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(url: str, cases: int, reviewers: int, now: datetime, rng: random.Random) -> None:
    """Stations, supervisors and ``cases`` open cases, received over the last three days."""
    engine = make_engine(url, pool_size=1)
    migrate(engine)
    engine.dispose()
    calendar = WorkdayCalendar.load()
    password_hash = PasswordHasher(time_cost=1, memory_cost=1024).hash(PASSWORD)
    stations = [(secrets.token_hex(16), f"ST-{n:02d}") for n in range(10)]
    with psycopg.connect(plain_url(url)) as conn, conn.cursor() as cur:
        for station_id, code in stations:
            cur.execute("INSERT INTO stations (id, code, name, office, feed_seq, created_at) "
                        "VALUES (%s, %s, %s, '', 0, %s)", (station_id, code, code, now))
        for n in range(reviewers):
            cur.execute("INSERT INTO users (id, username, display_name, role, password_hash, "
                        "active, created_at) VALUES (%s, %s, %s, 'supervisor', %s, true, %s)",
                        (secrets.token_hex(16), f"sup{n:02d}", f"Supervisor {n}",
                         password_hash, now))
        columns = ("id, station_id, station_code, idempotency_key, payload_sha256, number, "
                   "kind, clerk, flags_text, payload, committed_at, received_at, due_at, "
                   "review_state, receipt")
        due_of: dict[tuple[int, int], datetime] = {}  # per received minute: calendar is slow-ish
        with cur.copy(f"COPY cases ({columns}) FROM STDIN") as copy:
            for index in range(cases):
                station_id, code = stations[index % len(stations)]
                received = now - timedelta(minutes=rng.uniform(0, 3 * 24 * 60))
                minute = (int(received.timestamp()) // 60, 0)
                due = due_of.get(minute)
                if due is None:
                    due = due_of[minute] = calendar.due_time(received)
                kind = KINDS[index % len(KINDS)] if index % 5 else "individual"
                flags = rng.sample(FLAGS, rng.choice((1, 1, 2)))
                case_id = secrets.token_hex(16)
                number = f"B{index:08d}"
                payload = json.dumps({"number": number, "kind": kind, "flags": flags,
                                      "fields": {}, "parts": []})
                receipt = json.dumps({"case_id": case_id, "number": number,
                                      "review_state": "pending"})
                copy.write_row((
                    case_id, station_id, code, f"bench-{index:08d}", "0" * 64, number, kind,
                    f"clerk{index % 30:02d}", "," + "".join(f"{f}," for f in flags), payload,
                    received, received, due, "pending", receipt))
        conn.commit()
        cur.execute("ANALYZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_servers(url: str, count: int, data_dir: Path) -> tuple[list[subprocess.Popen[bytes]],
                                                                list[str]]:
    processes, urls = [], []
    for _ in range(count):
        port = free_port()
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "central", "serve", "--db", url, "--port", str(port),
             "--no-dispatch", "--log-level", "WARNING", "--data-dir", str(data_dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    for process, base in zip(processes, urls, strict=True):
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"central server {base} exited with {process.returncode}")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"central server {base} did not start")
            time.sleep(0.1)
    return processes, urls


def stop_servers(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_threads(count: int, work: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# The statements behind one default queue request (central.review.queue.list_queue), timed
# alone on the database: they show where the listing time goes. db_page_ms and db_claimed_ms run on every
# request; db_snapshot_ms is the count of the groups the counts are summed from, run about
# once a second by one API process (in the background while listings go on).
QUEUE_STATEMENTS = {
    "db_page_ms": "SELECT id, number, kind, station_code, clerk, flags_text, received_at, "
                  "due_at, review_state, claimed_by, lease_until FROM cases "
                  "WHERE review_state = 'pending' AND (claimed_by IS NULL OR lease_until < now()) "
                  "ORDER BY due_at, received_at, id LIMIT 50",
    "db_claimed_ms": "SELECT count(*) FROM cases WHERE review_state = 'pending' AND "
                     "claimed_by IS NOT NULL AND lease_until >= now()",
    "db_snapshot_ms": "SELECT review_state, kind, station_code, clerk, flags_text, "
                      "review_state = 'pending' AND due_at < now(), count(*) FROM cases "
                      "WHERE review_state <> 'not_required' GROUP BY 1, 2, 3, 4, 5, 6",
}


def database_breakdown(url: str, repeats: int = 5) -> dict[str, float]:
    timings: dict[str, float] = {}
    with psycopg.connect(plain_url(url)) as conn:
        for name, statement in QUEUE_STATEMENTS.items():
            runs = []
            for _ in range(repeats):
                started = time.perf_counter()
                conn.execute(statement).fetchall()
                runs.append((time.perf_counter() - started) * 1000)
            timings[name] = round(sorted(runs)[len(runs) // 2], 1)
    return timings


def single_reviewer(client: CentralClient, requests: int = 15) -> dict[str, float]:
    """One reviewer alone: the floor that concurrency adds to."""
    runs = []
    for _ in range(requests):
        started = time.perf_counter()
        client.list_queue(state="pending", limit=50)
        runs.append((time.perf_counter() - started) * 1000)
    return {"single_list_p50_ms": round(percentile(runs, 50), 1)}


def list_phase(clients: list[CentralClient], seconds: float, think_ms: float,
               seed_value: int) -> dict[str, Any]:
    latencies: list[list[float]] = [[] for _ in clients]
    errors = Counter[str]()
    stop_at = time.monotonic() + seconds

    def reviewer(n: int) -> None:
        rng = random.Random(seed_value + n)
        client = clients[n]
        while time.monotonic() < stop_at:
            roll = rng.random()
            params: dict[str, Any] = {"state": "pending", "limit": 50}
            if roll < 0.15:
                params["kind"] = rng.choice(KINDS)
            elif roll < 0.25:
                params["reason"] = rng.choice(FLAGS)
            elif roll < 0.30:
                params["clerk"] = f"clerk{rng.randrange(30):02d}"
            elif roll < 0.35:
                params["overdue"] = True
            elif roll < 0.45:
                params["offset"] = rng.randrange(1, 20) * 50
            elif roll < 0.50:
                params["sort"] = rng.choice(("-received_at", "station", "number"))
            started = time.perf_counter()
            try:
                client.list_queue(**params)
            except CentralError as exc:
                errors[exc.code] += 1
                continue
            latencies[n].append((time.perf_counter() - started) * 1000)
            if think_ms:
                time.sleep(rng.uniform(0.5, 1.5) * think_ms / 1000)

    started = time.monotonic()
    run_threads(len(clients), reviewer)
    elapsed = time.monotonic() - started
    every = [ms for per in latencies for ms in per]
    return {
        "list_requests": len(every),
        "list_per_s": round(len(every) / elapsed, 1),
        "list_p50_ms": round(percentile(every, 50), 1),
        "list_p95_ms": round(percentile(every, 95), 1),
        "list_max_ms": round(max(every), 1) if every else None,
        "list_errors": dict(errors),
    }


def claim_phase(clients: list[CentralClient], seconds: float) -> dict[str, Any]:
    held: list[list[str]] = [[] for _ in clients]
    latencies: list[float] = []
    errors = Counter[str]()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def reviewer(n: int) -> None:
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                lease = clients[n].claim_next()
            except CentralError as exc:
                errors[exc.code] += 1
                continue
            if lease is None:
                break
            held[n].append(lease["case_id"])
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.monotonic()
    run_threads(len(clients), reviewer)
    elapsed = time.monotonic() - started
    counted = Counter(case_id for per in held for case_id in per)
    return {
        "claims": sum(counted.values()),
        "claims_per_s": round(sum(counted.values()) / elapsed, 1),
        "claim_p95_ms": round(percentile(latencies, 95), 1),
        "double_claims": sum(1 for n in counted.values() if n > 1),
        "claim_errors": dict(errors),
    }


def race_phase(clients: list[CentralClient], rounds: int) -> dict[str, Any]:
    """All reviewers claim one case at the same instant (a barrier), ``rounds`` times."""
    page = clients[0].list_queue(state="pending", limit=rounds, sort="-due_at")
    targets = [item.case_id for item in page.items]
    barrier = threading.Barrier(len(clients))
    winners: list[Counter[str]] = [Counter() for _ in targets]
    lock = threading.Lock()
    unexpected = Counter[str]()

    def reviewer(n: int) -> None:
        for index, case_id in enumerate(targets):
            barrier.wait()
            try:
                clients[n].claim(case_id)
            except CentralError as exc:
                if exc.code != "case_claimed":
                    with lock:
                        unexpected[exc.code] += 1
                continue
            with lock:
                winners[index][f"sup{n}"] += 1

    run_threads(len(clients), reviewer)
    return {
        "race_cases": len(targets),
        "race_double_winners": sum(1 for w in winners if sum(w.values()) > 1),
        "race_no_winner": sum(1 for w in winners if sum(w.values()) == 0),
        "race_errors": dict(unexpected),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.review")
    parser.add_argument("--db-url", default=os.environ.get("TEST_DATABASE_URL", DEFAULT_URL),
                        help="a PostgreSQL server URL; the benchmark makes its own database")
    parser.add_argument("--database", default="bench_review")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--list-seconds", type=float, default=20.0)
    parser.add_argument("--think-ms", type=float, default=1000.0,
                        help="mean pause between one reviewer's refreshes (0: flat out)")
    parser.add_argument("--claim-seconds", type=float, default=10.0)
    parser.add_argument("--race-rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    now = datetime.now(UTC)
    url = database_url(args.db_url, args.database)
    result: dict[str, Any] = {"cases": args.cases, "reviewers": args.reviewers,
                              "processes": args.processes, "think_ms": args.think_ms}
    recreate_database(args.db_url, args.database)
    processes: list[subprocess.Popen[bytes]] = []
    clients: list[CentralClient] = []
    try:
        started = time.monotonic()
        seed(url, args.cases, args.reviewers, now, random.Random(args.seed))
        result["seed_s"] = round(time.monotonic() - started, 1)
        with tempfile.TemporaryDirectory(prefix="bench-review-") as data_dir:
            processes, urls = start_servers(url, args.processes, Path(data_dir))
            for n in range(args.reviewers):
                client = CentralClient(urls[n % len(urls)], timeout=30)
                client.login(f"sup{n:02d}", PASSWORD)
                clients.append(client)
            clients[0].list_queue()  # warm the caches
            result.update(database_breakdown(url))
            result.update(single_reviewer(clients[0]))
            result.update(list_phase(clients, args.list_seconds, args.think_ms, args.seed))
            if args.think_ms:
                flat = list_phase(clients, min(args.list_seconds, 8.0), 0, args.seed + 1000)
                result["flat_out_list_per_s"] = flat["list_per_s"]
                result["flat_out_list_p95_ms"] = flat["list_p95_ms"]
            result.update(claim_phase(clients, args.claim_seconds))
            result.update(race_phase(clients, args.race_rounds))
    finally:
        for client in clients:
            client.close()
        stop_servers(processes)
        recreate_database(args.db_url, args.database, drop_only=True)
    result["list_target_met"] = result.get("list_p95_ms", 1e9) <= 100
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0 if result["double_claims"] == 0 and result["race_double_winners"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

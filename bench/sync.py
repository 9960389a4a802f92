"""Sync benchmark: many stations deliver cases (a ~30 KB photo each) to the central service on
PostgreSQL while the server is killed and restarted and connections are dropped.

    python -m bench.sync --json [--stations 50] [--cases 60] [--batch 20] [--workers 3] [--db URL]
    python -m bench.sync --json --soak 600 --kill-every 5 [--stations 20] [--pace 2]

Prints stations, cases, cases_per_s, lost, duplicated (and details). ``--soak S``: for S seconds
every station makes a case every ``--pace`` seconds while the whole server is SIGKILLed every
``--kill-every`` seconds (give or take half) and restarted; then the stations drain their
outboxes with the server up, and the cases are counted. The database URL comes
from --db, $BENCH_DATABASE_URL, $TEST_DATABASE_URL or postgresql://postgres@127.0.0.1:5432;
the benchmark creates and drops its own database there. If PostgreSQL cannot be reached it
says why and exits with status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import itertools
import json
import multiprocessing
import os
import random
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from central.testing import ServerProcess, create_database, drop_database, free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


# --- a TCP proxy that drops connections ---------------------------------------------------


class DroppingProxy:
    """Forwards 127.0.0.1:listen -> 127.0.0.1:target; while ``dropping`` it aborts a share
    of connections at a random moment (mid-request or mid-response)."""

    def __init__(self, target_port: int, drop_rate: float) -> None:
        self.target_port = target_port
        self.drop_rate = drop_rate
        self.port = free_port()
        self.dropping = False
        self.dropped = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="proxy", daemon=True)
        self._ready = threading.Event()
        self._rng = random.Random(5)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(5)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.port, backlog=512))
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        doomed = self.dropping and self._rng.random() < self.drop_rate
        # keep-alive connections carry many requests: cut a doomed one somewhere in its
        # first few megabytes, usually in the middle of a request or a response
        budget = self._rng.randint(100, 3_000_000) if doomed else -1

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            nonlocal budget
            try:
                while data := await src.read(65536):
                    if budget >= 0:
                        budget -= len(data)
                        if budget < 0:
                            self.dropped += 1
                            writer.transport.abort()
                            up_writer.transport.abort()
                            return
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


# --- simulated stations ---------------------------------------------------------------------


@dataclass
class StationSim:
    code: str
    credential: str
    cases: int
    delivered: int = 0
    retries: int = 0
    replays: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)


def station_cases(sim: StationSim, rng: random.Random) -> list[tuple[str, dict[str, Any], bytes]]:
    """The station's outbox: (idempotency key, case body, photo) for each of its cases."""
    stream = case_stream(sim, rng)
    return [next(stream) for _ in range(sim.cases)]


def case_stream(sim: StationSim, rng: random.Random) -> Iterator[tuple[str, dict[str, Any], bytes]]:
    """The station's cases, one after another, for as long as it is asked."""
    for index in itertools.count():
        photo = b"\xff\xd8\xff\xe0" + rng.randbytes(30_000)
        sha = hashlib.sha256(photo).hexdigest()
        key = f"{sim.code}-{index:05d}-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}"
        body = {
            "number": f"{sim.code}-{index:05d}", "kind": "individual", "clerk": "clerk1",
            "review_required": index % 5 == 0, "flags": ["LOW_FACE_MATCH"] if index % 5 == 0
            else [], "fields": {"station_code": sim.code, "details": {"i": index}},
            "parts": [{"sha256": sha, "role": "photo", "media_type": "image/jpeg",
                       "size": len(photo), "meta": {"match_score": 0.7}}],
        }
        yield key, body, photo


def run_station(sim: StationSim, base_url: str, stop_at: float, seed: int, batch: int,
                progress: Any = None, produce_until: float | None = None,
                pace: float = 1.0) -> None:
    """Deliver the outbox as a station's sync worker does: up to ``batch`` cases per request
    with their photos inline (batch 0: the one-case path, photo PUT then case POST), retrying
    with jittered backoff whenever the server or the connection fails. ``produce_until``
    (soak): the outbox grows by a case every ``pace`` seconds until then (``sim.cases``
    counts them), and is drained after."""
    from station.sync.client import CentralClient, CentralError, CentralUnavailable
    from station.wire import BatchOutcome, CaseIn

    rng = random.Random(seed)
    client = CentralClient(base_url, token=sim.credential, timeout=5.0)
    stream = case_stream(sim, rng)
    outbox = station_cases(sim, rng) if produce_until is None else []
    next_case_at = time.monotonic() + rng.uniform(0, pace)
    attempt = 0
    while True:
        now = time.monotonic()
        while produce_until is not None and next_case_at <= min(now, produce_until):
            outbox.append(next(stream))  # the counter goes on while the server is away
            sim.cases += 1
            next_case_at += pace
        if not outbox:
            if produce_until is None or now >= produce_until:
                break
            time.sleep(min(0.2, max(0.0, next_case_at - now)))
            continue
        if now > stop_at:
            sim.errors.append("time limit")
            break
        group = outbox[: max(1, batch)]
        try:
            if batch:
                results = client.ingest_batch(
                    [(key, CaseIn.model_validate(body)) for key, body, _photo in group],
                    {body["parts"][0]["sha256"]: photo for _key, body, photo in group})
            else:
                key, body, photo = group[0]
                client.upload_part(body["parts"][0]["sha256"], photo)
                receipt = client.ingest_case(CaseIn.model_validate(body), key)
                results = [BatchOutcome(idempotency_key=key, status=200, receipt=receipt)]
        except CentralUnavailable:
            attempt += 1
            sim.retries += 1
            ceiling = min(1.0, 0.05 * 2 ** min(attempt, 6))
            time.sleep(ceiling / 2 + rng.uniform(0, ceiling / 2))
            continue
        except CentralError as exc:
            sim.errors.append(str(exc))
            break
        attempt = 0
        for result in results:
            if result.receipt is not None:
                sim.delivered += 1
                sim.replays += result.receipt.replayed
            else:
                sim.errors.append(f"{result.status} {result.error}")
        if progress is not None:
            with progress.get_lock():
                progress.value += len(results)
        outbox = outbox[len(group):]
        sim.requests += 1
    client.close()


def enrol_stations(db_url: str, count: int) -> list[StationSim]:
    from central.db import make_engine, migrate, session_factory
    from central.models import Station
    from central.security import digest, new_secret

    engine = make_engine(db_url, pool_size=1)
    migrate(engine)
    sims = []
    with session_factory(engine).begin() as session:
        for index in range(count):
            credential = new_secret()
            code = f"BS-{index:03d}"
            session.add(Station(code=code, name=code, credential_hash=digest(credential)))
            sims.append(StationSim(code, credential, 0))
    engine.dispose()
    return sims


def count_results(db_url: str) -> dict[str, int]:
    from sqlalchemy import text

    from central.db import make_engine

    engine = make_engine(db_url, pool_size=1)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*), count(DISTINCT number) FROM cases")).one()
        orphans = conn.execute(text(
            "SELECT count(*) FROM case_parts p LEFT JOIN blobs b ON b.sha256 = p.sha256 "
            "WHERE b.sha256 IS NULL")).scalar_one()
        queued = conn.execute(text(
            "SELECT count(*) FROM cases WHERE review_state = 'pending'")).scalar_one()
    engine.dispose()
    return {"rows": rows[0], "distinct": rows[1], "parts_without_blob": orphans,
            "queued_for_review": queued}


def _proxy_process(target_port: int, drop_rate: float, port_out: Any, stop: Any,
                   dropped_out: Any) -> None:
    proxy = DroppingProxy(target_port, drop_rate)
    proxy.dropping = True
    proxy.start()
    port_out.value = proxy.port
    stop.wait()
    dropped_out.value = proxy.dropped
    proxy.stop()


def _client_process(sims: list[StationSim], base_url: str, stop_at_wall: float,
                    first_seed: int, batch: int, results: Any, progress: Any,
                    produce_until_wall: float | None = None, pace: float = 1.0) -> None:
    stop_at = time.monotonic() + (stop_at_wall - time.time())
    produce_until = None if produce_until_wall is None else \
        time.monotonic() + (produce_until_wall - time.time())
    threads = []
    for offset, sim in enumerate(sims):
        thread = threading.Thread(target=run_station,
                                  args=(sim, base_url, stop_at, first_seed + offset, batch,
                                        progress, produce_until, pace),
                                  daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    results.put([(sim.code, sim.delivered, sim.retries, sim.replays, sim.errors[:3],
                  sim.requests, sim.cases) for sim in sims])


def run(args: argparse.Namespace) -> dict[str, Any]:
    server_url = args.db or os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "TEST_DATABASE_URL") or DEFAULT_URL
    try:
        db_url, db_name = create_database(server_url, "bench_sync")
    except Exception as exc:
        return {"error": f"PostgreSQL is not reachable at {server_url}: {exc}"}
    data_dir = Path(os.environ.get("TMPDIR", "/tmp")) / db_name
    server = ServerProcess(db_url, free_port(), args.workers, data_dir, ("--no-dispatch",))
    ctx = multiprocessing.get_context("spawn")
    proxy_port, dropped = ctx.Value("i", 0), ctx.Value("i", 0)
    proxy_stop = ctx.Event()
    proxy = ctx.Process(target=_proxy_process,
                        args=(server.port, args.drop_rate, proxy_port, proxy_stop, dropped))
    clients: list[Any] = []
    try:
        sims = enrol_stations(db_url, args.stations)
        for sim in sims:
            sim.cases = 0 if args.soak > 0 else args.cases  # soak: counted as they are made
        server.start()
        proxy.start()
        while proxy_port.value == 0:
            time.sleep(0.02)
        base_url = f"http://127.0.0.1:{proxy_port.value}"
        results, progress = ctx.Queue(), ctx.Value("i", 0)
        groups = [sims[i :: args.client_processes] for i in range(args.client_processes)]
        started = time.monotonic()
        soak = args.soak > 0
        produce_until_wall = time.time() + args.soak if soak else None
        stop_at_wall = time.time() + args.soak + args.time_limit
        clients = [ctx.Process(target=_client_process,
                               args=(group, base_url, stop_at_wall, i * 1000, args.batch,
                                     results, progress, produce_until_wall, args.pace))
                   for i, group in enumerate(groups)]
        for client in clients:
            client.start()
        total = args.stations * args.cases
        kills = 0
        restart_s = 0.0
        restarts: list[float] = []
        killer = random.Random(11)
        next_kill = time.monotonic() + args.kill_every * killer.uniform(0.5, 1.5)
        reports: list[Any] = []
        while len(reports) < len(clients):
            due = (soak and time.monotonic() >= next_kill
                   and time.time() < (produce_until_wall or 0.0)) or (
                not soak and kills < args.kills
                and progress.value >= total * (kills + 1) // (args.kills + 2))
            if due:
                server.kill()  # the whole server, mid-flight
                kills += 1
                time.sleep(args.outage)
                restarting = time.monotonic()
                server.start()
                restart_s = time.monotonic() - restarting
                restarts.append(restart_s)
                next_kill = time.monotonic() + args.kill_every * killer.uniform(0.5, 1.5)
            with contextlib.suppress(Exception):
                reports.append(results.get(timeout=0.05))
        elapsed = time.monotonic() - started
        for client in clients:
            client.join()
        proxy_stop.set()
        proxy.join(timeout=10)
        counts = count_results(db_url)
        rows = [row for report in reports for row in report]
        if soak:
            total = sum(row[6] for row in rows)  # as many as the stations made
        delivered = sum(row[1] for row in rows)
        errors = [e for row in rows for e in row[4]][:5]
        return {
            "stations": args.stations, "cases": total, "delivered": delivered,
            "cases_per_s": round(delivered / elapsed, 1), "seconds": round(elapsed, 2),
            # lost: a station holds a receipt but the server has no such case
            "lost": max(0, delivered - counts["distinct"]),
            "undelivered": total - counts["distinct"],
            "duplicated": counts["rows"] - counts["distinct"],
            "server_kills": kills, "outage_s": args.outage,
            "restart_s": round(restart_s, 2),  # last restart, until /health answered
            "restart_s_max": round(max(restarts, default=0.0), 2),
            **({"soak_s": args.soak, "kill_every_s": args.kill_every,
                "pace_s": args.pace} if soak else {}),
            "connections_dropped": dropped.value,
            "client_retries": sum(row[2] for row in rows),
            "replayed_receipts": sum(row[3] for row in rows),
            "parts_without_blob": counts["parts_without_blob"],
            "queued_for_review": counts["queued_for_review"],
            "cases_per_request": args.batch or "1 (photo PUT + case POST)",
            "requests": sum(row[5] for row in rows),
            "api_workers": args.workers, "client_processes": args.client_processes,
            "photo_bytes": 30_004, "errors": errors, "database": "postgresql",
        }
    finally:
        proxy_stop.set()
        for process in [proxy, *clients]:
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
        server.kill()
        drop_database(server_url, db_name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sync")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--db", default=None, help="PostgreSQL server URL (admin database)")
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--cases", type=int, default=60, help="cases per station")
    parser.add_argument("--workers", type=int, default=3, help="uvicorn worker processes")
    parser.add_argument("--batch", type=int, default=20,
                        help="cases per request, as the station's sync worker sends a backlog "
                             "(0: one case per photo PUT + case POST)")
    parser.add_argument("--drop-rate", type=float, default=0.3,
                        help="share of connections the proxy cuts")
    parser.add_argument("--outage", type=float, default=1.0, help="seconds the server is down")
    parser.add_argument("--time-limit", type=float, default=45.0)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--kills", type=int, default=1,
                        help="times the server is killed and restarted (0: steady state)")
    parser.add_argument("--soak", type=float, default=0.0,
                        help="seconds of soak: stations make cases at --pace while the server "
                             "is killed every --kill-every seconds; --time-limit then drains")
    parser.add_argument("--kill-every", type=float, default=5.0,
                        help="soak: seconds between server kills (give or take half)")
    parser.add_argument("--pace", type=float, default=1.0,
                        help="soak: seconds between two cases of one station")
    args = parser.parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 2 if "error" in result else 0


if __name__ == "__main__":
    raise SystemExit(main())

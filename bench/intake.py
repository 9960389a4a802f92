"""Platform intake under load, and how fast a decision reaches the applicant and other systems.

python -m bench.intake [--submissions 40] [--clients 2] [--db-url URL] [--json]

Starts the central service (embedded, on SQLite unless --db-url names PostgreSQL) with the
notification and event dispatchers running and RabbitMQ as the event broker, then:

- intake phase: ``--clients`` threads post the platform simulator's realistic mix
  (manual-review requests with a selfie-to-ID-card match, e-licence photos with the
  cn-driving-licence report) as fast as they are answered: submissions_per_s, p50/p95 ms;
- decision phase: a supervisor decides every case; for each decision the time until its SMS
  is handed to the gateway (decision_to_sms p50/p95 ms) and until its event arrives on a
  queue bound to the broker's exchange (decision_to_event p50/p95 ms), and until the
  traffic-management system (its simulator, over the signed HTTP protocol) has stored the
  approved result (decision_to_handover p50/p95 ms).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from central import accounts, schemas
from central.db import make_engine, migrate, session_factory
from central.embedded import EmbeddedCentral
from central.models import utcnow
from central.platform_sim import Faces, submissions
from central.sealing import Sealer
from central.upstream.simulator import TrafficSystemSimulator

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
FACES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "faces"


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1)


def _events_listener(seen: dict[str, float], stop: threading.Event) -> threading.Thread:
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    channel = connection.channel()
    channel.exchange_declare("counter_station.events", exchange_type="topic", durable=True)
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    channel.queue_declare(queue, exclusive=True)
    channel.queue_bind(queue, "counter_station.events", routing_key="case.decided")

    def run() -> None:
        while not stop.is_set():
            method, _props, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                time.sleep(0.01)
                continue
            seen[json.loads(body)["case"]["case_id"]] = time.perf_counter()
        connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def run(count: int, clients: int, db_url: str | None) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    url = db_url or f"sqlite:///{work / 'central.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    with session_factory(engine).begin() as session:
        accounts.create_user(session, schemas.UserIn(username="sup1", role="supervisor",
                                                     password="password-123"))
        token, _secret = accounts.create_platform_client(
            session, f"APP-{uuid.uuid4().hex[:6]}", "交管12123", utcnow(),
            Sealer.from_key_file(work / "data-key.json"))
    engine.dispose()
    traffic = TrafficSystemSimulator("bench-central", "bench-secret").start()
    server = EmbeddedCentral(url, work, dispatch_notifications=True, amqp_url=AMQP_URL,
                             upstream_url=traffic.url, upstream_client_id="bench-central",
                             upstream_secret="bench-secret")
    base = server.start()
    mix = submissions(Faces.from_folder(FACES), count, seed=int(time.time()))
    latencies: list[float] = []
    failures = 0

    def submit(item: tuple[str, dict[str, Any]]) -> dict[str, Any] | None:
        nonlocal failures
        route, body = item
        with httpx.Client(base_url=base, timeout=120) as client:
            started = time.perf_counter()
            answer = client.post(f"/v1/intake/{route}", json=body,
                                 headers={"Authorization": f"Bearer {token}"})
            latencies.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 201:
            failures += 1
            return None
        return answer.json()

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        receipts = [r for r in pool.map(submit, mix) if r is not None]
    intake_s = time.perf_counter() - started

    seen_events: dict[str, float] = {}
    stop = threading.Event()
    listener = _events_listener(seen_events, stop)
    sms_times: list[float] = []  # SMS leave in decision order (the outbox is FIFO)
    gateway = server.app.state.central.gateway if server.app else None
    decided_at: dict[str, float] = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        sup = client.post("/v1/auth/login", json={"username": "sup1",
                                                  "password": "password-123"}).json()["token"]
        headers = {"Authorization": f"Bearer {sup}"}
        for receipt in receipts:
            lease = client.post(f"/v1/review/cases/{receipt['case_id']}/claim",
                                headers=headers).json()
            client.post(f"/v1/review/cases/{receipt['case_id']}/decision", headers=headers,
                        json={"decision": "approve", "lease_token": lease["lease_token"]})
            decided_at[receipt["case_id"]] = time.perf_counter()
    deadline = time.perf_counter() + 60
    sent_before = 0
    while time.perf_counter() < deadline and (
            len(seen_events) < len(decided_at) or len(sms_times) < len(decided_at)
            or len(traffic.stored_at) < len(decided_at)):
        sent = len(getattr(gateway, "sent", []))
        sms_times.extend([time.perf_counter()] * (sent - sent_before))
        sent_before = sent
        time.sleep(0.01)
    stop.set()
    listener.join(timeout=5)
    server.stop()
    traffic.stop()
    order = list(decided_at.values())
    to_handover = [traffic.stored_at[c] - t for c, t in decided_at.items()
                   if c in traffic.stored_at]
    to_event = [seen_events[c] - t for c, t in decided_at.items() if c in seen_events]
    to_sms = [t_sms - order[i] for i, t_sms in enumerate(sms_times) if i < len(order)]
    return {
        "submissions": count, "clients": clients, "failures": failures,
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
        "submissions_per_s": round(len(receipts) / intake_s, 2),
        "intake_p50_ms": _percentile(latencies, 0.5), "intake_p95_ms": _percentile(latencies, 0.95),
        "decisions": len(decided_at),
        "decision_to_sms_p50_ms": _percentile([v * 1000 for v in to_sms], 0.5),
        "decision_to_sms_p95_ms": _percentile([v * 1000 for v in to_sms], 0.95),
        "decision_to_event_p50_ms": _percentile([v * 1000 for v in to_event], 0.5),
        "decision_to_event_p95_ms": _percentile([v * 1000 for v in to_event], 0.95),
        "decision_to_handover_p50_ms": _percentile([v * 1000 for v in to_handover], 0.5),
        "decision_to_handover_p95_ms": _percentile([v * 1000 for v in to_handover], 0.95),
        "events_received": len(to_event), "sms_sent": len(sms_times),
        "handovers_stored": len(to_handover),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.intake")
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.submissions, args.clients, args.db_url)
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))
    return 0 if result["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

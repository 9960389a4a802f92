"""Every received and decided case reaches other systems exactly once: the event outbox,
replay from a position, platform webhooks (signed, retried) and RabbitMQ (real broker)."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.events.dispatch import AmqpPublisher, deliver_webhooks, publish_due
from central.platform_sim import elicence_body, random_person
from tests.helpers.platform import World

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"


class Receiver:
    """A platform's callback endpoint: answers 500 to the first ``failures`` requests."""

    def __init__(self, failures: int) -> None:
        self.failures, self.requests = failures, []  # type: ignore[var-annotated]
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = 500 if len(receiver.requests) <= receiver.failures else 204
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    instance = Receiver(failures=1)
    yield instance
    instance.close()


def _decide(world: World, case_id: str, decision: dict[str, Any]) -> None:
    lease = world.client.post(f"/v1/review/cases/{case_id}/claim",
                              headers=world.h(world.supervisor)).json()
    answer = world.client.post(f"/v1/review/cases/{case_id}/decision",
                               json={**decision, "lease_token": lease["lease_token"]},
                               headers=world.h(world.supervisor))
    assert answer.status_code == 201, answer.text


def _admin(world: World) -> dict[str, str]:
    token = world.client.post("/v1/auth/login", json={
        "username": "admin1", "password": "password-123"}).json()["token"]
    return world.h(token)


def test_events_replay_in_order_without_personal_data(world: World, faces_dir: Path) -> None:
    rng = random.Random(11)
    person = random_person(rng)
    photo = (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes()
    receipt = world.submit("elicence-photo",
                           elicence_body("REF-EVENTS-0001", person, photo, "album")).json()
    _decide(world, receipt["case_id"], {"decision": "reject",
                                        "reason_code": "photo_noncompliant"})
    events = world.client.get("/v1/events", headers=_admin(world)).json()
    mine = [e for e in events if e["case"]["case_id"] == receipt["case_id"]]
    assert [e["topic"] for e in mine] == ["case.received", "case.decided"]
    assert mine[0]["seq"] < mine[1]["seq"]
    assert mine[0]["schema"] == "counter-station.event/1"
    assert mine[0]["case"]["source"] == "platform"
    assert mine[0]["case"]["reference"] == "REF-EVENTS-0001"
    assert mine[1]["decision"]["decision"] == "rejected"
    assert mine[1]["decision"]["reason_code"] == "photo_noncompliant"
    text = json.dumps(events, ensure_ascii=False)
    assert person.name not in text and person.id_number not in text and person.phone not in text
    after = world.client.get(f"/v1/events?after={mine[0]['seq']}", headers=_admin(world)).json()
    assert after[0]["seq"] == mine[1]["seq"]
    assert world.client.get("/v1/events", headers=world.h(world.platform)).status_code == 403


def test_a_callback_is_signed_retried_and_delivered_once(world: World, faces_dir: Path,
                                                         receiver: Receiver) -> None:
    rng = random.Random(12)
    body = elicence_body("REF-WEBHOOK-001", random_person(rng),
                         (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes(), "album")
    receipt = world.submit("elicence-photo", {**body, "callback_url": receiver.url}).json()
    central = world.client_app.state.central
    with httpx.Client(timeout=5) as http:
        assert deliver_webhooks(central.sessions, central.sealer, http) == 0  # answered 500
        assert len(receiver.requests) == 1
        assert deliver_webhooks(central.sessions, central.sealer, http) == 0  # backing off
        assert len(receiver.requests) == 1
        later = central.clock() + timedelta(seconds=6)
        assert deliver_webhooks(central.sessions, central.sealer, http,
                                clock=lambda: later) == 1
        assert deliver_webhooks(central.sessions, central.sealer, http,
                                clock=lambda: later) == 0  # delivered: never again
    headers, raw = receiver.requests[-1]
    expected = "sha256=" + hmac.new(world.webhook_secret.encode(),
                                    headers["X-CS-Timestamp"].encode() + b"." + raw,
                                    hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-CS-Signature"], expected)
    event = json.loads(raw)
    assert event["topic"] == "case.received" and event["case"]["case_id"] == receipt["case_id"]
    assert headers["X-CS-Event"] == str(event["seq"])
    assert receiver.requests[0][1] == raw  # the retry is the same event, same body


def test_events_reach_rabbitmq_once_each(world: World, faces_dir: Path) -> None:
    pika = pytest.importorskip("pika")
    try:
        connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    except pika.exceptions.AMQPError as exc:
        pytest.fail(f"RabbitMQ is not reachable at {AMQP_URL}: {exc}")
    channel = connection.channel()
    channel.exchange_declare("counter_station.events", exchange_type="topic", durable=True)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    channel.queue_declare(queue, exclusive=True)
    channel.queue_bind(queue, "counter_station.events", routing_key="case.#")
    rng = random.Random(13)
    photo = (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes()
    for index in range(3):
        world.submit("elicence-photo", elicence_body(f"REF-AMQP-{index:05d}",
                                                     random_person(rng), photo, "album"))
    central = world.client_app.state.central
    publisher = AmqpPublisher(AMQP_URL)
    try:
        assert publish_due(central.sessions, publisher) == 3
        assert publish_due(central.sessions, publisher) == 0  # each event once
    finally:
        publisher.close()
    seen = []
    for _ in range(3):
        method, properties, body = channel.basic_get(queue, auto_ack=True)
        assert method is not None
        event = json.loads(body)
        assert properties.message_id == str(event["seq"])
        assert method.routing_key == "case.received"
        seen.append(event["seq"])
    assert channel.basic_get(queue, auto_ack=True)[0] is None
    assert seen == sorted(seen)
    connection.close()


def test_a_broker_outage_leaves_events_waiting(world: World, faces_dir: Path) -> None:
    rng = random.Random(14)
    world.submit("elicence-photo", elicence_body(
        "REF-AMQP-DOWN01", random_person(rng),
        (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes(), "album"))
    central = world.client_app.state.central
    down = AmqpPublisher("amqp://guest:guest@127.0.0.1:1/%2F")  # nothing listens there
    assert publish_due(central.sessions, down) == 0
    events = world.client.get("/v1/events", headers=_admin(world)).json()
    assert events, "the event stays in the outbox for the next round"


def test_events_match_their_published_json_schema(world: World, faces_dir: Path) -> None:
    import jsonschema_rs  # installed with schemathesis

    schema = json.loads((Path(__file__).resolve().parents[2] / "docs" /
                         "events.schema.json").read_text(encoding="utf-8"))
    rng = random.Random(15)
    receipt = world.submit("elicence-photo", elicence_body(
        "REF-SCHEMA-0001", random_person(rng),
        (faces_dir / "portraits" / "ppp_beige_bg.png").read_bytes(), "album")).json()
    _decide(world, receipt["case_id"], {"decision": "return", "note": "请重新上传照片"})
    events = world.client.get("/v1/events", headers=_admin(world)).json()
    assert len(events) == 2
    validator = jsonschema_rs.validator_for(schema)
    for event in events:
        validator.validate(event)

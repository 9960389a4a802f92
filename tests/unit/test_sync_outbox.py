"""Station outbox end to end against the embedded central service (SQLite): delivered once
while the server goes away and comes back, decisions flow back, status events published."""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from central.embedded import EmbeddedCentral, SeedOperator
from station.db.database import Database
from station.db.models import (
    Case,
    CaseKind,
    CaseState,
    IdentityDocument,
    Operator,
    OutboxItem,
    OutboxState,
    Person,
    Photo,
    ReviewDecision,
    ReviewStatus,
    Role,
    Signature,
)
from station.events import CaseChanged, DeviceState, DeviceStatusEvent, EventBus, SyncStatusChanged
from station.sync import outbox
from station.sync.client import CentralClient, CentralUnavailable
from station.sync.payload import build_case_payload
from station.sync.worker import SyncWorker
from station.wire import CaseIn, PartKind

HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash("password-123")


def make_case(db: Database, number: str, flagged: bool = True, seed: int = 0) -> str:
    photo = b"\xff\xd8\xff\xe0" + random.Random(seed).randbytes(30_000)

    def work(session: Any) -> str:
        clerk = session.query(Operator).filter_by(username="clerk1").one_or_none()
        if clerk is None:
            clerk = Operator(username="clerk1", display_name="窗口一", role=Role.CLERK,
                             password_hash=HASH)
            session.add(clerk)
            session.flush()
        case = Case(number=number, kind=CaseKind.INDIVIDUAL, station_code="ST-T",
                    operator_id=clerk.id, state=CaseState.COMMITTED,
                    review_status=ReviewStatus.PENDING if flagged else
                    ReviewStatus.NOT_REQUIRED,
                    flags=["LOW_FACE_MATCH"] if flagged else [],
                    details={"step": "done"}, personal={"phone": "13900139000"},
                    committed_at=datetime.now(UTC), agreement_version="v1")
        person = Person(role="applicant", name="张三", sex="1", phone="13900139000")
        person.documents.append(IdentityDocument(doc_type="resident_id", source="reader",
                                                 number="11010519491231002X",
                                                 chip_photo_raw=b"W" * 1024))
        case.people.append(person)
        case.photos.append(Photo(purpose="live", image=photo,
                                 sha256=hashlib.sha256(photo).hexdigest(), compliant=True,
                                 quality_report={"sharpness": 91}, match_score=0.72))
        case.signatures.append(Signature(record=b"sig" * 200, image_png=b"\x89PNG\r\n\x1a\n" +
                                         b"p" * 100, content_sha256="c" * 64,
                                         agreement_version="v1"))
        session.add(case)
        session.flush()
        outbox.enqueue_case(session, case)
        outbox.enqueue_case(session, case)  # harmless twice
        return case.id

    return db.write(work)


@pytest.fixture
def central(tmp_path: Path) -> Iterator[EmbeddedCentral]:
    server = EmbeddedCentral(f"sqlite:///{tmp_path / 'central.sqlite3'}", tmp_path / "central",
                             dispatch_notifications=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def rig(database: Database, central: EmbeddedCentral) -> Iterator[tuple[SyncWorker, list[Any]]]:
    demo = central.bootstrap_demo("ST-T", "测试窗口", [
        SeedOperator("sup1", "主管", "supervisor", HASH)])
    bus = EventBus()
    events: list[Any] = []
    bus.subscribe(SyncStatusChanged, events.append)
    bus.subscribe(DeviceStatusEvent, events.append)
    bus.subscribe(CaseChanged, events.append)
    assert central.base_url is not None
    client = CentralClient(central.base_url, token=demo.credential, timeout=3)
    worker = SyncWorker(database, client, bus, rng=random.Random(1))
    yield worker, events
    worker.stop()
    client.close()


def items(db: Database) -> list[OutboxItem]:
    with db.session() as session:
        return list(session.query(OutboxItem).order_by(OutboxItem.created_at))


def test_payload_is_stable_and_lists_every_part(database: Database) -> None:
    case_id = make_case(database, "CS-1")
    with database.session() as session:
        case = session.get(Case, case_id)
        first = build_case_payload(session, case, "测试车管所")
        second = build_case_payload(session, case, "测试车管所")
    assert first.body == second.body
    assert first.body.model_dump_json() == second.body.model_dump_json()  # the same bytes
    roles = sorted(part.role for part in first.body.parts)
    assert roles == [PartKind.CHIP_PHOTO_RAW, PartKind.PHOTO, PartKind.SIGNATURE_IMAGE,
                     PartKind.SIGNATURE_RECORD]
    assert all(hashlib.sha256(p.data).hexdigest() == p.sha256 for p in first.parts)
    assert first.body.clerk == "clerk1"
    assert first.body.review_required is True
    assert first.body.notify_phone == "13900139000"
    assert first.body.flags == ["LOW_FACE_MATCH"]
    photo = next(p for p in first.body.parts if p.role == PartKind.PHOTO)
    assert photo.media_type == "image/jpeg"
    assert photo.meta["match_score"] == pytest.approx(0.72)
    sent = first.body.model_dump(mode="json")  # what goes on the wire: plain codes
    assert sorted(p["role"] for p in sent["parts"]) == [
        "chip_photo_raw", "photo", "signature_image", "signature_record"]
    assert sent["kind"] == "individual"


def test_an_elicence_photo_travels_as_its_own_part_kind(database: Database) -> None:
    case_id = make_case(database, "CS-EL")

    def to_elicence(session: Any) -> None:
        case = session.get(Case, case_id)
        case.kind = CaseKind.ELICENCE_PHOTO
        case.photos[0].purpose = "elicence"

    database.write(to_elicence)
    with database.session() as session:
        payload = build_case_payload(session, session.get(Case, case_id))
    assert [p.role for p in payload.body.parts if p.meta.get("purpose") == "elicence"] == [
        PartKind.PHOTO_ELICENCE]
    assert payload.body.kind == "elicence_photo"


def test_delivered_once_across_outage_and_decision_flows_back(
    database: Database, central: EmbeddedCentral, rig: tuple[SyncWorker, list[Any]],
) -> None:
    worker, events = rig
    first = make_case(database, "CS-1", seed=1)
    worker.run_once()
    assert [i.state for i in items(database)] == [OutboxState.DELIVERED]
    central.stop()  # the server goes away
    second = make_case(database, "CS-2", seed=2)
    worker.run_once()
    assert worker.online is False
    pending = next(i for i in items(database) if i.case_id == second)
    assert pending.state == OutboxState.PENDING and pending.attempts == 1
    assert pending.last_error
    assert any(isinstance(e, SyncStatusChanged) and not e.online and e.pending == 1
               for e in events)
    assert any(isinstance(e, DeviceStatusEvent) and e.status.kind == "central"
               and e.status.state == DeviceState.ABSENT for e in events)
    central.start()  # same database, same port
    # pretend the receipt of the first delivery was lost: it is sent again and replayed
    database.write(lambda s: setattr(s.get(OutboxItem, items(database)[0].id), "state",
                                     OutboxState.PENDING))
    database.write(lambda s: [setattr(i, "next_attempt_at", datetime.now(UTC))
                              for i in s.query(OutboxItem)])
    worker.run_once()
    assert worker.online is True
    assert {i.state for i in items(database)} == {OutboxState.DELIVERED}
    assert items(database)[0].central_receipt["replayed"] is True
    with database.session() as session:
        assert session.get(Case, second).state == CaseState.SYNCED
    review = CentralClient(central.base_url or "")
    review.login("sup1", "password-123")
    queue = review.list_queue(state="pending")
    assert queue.total == 2  # two cases, no duplicate
    assert [item.flags for item in queue.items] == [["LOW_FACE_MATCH"], ["LOW_FACE_MATCH"]]
    detail = review.case_detail(queue.items[0].case_id)
    photo_part = next(p for p in detail["parts"] if p["role"] == "photo")
    assert len(review.download_part(detail["case"]["case_id"], photo_part["sha256"])) == 30_004
    for item in queue.items:
        lease = review.claim(item.case_id)
        review.decide(item.case_id, "approve" if item.number == "CS-1" else "return",
                      lease["lease_token"], note="请补充身份证复印件")
    review.close()
    worker.run_once()
    with database.session() as session:
        one, two = session.get(Case, first), session.get(Case, second)
        assert (one.state, one.review_status) == (CaseState.DECIDED, ReviewStatus.APPROVED)
        assert two.review_status == ReviewStatus.RETURNED
        assert session.query(ReviewDecision).count() == 2
    worker.run_once()  # pulling again changes nothing
    with database.session() as session:
        assert session.query(ReviewDecision).count() == 2
    assert any(isinstance(e, CaseChanged) and e.state == "decided" for e in events)
    with database.session() as session:
        state = outbox.case_sync_state(session, second)
    assert state["state"] == "delivered" and state["review_status"] == "returned"


@pytest.mark.error_logs_expected(r"outbox item \w+ cannot be delivered: case x+overflow")
def test_a_case_that_breaks_the_contract_goes_dead_and_worker_thread_keeps_running(
    database: Database, rig: tuple[SyncWorker, list[Any]],
) -> None:
    """The station checks a delivery against the wire contract before sending it: what the
    service would refuse every time is set aside at once, saying why, and the rest flows."""
    worker, _events = rig
    case_id = make_case(database, "CS-3", seed=3)
    database.write(lambda s: setattr(s.get(Case, case_id), "number", "x" * 48 + "overflow"))
    worker.start()
    worker.wake()
    deadline = datetime.now(UTC).timestamp() + 10
    while datetime.now(UTC).timestamp() < deadline and items(database)[0].state != \
            OutboxState.DEAD:
        worker.wake()
        time.sleep(0.05)
    item = items(database)[0]
    assert item.state == OutboxState.DEAD
    assert "number" in (item.last_error or "") and "48 characters" in (item.last_error or "")
    good = make_case(database, "CS-4", seed=4)
    worker.wake()
    deadline = datetime.now(UTC).timestamp() + 10
    while datetime.now(UTC).timestamp() < deadline and \
            next(i for i in items(database) if i.case_id == good).state != OutboxState.DELIVERED:
        worker.wake()
        time.sleep(0.05)
    assert next(i for i in items(database) if i.case_id == good).state == OutboxState.DELIVERED
    worker.stop()


class CountingTransport(httpx.HTTPTransport):
    """A real HTTP transport that notes each request's method and path; with
    ``without_batch`` it answers the batch endpoint with 404, as an older server would."""

    def __init__(self, without_batch: bool = False) -> None:
        super().__init__()
        self.seen: list[str] = []
        self.without_batch = without_batch

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(f"{request.method} {request.url.path}")
        if self.without_batch and request.url.path == "/v1/cases/batch":
            return httpx.Response(404, json={"error": {"code": "http_404", "message_en": "x",
                                                       "message_zh": "x"}})
        return super().handle_request(request)


@pytest.fixture
def batch_rig(database: Database, central: EmbeddedCentral) -> Iterator[Any]:
    clients: list[CentralClient] = []

    def make(transport: CountingTransport, **options: Any) -> SyncWorker:
        demo = central.bootstrap_demo("ST-T", "测试窗口", [
            SeedOperator("sup1", "主管", "supervisor", HASH)])
        client = CentralClient(central.base_url or "", token=demo.credential, timeout=5,
                               transport=transport)
        clients.append(client)
        return SyncWorker(database, client, EventBus(), rng=random.Random(3), **options)

    yield make
    for client in clients:
        client.close()


def test_a_backlog_goes_in_batches_and_each_case_gets_its_own_answer(
    database: Database, central: EmbeddedCentral, batch_rig: Any,
) -> None:
    transport = CountingTransport()
    # parts over 20 KB (the 30 KB photos) take the resumable upload, the rest ride inline
    worker = batch_rig(transport, inline_part_bytes=20_000)
    first = make_case(database, "BK-00", seed=100)
    worker.run_once()
    assert items(database)[0].state == OutboxState.DELIVERED
    # the first case changes locally and is sent again with 24 new ones (a day offline)
    database.write(lambda s: setattr(s.get(Case, first), "flags", ["MANUAL_ENTRY"]))
    database.write(lambda s: setattr(s.get(OutboxItem, items(database)[0].id), "state",
                                     OutboxState.PENDING))
    for n in range(1, 25):
        make_case(database, f"BK-{n:02d}", flagged=n % 2 == 0, seed=100 + n)
    transport.seen.clear()
    worker.run_once()
    assert {i.state for i in items(database)} == {OutboxState.DELIVERED}
    batches = [r for r in transport.seen if r == "POST /v1/cases/batch"]
    assert len(batches) == 2  # 20 + 5 cases: at most MAX_BATCH_CASES per request
    assert sum(r.startswith("PUT /v1/parts/") for r in transport.seen) == 25  # the photos
    assert not any(r == "POST /v1/cases" for r in transport.seen)
    changed = next(i for i in items(database) if i.case_id == first)
    assert changed.central_receipt["replayed"] is True  # the first delivery stands
    review = CentralClient(central.base_url or "")
    review.login("sup1", "password-123")
    assert review.list_queue(state="pending").total == 13  # BK-00 and the 12 even ones
    review.close()
    with database.session() as session:
        assert session.query(Case).filter(Case.state == CaseState.SYNCED).count() == 25


def test_a_server_without_batch_ingest_gets_cases_one_by_one(
    database: Database, batch_rig: Any,
) -> None:
    transport = CountingTransport(without_batch=True)
    worker = batch_rig(transport)
    for n in range(3):
        make_case(database, f"OLD-{n}", seed=200 + n)
    worker.run_once()
    assert {i.state for i in items(database)} == {OutboxState.DELIVERED}
    assert worker.batching is False
    assert transport.seen.count("POST /v1/cases/batch") == 1
    assert transport.seen.count("POST /v1/cases") == 3


def test_packing_keeps_requests_within_the_byte_budget() -> None:
    from station.sync.payload import CasePayload, Part
    from station.sync.worker import pack_batches

    def payload(n: int, size: int) -> tuple[str, CasePayload]:
        data = bytes([n % 256]) * size
        part = Part(hashlib.sha256(data).hexdigest(), data, PartKind.PHOTO, "image/jpeg")
        return f"item-{n}", CasePayload(f"key-{n}", CaseIn(number=f"N-{n}", kind="individual"),
                                        [part])

    entries = [payload(0, 400), payload(1, 400), payload(2, 900), payload(3, 5000),
               payload(4, 200)]
    groups = pack_batches(entries, budget=1000, inline_part_bytes=2000)
    assert [[item for item, _p in group] for group in groups] == [
        ["item-0", "item-1"], ["item-2", "item-3"], ["item-4"]]  # item-3 is not inline


def test_client_reports_unreachable_server_as_retryable() -> None:
    client = CentralClient("http://127.0.0.1:9", timeout=0.5)
    with pytest.raises(CentralUnavailable) as caught:
        client.health()
    assert caught.value.message_zh == "无法连接中心服务。"
    client.close()


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    rng = random.Random(7)
    delays = [outbox.backoff_seconds(n, rng=rng) for n in range(1, 12)]
    assert 1.0 <= delays[0] <= 2.0
    assert 16.0 <= delays[4] <= 32.0
    assert all(150.0 <= d <= 300.0 for d in delays[8:])
    assert len({round(d, 6) for d in delays}) == len(delays)


def test_station_clock_skew_does_not_matter(
    database: Database, central: EmbeddedCentral, rig: tuple[SyncWorker, list[Any]],
) -> None:
    worker, _events = rig
    skewed = datetime.now(UTC) - timedelta(days=3)  # the station believes it is 3 days ago
    worker.clock = lambda: skewed
    case_id = make_case(database, "SKEW-1", seed=9)
    database.write(lambda s: setattr(s.get(Case, case_id), "committed_at", skewed))
    database.write(lambda s: [setattr(i, "next_attempt_at", skewed) for i in s.query(OutboxItem)])
    worker.run_once()
    receipt = items(database)[0].central_receipt
    assert receipt is not None
    received = datetime.fromisoformat(receipt["received_at"])
    assert abs((received - datetime.now(UTC)).total_seconds()) < 60  # server time rules
    assert datetime.fromisoformat(receipt["due_at"]) > datetime.now(UTC)
    review = CentralClient(central.base_url or "")
    review.login("sup1", "password-123")
    lease = review.claim_next()
    assert lease is not None and datetime.fromisoformat(lease["lease_until"]) > datetime.now(UTC)
    review.decide(lease["case_id"], "approve", lease["lease_token"])
    review.close()
    worker.run_once()
    with database.session() as session:
        assert session.get(Case, case_id).review_status == ReviewStatus.APPROVED


def test_a_case_committed_before_stations_made_the_token_takes_the_services(
        database: Database) -> None:
    from station.wire import STATUS_TOKEN, Receipt

    case_id = make_case(database, "OLD-1")  # no status token of its own
    with database.session() as session:
        item = session.query(OutboxItem).filter_by(case_id=case_id).one()
        item_id, key = item.id, item.idempotency_key
    now = datetime.now(UTC)
    receipt = Receipt(case_id="c" * 32, idempotency_key=key, number="OLD-1", received_at=now,
                      due_at=None, review_state="pending", status_token="T" * 22)
    database.write(lambda s: outbox.mark_delivered(s, item_id, receipt, now))
    with database.session() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.details[STATUS_TOKEN] == "T" * 22

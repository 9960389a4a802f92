"""The review API as the supervisor UI uses it, through the real station client against a
running central service: roles (a clerk's token gets 403), leases seen by a second reviewer,
decisions, and due dates around the Spring Festival and National Day adjusted working days.

``ReviewWorld`` and ``deliver`` are also the seeding helpers of tests/ui/test_review_pages.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from PIL import Image, ImageDraw

from central import accounts, schemas
from central.db import make_engine, migrate, session_factory
from central.embedded import EmbeddedCentral
from station.signature.agreements import load_agreement
from station.signature.model import InputDevice, PenPoint, SignatureData
from station.signature.record import create_record
from station.sync.client import CentralClient, CentralError
from station.wire import CaseIn, Receipt
from station.workdays import CHINA
from station.workflows import rules

PASSWORD = "password-123"
# argon2 is slow on purpose; cheap parameters (verified the same way) keep the tests quick
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash(PASSWORD)
STATION_CASE_ID = "local-case-0001"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class ReviewWorld:
    central: EmbeddedCentral
    base_url: str
    clock: Clock
    station: CentralClient
    clients: list[CentralClient] = field(default_factory=list)

    def login(self, username: str) -> CentralClient:
        client = CentralClient(self.base_url)
        self.clients.append(client)
        client.login(username, PASSWORD)
        return client

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.station.close()
        self.central.stop()


def start_world(tmp_path: Path, now: datetime, lease_seconds: int = 60,
                db_url: str | None = None, **config: Any) -> ReviewWorld:
    """``config``: further CentralConfig fields (e.g. the traffic system's address)."""
    url = db_url or f"sqlite:///{tmp_path / 'central.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    with session_factory(engine).begin() as session:
        for name, role in (("sup1", "supervisor"), ("sup2", "supervisor"), ("clerk1", "clerk"),
                           ("admin1", "admin")):
            accounts.create_user(session, schemas.UserIn(username=name, role=role,
                                                         password=PASSWORD),
                                 password_hash=PASSWORD_HASH)
    engine.dispose()
    clock = Clock(now)
    central = EmbeddedCentral(url, tmp_path / "central-data", lease_seconds=lease_seconds,
                              clock=clock, **{"dispatch_notifications": False, **config})
    base_url = central.start()
    boot = central.bootstrap_demo("ST-01", "窗口一")
    return ReviewWorld(central, base_url, clock, CentralClient(base_url, boot.credential))


def signature_record(station_case_id: str = STATION_CASE_ID) -> bytes:
    device = InputDevice(source="tablet", max_x=10000, max_y=6000, max_pressure=1023,
                         name="test pad")
    stroke = tuple(PenPoint(x=1000 + 80 * i, y=3000 + (i % 7) * 120, pressure=400 + i,
                            t_ns=i * 5_000_000) for i in range(60))
    agreement = load_agreement("user_agreement", "zh_CN")
    record = create_record(SignatureData(device, (stroke,)), station_case_id, agreement.text,
                           agreement.version)
    return record.to_bytes()


def scan_png() -> bytes:
    image = Image.new("RGB", (640, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 380), outline="black", width=4)
    draw.text((40, 40), "BUSINESS LICENCE 91110000000000000X", fill="black")
    from io import BytesIO

    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


QUALITY_REPORT = {
    "profile": "cn-driving-licence", "mode": "final", "compliant": False, "quality_score": 61.0,
    "checks": [
        {"name": "sharpness", "value": 0.9, "score": 90, "threshold": ">= 0.5", "passed": True,
         "message_zh": "清晰度合格", "message_en": "Sharp enough"},
        {"name": "background", "value": 0.31, "score": 20, "threshold": "<= 0.08",
         "passed": False, "message_zh": "背景不是纯白色", "message_en": "Background is not plain white"},
    ],
}


def deliver(world: ReviewWorld, key: str, faces: Path | None = None, *,
            kind: str = "individual", flags: tuple[str, ...] | None = None,
            clerk: str = "clerk1", number: str | None = None, full: bool = False,
            signature: bytes | None = None,
            details: dict[str, Any] | None = None) -> Receipt:
    """Deliver one case the way a station does: parts first, then the case. Its flags are
    the ones the routing rules raise for what it holds (a live photo below the match
    threshold; with ``full``, no chip photo and a failed document check), unless given."""
    parts: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []

    def add(data: bytes, role: str, media_type: str, meta: dict[str, Any]) -> str:
        sha = hashlib.sha256(data).hexdigest()
        world.station.upload_part(sha, data)
        parts.append({"sha256": sha, "role": role, "media_type": media_type, "size": len(data),
                      "meta": meta})
        return sha

    live = (faces / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes() if faces and full \
        else b"\xff\xd8\xff" + key.encode() * 50
    add(live, "photo", "image/jpeg", {"purpose": "live", "match_score": 0.41,
                                      "match_threshold": 0.6, "compliant": False,
                                      "quality_report": QUALITY_REPORT})
    if full:
        documents.append({"doc_type": "resident_id", "number": "11010519491231002X",
                          "chip_photo_status": "missing", "valid_to": "2030-01-01",
                          "validation": {"checks": [
                              {"check": "check_digit", "ok": True, "code": "ok",
                               "reason": {"zh": "校验位正确", "en": "Check digit correct"}},
                              {"check": "expiry", "ok": False, "code": "expired",
                               "reason": {"zh": "证件已过期", "en": "The card has expired"}}]}})
        record = signature if signature is not None else signature_record()
        add(record, "signature_record", "application/octet-stream", {
            "signer_role": "applicant", "agreement_version": "2026.1",
            "content_sha256": _content_sha(record)})
        add(scan_png(), "document_scan", "image/png", {"kind": "business_licence"})
    if flags is None:
        facts: dict[str, Any] = {"face_match.match": False,
                                 "case.resubmission": "resubmission_of" in (details or {})}
        if full:
            facts.update({"chip_photo.available": False, "document.failed_checks": 1})
        flags = tuple(flag.code for flag in rules.evaluate(kind, facts))
    body = {
        "number": number or f"N-{key}", "kind": kind, "clerk": clerk,
        "flags": list(flags), "review_required": True,
        "fields": {"office": "测试车管所", "station_case_id": STATION_CASE_ID,
                   "details": details or {},
                   "people": [{"role": "applicant", "name": "张三", "sex": "男",
                               "documents": documents}]},
        "parts": parts, "notify_phone": "13800138000",
    }
    return world.station.ingest_case(CaseIn.model_validate(body), key)


def _content_sha(record: bytes) -> str:
    from station.signature.record import record_from_bytes

    return record_from_bytes(record).content_sha256


# --- tests ----------------------------------------------------------------------------------


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ReviewWorld]:
    w = start_world(tmp_path, datetime(2026, 11, 24, 2, 0, tzinfo=UTC))  # Tue 10:00 Beijing
    yield w
    w.close()


def test_clerk_and_admin_tokens_cannot_decide(world: ReviewWorld) -> None:
    case_id = deliver(world, "key-role-0001").case_id
    clerk = world.login("clerk1")
    for attempt in (lambda: clerk.list_queue(), lambda: clerk.claim(case_id),
                    lambda: clerk.stats(), lambda: clerk.claim_next()):
        with pytest.raises(CentralError) as refused:
            attempt()
        assert refused.value.status == 403
        assert refused.value.code == "forbidden"
    lease = world.login("sup1").claim(case_id)
    with pytest.raises(CentralError) as refused:
        clerk.decide(case_id, "approve", lease["lease_token"])
    assert refused.value.status == 403
    admin = world.login("admin1")
    assert admin.list_queue().total == 1  # admins may look, not decide
    with pytest.raises(CentralError) as refused:
        admin.decide(case_id, "approve", lease["lease_token"])
    assert refused.value.status == 403


def test_lease_is_visible_to_a_second_reviewer_and_expires_back_to_the_queue(
        world: ReviewWorld) -> None:
    case_id = deliver(world, "key-lease-0001").case_id
    sup1, sup2 = world.login("sup1"), world.login("sup2")
    lease = sup1.claim(case_id)
    seen = sup2.list_queue(state="claimed").items
    assert [(i.case_id, i.claimed_by) for i in seen] == [(case_id, "sup1")]
    with pytest.raises(CentralError) as taken:
        sup2.claim(case_id)
    assert taken.value.code == "case_claimed" and taken.value.body["claimed_by"] == "sup1"
    assert sup2.claim_next() is None
    world.clock.now += timedelta(seconds=61)
    assert sup2.counts()["pending"] == 1
    second = sup2.claim(case_id)
    with pytest.raises(CentralError) as lost:
        sup1.renew(case_id, lease["lease_token"])
    assert lost.value.code == "lease_lost"
    sup2.release(case_id, second["lease_token"])
    assert sup1.claim(case_id)["claimed_by"] == "sup1"


def test_decision_reaches_the_station_feed(world: ReviewWorld) -> None:
    case_id = deliver(world, "key-feed-0001").case_id
    sup1 = world.login("sup1")
    lease = sup1.claim(case_id)
    with pytest.raises(CentralError) as refused:
        sup1.decide(case_id, "reject", lease["lease_token"])
    assert refused.value.code == "reason_required"
    sup1.decide(case_id, "reject", lease["lease_token"], reason_code="face_mismatch",
                note="人像不符")
    feed = world.station.feed(0)["entries"]
    assert [(e["case_id"], e["review_state"]) for e in feed] == [(case_id, "rejected")]


@pytest.mark.parametrize(("submitted", "due"), [
    # Fri 13 Feb 2026: the next working day is Saturday 14 Feb, worked in lieu (调休)
    (datetime(2026, 2, 13, 10, 0), datetime(2026, 2, 14, 10, 0)),
    # Sat 14 Feb 2026 (a working day): the Spring Festival holidays run 15-23 Feb
    (datetime(2026, 2, 14, 16, 30), datetime(2026, 2, 24, 16, 30)),
    # Fri 9 Oct 2026: Saturday 10 Oct is the National Day make-up working day
    (datetime(2026, 10, 9, 9, 15), datetime(2026, 10, 10, 9, 15)),
    # Sat 10 Oct 2026 (working): Sunday 11 Oct is a rest day, Monday 12 Oct the next
    (datetime(2026, 10, 10, 11, 0), datetime(2026, 10, 12, 11, 0)),
    # Sun 15 Feb 2026 (holiday): due at the end of the first working day after it
    (datetime(2026, 2, 15, 10, 0), datetime(2026, 2, 25, 0, 0)),
])
def test_due_dates_follow_adjusted_working_days(tmp_path: Path, submitted: datetime,
                                                due: datetime) -> None:
    world = start_world(tmp_path, submitted.replace(tzinfo=CHINA).astimezone(UTC))
    try:
        receipt = deliver(world, "key-due-00001")
        assert receipt.due_at == due.replace(tzinfo=CHINA)
        item = world.login("sup1").list_queue().items[0]
        assert item.due_at == due.replace(tzinfo=CHINA)
        assert item.overdue is False
        world.clock.now = due.replace(tzinfo=CHINA).astimezone(UTC) + timedelta(minutes=1)
        assert world.login("sup2").list_queue(overdue=True).total == 1
    finally:
        world.close()


@pytest.mark.postgres
def test_two_reviewers_race_for_one_case_on_postgresql(tmp_path: Path,
                                                       postgres_url: str) -> None:
    import uuid

    import psycopg

    name = f"review_test_{uuid.uuid4().hex[:8]}"
    admin_url = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db_url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        world = start_world(tmp_path, datetime(2026, 11, 24, 2, 0, tzinfo=UTC), db_url=db_url)
        try:
            ids = [deliver(world, f"key-race-{i:04d}").case_id for i in range(3)]
            sup1, sup2 = world.login("sup1"), world.login("sup2")
            from concurrent.futures import ThreadPoolExecutor

            def claim(client: CentralClient, case_id: str) -> str | None:
                try:
                    return client.claim(case_id)["claimed_by"]
                except CentralError as exc:
                    assert exc.code == "case_claimed"
                    return None

            with ThreadPoolExecutor(4) as pool:
                for case_id in ids:
                    results = pool.map(claim, (sup1, sup2), (case_id, case_id))
                    winners = [w for w in results if w]
                    assert len(winners) == 1
            assert sup1.counts()["claimed"] == 3
        finally:
            world.close()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_central_session_hands_out_signed_in_clients(world: ReviewWorld) -> None:
    from ui.review.session import CentralSession

    deliver(world, "key-sess-0001")
    session = CentralSession(world.base_url)
    with pytest.raises(CentralError) as refused:
        session.client()
    assert refused.value.status == 401 and refused.value.code == "not_signed_in"
    with pytest.raises(CentralError) as wrong:
        session.sign_in("sup1", "not the password")
    assert wrong.value.status == 401
    session.sign_in("sup1", PASSWORD)
    client = session.client()
    try:
        assert client.list_queue().total == 1
        session.sign_out()
        with pytest.raises(CentralError) as revoked:
            client.list_queue()
        assert revoked.value.status == 401
    finally:
        client.close()
    with pytest.raises(CentralError):
        session.client()
    made = CentralSession(lambda: CentralClient(world.base_url, timeout=5))  # a client maker
    made.sign_in("sup2", PASSWORD)
    assert made.username == "sup2"
    with made.client() as client:
        assert client.counts()["pending"] == 1


def test_stats_since_a_time_count_every_registration(world: ReviewWorld) -> None:
    from station.workdays import CHINA as BEIJING

    deliver(world, "key-stat-0001")  # Tue 24 Nov 10:00
    world.clock.now += timedelta(days=1)
    deliver(world, "key-stat-0002", kind="organisation", clerk="clerk2")
    world.clock.now += timedelta(minutes=5)
    deliver(world, "key-stat-0003", flags=(), clerk="clerk2")  # not flagged
    world.station.ingest_case(CaseIn(number="N-clean", kind="individual", clerk="clerk2"),
                              "key-stat-clean")
    sup1 = world.login("sup1")
    midnight = datetime(2026, 11, 25, 0, 0, tzinfo=BEIJING)
    today = sup1.stats(since=midnight)
    assert today["registrations"] == 3
    assert today["registrations_per_kind"] == {"organisation": 1, "individual": 2}
    assert today["registrations_per_clerk"] == {"clerk2": 3}
    assert today["total"] == 2  # flagged: the review_required one and the organisation one
    week = sup1.stats(since=midnight - timedelta(days=2))
    assert week["registrations_per_day"] == {"2026-11-24": 1, "2026-11-25": 3}
    assert sup1.stats(days=30)["registrations"] == 4


def test_signature_binding_check_names_what_is_wrong() -> None:
    from ui.review.signature_check import check_signature

    record = signature_record("local-case-0001")
    content = _content_sha(record)
    good = check_signature(record, {"content_sha256": content}, "local-case-0001")
    assert good.ok and all(good.checks.values())
    other_case = check_signature(record, {"content_sha256": content}, "local-case-0002")
    assert not other_case.ok and other_case.checks["case"] is False
    unknown_case = check_signature(record, {"content_sha256": content}, None)
    assert unknown_case.ok and unknown_case.checks["case"] is None
    replaced = check_signature(record, {"content_sha256": "0" * 64}, "local-case-0001")
    assert replaced.checks["anchored"] is False and not replaced.ok
    garbage = check_signature(b"CSSR\x01 not a record", {}, "local-case-0001")
    assert garbage.checks == {"decoded": False} and not garbage.ok


def test_case_detail_carries_its_audit_trail(world: ReviewWorld) -> None:
    case_id = deliver(world, "key-audit-001").case_id
    sup1 = world.login("sup1")
    lease = sup1.claim(case_id)
    sup1.release(case_id, lease["lease_token"])
    lease = sup1.claim(case_id)
    sup1.decide(case_id, "return", lease["lease_token"], reason_code="other", note="缺少委托书")
    trail = sup1.case_detail(case_id)["audit"]
    assert [entry["action"] for entry in trail] == [
        "review.claimed", "review.released", "review.claimed", "review.decided"]
    assert {entry["actor"] for entry in trail} == {"sup1"}
    assert trail[-1]["details"]["decision"] == "returned"


def test_open_state_lists_free_and_claimed_cases(world: ReviewWorld) -> None:
    first = deliver(world, "key-open-0001").case_id
    deliver(world, "key-open-0002")
    third = deliver(world, "key-open-0003").case_id
    sup1 = world.login("sup1")
    sup1.claim(first)
    sup1.decide(third, "approve", sup1.claim(third)["lease_token"])
    assert sup1.list_queue(state="open").total == 2
    assert sup1.list_queue(state="pending").total == 1
    assert sup1.counts(state="open")["claimed"] == 1

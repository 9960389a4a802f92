"""The central API on SQLite through FastAPI's test client: accounts, roles, ingest
idempotency, parts, queue, leases, decisions, feed, notifications, errors."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from central import accounts, schemas
from central.db import make_engine, migrate, session_factory
from central.embedded import EmbeddedCentral
from central.sms import dispatch_due

# argon2 is slow on purpose; a cheap-parameter hash (verified the same way) keeps tests quick
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash("password-123")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)  # Wed 10:00 in Beijing

    def __call__(self) -> datetime:
        return self.now


class Env:
    def __init__(self, client: httpx.Client, clock: Clock, station_token: str,
                 tokens: dict[str, str], app: Any) -> None:
        self.client, self.clock, self.station_token, self.tokens = client, clock, \
            station_token, tokens
        self.app = app

    def h(self, who: str) -> dict[str, str]:
        token = self.station_token if who == "station" else self.tokens[who]
        return {"Authorization": f"Bearer {token}"}

    def upload(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        response = self.client.put(f"/v1/parts/{sha}", content=data, headers=self.h("station"))
        assert response.status_code in (200, 201), response.text
        return sha

    def deliver(self, key: str, **overrides: Any) -> Any:
        photo = overrides.pop("photo", b"\xff\xd8\xff" + key.encode() * 100)
        sha = self.upload(photo)
        body = {
            "number": f"N-{key}", "kind": "individual", "clerk": "clerk1",
            "flags": ["LOW_FACE_MATCH"], "fields": {"office": "测试车管所", "salutation": "张先生"},
            "parts": [{"sha256": sha, "role": "photo", "media_type": "image/jpeg",
                       "size": len(photo), "meta": {"match_score": 0.61,
                                                    "quality_report": {"sharpness": 80}}}],
            "notify_phone": "13800138000",
        }
        body.update(overrides)
        return self.client.post("/v1/cases", json=body,
                                headers={**self.h("station"), "Idempotency-Key": key})


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    with session_factory(engine).begin() as session:
        for name, role in (("admin1", "admin"), ("sup1", "supervisor"), ("sup2", "supervisor"),
                           ("clerk1", "clerk")):
            accounts.create_user(session, schemas.UserIn(username=name, role=role,
                                                         password="password-123"),
                                 password_hash=PASSWORD_HASH)
    engine.dispose()
    clock = Clock()
    server = EmbeddedCentral(url, tmp_path, lease_seconds=60, clock=clock,
                             dispatch_notifications=False, max_part_bytes=200_000,
                             chunk_bytes=50_000)
    base_url = server.start()
    app = server.app
    with httpx.Client(base_url=base_url, timeout=10) as client:
        tokens = {}
        for name in ("admin1", "sup1", "sup2", "clerk1"):
            response = client.post("/v1/auth/login",
                                   json={"username": name, "password": "password-123"})
            assert response.status_code == 200, response.text
            tokens[name] = response.json()["token"]
        code = client.post("/v1/admin/enrolment-codes", json={"station_code": "ST-01"},
                           headers={"Authorization": f"Bearer {tokens['admin1']}"}).json()
        enrolled = client.post("/v1/stations/enrol",
                               json={"code": code["code"].lower(), "station_code": "ST-01"})
        assert enrolled.status_code == 201, enrolled.text
        again = client.post("/v1/stations/enrol",
                            json={"code": code["code"], "station_code": "ST-01"})
        assert again.status_code == 403  # one-time code
        yield Env(client, clock, enrolled.json()["credential"], tokens, app)
    server.stop()


def test_wrong_password_and_missing_token_are_refused_in_both_languages(env: Env) -> None:
    refused = env.client.post("/v1/auth/login", json={"username": "sup1", "password": "nope"})
    assert refused.status_code == 401
    error = refused.json()["error"]
    assert error["code"] == "login_refused"
    assert error["message_en"] == "Wrong user name or password."
    assert error["message_zh"] == "用户名或密码错误。"
    assert env.client.get("/v1/review/queue").status_code == 401


def test_repeated_wrong_passwords_lock_the_account_until_it_expires_or_is_unlocked(
    env: Env, tmp_path: Path,
) -> None:
    def login(password: str) -> Any:
        return env.client.post("/v1/auth/login", json={"username": "sup2", "password": password})

    assert login("wrong-1").status_code == 401
    assert login("password-123").status_code == 200  # a success resets the count
    for attempt in range(5):
        assert login(f"wrong-{attempt}").status_code == 401
    locked = login("password-123")  # the right password no longer helps
    assert locked.status_code == 403
    error = locked.json()["error"]
    assert error["code"] == "account_locked"
    assert error["message_zh"] == "密码连续输错次数过多，账号已锁定；请稍后再试或请管理员解锁。"
    assert datetime.fromisoformat(error["locked_until"]) == env.clock.now + timedelta(minutes=15)
    assert login("password-123").status_code == 403
    assert env.client.post("/v1/auth/login", json={"username": "sup1", "password":
                                                   "password-123"}).status_code == 200
    env.clock.now += timedelta(minutes=16)
    assert login("password-123").status_code == 200
    for attempt in range(5):
        assert login(f"wrong-again-{attempt}").status_code == 401
    assert login("password-123").status_code == 403
    # an administrator lifts the lock from the command line
    from central.__main__ import main

    db_url = str(env.app.state.central.engine.url)
    assert main(["unlock-user", "--db", db_url, "sup2"]) == 0
    assert main(["unlock-user", "--db", db_url, "nobody"]) == 1
    assert login("password-123").status_code == 200
    engine = make_engine(db_url)
    with engine.connect() as conn:
        from sqlalchemy import text

        actions = [row[0] for row in conn.execute(text(
            "SELECT action FROM audit_log ORDER BY id"))]
    engine.dispose()
    assert actions.count("login.locked") == 2 and "user.unlocked" in actions


def test_repeated_delivery_returns_first_receipt_and_changes_nothing(env: Env) -> None:
    first = env.deliver("key-aaaa-0001")
    assert first.status_code == 201, first.text
    second = env.deliver("key-aaaa-0001")
    assert second.status_code == 200
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == {**first.json(), "replayed": True}
    queue = env.client.get("/v1/review/queue", headers=env.h("sup1")).json()
    assert queue["total"] == 1
    changed = env.deliver("key-aaaa-0001", number="OTHER")
    assert changed.status_code == 409
    assert changed.json()["error"]["receipt"]["case_id"] == first.json()["case_id"]


def _batch_item(key: str, photo: bytes, **overrides: Any) -> dict[str, Any]:
    case = {"number": f"N-{key}", "kind": "individual", "clerk": "clerk1",
            "flags": ["LOW_FACE_MATCH"] if key.endswith("1") else [],
            "parts": [{"sha256": hashlib.sha256(photo).hexdigest(), "role": "photo",
                       "media_type": "image/jpeg", "size": len(photo)}]}
    return {"idempotency_key": key, "case": {**case, **overrides}}


def _inline(data: bytes) -> dict[str, str]:
    return {"sha256": hashlib.sha256(data).hexdigest(),
            "data": base64.b64encode(data).decode("ascii")}


def test_a_batch_stores_each_case_once_and_answers_each_on_its_own(env: Env) -> None:
    photos = [b"\xff\xd8\xff" + bytes([n]) * 3000 for n in range(4)]
    already = env.upload(photos[3])  # on the server before: may be left out of the batch
    ghost = hashlib.sha256(b"never sent").hexdigest()
    corrupt = b"\xff\xd8\xff corrupted on the way"
    body = {
        "cases": [_batch_item("batch-key-01", photos[0]), _batch_item("batch-key-02", photos[1]),
                  _batch_item("batch-key-03", photos[3]),
                  {"idempotency_key": "batch-key-04", "case": {
                      "number": "N-ghost", "kind": "individual", "parts": [
                          {"sha256": ghost, "role": "photo", "media_type": "image/jpeg",
                           "size": 10}]}},
                  _batch_item("batch-key-05", photos[2])],
        "parts": [_inline(photos[0]), _inline(photos[1]),
                  {**_inline(corrupt), "sha256": hashlib.sha256(photos[2]).hexdigest()}],
    }
    first = env.client.post("/v1/cases/batch", json=body, headers=env.h("station"))
    assert first.status_code == 200, first.text
    results = first.json()["results"]
    assert [r["idempotency_key"] for r in results] == [f"batch-key-0{n}" for n in range(1, 6)]
    assert [r["status"] for r in results] == [201, 201, 201, 409, 422]
    assert results[3]["error"]["code"] == "parts_missing"
    assert results[3]["error"]["missing"] == [ghost]
    assert results[4]["error"]["code"] == "hash_mismatch"
    assert results[0]["receipt"]["review_state"] == "pending"  # flagged
    assert results[1]["receipt"]["review_state"] == "not_required"
    assert env.client.get(f"/v1/parts/{already}", headers=env.h("station")).json()["complete"]

    # the whole batch again (e.g. the answer was lost): first receipts, nothing new stored
    again = env.client.post("/v1/cases/batch", json=body, headers=env.h("station")).json()
    statuses = [r["status"] for r in again["results"]]
    assert statuses == [200, 200, 200, 409, 422]
    assert [r["receipt"] for r in again["results"][:3]] == \
        [{**r["receipt"], "replayed": True} for r in results[:3]]
    # one of them single-delivered with the same body: the same first receipt
    single = env.client.post("/v1/cases", json=body["cases"][0]["case"],
                             headers={**env.h("station"), "Idempotency-Key": "batch-key-01"})
    assert single.status_code == 200
    assert single.json()["case_id"] == results[0]["receipt"]["case_id"]
    queue = env.client.get("/v1/review/queue", headers=env.h("sup1")).json()
    assert queue["total"] == 1
    detail = env.client.get(f"/v1/cases/{results[0]['receipt']['case_id']}",
                            headers=env.h("sup1")).json()
    photo = env.client.get(detail["parts"][0]["url"], headers=env.h("sup1"))
    assert photo.content == photos[0]
    # a key reused for another case is refused, with the first receipt
    changed = {"cases": [_batch_item("batch-key-02", photos[1], number="OTHER")],
               "parts": []}
    refused = env.client.post("/v1/cases/batch", json=changed, headers=env.h("station"))
    outcome = refused.json()["results"][0]
    assert outcome["status"] == 409 and outcome["error"]["code"] == "idempotency_conflict"
    assert outcome["error"]["receipt"]["case_id"] == results[1]["receipt"]["case_id"]


def test_a_batch_is_validated_and_only_stations_may_send_one(env: Env) -> None:
    photo = b"\xff\xd8\xff" + b"x" * 100
    item = _batch_item("batch-dup-001", photo)
    twice = env.client.post("/v1/cases/batch", json={"cases": [item, item],
                                                     "parts": [_inline(photo)]},
                            headers=env.h("station"))
    assert twice.status_code == 422
    assert twice.json()["error"]["code"] == "invalid_request"
    empty = env.client.post("/v1/cases/batch", json={"cases": []}, headers=env.h("station"))
    assert empty.status_code == 422
    bad_base64 = env.client.post("/v1/cases/batch", json={
        "cases": [item], "parts": [{"sha256": item["case"]["parts"][0]["sha256"],
                                    "data": "not base64!"}]}, headers=env.h("station"))
    assert bad_base64.status_code == 422
    clerk = env.client.post("/v1/cases/batch", json={"cases": [item], "parts": []},
                            headers=env.h("clerk1"))
    assert clerk.status_code == 403
    huge = {"cases": [item], "parts": [_inline(b"y" * 250_000)]}  # over max_part_bytes
    assert env.client.post("/v1/cases/batch", json=huge,
                           headers=env.h("station")).status_code == 413


@pytest.mark.error_logs_expected(r"sealed data could not be opened")
def test_personal_data_is_sealed_at_rest_and_bound_to_its_row(env: Env, tmp_path: Path) -> None:
    photo = b"\xff\xd8\xff" + b"FACE-PIXELS" * 300
    fields = {"salutation": "张先生", "people": [{"name": "张三丰", "id_number":
                                                "11010519491231002X"}]}
    first = env.deliver("key-seal-0001", photo=photo, fields=fields).json()
    second = env.deliver("key-seal-0002", fields={"salutation": "李女士"}).json()
    key_file = tmp_path / "data-key.json"
    assert key_file.stat().st_mode & 0o777 == 0o600
    engine = make_engine(str(env.app.state.central.engine.url))
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, payload FROM cases")).all())
        blob, sealed = conn.execute(text("SELECT data, sealed FROM blobs WHERE sha256 = :s"),
                                    {"s": hashlib.sha256(photo).hexdigest()}).one()
    raw = rows[first["case_id"]]  # the column's JSON text, as the database holds it
    assert json.loads(raw).keys() == {"sealed"}
    assert "11010519491231002X" not in raw and "张三丰" not in raw and "13800138000" not in raw
    assert sealed and b"FACE-PIXELS" not in bytes(blob)
    detail = env.client.get(f"/v1/cases/{first['case_id']}", headers=env.h("sup1")).json()
    assert detail["fields"]["people"][0]["id_number"] == "11010519491231002X"
    part = env.client.get(detail["parts"][0]["url"], headers=env.h("sup1"))
    assert part.content == photo
    # a sealed payload moved onto another case's row does not open there
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET payload = :p WHERE id = :i"),
                     {"p": raw, "i": second["case_id"]})
    moved = env.client.get(f"/v1/cases/{second['case_id']}", headers=env.h("sup1"))
    assert moved.status_code == 500
    assert moved.json()["error"]["code"] == "data_unreadable"
    # an unsealed row (from before sealing existed, or written without the key) is refused
    # until seal-legacy seals it (tests/unit/test_pii_sealed.py)
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET payload = :p WHERE id = :i"),
                     {"p": json.dumps({"fields": {"salutation": "旧数据"}}),
                      "i": second["case_id"]})
    legacy = env.client.get(f"/v1/cases/{second['case_id']}", headers=env.h("sup1"))
    assert legacy.status_code == 500 and legacy.json()["error"]["code"] == "data_unreadable"
    engine.dispose()


def test_rotating_the_data_key_reseals_everything_while_the_server_runs(
    env: Env, tmp_path: Path,
) -> None:
    from central.__main__ import main

    photo = b"\xff\xd8\xff" + b"ROTATE" * 500
    first = env.deliver("key-rot-0001", photo=photo).json()
    env.deliver("key-rot-0002").json()
    db_url = str(env.app.state.central.engine.url)
    engine = make_engine(db_url)
    with engine.begin() as conn:  # a row from before sealing existed
        conn.execute(text("UPDATE cases SET payload = :p WHERE id = :i"), {
            "p": json.dumps({"fields": {"salutation": "旧数据"}}),
            "i": env.deliver("key-rot-0003").json()["case_id"]})

    def key_ids() -> tuple[set[int], set[int]]:
        with engine.connect() as conn:
            payloads = [json.loads(p) if isinstance(p, str) else p
                        for (p,) in conn.execute(text("SELECT payload FROM cases"))]
            blobs = [bytes(d) for (d,) in conn.execute(text("SELECT data FROM blobs"))]
        return ({base64.b64decode(p["sealed"])[0] if "sealed" in p else 0 for p in payloads},
                {d[0] for d in blobs})

    assert env.client.post("/v1/phone-verifications", json={"phone": "13912345678"},
                           headers=env.h("station")).status_code == 201  # an SMS queued

    def message_key() -> int:
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT text FROM notifications")).scalar_one()
        return base64.b64decode(stored.removeprefix("sealed:"))[0]

    assert key_ids() == ({0, 1}, {1}) and message_key() == 1
    assert main(["rotate-key", "--db", db_url, "--data-dir", str(tmp_path)]) == 0
    assert key_ids() == ({2}, {2}) and message_key() == 2
    central = env.app.state.central
    assert dispatch_due(central.sessions, central.gateway, central.sealer) == 1
    assert central.gateway.sent[0]["phone"] == "13912345678"
    assert "验证码" in central.gateway.sent[0]["text"]
    assert json.loads((tmp_path / "data-key.json").read_text()).keys() == {"1", "2"}
    # the running server had only key 1: it reloads the file for values sealed with key 2
    detail = env.client.get(f"/v1/cases/{first['case_id']}", headers=env.h("sup1")).json()
    assert detail["fields"]["office"] == "测试车管所"
    part = env.client.get(detail["parts"][0]["url"], headers=env.h("sup1"))
    assert part.content == photo
    assert main(["rotate-key", "--db", db_url, "--data-dir", str(tmp_path)]) == 0
    assert key_ids() == ({3}, {3})
    with engine.connect() as conn:
        rotations = conn.execute(text(
            "SELECT count(*) FROM audit_log WHERE action = 'data_key.rotated'")).scalar_one()
    engine.dispose()
    assert rotations == 2


def test_due_time_is_one_working_day_later_across_national_day(env: Env) -> None:
    receipt = env.deliver("key-due-00001").json()  # Wed 30 Sep 2026, 10:00 Beijing
    due = datetime.fromisoformat(receipt["due_at"])
    # 1-7 Oct 2026 are the National Day holidays; 8 Oct (Thu) is the next working day
    assert due == datetime(2026, 10, 8, 2, 0, tzinfo=UTC)


def test_case_with_unuploaded_part_is_refused_with_the_missing_hash(env: Env) -> None:
    ghost = hashlib.sha256(b"never uploaded").hexdigest()
    response = env.client.post("/v1/cases", headers={**env.h("station"),
                                                     "Idempotency-Key": "key-ghost-001"},
                               json={"number": "N1", "kind": "individual", "parts": [
                                   {"sha256": ghost, "role": "photo", "media_type": "image/jpeg",
                                    "size": 14}]})
    assert response.status_code == 409
    assert response.json()["error"]["missing"] == [ghost]


def test_part_hash_is_verified_and_chunked_upload_resumes(env: Env) -> None:
    headers = env.h("station")
    wrong = hashlib.sha256(b"other").hexdigest()
    bad = env.client.put(f"/v1/parts/{wrong}", content=b"content", headers=headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "hash_mismatch"
    data = bytes(range(256)) * 400  # 102400 bytes, three chunks
    sha = hashlib.sha256(data).hexdigest()

    def put(offset: int, chunk: bytes) -> Any:
        return env.client.put(f"/v1/parts/{sha}", content=chunk, headers={
            **headers, "Upload-Offset": str(offset), "Upload-Length": str(len(data))})

    assert put(0, data[:40_000]).status_code == 202
    skipped = put(80_000, data[80_000:])  # a chunk lost in between: told where to resume
    assert skipped.status_code == 409
    assert skipped.json()["error"]["offset"] == 40_000
    status = env.client.get(f"/v1/parts/{sha}", headers=headers).json()
    assert status == {"sha256": sha, "complete": False, "offset": 40_000, "size": len(data)}
    assert put(40_000, data[40_000:80_000]).status_code == 202
    done = put(80_000, data[80_000:])
    assert done.status_code == 201
    assert done.json()["complete"] is True
    assert env.client.get(f"/v1/parts/{sha}", headers=headers).json()["complete"] is True
    too_big = env.client.put(f"/v1/parts/{sha}", content=b"x" * 300_000, headers=headers)
    assert too_big.status_code == 413


def test_roles_are_enforced_by_the_server(env: Env) -> None:
    case_id = env.deliver("key-roles-001").json()["case_id"]
    assert env.client.get("/v1/review/queue", headers=env.h("clerk1")).status_code == 403
    assert env.client.post(f"/v1/review/cases/{case_id}/claim",
                           headers=env.h("clerk1")).status_code == 403
    assert env.client.post(f"/v1/review/cases/{case_id}/claim",
                           headers=env.h("admin1")).status_code == 403
    assert env.client.get("/v1/feed", headers=env.h("sup1")).status_code == 403
    assert env.client.post("/v1/cases", headers={**env.h("sup1"), "Idempotency-Key": "k" * 10},
                           json={"number": "N", "kind": "individual"}).status_code == 403
    lease = env.client.post(f"/v1/review/cases/{case_id}/claim", headers=env.h("sup1")).json()
    clerk = env.client.post(f"/v1/review/cases/{case_id}/decision", headers=env.h("clerk1"),
                            json={"decision": "approve", "lease_token": lease["lease_token"]})
    assert clerk.status_code == 403


def test_lease_claim_renew_expiry_and_release(env: Env) -> None:
    case_id = env.deliver("key-lease-001").json()["case_id"]
    claim = env.client.post(f"/v1/review/cases/{case_id}/claim", headers=env.h("sup1"))
    assert claim.status_code == 200
    token = claim.json()["lease_token"]
    taken = env.client.post(f"/v1/review/cases/{case_id}/claim", headers=env.h("sup2"))
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "case_claimed"
    assert env.client.get("/v1/review/counts", headers=env.h("sup1")).json()["claimed"] == 1
    env.clock.now += timedelta(seconds=50)
    renewed = env.client.post(f"/v1/review/cases/{case_id}/renew", headers=env.h("sup1"),
                              json={"lease_token": token})
    assert renewed.status_code == 200
    env.clock.now += timedelta(seconds=50)  # still inside the renewed lease
    assert env.client.post(f"/v1/review/cases/{case_id}/claim",
                           headers=env.h("sup2")).status_code == 409
    env.clock.now += timedelta(seconds=30)  # lease expired: back in the queue
    queue = env.client.get("/v1/review/queue", headers=env.h("sup2"),
                           params={"state": "pending"}).json()
    assert [item["case_id"] for item in queue["items"]] == [case_id]
    second = env.client.post(f"/v1/review/cases/{case_id}/claim", headers=env.h("sup2"))
    assert second.status_code == 200
    late = env.client.post(f"/v1/review/cases/{case_id}/decision", headers=env.h("sup1"),
                           json={"decision": "approve", "lease_token": token})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "lease_lost"
    released = env.client.post(f"/v1/review/cases/{case_id}/release", headers=env.h("sup2"),
                               json={"lease_token": second.json()["lease_token"]})
    assert released.status_code == 204
    assert env.client.get("/v1/review/counts", headers=env.h("sup1")).json()["pending"] == 1


def test_decisions_are_validated_audited_fed_back_and_notified(env: Env, tmp_path: Path) -> None:
    case_id = env.deliver("key-decide-01").json()["case_id"]
    lease = env.client.post("/v1/review/claim-next", headers=env.h("sup1")).json()
    assert lease["case_id"] == case_id
    url = f"/v1/review/cases/{case_id}/decision"
    no_reason = env.client.post(url, headers=env.h("sup1"),
                                json={"decision": "reject", "lease_token": lease["lease_token"]})
    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["message_zh"] == "驳回必须选择原因代码。"
    decided = env.client.post(url, headers=env.h("sup1"), json={
        "decision": "reject", "reason_code": "face_mismatch", "note": "现场照片与证件不符",
        "lease_token": lease["lease_token"]})
    assert decided.status_code == 201, decided.text
    assert env.client.post("/v1/review/claim-next", headers=env.h("sup1")).json() is None
    feed = env.client.get("/v1/feed", headers=env.h("station")).json()
    assert [entry["review_state"] for entry in feed["entries"]] == ["rejected"]
    assert feed["entries"][0]["decision"]["reason_code"] == "face_mismatch"
    assert env.client.get("/v1/feed", params={"cursor": feed["cursor"]},
                          headers=env.h("station")).json()["entries"] == []
    central = env.app.state.central
    with central.sessions() as session:  # queued sealed: no number or name readable at rest
        stored = session.execute(text("SELECT phone, text FROM notifications")).one()
    assert stored[0] == "138****8000" and "张先生" not in stored[1]
    assert dispatch_due(central.sessions, central.gateway, central.sealer) == 1
    message = central.gateway.sent[0]
    assert message["phone"] == "13800138000"
    assert "未通过审核" in message["text"] and "人像比对不一致" in message["text"]
    from central.models import AuditEntry

    with central.sessions() as session:
        actions = [row.action for row in session.query(AuditEntry).filter_by(case_id=case_id)]
    assert actions == ["review.claimed", "review.decided"]
    detail = env.client.get(f"/v1/cases/{case_id}", headers=env.h("sup2")).json()
    assert detail["match_score"] == pytest.approx(0.61)
    assert detail["quality_report"] == {"sharpness": 80}
    assert detail["decisions"][0]["decision"] == "rejected"
    part = detail["parts"][0]
    blob = env.client.get(part["url"], headers=env.h("sup2"))
    assert hashlib.sha256(blob.content).hexdigest() == part["sha256"]


def test_queue_filters_paging_sorting_and_stats(env: Env) -> None:
    for index in range(7):
        env.clock.now += timedelta(minutes=10)
        env.deliver(f"key-queue-{index:03d}", kind="organisation" if index % 2 else "individual",
                    flags=["PHOTO_OVERRIDE"] if index < 3 else ["LOW_FACE_MATCH"],
                    clerk="clerk1" if index < 5 else "clerk2")
    env.deliver("key-queue-clean", flags=[], review_required=False)  # not for review
    h = env.h("sup1")
    page = env.client.get("/v1/review/queue", headers=h,
                          params={"limit": 3, "offset": 3, "sort": "-received_at"}).json()
    assert page["total"] == 7
    assert [item["number"] for item in page["items"]] == [
        "N-key-queue-003", "N-key-queue-002", "N-key-queue-001"]
    assert page["counts"]["pending"] == 7
    org = env.client.get("/v1/review/queue", headers=h, params={"kind": "organisation"}).json()
    assert org["total"] == 3
    reason = env.client.get("/v1/review/queue", headers=h,
                            params={"reason": "PHOTO_OVERRIDE"}).json()
    assert reason["total"] == 3
    assert env.client.get("/v1/review/queue", headers=h,
                          params={"reason": "PHOTO_%"}).json()["total"] == 0
    clerk = env.client.get("/v1/review/queue", headers=h, params={"clerk": "clerk2"}).json()
    assert clerk["total"] == 2
    old = env.client.get("/v1/review/queue", headers=h, params={"min_age_minutes": 35}).json()
    assert old["total"] == 3  # received 60, 50 and 40 minutes ago
    env.clock.now += timedelta(days=10)  # past the National Day holidays
    # the sign-in expired meanwhile (tokens last 12 hours, checked at every request)
    assert env.client.get("/v1/review/queue", headers=h).status_code == 401
    h = {"Authorization": "Bearer " + env.client.post("/v1/auth/login", json={
        "username": "sup1", "password": "password-123"}).json()["token"]}
    overdue = env.client.get("/v1/review/queue", headers=h, params={"overdue": "true"}).json()
    assert overdue["total"] == 7
    stats = env.client.get("/v1/review/stats", headers=h).json()
    assert stats["per_kind"] == {"individual": 4, "organisation": 3}
    assert stats["per_clerk"] == {"clerk1": 5, "clerk2": 2}
    assert stats["per_reason"] == {"PHOTO_OVERRIDE": 3, "LOW_FACE_MATCH": 4}
    assert stats["overdue"] == 7
    assert stats["registrations"] == 8  # the clean case counts as a registration
    assert stats["registrations_per_kind"] == {"individual": 5, "organisation": 3}
    assert sum(stats["registrations_per_day"].values()) == 8
    since = (env.clock.now - timedelta(days=1)).isoformat()
    assert env.client.get("/v1/review/stats", headers=h,
                          params={"since": since}).json()["registrations"] == 0


def test_invalid_requests_get_clear_errors(env: Env) -> None:
    response = env.client.post("/v1/cases", headers={**env.h("station"),
                                                     "Idempotency-Key": "short"},
                               json={"number": "", "kind": "spaceship"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message_zh"] and error["message_en"]
    locations = {tuple(problem["loc"]) for problem in error["problems"]}
    assert ("body", "kind") in locations and ("header", "Idempotency-Key") in locations
    huge = env.client.post("/v1/cases", content=b"{" + b" " * 1_100_000 + b"}",
                           headers={**env.h("station"), "Idempotency-Key": "key-huge-0001",
                                    "Content-Type": "application/json"})
    assert huge.status_code == 413
    assert env.client.get("/nowhere").json()["error"]["code"] == "http_404"
    spec = env.client.get("/openapi.json").json()
    assert "/v1/review/cases/{case_id}/decision" in spec["paths"]


def test_cases_due_at_the_same_time_are_listed_and_claimed_oldest_first(env: Env) -> None:
    env.clock.now = datetime(2026, 10, 2, 2, 0, tzinfo=UTC)  # National Day holidays
    receipts = []
    for index in (2, 0, 3, 1):  # delivered out of number order, one hour apart
        receipts.append(env.deliver(f"key-tie-{index:03d}").json())
        env.clock.now += timedelta(hours=1)
    assert len({r["due_at"] for r in receipts}) == 1  # all due when the holidays end
    signed_in = env.client.post("/v1/auth/login",  # the earlier token expired meanwhile
                                json={"username": "sup1", "password": "password-123"})
    h = {"Authorization": f"Bearer {signed_in.json()['token']}"}
    order = [r["number"] for r in receipts]

    def listed(sort: str) -> list[str]:
        page = env.client.get("/v1/review/queue", headers=h, params={"sort": sort}).json()
        return [item["number"] for item in page["items"]]

    assert listed("due_at") == order  # ties: the longest waiting first
    assert listed("-due_at") == order[::-1]
    lease = env.client.post("/v1/review/claim-next", headers=h).json()
    assert lease["case_id"] == receipts[0]["case_id"]  # the same case claim-next takes


def test_the_vocabulary_is_served_with_both_languages_and_documented(env: Env) -> None:
    from station import vocabulary

    served = env.client.get("/v1/vocabulary")  # no account needed: labels, no data
    assert served.status_code == 200
    assert served.json() == vocabulary.vocabulary().model_dump(mode="json")
    flag = next(f for f in served.json()["flags"] if f["code"] == "LOW_FACE_MATCH")
    assert flag["label"] == {"zh": "人像比对未通过", "en": "Face match failed"}
    assert flag["explanation"]["en"] == "The live photo does not match the chip photo closely enough."
    reasons = env.client.get("/v1/review/reason-codes").json()  # the older, reasons-only list
    assert [r["code"] for r in reasons] == list(vocabulary.decision_reasons().codes)
    assert reasons[0] == {"code": "photo_noncompliant", "zh": "照片不符合要求",
                          "en": "Photo does not meet the specification"}
    spec = env.client.get("/openapi.json").json()
    assert "/v1/vocabulary" in spec["paths"]
    assert spec["components"]["schemas"]["PartKind"]["enum"] == [
        "chip_photo_raw", "chip_photo", "photo", "photo_elicence", "photo_submitted",
        "photo_liveness", "signature_record", "signature_image", "document_scan"]


def test_a_part_of_an_unknown_kind_is_refused(env: Env) -> None:
    photo = b"\xff\xd8\xff" + b"licence" * 50
    sha = env.upload(photo)
    refused = env.deliver("key-kind-0001", parts=[
        {"sha256": sha, "role": "photo_licence", "media_type": "image/jpeg", "size": len(photo)}])
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "invalid_request"
    assert ("body", "parts", "0", "role") in {tuple(p["loc"]) for p in error["problems"]}


def test_the_detail_of_an_elicence_case_carries_its_photos_report(env: Env) -> None:
    photo = b"\xff\xd8\xff" + b"elicence" * 50
    sha = env.upload(photo)
    report = {"profile": "cn-driving-licence", "compliant": True, "checks": []}
    receipt = env.deliver("key-elic-0001", kind="elicence_photo", flags=["ELICENCE_PHOTO"],
                          parts=[{"sha256": sha, "role": "photo_elicence",
                                  "media_type": "image/jpeg", "size": len(photo),
                                  "meta": {"purpose": "elicence", "quality_report": report,
                                           "match_score": 0.83}}]).json()
    detail = env.client.get(f"/v1/cases/{receipt['case_id']}", headers=env.h("sup1")).json()
    assert detail["quality_report"] == report and detail["match_score"] == 0.83
    assert [p["role"] for p in detail["parts"]] == ["photo_elicence"]
    assert detail["case"]["flags"] == ["ELICENCE_PHOTO"]

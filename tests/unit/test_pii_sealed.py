"""Issue 21 item 5: the clerk's free-text override reason is sealed at rest on the central
service (case_parts.meta) and on the station (photos.override_reason); the central service
refuses a payload, part or SMS written into its database unsealed (someone with the database
but not the key), and ``python -m central seal-legacy`` seals rows from before sealing."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from station.db.database import Database
from station.db.models import CaseKind, Photo
from station.workflows import cases
from tests.helpers.central import PASSWORD, Clock, RunningCentral, running_central

REASON = "申请人戴眼镜无法摘下-张三"


@pytest.fixture
def central(tmp_path: Path) -> Iterator[RunningCentral]:
    with running_central(tmp_path, {"sup1": "supervisor"}, Clock(),
                         stations=("ST-A",)) as running:
        yield running


def deliver(http: httpx.Client, central: RunningCentral, key: str,
            phone: str = "13800138000") -> tuple[str, str, bytes]:
    photo = b"\xff\xd8\xff" + os.urandom(2000)
    sha = hashlib.sha256(photo).hexdigest()
    station = central.station("ST-A")
    assert http.put(f"/v1/parts/{sha}", content=photo, headers=station).status_code == 201
    response = http.post("/v1/cases", headers={**station, "Idempotency-Key": key}, json={
        "number": f"N-{key}", "kind": "individual", "flags": ["face_mismatch"],
        "fields": {"salutation": "张先生"}, "notify_phone": phone,
        "parts": [{"sha256": sha, "role": "photo", "media_type": "image/jpeg",
                   "size": len(photo), "meta": {"override_reason": REASON,
                                                "match_score": 0.61}}]})
    assert response.status_code == 201, response.text
    return response.json()["case_id"], sha, photo


def sql(central: RunningCentral, statement: str, **params: Any) -> list[Any]:
    engine = central.server.app.state.central.engine
    with engine.begin() as conn:
        result = conn.execute(text(statement), params)
        return list(result) if result.returns_rows else []


def supervisor(http: httpx.Client) -> dict[str, str]:
    token = http.post("/v1/auth/login", json={"username": "sup1", "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['token']}"}


def test_the_override_reason_is_sealed_and_still_shown_to_the_reviewer(
        central: RunningCentral) -> None:
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        case_id, _sha, _photo = deliver(http, central, "pii-0001")
        stored = sql(central, "SELECT meta FROM case_parts")
        assert REASON not in json.dumps([row[0] for row in stored], ensure_ascii=False)
        assert "张三" not in str(stored)
        detail = http.get(f"/v1/cases/{case_id}", headers=supervisor(http)).json()
        assert detail["parts"][0]["meta"]["override_reason"] == REASON
        assert detail["match_score"] == 0.61


@pytest.mark.error_logs_expected(r"central: sealed data could not be opened: .* stored unsealed")
def test_unsealed_rows_written_into_the_database_are_refused(central: RunningCentral) -> None:
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        case_id, sha, _photo = deliver(http, central, "pii-0002")
        # someone with the database but not the key: a plaintext payload with their number,
        # and a part of their own
        sql(central, "UPDATE cases SET payload = :p WHERE id = :i", i=case_id,
            p=json.dumps({"fields": {"salutation": "x"}, "notify_phone": "13999999999"}))
        sql(central, "UPDATE blobs SET data = :d, sealed = false WHERE sha256 = :s",
            d=b"<html>forged</html>", s=sha)
        headers = supervisor(http)
        assert http.get(f"/v1/cases/{case_id}", headers=headers).status_code == 500
        part = http.get(f"/v1/cases/{case_id}/parts/{sha}", headers=headers)
        assert part.status_code == 500 and part.json()["error"]["code"] == "data_unreadable"
        lease = http.post(f"/v1/review/cases/{case_id}/claim", headers=headers).json()
        decided = http.post(f"/v1/review/cases/{case_id}/decision", headers=headers, json={
            "decision": "approve", "lease_token": lease["lease_token"]})
        assert decided.status_code == 500
    # no SMS went to the forged number (nor was one queued)
    assert sql(central, "SELECT count(*) FROM notifications")[0][0] == 0


@pytest.mark.error_logs_expected(r"central: sealed data could not be opened: .* stored unsealed")
def test_seal_legacy_seals_rows_from_before_sealing(central: RunningCentral) -> None:
    from central.__main__ import main

    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        case_id, sha, photo = deliver(http, central, "pii-0003")
        sql(central, "UPDATE cases SET payload = :p WHERE id = :i", i=case_id,
            p=json.dumps({"fields": {"salutation": "旧数据"}}))
        sql(central, "UPDATE blobs SET data = :d, sealed = false WHERE sha256 = :s",
            d=photo, s=sha)
        sql(central, "UPDATE case_parts SET meta = :m", m=json.dumps({"match_score": 0.5}))
        headers = supervisor(http)
        assert http.get(f"/v1/cases/{case_id}", headers=headers).status_code == 500
        assert main(["seal-legacy", "--db", central.db_url,
                     "--key-file", str(central.server.config.key_file)]) == 0
        detail = http.get(f"/v1/cases/{case_id}", headers=headers).json()
        assert detail["fields"] == {"salutation": "旧数据"}
        assert detail["match_score"] == 0.5
        assert http.get(f"/v1/cases/{case_id}/parts/{sha}", headers=headers).content == photo
    assert sql(central, "SELECT sealed FROM blobs")[0][0] in (True, 1)


def test_the_station_keeps_the_override_reason_encrypted(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'station.sqlite3'}", tmp_path / "data.key")
    try:
        ref = db.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, "ST-A", None, "clerk"))
        db.write(lambda s: cases.save_photo(s, ref.id, "live", b"\xff\xd8\xffjpeg", "clerk",
                                            compliant=False, override_reason=REASON))
        with db.session() as session:
            raw = session.execute(text("SELECT override_reason FROM photos")).scalar_one()
            photo = session.scalars(select(Photo)).one()
            assert photo.override_reason == REASON
        assert REASON.encode() not in (raw if isinstance(raw, bytes) else raw.encode())
    finally:
        db.close()

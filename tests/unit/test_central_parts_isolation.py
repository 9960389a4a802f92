"""Issue 21 items 3 and 4: one station's uploads cannot poison, reset or reveal another's, a
hash mismatch really restarts the upload, unfinished uploads are sealed and expire, and a case
may name only parts its own station uploaded."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from station.sync.client import CentralClient
from tests.helpers.central import Clock, RunningCentral, running_central

CHUNK = 50_000


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def central(tmp_path: Path, clock: Clock) -> Iterator[RunningCentral]:
    with running_central(tmp_path, {"sup1": "supervisor"}, clock, stations=("ST-A", "ST-B"),
                         chunk_bytes=CHUNK, max_part_bytes=2_000_000) as running:
        yield running


def put_chunk(http: httpx.Client, station: dict[str, str], sha: str, offset: int, total: int,
              chunk: bytes) -> httpx.Response:
    return http.put(f"/v1/parts/{sha}", content=chunk, headers={
        **station, "Upload-Offset": str(offset), "Upload-Length": str(total)})


def case_body(sha: str, size: int) -> dict[str, Any]:
    return {"number": "N-1", "kind": "individual", "flags": ["LOW_FACE_MATCH"], "parts": [
        {"sha256": sha, "role": "photo", "media_type": "image/jpeg", "size": size}]}


def test_another_station_cannot_plant_or_reset_an_upload(central: RunningCentral) -> None:
    photo = b"\xff\xd8\xff" + os.urandom(3 * CHUNK)
    sha = hashlib.sha256(photo).hexdigest()
    a, b = central.station("ST-A"), central.station("ST-B")
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        assert put_chunk(http, a, sha, 0, len(photo), photo[:CHUNK]).status_code == 202
        # B plants junk under A's hash and declares another size
        assert put_chunk(http, b, sha, 0, len(photo), os.urandom(CHUNK)).status_code == 202
        assert put_chunk(http, b, sha, 0, 999, b"x" * 10).status_code == 202
        # A's upload is untouched: it continues where it was and completes
        assert http.get(f"/v1/parts/{sha}", headers=a).json()["offset"] == CHUNK
        for offset in range(CHUNK, len(photo), CHUNK):
            response = put_chunk(http, a, sha, offset, len(photo), photo[offset:offset + CHUNK])
        assert response.status_code == 201 and response.json()["complete"]


def test_a_hash_mismatch_restarts_the_upload(central: RunningCentral) -> None:
    photo = b"\xff\xd8\xff" + os.urandom(2 * CHUNK - 3)
    sha = hashlib.sha256(photo).hexdigest()
    a = central.station("ST-A")
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        assert put_chunk(http, a, sha, 0, len(photo), photo[:CHUNK]).status_code == 202
        bad = put_chunk(http, a, sha, CHUNK, len(photo), b"\0" * CHUNK)
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "hash_mismatch"
        assert bad.json()["error"]["offset"] == 0
        # the reset was committed: starting again at 0 is accepted
        assert http.get(f"/v1/parts/{sha}", headers=a).json()["offset"] == 0
        assert put_chunk(http, a, sha, 0, len(photo), photo[:CHUNK]).status_code == 202
        assert put_chunk(http, a, sha, CHUNK, len(photo), photo[CHUNK:]).status_code == 201


class CorruptOnce(httpx.HTTPTransport):
    """Flips a byte of the last chunk of an upload once, on its way to the real server."""

    def __init__(self) -> None:
        super().__init__()
        self.corrupted = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        offset = request.headers.get("Upload-Offset")
        length = request.headers.get("Upload-Length")
        if not self.corrupted and offset and length and \
                int(offset) + len(request.content) == int(length):
            self.corrupted = True
            body = bytearray(request.content)
            body[0] ^= 0xFF
            request = httpx.Request(request.method, request.url, headers=request.headers,
                                    content=bytes(body))
        return super().handle_request(request)


def test_the_station_client_restarts_after_a_hash_mismatch(central: RunningCentral) -> None:
    photo = b"\xff\xd8\xff" + os.urandom(3 * CHUNK)
    sha = hashlib.sha256(photo).hexdigest()
    transport = CorruptOnce()
    with CentralClient(central.base_url, central.credentials["ST-A"],
                       transport=transport) as client:
        client.upload_part(sha, photo, chunk_bytes=CHUNK)
        assert transport.corrupted
        assert client.part_status(sha)["complete"]


def test_unfinished_uploads_are_sealed_and_expire(central: RunningCentral, clock: Clock) -> None:
    a = central.station("ST-A")
    marker = b"PLAINTEXT-MARKER-" * 100
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        for index in range(20):
            sha = hashlib.sha256(f"never-finished-{index}".encode()).hexdigest()
            assert put_chunk(http, a, sha, 0, 4 * CHUNK, marker[:CHUNK]).status_code == 202
    engine = central.server.app.state.central.engine
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT received FROM part_uploads")).all()
    assert len(rows) == 20 and all(b"PLAINTEXT-MARKER" not in bytes(row[0]) for row in rows)
    clock.now += timedelta(hours=25)
    photo = b"\xff\xd8\xff" + os.urandom(2 * CHUNK)
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        sha = hashlib.sha256(photo).hexdigest()
        assert put_chunk(http, a, sha, 0, len(photo), photo[:CHUNK]).status_code == 202
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM part_uploads")).scalar_one() == 1


def test_a_case_may_name_only_parts_its_own_station_uploaded(central: RunningCentral) -> None:
    photo = b"\xff\xd8\xff" + os.urandom(5_000)
    sha = hashlib.sha256(photo).hexdigest()
    a, b = central.station("ST-A"), central.station("ST-B")
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        assert http.put(f"/v1/parts/{sha}", content=photo, headers=a).status_code == 201
        # B cannot tell whether A's part exists ...
        assert http.get(f"/v1/parts/{sha}", headers=b).json() == {
            "sha256": sha, "complete": False, "offset": 0, "size": None}
        # ... nor attach it to its own case, alone or in a batch
        stolen = http.post("/v1/cases", json=case_body(sha, len(photo)),
                           headers={**b, "Idempotency-Key": "b-steal-0001"})
        assert stolen.status_code == 409 and stolen.json()["error"]["code"] == "parts_missing"
        batch = http.post("/v1/cases/batch", headers=b, json={"cases": [
            {"idempotency_key": "b-steal-0002", "case": case_body(sha, len(photo))}]})
        assert batch.json()["results"][0]["status"] == 409
        # A's own case may; and B may too once it has uploaded the bytes itself
        assert http.post("/v1/cases", json=case_body(sha, len(photo)),
                         headers={**a, "Idempotency-Key": "a-own-0001"}).status_code == 201
        assert http.put(f"/v1/parts/{sha}", content=photo, headers=b).status_code == 201
        assert http.get(f"/v1/parts/{sha}", headers=b).json()["complete"]
        assert http.post("/v1/cases", json=case_body(sha, len(photo)),
                         headers={**b, "Idempotency-Key": "b-own-0001"}).status_code == 201

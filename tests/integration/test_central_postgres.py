"""The central service on real PostgreSQL: two API processes on one database never give one
case to two reviewers; the OpenAPI document holds under property-based requests."""

from __future__ import annotations

import base64
import hashlib
import random
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from argon2 import PasswordHasher
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from central.testing import ServerProcess, scratch_database, seed

pytestmark = pytest.mark.postgres
PASSWORD = "password-123"
HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash(PASSWORD)
REVIEWERS = ("sup1", "sup2", "sup3", "sup4")


@dataclass
class Cluster:
    servers: list[ServerProcess]
    station_token: str
    tokens: dict[str, str]

    def h(self, who: str) -> dict[str, str]:
        token = self.station_token if who == "station" else self.tokens[who]
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    import os

    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.skip("TEST_DATABASE_URL not set: run the suite through scripts/run-tests.sh")
    data_dir: Path = tmp_path_factory.mktemp("central")
    with scratch_database(server_url, "test_central") as db_url:
        users = {name: "supervisor" for name in REVIEWERS} | {"clerk1": "clerk",
                                                              "admin1": "admin"}
        credentials = seed(db_url, users, HASH, stations=("PG-ST",))
        servers = [ServerProcess(db_url, data_dir=data_dir, extra=("--no-dispatch",))
                   for _ in range(2)]
        try:
            for server in servers:
                server.start()
            tokens = {}
            for index, name in enumerate(users):
                response = httpx.post(f"{servers[index % 2].base_url}/v1/auth/login",
                                      json={"username": name, "password": PASSWORD})
                assert response.status_code == 200, response.text
                tokens[name] = response.json()["token"]
            yield Cluster(servers, credentials["PG-ST"], tokens)
        finally:
            for server in servers:
                server.kill()


def deliver(cluster: Cluster, count: int, prefix: str) -> list[str]:
    ids = []
    with httpx.Client(base_url=cluster.servers[0].base_url, headers=cluster.h("station"),
                      timeout=10) as client:
        for index in range(count):
            photo = b"\xff\xd8\xff" + random.Random(f"{prefix}{index}").randbytes(2000)
            sha = hashlib.sha256(photo).hexdigest()
            assert client.put(f"/v1/parts/{sha}", content=photo).status_code in (200, 201)
            response = client.post("/v1/cases", headers={"Idempotency-Key": f"{prefix}-{index:04d}"},
                                   json={"number": f"{prefix}-{index}", "kind": "individual",
                                         "flags": ["PHOTO_OVERRIDE"], "parts": [
                                             {"sha256": sha, "role": "photo",
                                              "media_type": "image/jpeg", "size": len(photo)}]})
            assert response.status_code == 201, response.text
            ids.append(response.json()["case_id"])
    return ids


def test_concurrent_claims_across_two_processes_never_share_a_case(cluster: Cluster) -> None:
    ids = set(deliver(cluster, 30, "race"))
    claimed: list[tuple[str, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(REVIEWERS))

    def reviewer(name: str, server: ServerProcess) -> None:
        with httpx.Client(base_url=server.base_url, headers=cluster.h(name),
                          timeout=20) as client:
            barrier.wait()
            while True:
                response = client.post("/v1/review/claim-next", params={"reason":
                                                                        "PHOTO_OVERRIDE"})
                assert response.status_code == 200, response.text
                lease = response.json()
                if lease is None:
                    return
                with lock:
                    claimed.append((lease["case_id"], name))

    threads = [threading.Thread(target=reviewer, args=(name, cluster.servers[i % 2]))
               for i, name in enumerate(REVIEWERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    owners = Counter(case_id for case_id, _ in claimed)
    assert set(owners) == ids
    assert max(owners.values()) == 1
    assert len({name for _, name in claimed}) > 1  # the work really was shared


def test_racing_for_one_case_gives_it_to_exactly_one_reviewer(cluster: Cluster) -> None:
    (case_id,) = deliver(cluster, 1, "single")
    results: list[int] = []
    barrier = threading.Barrier(8)

    def grab(index: int) -> None:
        name = REVIEWERS[index % len(REVIEWERS)]
        with httpx.Client(base_url=cluster.servers[index % 2].base_url,
                          headers=cluster.h(name), timeout=20) as client:
            barrier.wait()
            results.append(client.post(f"/v1/review/cases/{case_id}/claim").status_code)

    threads = [threading.Thread(target=grab, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # a reviewer may re-claim their own case, so count distinct winners via the server
    detail = httpx.get(f"{cluster.servers[1].base_url}/v1/cases/{case_id}",
                       headers=cluster.h("sup1")).json()
    assert detail["case"]["state"] == "claimed"
    winner = detail["case"]["claimed_by"]
    assert results.count(200) >= 1 and results.count(409) >= 4
    assert set(results) <= {200, 409}
    others = [r for r in REVIEWERS if r != winner]
    for name in others:
        denied = httpx.post(f"{cluster.servers[0].base_url}/v1/review/cases/{case_id}/claim",
                            headers=cluster.h(name))
        assert denied.status_code == 409


def test_decision_on_one_process_reaches_the_station_through_the_other(cluster: Cluster) -> None:
    (case_id,) = deliver(cluster, 1, "feed")
    first, second = cluster.servers
    lease = httpx.post(f"{first.base_url}/v1/review/cases/{case_id}/claim",
                       headers=cluster.h("sup2")).json()
    clerk = httpx.post(f"{second.base_url}/v1/review/cases/{case_id}/decision",
                       headers=cluster.h("clerk1"),
                       json={"decision": "approve", "lease_token": lease["lease_token"]})
    assert clerk.status_code == 403
    decided = httpx.post(f"{second.base_url}/v1/review/cases/{case_id}/decision",
                         headers=cluster.h("sup2"),
                         json={"decision": "approve", "lease_token": lease["lease_token"]})
    assert decided.status_code == 201, decided.text
    feed = httpx.get(f"{first.base_url}/v1/feed", headers=cluster.h("station")).json()
    assert any(entry["case_id"] == case_id and entry["review_state"] == "approved"
               for entry in feed["entries"])
    seqs = [entry["seq"] for entry in feed["entries"]]
    assert seqs == list(range(1, len(seqs) + 1))  # gap-free per station


def test_one_batch_sent_at_once_to_both_processes_is_stored_once(cluster: Cluster) -> None:
    """A retry racing its first attempt on another process: ON CONFLICT answers the loser
    from the winner's row, so every answer names the same cases and none is stored twice."""
    photos = [b"\xff\xd8\xff" + random.Random(f"race{n}").randbytes(3000) for n in range(10)]
    body = {"cases": [{"idempotency_key": f"race-batch-{n:03d}", "case": {
        "number": f"RACE-{n}", "kind": "individual", "flags": ["LOW_FACE_MATCH"],
        "parts": [{"sha256": hashlib.sha256(p).hexdigest(), "role": "photo",
                   "media_type": "image/jpeg", "size": len(p)}]}}
        for n, p in enumerate(photos)],
        "parts": [{"sha256": hashlib.sha256(p).hexdigest(),
                   "data": base64.b64encode(p).decode()} for p in photos]}
    barrier = threading.Barrier(8)

    def send(index: int) -> list[dict[str, Any]]:
        with httpx.Client(base_url=cluster.servers[index % 2].base_url,
                          headers=cluster.h("station"), timeout=20) as client:
            barrier.wait()
            response = client.post("/v1/cases/batch", json=body)
            assert response.status_code == 200, response.text
            return response.json()["results"]

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(8)))
    for n in range(10):
        statuses = [answer[n]["status"] for answer in answers]
        assert statuses.count(201) == 1 and statuses.count(200) == 7, statuses
        assert len({answer[n]["receipt"]["case_id"] for answer in answers}) == 1
    numbers = {f"RACE-{n}" for n in range(10)}
    queue = httpx.get(f"{cluster.servers[1].base_url}/v1/review/queue",
                      params={"limit": 200, "sort": "-received_at"},
                      headers=cluster.h("sup1")).json()
    assert sorted(i["number"] for i in queue["items"] if i["number"] in numbers) == \
        sorted(numbers)


def _openapi_document() -> dict[str, Any]:
    """The document the server publishes at /openapi.json (built without a database, so the
    cases can be generated at collection time; they are sent to the PostgreSQL cluster)."""
    from central.app import create_app
    from central.config import CentralConfig

    return create_app(CentralConfig(db_url="sqlite://", dispatch_notifications=False)).openapi()


schema = schemathesis.openapi.from_dict(_openapi_document())
schema.config.phases.coverage.enabled = False  # keep it short: examples + bounded fuzzing


@schema.parametrize()
@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case, cluster: Cluster) -> None:
    who = "station" if (case.path.startswith(("/v1/parts", "/v1/cases", "/v1/feed")) and \
        case.method in ("PUT", "POST")) or case.path == "/v1/feed" or \
        case.path.startswith("/v1/parts") else "sup1"
    if case.path.startswith("/v1/admin"):
        who = "admin1"
    if case.path == "/v1/auth/logout":
        return  # would revoke the token the other examples use
    published = httpx.get(f"{cluster.servers[0].base_url}/openapi.json").json()
    assert published["paths"].keys() == schema.raw_schema["paths"].keys()
    case.call_and_validate(
        base_url=cluster.servers[0].base_url, headers=cluster.h(who),
        checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                response_schema_conformance],
    )

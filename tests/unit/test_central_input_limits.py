"""Issue 21 item 6, the central service's input: deeply nested JSON is refused with 422 (a
batch refuses that case alone), and a part's media type comes from an allow-list and is
served as a download the browser may not sniff."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.central import PASSWORD, Clock, RunningCentral, running_central


@pytest.fixture
def central(tmp_path: Path) -> Iterator[RunningCentral]:
    with running_central(tmp_path, {"sup1": "supervisor"}, Clock(),
                         stations=("ST-A",)) as running:
        yield running


def nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


def case(number: str, **extra: Any) -> dict[str, Any]:
    return {"number": number, "kind": "individual", **extra}


@pytest.mark.parametrize("depth", [256, 500, 950])
def test_deep_json_is_refused_with_422(central: RunningCentral, depth: int) -> None:
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        response = http.post(
            "/v1/cases", content=json.dumps(case("N-deep", fields={"deep": nested(depth)})),
            headers={**central.station("ST-A"), "Idempotency-Key": f"deep-{depth:05d}",
                     "Content-Type": "application/json"})
    assert response.status_code == 422, response.text[:200]
    assert response.json()["error"]["code"] == "invalid_request"


def test_a_batch_refuses_the_invalid_case_alone(central: RunningCentral) -> None:
    body = {"cases": [
        {"idempotency_key": "batch-ok-0001", "case": case("N-1")},
        {"idempotency_key": "batch-deep-0002", "case": case("N-2", fields=nested(300))},
        {"idempotency_key": "batch-bad-0003", "case": {"number": "N-3", "kind": "nonsense"}},
        {"idempotency_key": "batch-ok-0004", "case": case("N-4")},
    ]}
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        response = http.post("/v1/cases/batch", content=json.dumps(body), headers={
            **central.station("ST-A"), "Content-Type": "application/json"})
    assert response.status_code == 200, response.text[:300]
    results = response.json()["results"]
    assert [r["idempotency_key"] for r in results] == [c["idempotency_key"]
                                                       for c in body["cases"]]
    assert [r["status"] for r in results] == [201, 422, 422, 201]
    assert results[1]["error"]["code"] == "invalid_request"


def test_part_media_types_are_allowed_ones_and_downloads_are_not_sniffed(
        central: RunningCentral) -> None:
    page = b"<html><script>alert(1)</script></html>"
    sha = hashlib.sha256(page).hexdigest()
    station = central.station("ST-A")
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        assert http.put(f"/v1/parts/{sha}", content=page, headers=station).status_code == 201
        refused = http.post("/v1/cases", headers={**station, "Idempotency-Key": "html-0001"},
                            json=case("N-html", flags=["x"], parts=[{
                                "sha256": sha, "role": "photo", "media_type": "text/html",
                                "size": len(page)}]))
        assert refused.status_code == 422
        photo = b"\xff\xd8\xff" + os.urandom(500)
        photo_sha = hashlib.sha256(photo).hexdigest()
        assert http.put(f"/v1/parts/{photo_sha}", content=photo,
                        headers=station).status_code == 201
        stored = http.post("/v1/cases", headers={**station, "Idempotency-Key": "jpeg-0001"},
                           json=case("N-jpeg", flags=["x"], parts=[{
                               "sha256": photo_sha, "role": "photo",
                               "media_type": "image/jpeg", "size": len(photo)}]))
        assert stored.status_code == 201
        token = http.post("/v1/auth/login", json={"username": "sup1", "password": PASSWORD})
        download = http.get(f"/v1/cases/{stored.json()['case_id']}/parts/{photo_sha}",
                            headers={"Authorization": f"Bearer {token.json()['token']}"})
    assert download.content == photo
    assert download.headers["content-type"] == "image/jpeg"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"] == \
        f'attachment; filename="{photo_sha}.jpg"'
    assert refused.headers["x-content-type-options"] == "nosniff"  # on every answer

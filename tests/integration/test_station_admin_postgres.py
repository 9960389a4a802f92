"""Disabling a station (and signing out) takes effect at once in every API process: two
processes on PostgreSQL, requests on fresh connections spread over both."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from central.testing import ServerProcess, scratch_database, seed
from tests.helpers.processes import run_module

pytestmark = pytest.mark.postgres
HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash("password-123")
ROUNDS = 24  # fresh connections: the kernel spreads them over both processes


@pytest.fixture
def central_db() -> Iterator[str]:
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.skip("TEST_DATABASE_URL not set: run the suite through scripts/run-tests.sh")
    with scratch_database(server_url, "test_admin") as url:
        yield url


def statuses(url: str, token: str, path: str = "/v1/stations/me") -> list[tuple[int, str]]:
    answers = []
    for _ in range(ROUNDS):
        with httpx.Client(base_url=url, timeout=5) as client:  # a new connection each time
            response = client.get(path, headers={"Authorization": f"Bearer {token}"})
            code = response.json().get("error", {}).get("code", "") if response.status_code \
                >= 400 else ""
            answers.append((response.status_code, code))
    return answers


def test_a_disabled_station_is_refused_at_once_by_every_process(
        central_db: str, tmp_path: Path) -> None:
    credentials = seed(central_db, {"admin1": "admin"}, HASH, stations=("ST-A", "ST-B"))
    server = ServerProcess(central_db, workers=2, data_dir=tmp_path / "central",
                           extra=("--no-dispatch",))
    server.start()
    try:
        assert statuses(server.base_url, credentials["ST-A"]) == [(200, "")] * ROUNDS

        done = run_module("central", "stations", "disable", "ST-A", "--db", central_db, "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["state"] == "disabled"
        assert statuses(server.base_url, credentials["ST-A"]) == \
            [(403, "station_disabled")] * ROUNDS
        assert statuses(server.base_url, credentials["ST-B"]) == [(200, "")] * ROUNDS

        listed = json.loads(run_module("central", "stations", "list", "--db", central_db,
                                       "--json").stdout)
        assert {row["code"]: row["state"] for row in listed} == {"ST-A": "disabled",
                                                                 "ST-B": "active"}
        assert listed[0]["disabled_by"].startswith("cli:")

        # the admin API does the same; enabling restores the same credential at once
        with httpx.Client(base_url=server.base_url, timeout=5) as admin:
            token = admin.post("/v1/auth/login", json={"username": "admin1",
                                                       "password": "password-123"}).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            enabled = admin.post("/v1/admin/stations/ST-A/enable", headers=auth)
            assert enabled.status_code == 200 and enabled.json()["state"] == "active"
            assert statuses(server.base_url, credentials["ST-A"]) == [(200, "")] * ROUNDS
            assert admin.post("/v1/admin/stations/NOPE/disable", headers=auth).status_code == 404
            refused = admin.post("/v1/admin/stations/ST-B/disable",
                                 headers={"Authorization": f"Bearer {credentials['ST-B']}"})
            assert refused.status_code == 403  # a station is no administrator

            # signing out is as immediate: the token is refused by both processes
            assert statuses(server.base_url, token, "/v1/admin/stations") == [(200, "")] * ROUNDS
            assert admin.post("/v1/auth/logout", headers=auth).status_code == 204
        assert statuses(server.base_url, token, "/v1/admin/stations") == \
            [(401, "unauthenticated")] * ROUNDS

        unknown = run_module("central", "stations", "disable", "NOPE", "--db", central_db)
        assert unknown.returncode == 1 and "NOPE" in unknown.stderr
    finally:
        server.kill()

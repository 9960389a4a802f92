"""Issue 21 item 1: parallel password guessing against two API processes on one PostgreSQL
database. Every guess reserves its attempt atomically before the password is checked, so no
more than the limit are ever checked, however many arrive at once (bounded: 40 and 100
requests, localhost only)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from central.testing import ServerProcess, scratch_database, seed

pytestmark = pytest.mark.postgres
RIGHT = "the-right-password-1"
# slower than the test hashes elsewhere, so that guesses really overlap in the check
HASH = PasswordHasher(time_cost=2, memory_cost=8192).hash(RIGHT)
LIMIT = 5


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[ServerProcess]]:
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.skip("TEST_DATABASE_URL not set: run the suite through scripts/run-tests.sh")
    data_dir: Path = tmp_path_factory.mktemp("central")
    with scratch_database(server_url, "login_guessing") as db_url:
        seed(db_url, {"target1": "supervisor", "target2": "supervisor"}, HASH)
        processes = [ServerProcess(db_url, data_dir=data_dir, extra=("--no-dispatch",))
                     for _ in range(2)]
        try:
            for process in processes:
                process.start()
            yield processes
        finally:
            for process in processes:
                process.kill()


def guess_all(servers: list[ServerProcess], username: str, passwords: list[str],
              threads: int = 20) -> list[int]:
    """All guesses at once, alternating between the two API processes."""
    clients = [httpx.Client(base_url=s.base_url, timeout=60) for s in servers]

    def attempt(index: int) -> int:
        return clients[index % 2].post("/v1/auth/login", json={
            "username": username, "password": passwords[index]}).status_code

    try:
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(attempt, range(len(passwords))))
    finally:
        for client in clients:
            client.close()


def test_forty_parallel_wrong_guesses_check_no_more_than_the_limit(
        servers: list[ServerProcess]) -> None:
    statuses = guess_all(servers, "target1", [f"wrong-{i}" for i in range(40)])
    counted = Counter(statuses)
    checked = counted[401]  # a 401 means the password was looked at and found wrong
    print(f"40 parallel guesses: {checked} checked, answers {dict(counted)}")
    assert checked <= LIMIT, dict(counted)
    assert counted[403] == 40 - checked  # the rest: locked, the password never looked at


def test_the_right_password_among_a_hundred_parallel_guesses_is_refused(
        servers: list[ServerProcess]) -> None:
    passwords = [f"wrong-{i}" for i in range(100)]
    passwords[30] = RIGHT  # guess #31
    statuses = guess_all(servers, "target2", passwords)
    print(f"100 parallel guesses, right one at #31: answered {statuses[30]}, "
          f"{Counter(statuses)[401]} checked")
    assert statuses[30] != 200
    assert 200 not in statuses


def test_a_logout_on_one_process_is_refused_by_the_other_at_once(
        servers: list[ServerProcess]) -> None:
    """Issue 21 item 6: no process keeps a token in a cache after it was revoked."""
    seed_url = servers[0].db_url
    seed(seed_url, {"leaver": "supervisor"}, HASH)
    token = httpx.post(f"{servers[0].base_url}/v1/auth/login", json={
        "username": "leaver", "password": RIGHT}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for server in servers:  # both processes have seen the token
        assert httpx.get(f"{server.base_url}/v1/review/counts", headers=headers).status_code == 200
    assert httpx.post(f"{servers[0].base_url}/v1/auth/logout",
                      headers=headers).status_code == 204
    assert httpx.get(f"{servers[1].base_url}/v1/review/counts",
                     headers=headers).status_code == 401

"""Issue 21 item 1 on the embedded service: unknown user names get exactly the answers known
ones get (a lock included), and one client address is slowed down after a number of wrong
passwords over any user names, so it cannot lock account after account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tests.helpers.central import PASSWORD, Clock, RunningCentral, running_central


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def central(tmp_path: Path, clock: Clock) -> Iterator[RunningCentral]:
    users = {f"sup{i}": "supervisor" for i in range(1, 9)}
    with running_central(tmp_path, users, clock, max_failed_logins_per_address=12) as running:
        yield running


def answers(client: httpx.Client, username: str, count: int,
            address: str = "10.0.0.1") -> list[tuple[int, str]]:
    out = []
    for attempt in range(count):
        response = client.post("/v1/auth/login", headers={"X-Forwarded-For": address},
                               json={"username": username, "password": f"guess-{attempt}"})
        body = response.json()
        out.append((response.status_code, body.get("error", {}).get("code", "")))
    return out


def test_an_unknown_user_name_is_answered_like_a_known_one(central: RunningCentral) -> None:
    with httpx.Client(base_url=central.base_url, timeout=10) as client:
        known = answers(client, "sup1", 7)
        unknown = answers(client, "nobody-here", 7, address="10.0.0.2")
    assert known == unknown
    assert known == [(401, "login_refused")] * 5 + [(403, "account_locked")] * 2


def test_one_address_is_slowed_down_after_wrong_passwords_over_many_names(
        central: RunningCentral, clock: Clock) -> None:
    with httpx.Client(base_url=central.base_url, timeout=10) as client:
        first = answers(client, "sup1", 5) + answers(client, "sup2", 5)
        assert [status for status, _code in first] == [401] * 10
        # wrong passwords for a third name: two more are checked, then the address waits
        third = client.post("/v1/auth/login", headers={"X-Forwarded-For": "10.0.0.1"},
                            json={"username": "sup3", "password": "x"})
        assert third.status_code == 401
        assert answers(client, "sup3", 1)[0] == (401, "login_refused")
        throttled = client.post("/v1/auth/login", headers={"X-Forwarded-For": "10.0.0.1"},
                                json={"username": "sup4", "password": PASSWORD})
        assert throttled.status_code == 429
        assert throttled.json()["error"]["code"] == "too_many_attempts"
        assert int(throttled.headers["Retry-After"]) == 15 * 60
        # sup3 and sup4 are not locked: from another address they sign in
        for name in ("sup3", "sup4"):
            assert client.post("/v1/auth/login", headers={"X-Forwarded-For": "10.0.0.9"},
                               json={"username": name, "password": PASSWORD}).status_code == 200
        clock.now += timedelta(minutes=16)  # the window is over
        assert client.post("/v1/auth/login", headers={"X-Forwarded-For": "10.0.0.1"},
                           json={"username": "sup4", "password": PASSWORD}).status_code == 200


def test_right_passwords_do_not_count_against_the_address(central: RunningCentral) -> None:
    with httpx.Client(base_url=central.base_url, timeout=10) as client:
        for _ in range(30):
            assert client.post("/v1/auth/login", headers={"X-Forwarded-For": "10.0.0.3"},
                               json={"username": "sup5", "password": PASSWORD}
                               ).status_code == 200
        assert answers(client, "sup6", 1, address="10.0.0.3") == [(401, "login_refused")]

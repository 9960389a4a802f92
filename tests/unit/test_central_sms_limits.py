"""Issue 21 item 6: SMS verification codes are rate-limited per mobile number and per station
(429 with Retry-After), in the SMS sending path (central.sms.queue_sms) so every sender of
SMS can be held to the same limits. Bounded: a dozen requests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from tests.helpers.central import Clock, RunningCentral, running_central


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def central(tmp_path: Path, clock: Clock) -> Iterator[RunningCentral]:
    with running_central(tmp_path, {}, clock, stations=("ST-A", "ST-B"),
                         sms_per_number_per_hour=3, sms_per_station_per_hour=6) as running:
        yield running


def ask(http: httpx.Client, central: RunningCentral, station: str, phone: str) -> httpx.Response:
    return http.post("/v1/phone-verifications", json={"phone": phone},
                     headers=central.station(station))


def queued(central: RunningCentral) -> int:
    engine = central.server.app.state.central.engine
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM notifications")).scalar_one())


def test_one_number_gets_at_most_the_limit_per_hour(central: RunningCentral,
                                                    clock: Clock) -> None:
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        answers = [ask(http, central, "ST-A" if i % 2 else "ST-B", "13800138000").status_code
                   for i in range(5)]
        assert answers == [201, 201, 201, 429, 429]  # from either station
        refused = ask(http, central, "ST-A", "13800138000")
        assert refused.json()["error"]["code"] == "sms_rate_limited"
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        assert ask(http, central, "ST-A", "13900139000").status_code == 201  # another number
        clock.now += timedelta(minutes=61)
        assert ask(http, central, "ST-A", "13800138000").status_code == 201
    assert queued(central) == 5  # refused requests queue nothing


def test_one_station_sends_at_most_the_limit_per_hour(central: RunningCentral) -> None:
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        answers = [ask(http, central, "ST-A", f"1370000{index:04d}").status_code
                   for index in range(8)]
        assert answers == [201] * 6 + [429] * 2
        assert ask(http, central, "ST-B", "13700009999").status_code == 201  # its own quota

"""Issue 21 item 7: the soak mode of bench.sync — stations keep making cases while the whole
server is SIGKILLed every few seconds — loses and duplicates nothing (a short soak here; the
10-minute one is ``python -m bench.sync --json --soak 600 --kill-every 5``)."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers.processes import run_module

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_a_short_soak_with_server_kills_loses_and_duplicates_nothing() -> None:
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL not set: run the suite through scripts/run-tests.sh")
    done = run_module("bench.sync", "--json", "--soak", "12", "--kill-every", "3",
                      "--stations", "3", "--pace", "0.5", "--workers", "1",
                      "--client-processes", "1", "--time-limit", "90", timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["server_kills"] >= 2
    assert result["cases"] > 20
    assert (result["lost"], result["duplicated"], result["undelivered"]) == (0, 0, 0), result

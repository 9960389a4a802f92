"""An office from install to first decisions, as deploy/README.md walks through it: the
central service on PostgreSQL as processes of its own (migrated by the explicit step), two
stations enrolled through the command line with their own data directories, operators
created centrally, a clerk signed in at each station, a case committed at each, a supervisor
deciding them, each station seeing its own decision; then a disabled operator and a disabled
station are refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from central.testing import ROOT, ServerProcess, free_port, scratch_database
from station.sync.client import CentralClient
from tests.helpers.processes import run_module
from tests.unit.test_station_enrolment import write_settings

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
PASSWORDS = {"admin1": "admin-pass-1", "clerk-a": "clerk-pass-a", "clerk-b": "clerk-pass-b",
             "sup1": "supervisor-pass"}
ROLES = {"admin1": "admin", "clerk-a": "clerk", "clerk-b": "clerk", "sup1": "supervisor"}


@pytest.fixture
def central_db() -> Iterator[str]:
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.skip("TEST_DATABASE_URL not set: run the suite through scripts/run-tests.sh")
    with scratch_database(server_url, "test_office") as url:
        yield url


def central_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "central", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


def agent(config: Path, user: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.station_agent", "--config", str(config),
         "--user", user, "--password", PASSWORDS[user], *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def next_event(stream: IO[str] | None) -> dict[str, Any]:
    assert stream is not None
    line = stream.readline()
    assert line, "the station process ended early"
    return dict(json.loads(line))


def finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[int, list[dict[str, Any]]]:
    out, err = process.communicate(timeout=timeout)
    events = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert process.returncode in (0, 3), err[-3000:]
    return process.returncode, events


def test_an_office_from_install_to_first_decisions(central_db: str, tmp_path: Path) -> None:
    refused = central_cli("serve", "--db", central_db, "--port", str(free_port()))
    assert refused.returncode == 3 and "python -m central migrate" in refused.stderr
    migrated = central_cli("migrate", "--db", central_db)
    assert migrated.returncode == 0 and "database schema at" in migrated.stdout
    for name, role in ROLES.items():
        made = central_cli("create-user", "--db", central_db, name, "--role", role,
                           stdin=PASSWORDS[name] + "\n")
        assert made.returncode == 0, made.stderr

    server = ServerProcess(central_db, workers=2, data_dir=tmp_path / "central",
                           extra=("--no-dispatch",))
    server.start()
    configs: dict[str, Path] = {}
    processes: list[subprocess.Popen[str]] = []
    try:
        for code in ("ST-A", "ST-B"):
            config = write_settings(tmp_path / f"{code}.toml", tmp_path / code, server.base_url,
                                    code=code, extra="sync_interval_s = 0.5\n")
            issued = central_cli("enrolment-code", "--db", central_db, code)
            assert issued.returncode == 0, issued.stderr
            enrolled = run_module("station", "enrol", "--config", str(config), "--code",
                                  issued.stdout.split()[0])
            assert enrolled.returncode == 0, enrolled.stderr
            status = json.loads(run_module("station", "status", "--config", str(config),
                                           "--json").stdout)
            assert status["enrolled"] and status["central"] == "reachable"
            assert status["credential"] == "active"
            configs[code] = config

        # a clerk signs in at each station (with the central account) and registers a case
        processes = [agent(configs["ST-A"], "clerk-a", "--register", "--wait-decision", "120"),
                     agent(configs["ST-B"], "clerk-b", "--register", "--wait-decision", "120")]
        numbers = {}
        for code, process in zip(("ST-A", "ST-B"), processes, strict=True):
            signed = next_event(process.stdout)
            assert signed["event"] == "signed_in" and signed["token"] and not signed["offline"]
            committed = next_event(process.stdout)
            assert committed["event"] == "committed" and committed["flags"]
            numbers[code] = committed["number"]

        # the supervisor decides both at the central service
        with CentralClient(server.base_url, timeout=10) as review:
            review.login("sup1", PASSWORDS["sup1"])
            deadline = time.monotonic() + 60
            while review.list_queue(state="pending").total < 2:
                assert time.monotonic() < deadline, "the cases did not reach the queue"
                time.sleep(0.3)
            reason = review.reason_codes()[0]["code"]
            for item in review.list_queue(state="pending").items:
                lease = review.claim(item.case_id)
                if item.station_code == "ST-A":
                    review.decide(item.case_id, "approve", lease["lease_token"])
                else:
                    review.decide(item.case_id, "reject", lease["lease_token"],
                                  reason_code=reason)

        outcomes = {}
        for code, process in zip(("ST-A", "ST-B"), processes, strict=True):
            returncode, events = finish(process)
            assert returncode == 0 and events[-1]["event"] == "decided", events
            outcomes[code] = events[-1]
        assert outcomes["ST-A"]["number"] == numbers["ST-A"]
        assert outcomes["ST-A"]["review_status"] == "approved"
        assert outcomes["ST-B"]["review_status"] == "rejected"
        assert outcomes["ST-B"]["reason_code"] == reason
        assert outcomes["ST-A"]["reviewer"] == "sup1"

        metrics = httpx.get(f"{server.base_url}/metrics", timeout=10).text
        assert 'central_station_sync_backlog_cases{state="pending",station="ST-A"} 0.0' in metrics
        assert "central_http_requests_total{" in metrics
        assert "central_review_queue_cases" in metrics

        # a disabled operator is refused at the station (after the next sync at the latest)
        assert central_cli("users", "disable", "clerk-b", "--db", central_db).returncode == 0
        returncode, events = finish(agent(configs["ST-B"], "clerk-b"))
        assert returncode == 3 and events[-1]["event"] == "refused"

        # a disabled station is refused at once, says so, and signs nobody in
        assert central_cli("stations", "disable", "ST-A", "--db", central_db).returncode == 0
        status = json.loads(run_module("station", "status", "--config", str(configs["ST-A"]),
                                       "--json").stdout)
        assert status["credential"] == "disabled"
        returncode, events = finish(agent(configs["ST-A"], "clerk-a"))
        assert returncode == 3 and "disabled" in events[-1]["message"]
        listed = json.loads(central_cli("stations", "list", "--db", central_db, "--json").stdout)
        states = {row["code"]: row["state"] for row in listed}
        assert states == {"ST-A": "disabled", "ST-B": "active"}
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        server.kill()

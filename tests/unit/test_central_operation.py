"""Running the central service: the explicit migration step, settings from the environment
file, and the Prometheus metrics for the office's monitoring."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from central.embedded import EmbeddedCentral
from central.testing import ROOT

DEPLOY = ROOT / "deploy"


def central(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "central", *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=120, check=False,
                          env={**os.environ, **(env or {})})


def test_migrations_are_an_explicit_step_and_the_env_file_names_the_database(
        tmp_path: Path) -> None:
    keys = dict(line.split("=", 1) for line in (DEPLOY / "central.env").read_text(
        encoding="utf-8").splitlines() if line and not line.startswith("#"))
    assert {"CENTRAL_DB_URL", "CENTRAL_WORKERS", "CENTRAL_DATA_DIR"} <= set(keys)
    for unit in ("counter-central.service", "counter-central-migrate.service"):
        text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/counter-central/central.env" in text
    assert "python -m central migrate" in (DEPLOY / "systemd" /
                                          "counter-central-migrate.service").read_text()

    env = {"CENTRAL_DB_URL": f"sqlite:///{tmp_path / 'central.sqlite3'}"}
    before = central("stations", "list", env=env)
    assert before.returncode == 3 and "python -m central migrate" in before.stderr
    done = central("migrate", env=env)  # no --db: the environment file's database
    assert done.returncode == 0 and "(was empty)" in done.stdout
    again = central("migrate", env=env)
    assert again.returncode == 0 and "was" not in again.stdout
    assert central("stations", "list", env=env).returncode == 0
    assert central("migrate", env={"CENTRAL_DB_URL": ""}).returncode == 2


def test_metrics_count_requests_by_route_and_read_the_queue(tmp_path: Path) -> None:
    service = EmbeddedCentral(f"sqlite:///{tmp_path / 'c.sqlite3'}", tmp_path,
                              dispatch_notifications=False)
    base = service.start()
    try:
        for case_id in ("a" * 32, "b" * 32):
            assert httpx.get(f"{base}/v1/cases/{case_id}").status_code == 401
        response = httpx.get(f"{base}/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        text = response.text
        assert ('central_http_requests_total{method="GET",route="/v1/cases/{case_id}",'
                'status="401"} 2.0') in text  # one series for every case id
        assert 'central_review_queue_cases{state="pending"} 0.0' in text
        assert "central_review_overdue_cases 0.0" in text
        assert "central_http_request_duration_seconds_bucket" in text
        assert httpx.get(f"{base}/health").json()["status"] == "ok"
    finally:
        service.stop()

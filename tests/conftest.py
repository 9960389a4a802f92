"""Shared fixtures. Core tests need no QApplication; UI tests use pytest-qt's ``qtbot``."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_ROOT.parent / "shared"
FACES_DIR = SHARED_DIR / "data" / "faces"


@pytest.fixture(autouse=True)
def _fail_on_unexpected_error_logs(request: pytest.FixtureRequest,
                                   caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The event bus, relays and servers log handler exceptions instead of raising them, so an
    ERROR record nobody expected is a failure. A test that provokes one says so with
    ``@pytest.mark.error_logs_expected(r"pattern", ...)`` (regexes over "logger: message";
    no pattern allows any)."""
    yield
    marker = request.node.get_closest_marker("error_logs_expected")
    if marker is not None and not marker.args:
        return
    patterns = [re.compile(p) for p in (marker.args if marker else ())]
    unexpected = [
        f"{record.name}: {record.getMessage()}"
        for phase in ("setup", "call")
        for record in caplog.get_records(phase)  # type: ignore[arg-type]
        if record.levelno >= logging.ERROR
        and not any(p.search(f"{record.name}: {record.getMessage()}") for p in patterns)
    ]
    if unexpected:
        pytest.fail("unexpected ERROR log records:\n" + "\n".join(unexpected[:10]),
                    pytrace=False)


@pytest.fixture
def faces_dir() -> Path:
    """../shared/data/faces; skips (with the reason) only where the folder is absent."""
    if not FACES_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{FACES_DIR} is missing in CI; face-image tests must run there")
        pytest.skip(f"{FACES_DIR} not present (a fresh clone without ../shared)")
    return FACES_DIR


@pytest.fixture
def settings(tmp_path: Path):
    from station.config import load_settings

    return load_settings(
        profiles=("demo",),
        environ={
            "STATION__STORAGE__DATA_DIR": str(tmp_path / "data"),
        },
    )


@pytest.fixture
def database(tmp_path: Path) -> Iterator[object]:
    from station.db.database import Database

    db = Database(f"sqlite:///{tmp_path / 'station.sqlite3'}", tmp_path / "data.key")
    yield db
    db.close()


@pytest.fixture
def postgres_url() -> str:
    """URL of a real PostgreSQL server (scripts/run-tests.sh makes one available)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_DATABASE_URL is not set in CI")
        pytest.skip("TEST_DATABASE_URL not set: run the suite through scripts/run-tests.sh")
    return url

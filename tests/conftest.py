"""Shared fixtures. Core tests need no QApplication; UI tests use pytest-qt's ``qtbot``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_ROOT.parent / "shared"
FACES_DIR = SHARED_DIR / "data" / "faces"


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

"""The central schema's newest migration goes down and up again cleanly, on SQLite and on
PostgreSQL (the review queue's indexes and the shared counts snapshot)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

from central.db import MIGRATIONS_DIR, make_engine, migrate
from central.testing import scratch_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'central.sqlite3'}")
        yield engine
        engine.dispose()
        return
    server_url = request.getfixturevalue("postgres_url")
    with scratch_database(server_url, "migrations") as url:
        engine = make_engine(url, pool_size=1)
        yield engine
        engine.dispose()


def alembic(engine: Engine, action: str, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        getattr(command, action)(cfg, revision)


def queue_indexes(engine: Engine) -> dict[str, list[str | None]]:
    return {index["name"]: index["column_names"] for index in inspect(engine).get_indexes("cases")
            if index["name"] in ("ix_cases_queue", "ix_cases_claimed")}


def test_review_queue_migration_goes_down_and_up_again(engine: Engine) -> None:
    migrate(engine)
    assert queue_indexes(engine) == {
        "ix_cases_queue": ["review_state", "due_at", "received_at", "id"],
        "ix_cases_claimed": ["lease_until"]}
    assert inspect(engine).has_table("review_count_snapshots")
    alembic(engine, "downgrade", "0004")
    assert queue_indexes(engine) == {"ix_cases_queue": ["review_state", "due_at"]}
    assert not inspect(engine).has_table("review_count_snapshots")
    alembic(engine, "upgrade", "head")
    assert queue_indexes(engine)["ix_cases_queue"] == ["review_state", "due_at", "received_at",
                                                       "id"]


def test_the_migrations_form_one_line() -> None:
    """Two branches adding the same revision number give alembic two heads, and every
    ``migrate`` fails: the revisions must form a single chain."""
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(cfg)
    assert len(script.get_heads()) == 1, script.get_heads()
    revisions = [r.revision for r in script.walk_revisions()]
    assert len(revisions) == len(set(revisions))

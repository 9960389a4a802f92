"""Engine, sessions and migrations (run at every start) for the central service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult, Result
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from station.db.database import sqlite_file
from station.security.files import private_file

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 72_010_007  # pg_advisory_lock key: one process migrates at a time


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        if (path := sqlite_file(url)) is not None:
            private_file(path)  # 0600 before SQLite opens it (its WAL follows)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # no pre-ping: a stale connection fails the request with 503 and the client retries;
    # the pool then discards it (saves a round trip on every request)
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size)


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def migrate(engine: Engine) -> None:
    """Upgrade to the newest schema; concurrent starters on PostgreSQL wait for each other."""
    from alembic import command  # imported here: API worker processes never migrate
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    with engine.begin() as connection:
        if is_postgres(engine):
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def schema_state(engine: Engine) -> tuple[str | None, str]:
    """(the database's revision, the newest this code knows): equal when migrated."""
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head() or ""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def dialect_name(db: Session | Connection) -> str:
    """Works for a Session and for a Core Connection."""
    return db.dialect.name if isinstance(db, Connection) else db.get_bind().dialect.name


def upsert(db: Session | Connection,
           model: type[DeclarativeBase]) -> postgresql.Insert | sqlite.Insert:
    """INSERT into the model's table that can say ON CONFLICT, in the database's own dialect."""
    table = table_of(model)
    return postgresql.insert(table) if dialect_name(db) == "postgresql" else sqlite.insert(table)


def table_of(model: type[DeclarativeBase]) -> Table:
    """The Table a model class maps (for Core statements on the hot paths)."""
    table = model.__table__
    assert isinstance(table, Table)  # a mapped class, not a mapping of a select
    return table


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched (its result is a CursorResult)."""
    assert isinstance(result, CursorResult)
    return result.rowcount

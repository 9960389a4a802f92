"""Opening the station database: engine, migrations on start, one serialised writer.

All writes go through ``Database.submit`` and run one at a time on a dedicated thread (as
Anki serialises its collection), so the GUI thread never waits on SQLite and writers never
contend for its lock. Reads may use ``Database.session()`` from any worker thread.

What a write changed is announced by the code that changes it (``announce(session, event)``,
e.g. cases.commit_case) and published on the station's EventBus once the transaction has
committed: one place per change, whichever screen or tool ran the write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from station.events import Event, EventBus
from station.security.crypto import active_keyring, load_or_create_keyring
from station.security.files import private_file

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
T = TypeVar("T")
_ANNOUNCED = "announced_events"


def announce(session: Session, event: Event) -> None:
    """Publish ``event`` after this write's transaction commits (never if it rolls back)."""
    session.info.setdefault(_ANNOUNCED, []).append(event)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a committed step survives a power cut
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names; None for another database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        if (path := sqlite_file(url)) is not None:
            private_file(path)  # 0600 before SQLite opens it (its WAL follows)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (run at every start)."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


class RecordedRefusal(Exception):
    """Raise (a subclass) from a write to refuse something while keeping what the write
    recorded, e.g. a failed-login count and its audit entry: the transaction commits first."""


class Database:
    def __init__(self, url: str, key_file: Path, bus: EventBus | None = None) -> None:
        active_keyring.install(load_or_create_keyring(key_file))
        self.url = url
        self.key_file = key_file
        self.bus = bus  # where announced changes go; None: nobody listens (tools, tests)
        self.engine = make_engine(url)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._writer_thread: threading.Thread | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reads (or for writes from code already on the writer thread)."""
        with self._sessions() as session:
            yield session

    def submit(self, work: Callable[[Session], T]) -> Future[T]:
        """Run ``work(session)`` on the writer thread inside one transaction."""

        def run() -> T:
            with self._sessions() as session:
                try:
                    result = work(session)
                except RecordedRefusal:
                    session.commit()
                    self._publish(session)
                    raise
                except BaseException:
                    session.rollback()
                    session.info.pop(_ANNOUNCED, None)
                    raise
                session.commit()
                self._publish(session)
                return result

        return self._writer.submit(run)

    def _publish(self, session: Session) -> None:
        events: list[Event] = session.info.pop(_ANNOUNCED, [])
        if self.bus is not None:
            for event in events:
                self.bus.publish(event)

    def write(self, work: Callable[[Session], T], timeout: float | None = 30.0) -> T:
        """Blocking form of submit, for worker threads and command-line tools (not the GUI)."""
        return self.submit(work).result(timeout=timeout)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self.engine.dispose()

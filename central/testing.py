"""Helpers for tests and benchmarks: scratch PostgreSQL databases, server processes, seeding."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _conninfo(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return (f"host={parsed.host or '127.0.0.1'} port={parsed.port or 5432} "
            f"user={parsed.username or 'postgres'} dbname={parsed.database or 'postgres'}"
            + (f" password={parsed.password}" if parsed.password else ""))


def create_database(server_url: str, prefix: str = "central") -> tuple[str, str]:
    """A uniquely named database on the server of ``server_url``: (its URL, its name)."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_conninfo(server_url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False), name


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_conninfo(server_url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def scratch_database(server_url: str, prefix: str = "central") -> Iterator[str]:
    url, name = create_database(server_url, prefix)
    try:
        yield url
    finally:
        drop_database(server_url, name)


class ServerProcess:
    """``python -m central serve`` in its own process group (so a kill takes its workers)."""

    def __init__(self, db_url: str, port: int | None = None, workers: int = 1,
                 data_dir: Path | None = None, extra: tuple[str, ...] = ()) -> None:
        self.db_url = db_url
        self.port = port or free_port()
        self.workers = workers
        self.data_dir = data_dir or Path(os.environ.get("TMPDIR", "/tmp")) / "central-data"
        self.extra = extra
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "central", "serve", "--db", self.db_url, "--port",
             str(self.port), "--workers", str(self.workers), "--log-level", "WARNING",
             "--data-dir", str(self.data_dir), *self.extra],
            cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.base_url}/health", timeout=1).status_code == 200:
                    return
            if self.process.poll() is not None:
                raise RuntimeError("central server exited during start")
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("central server did not answer /health in time")

    def kill(self) -> None:
        """SIGKILL the whole process group: no graceful shutdown, requests cut mid-flight."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


def seed(db_url: str, users: dict[str, str], password_hash: str,
         stations: tuple[str, ...] = ()) -> dict[str, str]:
    """Create users {username: role} with ``password_hash`` and stations; returns
    {station_code: credential}."""
    from central import accounts
    from central.db import make_engine, migrate, session_factory
    from central.models import Station
    from central.security import digest, new_secret

    engine = make_engine(db_url, pool_size=1)
    migrate(engine)
    credentials: dict[str, str] = {}
    with session_factory(engine).begin() as session:
        for username, role in users.items():
            accounts.upsert_user_hash(session, username, username, role, password_hash)
        for code in stations:
            credential = new_secret()
            session.add(Station(code=code, name=code, credential_hash=digest(credential)))
            credentials[code] = credential
    engine.dispose()
    return credentials

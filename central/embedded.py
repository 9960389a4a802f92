"""The central service inside the station process, for demo mode (SQLite by default).

    central = EmbeddedCentral("sqlite:///.../central.sqlite3", data_dir)
    base_url = central.start()          # uvicorn on 127.0.0.1, free port; waits for /health
    demo = central.bootstrap_demo("DEMO-0001", operators=[...])
    ...
    central.stop()
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from central import accounts, schemas
from central.app import create_app
from central.config import CentralConfig
from central.db import make_engine, migrate, normalise_url, session_factory
from central.models import Station, utcnow
from central.security import digest, new_secret
from central.timeouts import uvicorn_options
from station.security.files import private_dir


@dataclass(frozen=True)
class SeedOperator:
    """A station operator mirrored to the central service (same argon2 hash, same password)."""

    username: str
    display_name: str
    role: str  # clerk | supervisor | admin
    password_hash: str


@dataclass(frozen=True)
class DemoBootstrap:
    station_code: str
    credential: str  # the station's own credential (Bearer token)
    enrolment_code: str  # a further one-time code, e.g. to show enrolment in the demo


class EmbeddedCentral:
    def __init__(self, db_url: str, data_dir: Path, lease_seconds: int = 300,
                 clock: Callable[[], datetime] = utcnow, port: int = 0, **config: Any) -> None:
        """``clock`` and further CentralConfig fields are for tests (e.g. lease expiry)."""
        self.db_url = normalise_url(db_url)
        self.data_dir = Path(data_dir)
        self.config = CentralConfig(db_url=self.db_url, data_dir=self.data_dir,
                                    lease_seconds=lease_seconds, **{"pool_size": 4, **config})
        self.clock = clock
        self.port = port  # 0: a free port; the chosen one is kept for restarts
        self.app: FastAPI | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url: str | None = None

    def start(self, timeout: float = 20.0) -> str:
        """Migrate, serve on 127.0.0.1 with a free port, return the base URL once /health
        answers."""
        if self.base_url is not None:
            return self.base_url
        private_dir(self.data_dir)
        engine = make_engine(self.db_url, pool_size=1)
        migrate(engine)
        engine.dispose()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        port = self.port = sock.getsockname()[1]
        app = self.app = create_app(self.config, self.clock)
        server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False,
                                               **uvicorn_options(self.config.header_timeout_s),
                                               lifespan="on", timeout_graceful_shutdown=3))
        self._server = server
        self._thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                                        name="embedded-central", daemon=True)
        self._thread.start()
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._thread.is_alive():
                raise RuntimeError("the embedded central service failed to start")
            try:
                if httpx.get(f"{base_url}/health", timeout=1.0).status_code == 200:
                    self.base_url = base_url
                    return base_url
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("the embedded central service did not answer /health in time")

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=timeout)
        self._server, self._thread, self.base_url = None, None, None

    def bootstrap_operators(self, operators: list[SeedOperator] | tuple[SeedOperator, ...]) -> None:
        """Create or update operators with the station's password hashes (demo mirroring)."""
        engine = make_engine(self.db_url, pool_size=1)
        try:
            with session_factory(engine).begin() as session:
                for op in operators:
                    accounts.upsert_user_hash(session, op.username, op.display_name, op.role,
                                              op.password_hash)
        finally:
            engine.dispose()

    def bootstrap_demo(self, station_code: str, station_name: str = "",
                       operators: list[SeedOperator] | tuple[SeedOperator, ...] = ()
                       ) -> DemoBootstrap:
        """Register the station with a fresh credential and mirror its operators.
        Idempotent: running it again replaces the credential and updates the operators."""
        engine = make_engine(self.db_url, pool_size=1)
        migrate(engine)
        try:
            with session_factory(engine).begin() as session:
                station = session.query(Station).filter_by(code=station_code).one_or_none()
                if station is None:
                    station = Station(code=station_code, name=station_name)
                    session.add(station)
                credential = new_secret()
                station.credential_hash = digest(credential)
                station.enrolled_at = utcnow()
                for op in operators:
                    accounts.upsert_user_hash(session, op.username, op.display_name, op.role,
                                              op.password_hash)
                code = accounts.issue_enrolment_code(
                    session, schemas.EnrolmentCodeIn(station_code=station_code,
                                                     station_name=station_name),
                    None, utcnow(), 72.0)
        finally:
            engine.dispose()
        return DemoBootstrap(station_code=station_code, credential=credential,
                             enrolment_code=code.code)

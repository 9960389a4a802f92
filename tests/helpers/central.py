"""A real central service on SQLite for a test: migrated, operators seeded, served over HTTP
on 127.0.0.1 (the embedded uvicorn server the station's demo mode uses)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

PASSWORD = "password-123"
# argon2 is slow on purpose; cheap parameters (verified the same way) keep tests quick
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash(PASSWORD)


class Clock:
    """A settable clock for the service (leases, lockouts, expiry)."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 9, 30, 2, 0, tzinfo=UTC)  # Wed 10:00 in Beijing

    def __call__(self) -> datetime:
        return self.now


@dataclass
class RunningCentral:
    server: Any  # central.embedded.EmbeddedCentral
    base_url: str
    credentials: dict[str, str]  # station code -> its Bearer credential
    db_url: str

    def station(self, code: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials[code]}"}


@contextmanager
def running_central(tmp_path: Path, users: dict[str, str], clock: Callable[[], datetime],
                    stations: tuple[str, ...] = (), **config: Any) -> Iterator[RunningCentral]:
    """Users {name: role} all have PASSWORD; ``config``: further CentralConfig fields."""
    from central.embedded import EmbeddedCentral
    from central.testing import seed

    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    credentials = seed(url, users, PASSWORD_HASH, stations=stations)
    server = EmbeddedCentral(url, tmp_path / "central-data", clock=clock,
                             **{"dispatch_notifications": False, **config})
    base_url = server.start()
    try:
        yield RunningCentral(server, base_url, credentials, url)
    finally:
        server.stop()

"""A central service with a platform intake client, a station and a supervisor, for the
platform intake, event stream and status page tests (fixture ``platform_world``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from central import accounts, schemas
from central.db import make_engine, migrate, session_factory
from central.embedded import EmbeddedCentral
from central.models import utcnow
from central.sealing import Sealer


@dataclass
class World:
    client: httpx.Client
    platform: str
    station: str
    supervisor: str
    db_url: str
    client_app: Any
    webhook_secret: str

    def h(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def submit(self, route: str, body: dict[str, Any]) -> httpx.Response:
        return self.client.post(f"/v1/intake/{route}", json=body, headers=self.h(self.platform))


def running_world(tmp_path: Path, db_url: str | None = None,
                  **config: Any) -> Iterator[World]:
    """On SQLite, or on ``db_url`` (a scratch PostgreSQL database); ``config``: further
    CentralConfig fields (e.g. the traffic system's URL and secret)."""
    url = db_url or f"sqlite:///{tmp_path / 'central.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    with session_factory(engine).begin() as session:
        for name, role in (("admin1", "admin"), ("sup1", "supervisor")):
            accounts.create_user(session, schemas.UserIn(username=name, role=role,
                                                         password="password-123"))
        platform, webhook_secret = accounts.create_platform_client(
            session, "APP-12123", "交管12123", utcnow(),
            Sealer.from_key_file(tmp_path / "data-key.json"))
    engine.dispose()
    server = EmbeddedCentral(url, tmp_path, **{"dispatch_notifications": False, **config})
    base_url = server.start()
    with httpx.Client(base_url=base_url, timeout=120) as client:
        tokens = {name: client.post("/v1/auth/login", json={
            "username": name, "password": "password-123"}).json()["token"]
            for name in ("admin1", "sup1")}
        code = client.post("/v1/admin/enrolment-codes", json={"station_code": "ST-01"},
                           headers={"Authorization": f"Bearer {tokens['admin1']}"}).json()
        station = client.post("/v1/stations/enrol", json={
            "code": code["code"], "station_code": "ST-01"}).json()["credential"]
        yield World(client, platform, station, tokens["sup1"], url, server.app, webhook_secret)
    server.stop()

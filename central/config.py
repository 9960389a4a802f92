"""Run-time settings of one central API process (from arguments or environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from central.upstream.protocol import TrafficSystem


@dataclass
class CentralConfig:
    db_url: str
    data_dir: Path = field(default_factory=lambda: Path.cwd() / "central-data")
    max_case_bytes: int = 1_000_000  # the case JSON
    max_part_bytes: int = 20_000_000  # one photo / signature / scan
    max_batch_bytes: int = 16_000_000  # several cases with their parts inline (base64)
    max_intake_bytes: int = 32_000_000  # a platform submission: up to 8 images, base64
    chunk_bytes: int = 4_000_000  # largest accepted chunk of a resumable upload
    upload_expiry_hours: float = 24.0  # an unfinished upload untouched this long is dropped
    sms_per_number_per_hour: int = 5  # verification codes to one mobile number
    sms_per_station_per_hour: int = 100  # ... and asked by one station
    header_timeout_s: float = 10.0  # a request's headers must all arrive within this
    body_idle_timeout_s: float = 20.0  # a body may pause this long between pieces ...
    body_timeout_s: float = 120.0  # ... and take this long in all (4 MB at 300 kbit/s)
    lease_seconds: int = 300
    token_hours: float = 12.0
    max_failed_logins: int = 5  # consecutive wrong passwords before the account locks
    lockout_minutes: float = 15.0
    max_failed_logins_per_address: int = 30  # per lockout_minutes, any user names
    enrolment_code_hours: float = 72.0
    sms_gateway: str | None = None  # None/"dev" or "module:Class"
    calendar_file: Path | None = None
    dispatch_notifications: bool = True
    pool_size: int = 10
    data_key_file: Path | None = None  # default: <data_dir>/data-key.json
    amqp_url: str | None = None  # the event stream's broker, e.g. amqp://guest:guest@host/
    # the traffic-management system (central.upstream): photos on file, approved results
    upstream_url: str | None = None
    upstream_client_id: str = "counter-station"
    upstream_secret: str | None = None  # the signing key the system issued to this service
    upstream_timeout_s: float = 5.0  # per request; a slower answer counts as unavailable

    @property
    def key_file(self) -> Path:
        return self.data_key_file or self.data_dir / "data-key.json"

    ENV = "CENTRAL_"

    def to_env(self) -> dict[str, str]:
        """For worker processes started by uvicorn, which rebuild the app from the env."""
        env = {
            "CENTRAL_DB_URL": self.db_url,
            "CENTRAL_DATA_DIR": str(self.data_dir),
            "CENTRAL_LEASE_SECONDS": str(self.lease_seconds),
            "CENTRAL_DISPATCH": "1" if self.dispatch_notifications else "0",
            "CENTRAL_POOL_SIZE": str(self.pool_size),
            "CENTRAL_MAX_FAILED_LOGINS": str(self.max_failed_logins),
            "CENTRAL_LOCKOUT_MINUTES": str(self.lockout_minutes),
            "CENTRAL_MAX_FAILED_LOGINS_PER_ADDRESS": str(self.max_failed_logins_per_address),
            "CENTRAL_HEADER_TIMEOUT_S": str(self.header_timeout_s),
            "CENTRAL_SMS_PER_NUMBER_PER_HOUR": str(self.sms_per_number_per_hour),
            "CENTRAL_SMS_PER_STATION_PER_HOUR": str(self.sms_per_station_per_hour),
            "CENTRAL_BODY_IDLE_TIMEOUT_S": str(self.body_idle_timeout_s),
            "CENTRAL_BODY_TIMEOUT_S": str(self.body_timeout_s),
        }
        if self.sms_gateway:
            env["CENTRAL_SMS_GATEWAY"] = self.sms_gateway
        if self.calendar_file:
            env["CENTRAL_CALENDAR_FILE"] = str(self.calendar_file)
        if self.data_key_file:
            env["CENTRAL_DATA_KEY_FILE"] = str(self.data_key_file)
        if self.amqp_url:
            env["CENTRAL_AMQP_URL"] = self.amqp_url
        if self.upstream_url:
            env["CENTRAL_UPSTREAM_URL"] = self.upstream_url
            env["CENTRAL_UPSTREAM_CLIENT"] = self.upstream_client_id
            env["CENTRAL_UPSTREAM_TIMEOUT_S"] = str(self.upstream_timeout_s)
            if self.upstream_secret:
                env["CENTRAL_UPSTREAM_SECRET"] = self.upstream_secret
        return env

    @classmethod
    def from_env(cls) -> CentralConfig:
        env = os.environ
        calendar = env.get("CENTRAL_CALENDAR_FILE")
        key_file = env.get("CENTRAL_DATA_KEY_FILE")
        return cls(
            db_url=env["CENTRAL_DB_URL"],
            data_dir=Path(env.get("CENTRAL_DATA_DIR", str(Path.cwd() / "central-data"))),
            lease_seconds=int(env.get("CENTRAL_LEASE_SECONDS", "300")),
            sms_gateway=env.get("CENTRAL_SMS_GATEWAY"),
            calendar_file=Path(calendar) if calendar else None,
            dispatch_notifications=env.get("CENTRAL_DISPATCH", "1") == "1",
            pool_size=int(env.get("CENTRAL_POOL_SIZE", "10")),
            max_failed_logins=int(env.get("CENTRAL_MAX_FAILED_LOGINS", "5")),
            lockout_minutes=float(env.get("CENTRAL_LOCKOUT_MINUTES", "15")),
            max_failed_logins_per_address=int(env.get("CENTRAL_MAX_FAILED_LOGINS_PER_ADDRESS",
                                                      "30")),
            header_timeout_s=float(env.get("CENTRAL_HEADER_TIMEOUT_S", "10")),
            sms_per_number_per_hour=int(env.get("CENTRAL_SMS_PER_NUMBER_PER_HOUR", "5")),
            sms_per_station_per_hour=int(env.get("CENTRAL_SMS_PER_STATION_PER_HOUR", "100")),
            body_idle_timeout_s=float(env.get("CENTRAL_BODY_IDLE_TIMEOUT_S", "20")),
            body_timeout_s=float(env.get("CENTRAL_BODY_TIMEOUT_S", "120")),
            data_key_file=Path(key_file) if key_file else None,
            amqp_url=env.get("CENTRAL_AMQP_URL") or None,
            **upstream_from_env(),
        )

    def traffic_system(self) -> TrafficSystem | None:
        """The configured central.upstream.TrafficSystem (the HTTP adapter), or None."""
        if not self.upstream_url:
            return None
        from central.upstream.http import HttpTrafficSystem

        if not self.upstream_secret:
            raise ValueError("CENTRAL_UPSTREAM_URL is set but CENTRAL_UPSTREAM_SECRET is not")
        return HttpTrafficSystem(self.upstream_url, self.upstream_client_id,
                                 self.upstream_secret, self.upstream_timeout_s)


def upstream_from_env() -> dict[str, Any]:
    """The traffic system's settings from CENTRAL_UPSTREAM_URL, _CLIENT, _SECRET, _TIMEOUT_S
    (the secret only from the environment, never a command-line argument)."""
    env = os.environ
    return {"upstream_url": env.get("CENTRAL_UPSTREAM_URL") or None,
            "upstream_client_id": env.get("CENTRAL_UPSTREAM_CLIENT", "counter-station"),
            "upstream_secret": env.get("CENTRAL_UPSTREAM_SECRET") or None,
            "upstream_timeout_s": float(env.get("CENTRAL_UPSTREAM_TIMEOUT_S", "5"))}

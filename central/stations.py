"""Station administration: list, disable, enable; what a station reports at each sync.

A disabled station keeps its row, its cases and its credential hash; every request with that
credential is refused (403 station_disabled) from the moment the change is committed, in
every API process, because the credential is looked up in the database at each request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import schemas
from central.audit import Principal, audit
from central.errors import ApiError
from central.models import Station, aware
from station.i18n import both


def _out(station: Station) -> schemas.StationOut:
    state: Literal["active", "disabled", "not_enrolled"] = \
        "disabled" if station.disabled_at is not None else \
        "active" if station.credential_hash else "not_enrolled"
    return schemas.StationOut(
        code=station.code, kind=station.kind, name=station.name, office=station.office, state=state,
        enrolled_at=aware(station.enrolled_at), disabled_at=aware(station.disabled_at),
        disabled_by=station.disabled_by, last_seen_at=aware(station.last_seen_at),
        backlog_pending=station.backlog_pending, backlog_failed=station.backlog_failed,
        config_version=station.config_version)


def list_stations(session: Session) -> list[schemas.StationOut]:
    return [_out(station) for station in session.scalars(select(Station).order_by(Station.code))]


def station_by_code(session: Session, code: str) -> Station:
    station = session.scalar(select(Station).where(Station.code == code))
    if station is None:
        raise ApiError(404, "station_unknown", both("CentralApi", "There is no such station."),
                       station=code)
    return station


def set_disabled(session: Session, code: str, disabled: bool, actor: Principal | None,
                 now: datetime) -> schemas.StationOut:
    """Disable (refuse its credential from now on) or enable a station again."""
    station = station_by_code(session, code)
    if disabled and station.disabled_at is None:
        station.disabled_at, station.disabled_by = now, actor.name if actor else "system"
        audit(session, actor, "station.disabled", station=code)
    elif not disabled and station.disabled_at is not None:
        station.disabled_at, station.disabled_by = None, None
        audit(session, actor, "station.enabled", station=code)
    session.flush()
    return _out(station)


def describe(session: Session, who: Principal) -> schemas.StationOut:
    station = session.get(Station, who.id)
    if station is None:  # deleted while its request was on the way
        raise ApiError(401, "unauthenticated", both(
            "CentralApi", "Sign in first (missing, wrong or expired token)."))
    return _out(station)


def record_heartbeat(session: Session, who: Principal, body: schemas.StationHeartbeatIn,
                     now: datetime) -> None:
    station = session.get(Station, who.id)
    if station is None:
        return
    station.last_seen_at = now
    station.backlog_pending, station.backlog_failed = body.pending, body.failed
    if body.config_version is not None:
        station.config_version = body.config_version

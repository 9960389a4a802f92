"""Operators, tokens, station enrolment."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from central import schemas
from central.audit import Principal, audit
from central.db import rows_matched
from central.errors import ApiError
from central.models import ApiToken, EnrolmentCode, Station, User, aware
from central.security import (
    digest,
    hash_password,
    new_enrolment_code,
    new_secret,
    normalise_code,
    verify_password,
)
from station.i18n import both


def create_user(session: Session, body: schemas.UserIn, actor: Principal | None = None,
                password_hash: str | None = None) -> User:
    if session.scalar(select(User).where(User.username == body.username)) is not None:
        raise ApiError(409, "user_exists", both("CentralApi", "This user name is already taken."))
    user = User(username=body.username, display_name=body.display_name or body.username,
                role=body.role, password_hash=password_hash or hash_password(body.password))
    session.add(user)
    audit(session, actor, "user.created", operator=body.username, role=body.role)
    return user


def upsert_user_hash(session: Session, username: str, display_name: str, role: str,
                     password_hash: str) -> None:
    """Seed an operator with an existing argon2 hash (the station's own account)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        session.add(User(username=username, display_name=display_name or username, role=role,
                         password_hash=password_hash))
    else:
        user.display_name, user.role, user.password_hash = display_name, role, password_hash


def login(session: Session, body: schemas.LoginIn, now: datetime,
          token_hours: float) -> schemas.LoginOut:
    """Check the password and issue a token. A locked account is refused before its
    password is even looked at, so guessing on does not tell right from wrong."""
    user = session.scalar(select(User).where(User.username == body.username.strip()))
    locked = aware(user.locked_until) if user is not None else None
    if locked is not None and locked > now:
        raise locked_out(locked)
    ok = verify_password(user.password_hash if user else None, body.password)
    if user is None or not ok or not user.active:
        raise ApiError(401, "login_refused", both("CentralApi", "Wrong user name or password."))
    user.failed_logins, user.locked_until = 0, None
    token = new_secret()
    expires = now + timedelta(hours=token_hours)
    session.add(ApiToken(token_hash=digest(token), user_id=user.id, created_at=now,
                         expires_at=expires))
    audit(session, Principal("user", user.id, user.username, user.role), "login.ok")
    return schemas.LoginOut(token=token, username=user.username,
                            display_name=user.display_name, role=user.role, expires_at=expires)


def locked_out(until: datetime) -> ApiError:
    return ApiError(403, "account_locked", both(
        "CentralApi", "This account is locked after repeated wrong passwords; try again "
        "later or ask an administrator to unlock it."), locked_until=until.isoformat())


def note_refused_login(session: Session, username: str, error: ApiError, now: datetime,
                       max_failures: int, lockout: timedelta) -> None:
    """Count a wrong password in its own transaction (the refused login's rolled back) and
    lock the account once ``max_failures`` come in a row. One UPDATE, so concurrent guesses
    on several API processes are all counted."""
    audit(session, None, "login.refused", operator=username[:64], reason=error.code)
    if error.code != "login_refused":
        return
    failures = User.failed_logins + 1
    locked = session.execute(
        update(User).where(User.username == username.strip())
        .values(failed_logins=failures,
                locked_until=case((failures >= max_failures, now + lockout),
                                  else_=User.locked_until))
        .returning(User.locked_until)
    ).first()
    if locked is not None and locked[0] is not None and (aware(locked[0]) or now) > now:
        audit(session, None, "login.locked", operator=username[:64],
              until=(aware(locked[0]) or now).isoformat())


def unlock(session: Session, username: str, actor: Principal | None = None) -> bool:
    result = session.execute(update(User).where(User.username == username)
                             .values(failed_logins=0, locked_until=None))
    if rows_matched(result):
        audit(session, actor, "user.unlocked", operator=username)
    return bool(rows_matched(result))


def logout(session: Session, token: str) -> None:
    row = session.get(ApiToken, digest(token))
    if row is not None:
        session.delete(row)


def issue_enrolment_code(session: Session, body: schemas.EnrolmentCodeIn, actor: Principal | None,
                         now: datetime, hours: float) -> schemas.EnrolmentCodeOut:
    code = new_enrolment_code()
    expires = now + timedelta(hours=hours)
    session.add(EnrolmentCode(
        code_hash=digest(normalise_code(code)), station_code=body.station_code,
        station_name=body.station_name, office=body.office,
        created_by=actor.name if actor else "system", created_at=now, expires_at=expires,
    ))
    audit(session, actor, "station.code_issued", station=body.station_code)
    return schemas.EnrolmentCodeOut(code=code, station_code=body.station_code,
                                    expires_at=expires)


def enrol(session: Session, body: schemas.EnrolIn, now: datetime) -> schemas.EnrolOut:
    """Trade a one-time code for the station's own long-lived credential."""
    entry = session.scalar(
        select(EnrolmentCode).where(EnrolmentCode.code_hash == digest(normalise_code(body.code)))
        .with_for_update()
    )
    expires = aware(entry.expires_at) if entry else None
    if (entry is None or entry.used_at is not None or expires is None or expires < now
            or entry.station_code != body.station_code):
        audit(session, None, "station.enrol_refused", station=body.station_code[:32])
        raise ApiError(403, "enrolment_refused", both(
            "CentralApi", "This enrolment code is wrong, used or expired."))
    entry.used_at = now
    station = session.scalar(select(Station).where(Station.code == body.station_code))
    if station is None:
        station = Station(code=body.station_code, name=entry.station_name, office=entry.office)
        session.add(station)
    credential = new_secret()
    station.credential_hash = digest(credential)  # re-enrolment replaces the old credential
    station.enrolled_at = now
    session.flush()
    audit(session, Principal("station", station.id, station.code, "station"), "station.enrolled")
    return schemas.EnrolOut(station_id=station.id, station_code=station.code,
                            credential=credential)


def principal_for(session: Session, token: str, now: datetime) -> Principal | None:
    key = digest(token)
    station = session.scalar(select(Station).where(Station.credential_hash == key))
    if station is not None:
        return Principal("station", station.id, station.code, "station")
    row = session.execute(
        select(User, ApiToken.expires_at).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == key)
    ).first()
    if row is None:
        return None
    user, expires = row
    if not user.active or (aware(expires) or now) < now:
        return None
    return Principal("user", user.id, user.username, user.role)

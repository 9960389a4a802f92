"""Operators, tokens, station enrolment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, null, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from central import schemas
from central.audit import Principal, audit
from central.db import upsert
from central.errors import ApiError
from central.models import ApiToken, AuditAnchor, EnrolmentCode, LoginGuard, Station, User, aware
from central.sealing import Sealer
from central.security import (
    digest,
    hash_password,
    new_enrolment_code,
    new_secret,
    normalise_code,
    verify_password,
)
from station.i18n import both
from station.security.passwords import password_problem


def create_user(session: Session, body: schemas.UserIn, actor: Principal | None = None,
                password_hash: str | None = None) -> User:
    """A new operator; a new password must meet the operators' password policy (422
    weak_password saying why). ``password_hash``: an existing argon2 hash (mirroring)."""
    problem = password_problem(body.password, body.username) if password_hash is None else None
    if problem is not None:
        raise ApiError(422, "weak_password", both(problem.context, problem.source))
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


@dataclass(frozen=True)
class LoginLimits:
    """How many sign-in attempts are checked before a lock (counted in LoginGuard rows)."""

    max_failures: int = 5  # wrong passwords in a row for one user name, then locked ...
    lockout: timedelta = timedelta(minutes=15)  # ... this long
    # wrong passwords from one client address (any user names) per window, then that address
    # waits out the window: an anonymous guesser can lock only a few accounts per window
    # (an office behind one address shares it, hence more than one operator's typos)
    max_address_failures: int = 30
    address_window: timedelta = timedelta(minutes=15)


def sign_in(run: Callable[[Callable[[Session], Any]], Any], body: schemas.LoginIn,
            address: str, now: datetime, token_hours: float,
            limits: LoginLimits) -> schemas.LoginOut:
    """Check a password so that parallel guesses, on any number of API processes, are never
    checked past the limits: the attempt is counted (per client address, then per user name)
    in a transaction committed before argon2 runs, and taken back if the password is right.
    Unknown user names are counted and locked like known ones, so no answer tells them apart.
    ``run`` runs its argument in a transaction of its own."""
    username = body.username.strip()
    keys = Keys(f"user:{username}", f"address:{address[:100]}")
    refusal: ApiError | None = run(lambda s: _reserve(s, username, keys, now, limits))
    if refusal is not None:
        raise refusal
    try:
        out: schemas.LoginOut = run(lambda s: _check(s, username, body.password, keys, now,
                                                     token_hours))
    except ApiError as refused:
        wrong = refused  # the name "refused" is unbound after the block; the lambda runs in it
        run(lambda s: _count_failure(s, username, keys, wrong, now, limits))
        raise
    return out


@dataclass(frozen=True)
class Keys:
    user: str
    address: str


def _reserve(session: Session, username: str, keys: Keys, now: datetime,
             limits: LoginLimits) -> ApiError | None:
    """Count the attempt in advance; the refusal (with its audit) when a limit is reached."""
    refusal: ApiError | None = None
    address_until = _take(session, keys.address, limits.max_address_failures,
                          limits.address_window, now)
    if address_until is not None:
        refusal = ApiError(429, "too_many_attempts", both(
            "CentralApi", "Too many wrong passwords from this computer; wait a few minutes "
            "and try again."), retry_after_s=max(1, int((address_until - now).total_seconds())))
    else:
        locked = _take(session, keys.user, limits.max_failures, None, now)
        if locked is not None:
            _give_back(session, keys.address)  # refused unchecked: it cost nothing
            refusal = locked_out(locked)
    if refusal is not None:
        audit(session, None, "login.refused", operator=username[:64], reason=refusal.code)
    return refusal


def _take(session: Session, key: str, limit: int, window: timedelta | None,
          now: datetime) -> datetime | None:
    """One conditional UPDATE counts the attempt if the key is under its limit (row-locking,
    so concurrent attempts queue on it and each sees the others' counts). Returns None when
    counted, else until when the key is locked (its limit reached by attempts in flight:
    as long as a lock would last)."""
    session.execute(upsert(session, LoginGuard).values(
        key=key, failures=0, locked_until=None, counting_since=now,
    ).on_conflict_do_nothing(index_elements=["key"]))
    over: ColumnElement[bool] = LoginGuard.locked_until <= now  # a lock that has ended
    if window is not None:  # ... or a window that has
        over = or_(over, and_(LoginGuard.locked_until.is_(None),
                              LoginGuard.counting_since <= now - window))
    counted = session.execute(
        update(LoginGuard)
        .where(LoginGuard.key == key,
               or_(over, and_(LoginGuard.locked_until.is_(None), LoginGuard.failures < limit)))
        .values(failures=case((over, 1), else_=LoginGuard.failures + 1),
                locked_until=case((over, null()), else_=LoginGuard.locked_until),
                counting_since=case((over, now), else_=LoginGuard.counting_since))
        .returning(LoginGuard.failures)
    ).first()
    if counted is not None:
        return None
    until = session.scalar(select(LoginGuard.locked_until).where(LoginGuard.key == key))
    return aware(until) if until is not None else now + (window or LOCK_IN_FLIGHT)


LOCK_IN_FLIGHT = timedelta(minutes=1)  # the limit is reached by attempts still being checked


def _give_back(session: Session, key: str) -> None:
    session.execute(update(LoginGuard).where(LoginGuard.key == key, LoginGuard.failures > 0)
                    .values(failures=LoginGuard.failures - 1))


def _check(session: Session, username: str, password: str, keys: Keys, now: datetime,
           token_hours: float) -> schemas.LoginOut:
    """The password check (argon2, also for unknown names) and, if right, the token."""
    user = session.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        raise ApiError(401, "login_refused", both("CentralApi", "Wrong user name or password."))
    session.execute(delete(LoginGuard).where(LoginGuard.key == keys.user))  # a success resets
    _give_back(session, keys.address)
    token = new_secret()
    expires = now + timedelta(hours=token_hours)
    session.add(ApiToken(token_hash=digest(token), user_id=user.id, created_at=now,
                         expires_at=expires))
    audit(session, Principal("user", user.id, user.username, user.role), "login.ok")
    return schemas.LoginOut(token=token, username=user.username,
                            display_name=user.display_name, role=user.role, expires_at=expires)


def station_disabled() -> ApiError:
    return ApiError(403, "station_disabled", both(
        "CentralApi", "This station has been disabled by the central administrator."))


def locked_out(until: datetime) -> ApiError:
    return ApiError(403, "account_locked", both(
        "CentralApi", "This account is locked after repeated wrong passwords; try again "
        "later or ask an administrator to unlock it."), locked_until=until.isoformat())


def _count_failure(session: Session, username: str, keys: Keys, error: ApiError, now: datetime,
                   limits: LoginLimits) -> None:
    """A wrong password (in a transaction of its own: the refused login's rolled back): it
    was counted before the check; a key that has reached its limit is locked now."""
    audit(session, None, "login.refused", operator=username[:64], reason=error.code)
    for key, limit, lasting, action in (
            (keys.user, limits.max_failures, limits.lockout, "login.locked"),
            (keys.address, limits.max_address_failures, limits.address_window,
             "login.address_throttled")):
        locked = session.execute(
            update(LoginGuard)
            .where(LoginGuard.key == key, LoginGuard.locked_until.is_(None),
                   LoginGuard.failures >= limit)
            .values(locked_until=now + lasting).returning(LoginGuard.locked_until)
        ).first()
        if locked is not None:
            audit(session, None, action, operator=username[:64],
                  until=(aware(locked[0]) or now).isoformat())


def unlock(session: Session, username: str, actor: Principal | None = None) -> bool:
    """Lift a sign-in lock (and forget the wrong passwords counted); False: no such user."""
    if session.scalar(select(User.id).where(User.username == username)) is None:
        return False
    session.execute(delete(LoginGuard).where(LoginGuard.key == f"user:{username}"))
    audit(session, actor, "user.unlocked", operator=username)
    return True


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
    if entry is None or entry.station_code != body.station_code:
        # a code for another station is as wrong as no code: it says nothing of other codes
        raise ApiError(403, "enrolment_code_unknown", both(
            "CentralApi", "This enrolment code is wrong or was issued for another station."))
    if entry.used_at is not None:
        raise ApiError(403, "enrolment_code_used", both(
            "CentralApi", "This enrolment code has been used already; ask for a new one."))
    if expires is None or expires < now:
        raise ApiError(403, "enrolment_code_expired", both(
            "CentralApi", "This enrolment code has expired; ask for a new one."))
    entry.used_at = now
    station = session.scalar(select(Station).where(Station.code == body.station_code))
    if station is None:
        station = Station(code=body.station_code, name=entry.station_name, office=entry.office)
        session.add(station)
    credential = new_secret()
    station.credential_hash = digest(credential)  # re-enrolment replaces the old credential
    station.enrolled_at = now
    session.flush()
    # a re-enrolled station (wiped, replaced) starts a new audit chain: an administrator's
    # one-time code vouches for it, and the old chain's last anchor stays in the audit trail
    last = session.scalar(select(AuditAnchor).where(AuditAnchor.station_id == station.id)
                          .order_by(AuditAnchor.seq.desc()).limit(1))
    session.execute(delete(AuditAnchor).where(AuditAnchor.station_id == station.id))
    previous: dict[str, Any] = {"previous_anchor_seq": last.seq,
                                "previous_anchor_hash": last.hash} if last else {}
    audit(session, Principal("station", station.id, station.code, "station"), "station.enrolled",
          **previous)
    return schemas.EnrolOut(station_id=station.id, station_code=station.code,
                            credential=credential)


def create_platform_client(session: Session, code: str, name: str, now: datetime,
                           sealer: Sealer) -> tuple[str, str]:
    """Create (or give new secrets to) a platform intake client; returns its credential and
    its webhook signing secret, shown once. Its submissions are cases of this client, as a
    station's are its own."""
    client = session.scalar(select(Station).where(Station.code == code))
    if client is not None and client.kind != "platform":
        raise ApiError(409, "code_taken", both(
            "CentralApi", "A station already uses this code."))
    if client is None:
        client = Station(code=code, name=name, office="", kind="platform")
        session.add(client)
    credential, webhook_secret = new_secret(), new_secret()
    client.credential_hash = digest(credential)
    client.enrolled_at = now
    session.flush()
    client.webhook_secret = sealer.seal_secret(client.id, webhook_secret)
    audit(session, None, "platform_client.credential_issued", client=code)
    return credential, webhook_secret


def principal_for(session: Session | Connection, token: str,
                  now: datetime) -> Principal | None:
    """Who holds ``token`` (None: nobody). A disabled station's credential is refused with
    403 station_disabled, so the station can say why it cannot sync. Columns, not entities:
    this runs at every request (a Core connection in autocommit is enough)."""
    key = digest(token)
    station = session.execute(
        select(Station.id, Station.code, Station.kind, Station.disabled_at)
        .where(Station.credential_hash == key)).first()
    if station is not None:
        if station.disabled_at is not None:
            raise station_disabled()
        if station.kind == "platform":  # the 12123 app's intake client: intake routes only
            return Principal("platform", station.id, station.code, "platform")
        return Principal("station", station.id, station.code, "station")
    row = session.execute(
        select(User.id, User.username, User.role, User.active, ApiToken.expires_at)
        .join(ApiToken, ApiToken.user_id == User.id).where(ApiToken.token_hash == key)
    ).first()
    if row is None or not row.active or (aware(row.expires_at) or now) < now:
        return None
    return Principal("user", row.id, row.username, row.role)

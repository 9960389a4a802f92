"""The operator accounts as stations mirror them, and their administration.

Stations pull the roster at each sync round (GET /v1/stations/operators, answered 304 while
its ETag is unchanged), so disabling or locking an operator here reaches every station within
one sync interval. Disabling also deletes the operator's tokens: the review pages of a
signed-in supervisor stop working at the next request, in every API process.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from central import accounts, schemas
from central.audit import Principal, audit
from central.errors import ApiError
from central.models import ApiToken, LoginGuard, User, aware
from central.security import hash_password
from station.i18n import both
from station.security.passwords import password_problem

USER_KEY = "user:"  # LoginGuard keys of user names (accounts.Keys)


def roster(session: Session, now: datetime) -> list[schemas.OperatorEntry]:
    locks = {
        key[len(USER_KEY):]: aware(until)
        for key, until in session.execute(
            select(LoginGuard.key, LoginGuard.locked_until)
            .where(LoginGuard.key.startswith(USER_KEY), LoginGuard.locked_until > now))
    }
    return [schemas.OperatorEntry(username=user.username, display_name=user.display_name,
                                  role=user.role, active=user.active,
                                  locked_until=locks.get(user.username))
            for user in session.scalars(select(User).order_by(User.username))]


def roster_etag(entries: list[schemas.OperatorEntry]) -> str:
    """A strong HTTP entity tag of the roster's content."""
    text = json.dumps([entry.model_dump(mode="json") for entry in entries], sort_keys=True)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def set_active(session: Session, username: str, active: bool, actor: Principal | None,
               now: datetime) -> schemas.OperatorEntry:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ApiError(404, "user_unknown", both("CentralApi", "There is no such user."),
                       username=username)
    if user.active and not active:
        _may_disable(session, user, actor)
    if user.active != active:
        user.active = active
        if not active:  # signed-in sessions end now, not when their tokens expire
            session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
        audit(session, actor, "user.enabled" if active else "user.disabled", operator=username)
    session.flush()
    return next(entry for entry in roster(session, now) if entry.username == username)


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ApiError(404, "user_unknown", both("CentralApi", "There is no such user."),
                       username=username)
    return user


def _entry(session: Session, username: str, now: datetime) -> schemas.OperatorEntry:
    return next(entry for entry in roster(session, now) if entry.username == username)


def update_user(session: Session, username: str, body: schemas.UserChangeIn,
                actor: Principal | None, now: datetime) -> schemas.OperatorEntry:
    """Change the name or role; nobody changes their own role, and the last active
    administrator stays one."""
    user = _user(session, username)
    changes: dict[str, str] = {}
    if body.display_name is not None and body.display_name.strip() != user.display_name:
        changes["display_name"] = body.display_name.strip()
    if body.role is not None and body.role != user.role:
        if actor is not None and actor.kind == "user" and actor.name == username:
            raise ApiError(409, "own_role", both("CentralApi", "You cannot change your own role."),
                           username=username)
        if user.role == "admin" and user.active and _other_admins(session, user) == 0:
            raise ApiError(409, "last_admin", both(
                "CentralApi", "This is the last administrator: add another administrator first."),
                username=username)
        changes["role"] = body.role
    if changes:
        user.display_name = changes.get("display_name", user.display_name)
        user.role = changes.get("role", user.role)
        audit(session, actor, "user.updated", operator=username, **changes)
    session.flush()
    return _entry(session, username, now)


def reset_password(session: Session, username: str, password: str, actor: Principal | None,
                   now: datetime) -> schemas.OperatorEntry:
    """A new password under the policy; it lifts a lockout, and the account's other sessions
    end (whoever knew the old password is signed out)."""
    user = _user(session, username)
    problem = password_problem(password, username)
    if problem is not None:
        raise ApiError(422, "weak_password", both(problem.context, problem.source))
    user.password_hash = hash_password(password)
    session.execute(delete(LoginGuard).where(LoginGuard.key == f"{USER_KEY}{username}"))
    if actor is None or actor.name != username:
        session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    audit(session, actor, "user.password_reset", operator=username)
    session.flush()
    return _entry(session, username, now)


def _other_admins(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id)) or 0


def _may_disable(session: Session, user: User, actor: Principal | None) -> None:
    """Nobody disables their own account, and the service keeps an active administrator."""
    if actor is not None and actor.kind == "user" and actor.name == user.username:
        raise ApiError(409, "own_account", both(
            "CentralApi", "You cannot disable your own account."), username=user.username)
    if user.role == "admin" and _other_admins(session, user) == 0:
        raise ApiError(409, "last_admin", both(
            "CentralApi", "This is the last administrator: add another administrator first."),
            username=user.username)


def unlock(session: Session, username: str, actor: Principal | None,
           now: datetime) -> schemas.OperatorEntry:
    """Lift a sign-in lockout before it runs out (audited by accounts.unlock)."""
    if not accounts.unlock(session, username, actor):
        raise ApiError(404, "user_unknown", both("CentralApi", "There is no such user."),
                       username=username)
    session.flush()
    return next(entry for entry in roster(session, now) if entry.username == username)

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
from station.i18n import both

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


def _may_disable(session: Session, user: User, actor: Principal | None) -> None:
    """Nobody disables their own account, and the service keeps an active administrator."""
    if actor is not None and actor.kind == "user" and actor.name == user.username:
        raise ApiError(409, "own_account", both(
            "CentralApi", "You cannot disable your own account."), username=user.username)
    others = session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id)) or 0
    if user.role == "admin" and others == 0:
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

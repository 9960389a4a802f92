"""Operator accounts: first-run admin, login with lockout, role checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station import audit
from station.db.database import RecordedRefusal
from station.db.models import Operator, Role
from station.i18n import tr
from station.security.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)


class AccountError(RecordedRefusal, ValueError):
    """A login or account change was refused; ``str(exc)`` is for the operator. The failure
    count and audit entry written before the refusal are kept."""


@dataclass(frozen=True)
class OperatorInfo:
    """What the UI may hold about the signed-in operator (no hash)."""

    id: str
    username: str
    display_name: str
    role: Role


def _info(op: Operator) -> OperatorInfo:
    return OperatorInfo(op.id, op.username, op.display_name, op.role)


def has_operators(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(Operator)) or 0) > 0


def create_operator(
    session: Session, username: str, display_name: str, role: Role, password: str,
    actor: str = "system",
) -> OperatorInfo:
    username = username.strip()
    if not username:
        raise AccountError(tr("Accounts", "A user name is required."))
    problem = password_problem(password, username)
    if problem is not None:
        raise AccountError(str(problem))
    if session.scalar(select(Operator).where(Operator.username == username)):
        raise AccountError(tr("Accounts", "This user name is already taken."))
    op = Operator(
        username=username, display_name=display_name.strip() or username, role=role,
        password_hash=hash_password(password),
    )
    session.add(op)
    session.flush()
    audit.record(session, actor, "operator.created", details={"operator": username, "role": role})
    return _info(op)


def authenticate(
    session: Session, username: str, password: str, max_failures: int, lockout: timedelta,
    now: datetime | None = None,
) -> OperatorInfo:
    now = now or datetime.now(UTC)
    op = session.scalar(select(Operator).where(Operator.username == username.strip()))
    refused = AccountError(tr("Accounts", "Wrong user name or password."))
    if op is None or not op.active:
        audit.record(session, username.strip()[:64] or "?", "login.refused")
        raise refused
    locked_until = op.locked_until
    if locked_until is not None and locked_until.tzinfo is None:
        locked_until = locked_until.replace(tzinfo=UTC)
    if locked_until is not None and locked_until > now:
        audit.record(session, op.username, "login.locked")
        raise AccountError(tr("Accounts", "This account is locked after repeated failures. Try again later."))
    if not verify_password(op.password_hash, password):
        op.failed_logins += 1
        if op.failed_logins >= max_failures:
            op.locked_until = now + lockout
            op.failed_logins = 0
            audit.record(session, op.username, "login.lockout")
        else:
            audit.record(session, op.username, "login.refused")
        raise refused
    if needs_rehash(op.password_hash):
        op.password_hash = hash_password(password)
    op.failed_logins = 0
    op.locked_until = None
    op.last_login_at = now
    audit.record(session, op.username, "login.ok")
    return _info(op)


def list_operators(session: Session) -> list[OperatorInfo]:
    return [_info(op) for op in session.scalars(select(Operator).order_by(Operator.username))]


# --- administration (the operators page) ----------------------------------------------------


@dataclass(frozen=True)
class OperatorRow:
    """One account as the administrator sees it (no hash)."""

    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None  # locked out after repeated failures, until then
    central: bool  # an account of the central service (managed there)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def list_accounts(session: Session, now: datetime | None = None) -> list[OperatorRow]:
    now = now or datetime.now(UTC)
    rows = []
    for op in session.scalars(select(Operator).order_by(Operator.username)):
        until = _aware(op.locked_until)
        rows.append(OperatorRow(op.username, op.display_name, op.role, op.active,
                                until if until is not None and until > now else None,
                                op.source == "central"))
    return rows


def _editable(session: Session, username: str) -> Operator:
    op = session.scalar(select(Operator).where(Operator.username == username))
    if op is None:
        raise AccountError(tr("Accounts", "No such operator."))
    if op.source == "central":
        raise AccountError(tr("Accounts", "This is an account of the central service: it is "
                                          "changed there."))
    return op


def _other_active_admins(session: Session, op: Operator) -> int:
    return session.scalar(select(func.count()).select_from(Operator).where(
        Operator.role == Role.ADMIN, Operator.active.is_(True), Operator.source == "local",
        Operator.id != op.id)) or 0


def _keeps_an_admin(session: Session, op: Operator) -> None:
    """The station is never left without an active administrator."""
    if op.role == Role.ADMIN and op.active and _other_active_admins(session, op) == 0:
        raise AccountError(tr("Accounts", "This is the station's last administrator: add "
                                          "another administrator first."))


def update_operator(session: Session, username: str, display_name: str, role: Role,
                    actor: str) -> None:
    """Change an account's name and role (not one's own role)."""
    op = _editable(session, username)
    changes: dict[str, object] = {}
    name = display_name.strip() or op.display_name
    if name != op.display_name:
        changes["display_name"] = name
    if role != op.role:
        if username == actor:
            raise AccountError(tr("Accounts", "You cannot change your own role."))
        if role != Role.ADMIN:
            _keeps_an_admin(session, op)
        changes["role"] = role.value
    if not changes:
        return
    op.display_name, op.role = name, role
    audit.record(session, actor, "operator.updated", details={"operator": username, **changes})


def set_active(session: Session, username: str, active: bool, actor: str) -> None:
    op = _editable(session, username)
    if op.active == active:
        return
    if not active:
        if username == actor:
            raise AccountError(tr("Accounts", "You cannot disable your own account."))
        _keeps_an_admin(session, op)
    op.active = active
    audit.record(session, actor, "operator.enabled" if active else "operator.disabled",
                 details={"operator": username})


def reset_password(session: Session, username: str, password: str, actor: str) -> None:
    """A new password under the policy (station/security/passwords.py); it also lifts a
    lockout. The password is never audited, only that it was reset and by whom."""
    op = _editable(session, username)
    problem = password_problem(password, username)
    if problem is not None:
        raise AccountError(str(problem))
    op.password_hash = hash_password(password)
    op.failed_logins, op.locked_until = 0, None
    audit.record(session, actor, "operator.password_reset", details={"operator": username})


def unlock(session: Session, username: str, actor: str) -> None:
    """Lift a lockout after repeated failed sign-ins before it runs out."""
    op = _editable(session, username)
    op.failed_logins, op.locked_until = 0, None
    audit.record(session, actor, "operator.unlocked", details={"operator": username})

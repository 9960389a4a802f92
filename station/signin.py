"""Signing operators in: at the central service once the station is enrolled, locally before.

    accounts = OperatorAccounts(settings, database)
    signed = accounts.sign_in("clerk1", "password")     # a worker thread: network, argon2
    signed.operator, signed.token (for the review pages), signed.offline

An enrolled station has no operators of its own: the central service holds the accounts and
the station asks it at every sign-in (with the station's credential, so a disabled station
signs nobody in). Each accepted password leaves a sealed argon2 verifier here, so while the
service cannot be reached the same operator signs in offline for
``security.offline_grace_hours`` after the service last accepted them. The roster the sync
worker pulls at each round (``apply_roster``) carries disabling and locking to the station
within one sync interval: a disabled operator's verifier is wiped, a locked one is refused
offline too. A station that is not enrolled (or runs the demo's embedded service) keeps the
local accounts and the first-start administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station import audit, operators
from station.config import Settings
from station.db.database import Database
from station.db.models import Operator, Role, SyncCursor
from station.enrolment import read_enrolment, uses_embedded
from station.i18n import tr
from station.operators import AccountError, OperatorInfo
from station.security.passwords import hash_password, verify_password
from station.sync.client import CentralClient, CentralError, CentralUnavailable
from station.sync.connection import open_client

CENTRAL, LOCAL = "central", "local"
ROSTER_CURSOR = "operators"  # the version (ETag) of the central roster mirrored here
UNUSABLE_HASH = "!central"  # central accounts have no local password; the verifier is sealed
ROLES = {role.value: role for role in Role}


@dataclass(frozen=True)
class SignedIn:
    operator: OperatorInfo
    token: str | None  # the central service's token for this operator (review pages)
    offline: bool  # checked against the sealed offline verifier


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return _aware(datetime.fromisoformat(str(value)))
    except ValueError:
        return None


def _info(op: Operator) -> OperatorInfo:
    return OperatorInfo(op.id, op.username, op.display_name, op.role)


class OperatorAccounts:
    def __init__(self, settings: Settings, database: Database,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.settings = settings
        self.database = database
        self.clock = clock

    # --- which accounts -------------------------------------------------------------------

    def central_mode(self) -> bool:
        """Operators sign in at the central service: enrolled with a real one (not demo)."""
        if uses_embedded(self.settings):
            return False
        with self.database.session() as session:
            return read_enrolment(session, self.settings.station.code).enrolled

    def first_run(self) -> bool:
        """The first start of a station that is not enrolled: create the administrator."""
        if self.central_mode():
            return False
        with self.database.session() as session:
            return not operators.has_operators(session)

    def create_first_admin(self, username: str, display_name: str, password: str) -> SignedIn:
        def create(session: Session) -> OperatorInfo:
            if operators.has_operators(session):
                raise AccountError(tr("SignIn", "The administrator exists already; sign in."))
            operators.create_operator(session, username, display_name, Role.ADMIN, password)
            return self._local(session, username, password)

        if self.central_mode():
            raise AccountError(tr("SignIn", "This station is enrolled: operators are created "
                                  "at the central service."))
        return SignedIn(self.database.write(create), None, offline=False)

    # --- the kiosk's administrator ---------------------------------------------------------
    # A kiosk has no sign-in; its only way out is an administrator's password. So it never
    # enters kiosk mode without one who can give it: a local administrator (not enrolled), or
    # an administrator of the central service who has signed in at this station (enrolled:
    # their sealed verifier lets the password pad recognise them).

    def _kiosk_admins(self, session: Session, central: bool) -> list[Operator]:
        admins = session.scalars(select(Operator).where(
            Operator.role == Role.ADMIN, Operator.active.is_(True))).all()
        if central:
            return [op for op in admins if op.source == CENTRAL and op.offline_verifier]
        return [op for op in admins if op.source != CENTRAL]

    def kiosk_admin_ready(self) -> bool:
        """An administrator can leave kiosk mode at this station (quick local reads)."""
        central = self.central_mode()
        with self.database.session() as session:
            return bool(self._kiosk_admins(session, central))

    def create_kiosk_admin(self, username: str, display_name: str, password: str,
                           actor: str) -> OperatorInfo:
        """First start of a kiosk that is not enrolled: its administrator (the password
        policy applies). Refused once one exists, and at an enrolled station."""
        if self.central_mode():
            raise AccountError(tr("SignIn", "This station is enrolled: operators are created "
                                  "at the central service."))

        def create(session: Session) -> OperatorInfo:
            if self._kiosk_admins(session, central=False):
                raise AccountError(tr("SignIn", "The administrator exists already; sign in."))
            info = operators.create_operator(session, username, display_name, Role.ADMIN,
                                             password, actor=actor)
            audit.record(session, actor, "kiosk.admin_created",
                         details={"operator": info.username})
            return info

        return self.database.write(create)

    def adopt_kiosk_admin(self, username: str, password: str) -> OperatorInfo:
        """First start of an enrolled kiosk: an administrator of the central service signs in
        once (checked there), which leaves their verifier for the password pad."""
        signed = self.sign_in(username, password)
        if signed.operator.role != Role.ADMIN:
            raise AccountError(tr("SignIn", "Only an administrator can set up this terminal."))
        return signed.operator

    def unlock_kiosk(self, password: str, actor: str) -> OperatorInfo:
        """The kiosk's password pad: whose administrator password this is, then that
        administrator's sign-in (at the central service when enrolled; failures counted and
        locked as at the counter). Only the owner gets a sign-in attempt: trying every
        account would count failures against all of them."""
        central = self.central_mode()

        def owner(session: Session) -> str:
            for op in self._kiosk_admins(session, central):
                stored = op.offline_verifier if central else op.password_hash
                if stored and verify_password(stored, password):
                    return op.username
            audit.record(session, actor, "kiosk.admin_refused")
            raise AccountError(tr("SignIn", "This password is not accepted."))

        signed = self.sign_in(self.database.write(owner), password)
        if signed.operator.role != Role.ADMIN:  # demoted centrally since
            raise AccountError(tr("SignIn", "This password is not accepted."))
        return signed.operator

    # --- signing in -----------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> SignedIn:
        """Raises AccountError with a message for the operator; never on the GUI thread."""
        username = username.strip()
        if not self.central_mode():
            return SignedIn(self.database.write(lambda s: self._local(s, username, password)),
                            None, offline=False)
        try:
            with self._client() as client:
                answer = client.station_sign_in(username, password)
        except CentralUnavailable as exc:
            if exc.code == "too_many_attempts":  # throttled centrally: no way round it here
                raise AccountError(exc.message) from exc
            return self._offline(username, password)
        except CentralError as exc:
            raise self._refused(username, exc) from exc
        verifier = hash_password(password)  # here, not on the database's writer thread
        now = self.clock()
        info = self.database.write(lambda s: self._remember(s, answer, verifier, now))
        return SignedIn(info, str(answer["token"]), offline=False)

    def _local(self, session: Session, username: str, password: str) -> OperatorInfo:
        security = self.settings.security
        op = session.scalar(select(Operator).where(Operator.username == username))
        if op is not None and op.source == CENTRAL:  # kept from an earlier enrolment
            audit.record(session, username[:64], "login.refused", details={"source": CENTRAL})
            raise AccountError(tr("Accounts", "Wrong user name or password."))
        return operators.authenticate(session, username, password, security.max_failed_logins,
                                      timedelta(minutes=security.lockout_minutes), self.clock())

    def _client(self) -> CentralClient:
        with self.database.session() as session:
            stored = read_enrolment(session, self.settings.station.code)
        return open_client(self.settings.central, stored.url, token=stored.credential)

    def _remember(self, session: Session, answer: dict[str, Any], verifier: str,
                  now: datetime) -> OperatorInfo:
        """The central service accepted the password: keep the account and its verifier."""
        op = _central_operator(session, str(answer["username"]), str(answer["display_name"]),
                               ROLES.get(str(answer["role"]), Role.CLERK))
        op.active = True
        op.offline_verifier, op.verified_at = verifier, now
        op.central_locked_until = None
        op.failed_logins, op.locked_until, op.last_login_at = 0, None, now
        session.flush()
        audit.record(session, op.username, "login.ok", details={"source": CENTRAL})
        return _info(op)

    def _refused(self, username: str, error: CentralError) -> AccountError:
        """The central service said no: record it here, and say why."""
        locked_until = _parse_time(error.body.get("locked_until"))

        def record(session: Session) -> None:
            op = session.scalar(select(Operator).where(Operator.username == username))
            if op is not None and op.source == CENTRAL and locked_until is not None:
                op.central_locked_until = locked_until
            audit.record(session, username[:64] or "?", "login.refused",
                         details={"source": CENTRAL, "reason": error.code})

        self.database.write(record)
        if error.code == "login_refused":
            return AccountError(tr("Accounts", "Wrong user name or password."))
        if error.code == "account_locked":
            return AccountError(tr("Accounts", "This account is locked after repeated failures. "
                                   "Try again later."))
        if error.code == "station_disabled":
            return AccountError(tr("SignIn", "The central service has disabled this station: "
                                   "nobody can sign in here until its administrator enables "
                                   "it again."))
        if error.status == 401:
            return AccountError(tr("SignIn", "The central service no longer accepts this "
                                   "station's credential: the administrator enrols it again "
                                   "(python -m station enrol)."))
        return AccountError(error.message)

    def _offline(self, username: str, password: str) -> SignedIn:
        grace = timedelta(hours=self.settings.security.offline_grace_hours)
        security = self.settings.security
        now = self.clock()

        def check(session: Session) -> OperatorInfo:
            op = session.scalar(select(Operator).where(Operator.username == username))
            if op is None or op.source != CENTRAL or not op.active or not op.offline_verifier:
                audit.record(session, username[:64] or "?", "login.refused",
                             details={"source": "offline"})
                raise AccountError(tr("SignIn", "The central service cannot be reached, and "
                                      "this account has not signed in at this station before: "
                                      "try again when the connection is back."))
            for until in (_aware(op.central_locked_until), _aware(op.locked_until)):
                if until is not None and until > now:
                    audit.record(session, op.username, "login.locked", details={"source": "offline"})
                    raise AccountError(tr("Accounts", "This account is locked after repeated "
                                          "failures. Try again later."))
            verified = _aware(op.verified_at)
            if verified is None or verified + grace < now:
                audit.record(session, op.username, "login.refused",
                             details={"source": "offline", "reason": "grace_expired"})
                raise AccountError(tr("SignIn", "The central service cannot be reached, and "
                                      "this account last signed in online too long ago to work "
                                      "offline: try again when the connection is back."))
            if not verify_password(op.offline_verifier, password):
                op.failed_logins += 1
                if op.failed_logins >= security.max_failed_logins:
                    op.failed_logins = 0
                    op.locked_until = now + timedelta(minutes=security.lockout_minutes)
                    audit.record(session, op.username, "login.lockout",
                                 details={"source": "offline"})
                else:
                    audit.record(session, op.username, "login.refused",
                                 details={"source": "offline"})
                raise AccountError(tr("Accounts", "Wrong user name or password."))
            op.failed_logins, op.locked_until, op.last_login_at = 0, None, now
            audit.record(session, op.username, "login.ok", details={"source": "offline"})
            return _info(op)

        return SignedIn(self.database.write(check), None, offline=True)


def _central_operator(session: Session, username: str, display_name: str,
                      role: Role) -> Operator:
    op = session.scalar(select(Operator).where(Operator.username == username))
    if op is None:
        op = Operator(username=username, display_name=display_name or username, role=role,
                      password_hash=UNUSABLE_HASH, source=CENTRAL, active=True,
                      failed_logins=0)
        session.add(op)
    # a local account of the same name (from before enrolment) becomes the central one
    op.source, op.password_hash = CENTRAL, UNUSABLE_HASH
    op.display_name, op.role = display_name or username, role
    return op


def apply_roster(session: Session, entries: list[dict[str, Any]]) -> list[str]:
    """Mirror the central service's operators; returns the user names that may no longer
    work here (disabled or removed centrally: their offline verifier is wiped)."""
    revoked: list[str] = []
    listed: set[str] = set()
    for entry in entries:
        role = ROLES.get(str(entry.get("role")))
        username = str(entry.get("username") or "")
        if role is None or not username:
            continue
        listed.add(username)
        op = _central_operator(session, username, str(entry.get("display_name") or ""), role)
        active = bool(entry.get("active", True))
        if op.active and not active:
            revoked.append(username)
        op.active = active
        if not active:
            op.offline_verifier, op.verified_at = None, None
        op.central_locked_until = _parse_time(entry.get("locked_until"))
    for op in session.scalars(select(Operator).where(Operator.source == CENTRAL)):
        if op.username not in listed and (op.active or op.offline_verifier):
            if op.active:
                revoked.append(op.username)
            op.active, op.offline_verifier, op.verified_at = False, None, None
    if revoked:
        audit.record(session, "system", "operators.revoked", details={"operators": revoked})
    session.flush()
    return revoked


def roster_version(session: Session) -> str | None:
    row = session.get(SyncCursor, ROSTER_CURSOR)
    return row.cursor if row is not None and row.cursor else None


def set_roster_version(session: Session, etag: str) -> None:
    row = session.get(SyncCursor, ROSTER_CURSOR)
    if row is None:
        session.add(SyncCursor(name=ROSTER_CURSOR, cursor=etag))
    else:
        row.cursor = etag

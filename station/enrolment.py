"""The station's enrolment with its central service, and what the station knows of that link.

    result = enrol(settings, database, "ABCD-EFGH-JKLM-NPQR")     # one-time code -> credential
    report = link_status(settings, database)                       # for `station status`

The credential is kept in the ``stations`` row, sealed with the station's data key (an
EncryptedText column), next to the address it is valid for. Enrolling again replaces both;
the central service invalidates the previous credential at the same moment.
Call from worker threads or command-line tools, never from the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from station.config import Settings, StationSection
from station.db.database import Database
from station.db.models import Station
from station.i18n import tr
from station.sync import outbox
from station.sync.client import CentralError, CentralUnavailable
from station.sync.connection import CentralAddressError, check_central_url, open_client

# What the station remembers the central service said of its credential.
ACTIVE, DISABLED, REFUSED = "active", "disabled", "refused"


@dataclass(frozen=True)
class StoredEnrolment:
    url: str | None
    credential: str | None
    enrolled_at: datetime | None
    last_sync_at: datetime | None
    central_state: str | None

    @property
    def enrolled(self) -> bool:
        return bool(self.url and self.credential)


NOT_ENROLLED = StoredEnrolment(None, None, None, None, None)


@dataclass(frozen=True)
class EnrolmentResult:
    station_code: str
    central_url: str
    station_id: str
    replaced: bool  # the station had been enrolled before (its old credential is void now)


class EnrolmentRefused(Exception):
    """The central service refused the code; ``reason`` is wrong | used | expired | refused
    and ``str(exc)`` tells the administrator what to do."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def read_enrolment(session: Session, station_code: str) -> StoredEnrolment:
    station = session.query(Station).filter_by(code=station_code).one_or_none()
    if station is None:
        return NOT_ENROLLED
    return StoredEnrolment(station.central_url if station.central_credential else None,
                           station.central_credential, _aware(station.enrolled_at),
                           _aware(station.last_sync_at), station.central_state)


def _station_row(session: Session, settings: StationSection) -> Station:
    station = session.query(Station).filter_by(code=settings.code).one_or_none()
    if station is None:
        station = Station(code=settings.code, name=settings.name, office=settings.office,
                          mode=settings.mode)
        session.add(station)
    return station


def store_enrolment(session: Session, settings: StationSection, url: str, credential: str,
                    now: datetime | None = None) -> bool:
    """Keep the credential (sealed) and its address; True when one was replaced."""
    station = _station_row(session, settings)
    replaced = bool(station.central_credential)
    station.central_url = url
    station.central_credential = credential
    station.enrolled_at = now or datetime.now(UTC)
    station.central_state = ACTIVE
    return replaced


def record_link(session: Session, station_code: str, state: str,
                synced_at: datetime | None = None) -> None:
    """After a sync round: what the service said of the credential, when it last answered."""
    station = session.query(Station).filter_by(code=station_code).one_or_none()
    if station is None:
        return
    station.central_state = state
    if synced_at is not None:
        station.last_sync_at = synced_at


def uses_embedded(settings: Settings) -> bool:
    """Demo mode: the central service runs inside the station (central.embedded, or no
    central.url in the demo profile)."""
    return settings.central.embedded or (settings.demo and not settings.central.url)


def central_url_for(settings: Settings, stored: StoredEnrolment) -> str | None:
    """Where the station syncs: the address it enrolled with (its credential is valid there),
    else the one in the settings file."""
    return stored.url or settings.central.url


_REFUSALS = {
    "enrolment_code_unknown": "wrong",
    "enrolment_code_used": "used",
    "enrolment_code_expired": "expired",
}


def refusal_message(reason: str, station_code: str) -> str:
    messages = {
        "wrong": tr("Enrolment", "The enrolment code is wrong, or it was issued for another "
                    "station than {code}. Check the code and the station code in the settings "
                    "file."),
        "used": tr("Enrolment", "This enrolment code has been used already. Ask the central "
                   "administrator for a new one (python -m central enrolment-code {code})."),
        "expired": tr("Enrolment", "This enrolment code has expired. Ask the central "
                      "administrator for a new one (python -m central enrolment-code {code})."),
    }
    text = messages.get(reason) or tr(
        "Enrolment", "The central service refused the enrolment code (wrong, used or "
        "expired). Ask the central administrator for a new one.")
    return text.format(code=station_code)


def enrol(settings: Settings, database: Database, code: str,
          url: str | None = None) -> EnrolmentResult:
    """Trade the administrator's one-time code for the station credential and keep it.

    Raises CentralAddressError (address refused by the station's rules), EnrolmentRefused
    (code refused) or CentralUnavailable (service not reachable, certificate untrusted)."""
    target = check_central_url(url or settings.central.url, settings.central.allow_insecure_http)
    cleaned = code.strip()
    station_code = settings.station.code
    if not cleaned:
        raise EnrolmentRefused("wrong", tr("Enrolment", "Enter the enrolment code."))
    with open_client(settings.central, target) as client:
        try:
            answer = client.enrol(cleaned, station_code)
        except CentralUnavailable:
            raise
        except CentralError as exc:
            reason = _REFUSALS.get(exc.code, "refused")
            raise EnrolmentRefused(reason, refusal_message(reason, station_code)) from exc
    now = datetime.now(UTC)
    replaced = database.write(lambda s: store_enrolment(
        s, settings.station, target, str(answer["credential"]), now))
    return EnrolmentResult(station_code=station_code, central_url=target,
                           station_id=str(answer.get("station_id", "")), replaced=replaced)


@dataclass(frozen=True)
class LinkProbe:
    central: str  # reachable | unreachable
    credential: str | None  # active | disabled | refused; None: not checked or unknown
    detail: str  # why not, in the station's language ("" when all is well)


def probe_central(settings: Settings, url: str, credential: str | None) -> LinkProbe:
    """Ask the service at ``url``: does it answer, and does it accept ``credential``?"""
    return LinkProbe(*_probe(settings, url, credential))


def _probe(settings: Settings, url: str, credential: str | None) -> tuple[str, str | None, str]:
    """(central reachability, credential state, detail) by asking the service."""
    try:
        with open_client(settings.central, url, token=credential) as client:
            client.health()
            if not credential:
                return "reachable", None, ""
            try:
                client.whoami()
            except CentralUnavailable:
                raise
            except CentralError as exc:
                if exc.code == "station_disabled":
                    return "reachable", DISABLED, exc.message
                if exc.status in (401, 403):
                    return "reachable", REFUSED, exc.message
                if exc.status in (404, 405):  # an older service without the endpoint
                    return "reachable", None, ""
                return "reachable", None, exc.message
            return "reachable", ACTIVE, ""
    except CentralUnavailable as exc:
        return "unreachable", None, exc.message
    except CentralAddressError as exc:
        return "unreachable", None, str(exc)


def link_status(settings: Settings, database: Database | None, probe: bool = True
                ) -> dict[str, Any]:
    """What `python -m station status --json` prints: enrolment, reachability, backlog.

    ``database`` None: the station has never started (no database yet)."""
    stored, counts = NOT_ENROLLED, {"pending": 0, "dead": 0}
    if database is not None:
        with database.session() as session:
            stored = read_enrolment(session, settings.station.code)
            counts = outbox.counts(session)
    embedded = uses_embedded(settings)
    url = None if embedded else central_url_for(settings, stored)
    central, credential_state, detail = "not configured", stored.central_state, ""
    if url and probe:
        central, probed, detail = _probe(settings, url, stored.credential)
        credential_state = probed or credential_state
    elif url:
        central = "unknown"
    if not detail:
        detail = status_detail(stored.enrolled, central, credential_state)
    return {
        "station_code": settings.station.code,
        "enrolled": stored.enrolled,
        "central": central,
        "central_url": url,
        "embedded": embedded,
        "credential": credential_state if stored.enrolled else None,
        "pending_cases": counts.get("pending", 0),
        "failed_cases": counts.get("dead", 0),
        "enrolled_at": stored.enrolled_at.isoformat() if stored.enrolled_at else None,
        "last_sync": stored.last_sync_at.isoformat() if stored.last_sync_at else None,
        "settings_url_differs": bool(stored.url and settings.central.url
                                     and stored.url != settings.central.url.rstrip("/")),
        "config": _config_state(settings),
        "detail": detail,
    }


def _config_state(settings: Settings) -> dict[str, Any]:
    """The published configuration in force here, and the last one refused (if any)."""
    from pathlib import Path

    from station.published import ConfigStore

    store = ConfigStore(Path(settings.storage.data_dir) / "config")
    return {"version": store.current().version, "rejected": store.rejected()}


def status_detail(enrolled: bool, central: str, credential: str | None) -> str:
    if central == "not configured":
        return tr("Enrolment", "No central service is configured (central.url).")
    if credential == DISABLED:
        return tr("Enrolment", "The central service has disabled this station; ask its "
                  "administrator to enable it again.")
    if credential == REFUSED:
        return tr("Enrolment", "The central service no longer accepts this station's "
                  "credential; enrol the station again.")
    if not enrolled:
        return tr("Enrolment", "This station is not enrolled with the central service yet.")
    if central == "unreachable":
        return tr("Enrolment", "The central service cannot be reached; cases are kept locally.")
    return tr("Enrolment", "Enrolled; the central service accepts this station.")

"""Who is acting (an operator or a station), and the central audit trail of what they did.

Stations also anchor their own hash-chained audit log here: the newest (seq, hash) they sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import schemas
from central.errors import ApiError
from central.models import AuditAnchor, AuditEntry, aware
from station.i18n import both


@dataclass(frozen=True)
class Principal:
    kind: str  # "user" | "station"
    id: str
    name: str  # username or station code
    role: str


def audit(session: Session, who: Principal | None, action: str, case_id: str | None = None,
          **details: Any) -> None:
    session.add(AuditEntry(
        actor=who.name if who else "system", role=who.role if who else "system",
        action=action, case_id=case_id, details=details,
    ))



def record_audit_anchor(session: Session, station: Principal, body: schemas.AuditAnchorIn,
                        now: datetime) -> schemas.AuditAnchorOut:
    """Keep the station's newest audit hash. The same seq with another hash means the
    station's chain was rewritten after it was anchored: refused and audited."""
    existing = session.get(AuditAnchor, (station.id, body.seq))
    if existing is not None and existing.hash != body.hash:
        audit(session, station, "audit.anchor_mismatch", seq=body.seq)
        raise ApiError(409, "audit_anchor_mismatch", both(
            "CentralApi", "This audit entry was anchored earlier with a different hash: the "
            "station's audit log has been altered."))
    if existing is None:
        existing = AuditAnchor(station_id=station.id, seq=body.seq, hash=body.hash,
                               received_at=now)
        session.add(existing)
        session.flush()
    return schemas.AuditAnchorOut(seq=existing.seq, hash=existing.hash,
                                  received_at=aware(existing.received_at))


def latest_audit_anchor(session: Session, station: Principal) -> schemas.AuditAnchorOut | None:
    row = session.scalar(select(AuditAnchor).where(AuditAnchor.station_id == station.id)
                         .order_by(AuditAnchor.seq.desc()).limit(1))
    if row is None:
        return None
    return schemas.AuditAnchorOut(seq=row.seq, hash=row.hash, received_at=aware(row.received_at))


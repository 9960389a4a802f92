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
from central.models import AuditAnchor, AuditEntry, Station, aware
from station.audit import GENESIS, entry_hash
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
    """Anchor a new head of the station's audit chain, only if it extends the last anchored
    (seq, hash) — the start of the chain for the first — by the entries sent with it,
    each hashed and linked as the station hashes them. Anything else (a rewritten chain, a
    shorter one after truncation or a wipe, a renumbered one, or no proof) is refused with
    409 audit_anchor_mismatch, naming the anchor the head must extend. The caller audits a
    refusal in a transaction of its own (this one rolls back)."""
    # one anchoring at a time per station: the station row is the lock
    session.execute(select(Station.id).where(Station.id == station.id).with_for_update())
    last = session.scalar(select(AuditAnchor).where(AuditAnchor.station_id == station.id)
                          .order_by(AuditAnchor.seq.desc()).limit(1))
    base_seq, base_hash = (last.seq, last.hash) if last is not None else (0, GENESIS)
    if last is not None and body.seq == last.seq and body.hash == last.hash:
        return _anchor_out(last)  # a repeat (the answer was lost)
    reason = _continuity_problem(base_seq, base_hash, body)
    if reason is not None:
        raise ApiError(409, "audit_anchor_mismatch", both(
            "CentralApi", "This audit log does not continue the one anchored earlier: the "
            "station's audit log has been altered."), reason=reason,
            anchored_seq=base_seq, anchored_hash=base_hash)
    anchor = AuditAnchor(station_id=station.id, seq=body.seq, hash=body.hash, received_at=now)
    session.add(anchor)
    session.flush()
    return _anchor_out(anchor)


def _continuity_problem(base_seq: int, base_hash: str, body: schemas.AuditAnchorIn) -> str | None:
    """None when ``body.entries`` lead from (base_seq, base_hash) to (body.seq, body.hash)."""
    if body.seq < base_seq:
        return "shorter"  # truncated or wiped
    if body.seq == base_seq:
        return "rewritten"  # the anchored entry has another hash now
    if len(body.entries) != body.seq - base_seq:
        return "unproven"  # the entries since the anchor are not all there
    seq, prev = base_seq, base_hash
    for entry in body.entries:
        if entry.seq != seq + 1:
            return "renumbered"
        if entry.prev_hash != prev:
            return "rewritten"  # it does not link to the anchored entry (or to its previous)
        if entry_hash(entry.seq, entry.at, entry.actor, entry.action, entry.case_id,
                      entry.details, entry.prev_hash) != entry.hash:
            return "unproven"
        seq, prev = entry.seq, entry.hash
    return None if (seq, prev) == (body.seq, body.hash) else "unproven"


def _anchor_out(row: AuditAnchor) -> schemas.AuditAnchorOut:
    return schemas.AuditAnchorOut(seq=row.seq, hash=row.hash, received_at=aware(row.received_at))


def latest_audit_anchor(session: Session, station: Principal) -> schemas.AuditAnchorOut | None:
    row = session.scalar(select(AuditAnchor).where(AuditAnchor.station_id == station.id)
                         .order_by(AuditAnchor.seq.desc()).limit(1))
    if row is None:
        return None
    return _anchor_out(row)


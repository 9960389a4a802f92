"""A case's full view for a reviewer (fields, parts, decisions, audit trail) and its parts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import persons, schemas
from central.errors import ApiError
from central.models import AuditEntry, Blob, Case, CasePart, Decision, aware
from central.review.leases import not_found
from central.review.queue import queue_item
from central.sealing import Sealer
from station.i18n import both
from station.wire import PORTRAIT_PART_KINDS


def case_detail(session: Session, case_id: str, now: datetime,
                sealer: Sealer) -> schemas.CaseDetail:
    case = session.get(Case, case_id)
    if case is None:
        raise not_found()
    parts = session.scalars(select(CasePart).where(CasePart.case_id == case_id)
                            .order_by(CasePart.id)).all()
    decisions = session.scalars(select(Decision).where(Decision.case_id == case_id)
                                .order_by(Decision.decided_at)).all()
    trail = session.scalars(select(AuditEntry).where(AuditEntry.case_id == case_id)
                            .order_by(AuditEntry.id)).all()
    notes = [sealer.open_meta(case_id, p.sha256, p.role, p.meta) for p in parts]
    photo = next((meta for kind in PORTRAIT_PART_KINDS  # the live, else the e-licence photo
                  for p, meta in zip(parts, notes, strict=True) if p.role == kind and meta),
                 None)
    match = photo.get("match_score") if photo else None
    payload = sealer.open_payload(case.id, case.payload)
    return schemas.CaseDetail(
        case=queue_item(case, now), idempotency_key=case.idempotency_key,
        committed_at=aware(case.committed_at),
        review_required=bool(payload.get("review_required")),
        fields=payload.get("fields", {}),
        quality_report=photo.get("quality_report") if photo else None,
        match_score=float(match) if isinstance(match, int | float) else None,
        parts=[schemas.PartOut(sha256=p.sha256, role=p.role, media_type=p.media_type,
                               size=p.size, meta=meta,
                               url=f"/v1/cases/{case_id}/parts/{p.sha256}")
               for p, meta in zip(parts, notes, strict=True)],
        decisions=[schemas.DecisionOut(id=d.id, decision=d.decision, reason_code=d.reason_code,
                                       note=d.note, reviewer=d.reviewer,
                                       decided_at=aware(d.decided_at) or now)
                   for d in decisions],
        other_cases=persons.other_cases(session, case.person_digest, now, exclude=case.id)
        if case.person_digest else [],
        audit=[schemas.AuditItem(at=aware(a.at) or now, actor=a.actor, role=a.role,
                                 action=a.action, details=a.details or {}) for a in trail],
    )


def part_of_case(session: Session, case_id: str, sha: str,
                 sealer: Sealer) -> tuple[bytes, str]:
    row = session.execute(
        select(Blob.data, Blob.sealed, CasePart.media_type).join(CasePart, CasePart.sha256 == Blob.sha256)
        .where(CasePart.case_id == case_id, CasePart.sha256 == sha).limit(1)
    ).first()
    if row is None:
        raise ApiError(404, "part_not_found", both("CentralApi", "No such part in this case."))
    return sealer.open_part(sha, row[0], row[1]), row[2]


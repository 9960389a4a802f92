"""A supervisor's decision on a case they hold: stored, fed back to the station, and texted
to the applicant."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from central import schemas
from central.audit import Principal, audit
from central.db import rows_matched
from central.errors import ApiError
from central.events.outbox import case_summary, record_event
from central.models import Case, Decision, FeedEntry, Station, aware
from central.review.leases import lease_lost
from central.sealing import Sealer
from central.sms import KIND_NAMES, queue_sms, render, salutation
from central.sync.feed import next_feed_seq
from central.upstream.handover import owe_handovers
from station import vocabulary
from station.i18n import both
from station.workdays import CHINA

DECISION_STATES = {"approve": "approved", "reject": "rejected", "return": "returned"}


def decide(session: Session, who: Principal, case_id: str, body: schemas.DecideIn,
           now: datetime, sealer: Sealer) -> schemas.DecisionOut:
    reasons = vocabulary.decision_reasons()
    if body.decision == "reject" and not body.reason_code:
        raise ApiError(422, "reason_required", both(
            "CentralApi", "A rejection needs a reason code."))
    if body.decision == "return" and not (body.note or "").strip():
        raise ApiError(422, "note_required", both(
            "CentralApi", "Say what information is missing in the note."))
    if body.reason_code and body.reason_code not in reasons:
        raise ApiError(422, "unknown_reason", both("CentralApi", "Unknown reason code."))
    state = DECISION_STATES[body.decision]
    result = session.execute(
        update(Case).where(
            Case.id == case_id, Case.review_state == "pending", Case.claimed_by == who.name,
            Case.lease_token == body.lease_token, Case.lease_until >= now,
        ).values(review_state=state, decided_at=now, claimed_by=None, lease_token=None,
                 lease_until=None)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(result) != 1:
        raise lease_lost(session, case_id)
    case = session.get(Case, case_id)
    assert case is not None
    session.refresh(case)
    decision = Decision(case_id=case_id, decision=state, reason_code=body.reason_code,
                        note=body.note, reviewer=who.name, decided_at=now)
    decision.id = secrets.token_hex(16)
    session.add(decision)
    out = schemas.DecisionOut(id=decision.id, decision=state, reason_code=body.reason_code,
                              note=body.note, reviewer=who.name, decided_at=now)
    seq = next_feed_seq(session, case.station_id)
    session.add(FeedEntry(
        station_id=case.station_id, seq=seq, case_id=case.id, kind="decision", created_at=now,
        body={"case_id": case.id, "idempotency_key": case.idempotency_key,
              "number": case.number, "kind": "decision", "review_state": state,
              "decision": out.model_dump(mode="json")},
    ))
    payload = sealer.open_payload(case.id, case.payload)
    phone = payload.get("notify_phone")
    if phone:
        submitted = (aware(case.received_at) or now).astimezone(CHINA)
        term = reasons.get(body.reason_code or "")
        reason = (term.label.zh if term is not None else "") or (body.note or "")
        office = payload.get("fields", {}).get("office", "") or "车管所"
        queue_sms(session, sealer, case.id, phone, state, render(state, {
            "name": salutation(payload.get("fields", {})),
            "submitted": f"{submitted.month}月{submitted.day}日", "office": office,
            "kind": KIND_NAMES.get(case.kind, case.kind), "reason": reason,
        }), now)
    origin = session.get(Station, case.station_id)
    platform = origin is not None and origin.kind == "platform"
    callback = payload.get("fields", {}).get("intake", {}).get("callback_url") if platform \
        else None
    record_event(session, "case.decided", case_summary(
        case_id=case.id, number=case.number, kind=case.kind,
        source="platform" if platform else "station", origin=case.station_code,
        reference=case.idempotency_key, review_state=state, due_at=aware(case.due_at),
        received_at=aware(case.received_at) or now),
        now, decision={**out.model_dump(mode="json"), "reviewer": None},
        callback=(case.station_id, callback) if callback else None)
    if state == "approved":  # the traffic system stores the result (central.upstream)
        owe_handovers(session, [(case.id, case.kind)], now)
    audit(session, who, "review.decided", case_id, decision=state,
          reason_code=body.reason_code)
    return out


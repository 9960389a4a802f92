"""Turn a platform submission into a case of the review queue, the way a station's arrives.

The submission becomes a ``CaseIn`` with its images as inline parts and goes through the same
ingest as station cases (sealing, working-day deadline, idempotency by the platform's
reference), so the reviewer sees it in the same queue with the same evidence views. What the
engines found (the e-licence photo's compliance report, the selfie-to-ID-card match) is stored
with the parts, as a station stores its own measurements.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import schemas
from central.audit import Principal, audit
from central.errors import ApiError
from central.intake.analysis import IntakeAnalyser
from central.intake.schemas import ElicencePhotoIn, IntakeReceipt, ManualReviewIn
from central.models import Case
from central.sealing import Sealer
from central.sync.ingest import ingest_cases
from station.i18n import both
from station.sync.payload import media_type_of
from station.wire import PartKind
from station.workdays import CHINA, WorkdayCalendar

# Why every platform submission is reviewed, and what the engines can add: flags of the
# vocabulary (station/vocabulary/flags.toml has their labels; a test checks each is there).
FLAG_APP_FACE_RECOGNITION_FAILED = "APP_FACE_RECOGNITION_FAILED"
FLAG_APP_PHOTO_SUBMISSION = "APP_PHOTO_SUBMISSION"
FLAG_LOW_FACE_MATCH = "LOW_FACE_MATCH"
FLAG_PHOTO_NONCOMPLIANT = "PHOTO_NONCOMPLIANT"


def submission_sha(body: ManualReviewIn | ElicencePhotoIn) -> str:
    raw = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def case_number(client: Principal, reference: str, now: datetime) -> str:
    """APP + Beijing date + six digits from the reference: readable on the phone and in the
    queue; the case id stays the unique key."""
    day = now.astimezone(CHINA).strftime("%Y%m%d")
    digits = int(hashlib.sha256(f"{client.id}:{reference}".encode()).hexdigest(), 16) % 10**6
    return f"APP{day}{digits:06d}"


def _part(data: bytes, role: PartKind,
          meta: dict[str, Any]) -> tuple[schemas.PartRef, bytes]:
    sha = hashlib.sha256(data).hexdigest()
    return schemas.PartRef(sha256=sha, role=role,
                           media_type=schemas.part_media_type(media_type_of(data)),
                           size=len(data), meta=meta), data


def _existing(session: Session, client: Principal, reference: str,
              sha: str) -> IntakeReceipt | None:
    row = session.execute(select(Case.receipt, Case.payload_sha256, Case.flags_text).where(
        Case.station_id == client.id, Case.idempotency_key == reference)).first()
    if row is None:
        return None
    receipt, _payload_sha, flags_text = row
    if receipt.get("submission_sha") != sha:
        raise ApiError(409, "idempotency_conflict", both(
            "CentralApi", "This reference was already used for a different submission."))
    return _receipt(receipt, reference, replayed=True, flags=flags_text)


def _receipt(receipt: dict[str, Any], reference: str, *, replayed: bool,
             flags: str) -> IntakeReceipt:
    return IntakeReceipt(
        case_id=receipt["case_id"], reference=reference, number=receipt["number"],
        received_at=receipt["received_at"], due_at=receipt["due_at"],
        review_state=receipt["review_state"], status_path=f"/s/{receipt['status_token']}",
        replayed=replayed, flags=[f for f in flags.split(",") if f])


def _applicant_fields(body: ManualReviewIn | ElicencePhotoIn, client: Principal,
                      intake: dict[str, Any]) -> dict[str, Any]:
    person = body.applicant
    return {
        "source": "platform", "platform_client": client.name, "office": "",
        "people": [{
            "role": "applicant", "name": person.name, "phone": person.phone,
            "documents": [{"doc_type": "resident_id", "source": "platform",
                           "number": person.id_number}],
        }],
        "intake": intake,
    }


def _store(session: Session, client: Principal, body: ManualReviewIn | ElicencePhotoIn,
           kind: schemas.CaseKindName, flags: list[str], fields: dict[str, Any],
           parts: list[tuple[schemas.PartRef, bytes]], sha: str, now: datetime,
           calendar: WorkdayCalendar, sealer: Sealer) -> IntakeReceipt:
    case = schemas.CaseIn(
        number=case_number(client, body.reference, now), kind=kind,
        clerk="", committed_at=body.submitted_at, review_required=True, flags=flags,
        fields=fields, parts=[ref for ref, _data in parts], notify_phone=body.applicant.phone)
    outcome = ingest_cases(session, client, [(body.reference, case)],
                           {ref.sha256: data for ref, data in parts}, now, calendar, sealer,
                           receipt_extra={"submission_sha": sha})[0]
    if outcome.error is not None:
        raise outcome.error
    assert outcome.receipt is not None
    audit(session, client, "intake.received", outcome.receipt["case_id"], kind=kind,
          flags=flags)
    return _receipt(outcome.receipt, body.reference, replayed=outcome.replayed,
                    flags="," + ",".join(flags) + ",")


def submit_manual_review(session: Session, client: Principal, body: ManualReviewIn,
                         now: datetime, calendar: WorkdayCalendar, sealer: Sealer,
                         analyser: IntakeAnalyser) -> IntakeReceipt:
    sha = submission_sha(body)
    replay = _existing(session, client, body.reference, sha)
    if replay is not None:
        return replay
    candidates = [body.selfie] if body.selfie is not None else list(body.liveness_frames)
    match = analyser.face_match(body.id_front, candidates)
    flags = [FLAG_APP_FACE_RECOGNITION_FAILED]
    if not match.get("match"):
        flags.append(FLAG_LOW_FACE_MATCH)
    parts = [
        _part(body.id_front, PartKind.DOCUMENT_SCAN, {"kind": "id_front", "source": "app"}),
        _part(body.id_back, PartKind.DOCUMENT_SCAN, {"kind": "id_back", "source": "app"}),
    ]
    match_meta = {"purpose": "live", "source": "app", "match_score": match.get("score"),
                  "match_threshold": match.get("threshold"), "match": match}
    if body.selfie is not None:
        parts.append(_part(body.selfie, PartKind.PHOTO, match_meta))
    for index, frame in enumerate(body.liveness_frames):
        meta = match_meta if body.selfie is None and index == match.get("candidate") else \
            {"purpose": "liveness_frame", "source": "app", "frame": index}
        parts.append(_part(frame, PartKind.PHOTO if meta is match_meta
                           else PartKind.PHOTO_LIVENESS, meta))
    intake = {"kind": "manual_review", "failed_attempts": body.failed_attempts,
              "submitted_at": body.submitted_at.isoformat() if body.submitted_at else None,
              "callback_url": body.callback_url, "face_match": match}
    fields = _applicant_fields(body, client, intake)
    return _store(session, client, body, "manual_review", flags, fields, parts, sha, now,
                  calendar, sealer)


def submit_elicence_photo(session: Session, client: Principal, body: ElicencePhotoIn,
                          now: datetime, calendar: WorkdayCalendar, sealer: Sealer,
                          analyser: IntakeAnalyser) -> IntakeReceipt:
    sha = submission_sha(body)
    replay = _existing(session, client, body.reference, sha)
    if replay is not None:
        return replay
    report = analyser.photo_report(body.photo)
    flags = [FLAG_APP_PHOTO_SUBMISSION]
    if not report.get("compliant"):
        flags.append(FLAG_PHOTO_NONCOMPLIANT)
    export = report.pop("export")
    meta = {"purpose": "elicence", "source": "app", "photo_source": body.photo_source,
            "profile": report["profile"], "compliant": report["compliant"],
            "quality_report": report}
    if export is not None:  # the compliant crop is what the reviewer approves
        parts = [_part(export, PartKind.PHOTO_ELICENCE, meta),
                 _part(body.photo, PartKind.PHOTO_SUBMITTED,
                       {"source": "app", "photo_source": body.photo_source})]
    else:
        parts = [_part(body.photo, PartKind.PHOTO_ELICENCE, meta)]
    intake = {"kind": "elicence_photo", "photo_source": body.photo_source,
              "submitted_at": body.submitted_at.isoformat() if body.submitted_at else None,
              "callback_url": body.callback_url, "photo_compliant": report["compliant"]}
    fields = _applicant_fields(body, client, intake)
    return _store(session, client, body, "elicence_photo", flags, fields, parts, sha, now,
                  calendar, sealer)

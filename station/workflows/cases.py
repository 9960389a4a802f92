"""Cases step by step: each completed step is committed locally before the screen moves on.

Every function here takes the writer thread's Session (call through ``Database.submit`` /
``Database.write``) and records an audit entry. A crash loses at most the step in progress:
``open_drafts`` lists what can be resumed and ``Case.step`` says where.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station import audit, published
from station.beijing import beijing_today
from station.db.database import announce
from station.db.models import (
    Case,
    CaseKind,
    CaseState,
    DocumentScan,
    IdentityDocument,
    Person,
    Photo,
    ReviewStatus,
    Signature,
)
from station.events import CaseChanged
from station.i18n import tr
from station.security.crypto import active_keyring
from station.wire import PHOTO_PART_KINDS, STATUS_TOKEN
from station.workflows import rules
from station.workflows.case_kinds import CASE_KINDS
from station.workflows.documents import LONG_TERM, DocumentInput, number_digest

# The steps of each kind, in order (station/workflows/case_kinds.py); a draft resumes at
# ``Case.step``.
STEPS: dict[CaseKind, tuple[str, ...]] = {kind: spec.steps for kind, spec in CASE_KINDS.items()}


class WorkflowError(ValueError):
    """A step cannot be recorded (wrong state, missing data); the message is for the clerk."""


@dataclass(frozen=True)
class CaseRef:
    id: str
    number: str
    kind: CaseKind
    step: str
    config_version: int = 0  # the published configuration the case started with


@dataclass(frozen=True)
class CommitResult:
    case_id: str
    number: str
    flags: tuple[rules.Flag, ...]
    review_status: ReviewStatus
    due_at: datetime | None


def _case(session: Session, case_id: str, *, draft: bool = True) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise WorkflowError(tr("Workflow", "This case no longer exists."))
    if draft and case.state != CaseState.DRAFT:
        raise WorkflowError(tr("Workflow", "This case is already finished and cannot be changed."))
    return case


def _advance(case: Case, done_step: str) -> None:
    """Move the resume point past ``done_step`` (never backwards)."""
    steps = STEPS[case.kind]
    if done_step in steps:
        current = steps.index(case.step) if case.step in steps else 0
        case.step = steps[max(current, min(steps.index(done_step) + 1, len(steps) - 1))]
    case.updated_at = datetime.now(UTC)


def _next_number(session: Session, station_code: str, today: date) -> str:
    prefix = f"{station_code}-{today:%Y%m%d}-"
    count = session.scalar(select(func.count()).select_from(Case).where(Case.number.like(prefix + "%")))
    return f"{prefix}{(count or 0) + 1:04d}"


def start_case(
    session: Session, kind: CaseKind, station_code: str, operator_id: str | None, actor: str
) -> CaseRef:
    number = _next_number(session, station_code, beijing_today())  # the office's day
    # the case keeps the configuration in force now (rules, texts, profile) to its end
    version = published.active().version
    case = Case(number=number, kind=kind, station_code=station_code, operator_id=operator_id,
                step=STEPS[kind][0], flags=[], details={"config_version": version})
    session.add(case)
    session.flush()
    audit.record(session, actor, "case.started", case.id,
                 {"kind": kind.value, "number": number, "config_version": version})
    return CaseRef(case.id, case.number, case.kind, case.step, version)


def start_resubmission(session: Session, original_id: str, station_code: str,
                       operator_id: str | None, actor: str) -> CaseRef:
    """A new case for a case that a supervisor returned for more information. It repeats the
    flow (the same person's document, then what was asked for), goes to review with the
    returned case named, and the returned case records what replaced it at commit."""
    original = session.get(Case, original_id)
    if original is None:
        raise WorkflowError(tr("Workflow", "This case no longer exists."))
    if original.review_status != ReviewStatus.RETURNED:
        raise WorkflowError(tr("Workflow", "Only a case returned for more information can be "
                                           "resubmitted."))
    done = (original.details or {}).get("resubmitted_as")
    if done:
        raise WorkflowError(tr("Workflow", "This case was already resubmitted as {number}.")
                            .format(number=done))
    for draft in session.scalars(select(Case).where(Case.state == CaseState.DRAFT)):
        if (draft.details or {}).get("resubmission_of", {}).get("case_id") == original.id:
            return CaseRef(draft.id, draft.number, draft.kind, draft.step,  # carry on with it
                           published.version_of(draft.details))
    from station.workflows import resubmission

    decision = max(original.decisions, key=lambda d: d.decided_at, default=None)
    ref = start_case(session, original.kind, station_code, operator_id, actor)
    case = session.get(Case, ref.id)
    assert case is not None
    reason_code = decision.reason_code if decision else None
    asked = resubmission.steps_asked(case, reason_code)
    carried = resubmission.carry_over(original, case, asked)  # what does not change
    case.details = {**(case.details or {}), "resubmission_of": {
        "case_id": original.id, "number": original.number,
        "note": decision.note if decision else None,
        "reason_code": reason_code, "steps": list(asked), "carried": carried,
    }}
    audit.record(session, actor, "case.resubmission_started", case.id,
                 {"returned_case": original.number, "asks": list(asked), "carried": carried})
    return ref


def resubmission_of(case: Case) -> dict[str, Any] | None:
    return (case.details or {}).get("resubmission_of")


def _check_same_person(session: Session, case: Case, role: str, digest: str) -> None:
    """A resubmission must carry the document of the person in the returned case."""
    link = resubmission_of(case)
    original = session.get(Case, link["case_id"]) if link else None
    if original is None:
        return
    known = {d.number_digest for p in original.people if p.role == role for d in p.documents}
    if known and digest not in known:
        raise WorkflowError(tr("Workflow", "This document does not belong to the person of the "
                                           "returned case {number}.").format(number=original.number))


def _applicant(case: Case, role: str) -> Person:
    for person in case.people:
        if person.role == role:
            return person
    person = Person(role=role)
    case.people.append(person)
    return person


def save_document(
    session: Session, case_id: str, doc: DocumentInput, actor: str, role: str = "applicant",
    expiry_reason: str | None = None,
) -> None:
    """Record the applicant's (or agent's) document. ``expiry_reason``: why the clerk uses a
    document that is expired or not yet valid (the counter asks for one; the case is reviewed
    and the reviewer sees it)."""
    case = _case(session, case_id)
    digest = number_digest(doc.number, _digest_key())
    _check_same_person(session, case, role, digest)
    person = _applicant(case, role)
    person.name, person.name_en = doc.name or None, doc.name_en or None
    person.sex, person.nation = doc.sex or None, doc.nation or None
    person.birth_date = doc.birth_date.isoformat() if doc.birth_date else None
    person.address = doc.address or None
    person.documents.clear()
    person.documents.append(IdentityDocument(
        doc_type=doc.doc_type, source=doc.source, number=doc.number,
        number_digest=digest,
        issuing_authority=doc.issuing_authority or None,
        valid_from=doc.valid_from.isoformat() if doc.valid_from else None,
        valid_to=doc.valid_to.isoformat() if doc.valid_to else LONG_TERM,
        chip_photo_raw=doc.chip_photo_raw, chip_photo_image=doc.chip_photo_image,
        chip_photo_status=doc.chip_photo_status or None, fields=doc.fields,
        validation={"checks": list(doc.checks)},
    ))
    case.details = {**case.details, "document": {
        "source": doc.source, "doc_type": doc.doc_type,
        "chip_photo_available": doc.chip_photo_image is not None,
        "chip_photo_simulated": doc.chip_photo_status == "simulated",  # a demo card
        "failed_checks": [c.get("code", c.get("check")) for c in doc.failed_checks()],
        **({"expiry_override": {"reason": expiry_reason.strip(),
                                "valid_from": doc.valid_from.isoformat() if doc.valid_from else None,
                                "valid_to": doc.valid_to.isoformat() if doc.valid_to else None}}
           if expiry_reason and expiry_reason.strip() else {}),
    }}
    _advance(case, "document")
    audit.record(session, actor, "case.document", case.id,
                 {"source": doc.source, "doc_type": doc.doc_type, "role": role,
                  "expiry_confirmed": bool(expiry_reason and expiry_reason.strip())})


def save_photo(
    session: Session, case_id: str, purpose: str, jpeg: bytes, actor: str, *,
    profile: str | None = None, compliant: bool | None = None,
    report: dict[str, Any] | None = None, override_reason: str | None = None,
    automatic: bool | None = None,
    captured_at: datetime | None = None, camera: dict[str, Any] | None = None,
) -> str:
    """Store the ``purpose`` photo (a retake replaces it); ``automatic``: auto-captured when
    every check passed (None: not said), recorded with the case's details; ``captured_at``
    and ``camera`` say when and by which camera the frame was taken (evidence)."""
    case = _case(session, case_id)
    if not jpeg:
        raise WorkflowError(tr("Workflow", "The photo is empty."))
    if purpose not in PHOTO_PART_KINDS:  # it could never be delivered
        raise WorkflowError(tr("Workflow", "Photos of this purpose cannot be sent: {purpose}")
                            .format(purpose=purpose))
    for old in [p for p in case.photos if p.purpose == purpose]:
        case.photos.remove(old)  # a retake replaces the earlier photo of the same purpose
    photo = Photo(purpose=purpose, profile=profile, image=jpeg, sha256=hashlib.sha256(jpeg).hexdigest(),
                  compliant=compliant, quality_report=report or {}, override_reason=override_reason,
                  captured_at=captured_at, camera=camera)
    case.photos.append(photo)
    overrides = dict(case.details.get("photo_overrides", {}))
    overrides[purpose] = override_reason is not None
    captures = dict(case.details.get("photo_capture", {}))
    captures[purpose] = {"automatic": automatic, "compliant": compliant, "profile": profile}
    case.details = {**case.details, "photo_overrides": overrides, "photo_capture": captures}
    if purpose in ("live", "elicence"):
        _advance(case, "photo")
    session.flush()
    audit.record(session, actor, "case.photo", case.id,
                 {"purpose": purpose, "compliant": compliant, "override": override_reason is not None,
                  "camera": (camera or {}).get("name"),
                  "captured_at": captured_at.isoformat() if captured_at else None})
    return photo.id


def save_face_match(
    session: Session, case_id: str, actor: str, *, score: float | None, threshold: float | None,
    match: bool | None, reason: str = "", borderline: bool = False,
    simulated_chip_photo: bool = False,
) -> int:
    """Record one 1:1 comparison attempt (or why none was possible); returns the attempt count.
    ``simulated_chip_photo``: compared with a demo card's chip photo (demo mode)."""
    case = _case(session, case_id)
    previous = case.details.get("face_match", {})
    attempts = int(previous.get("attempts", 0)) + 1
    case.details = {**case.details, "face_match": {
        "score": score, "threshold": threshold, "match": match, "attempts": attempts,
        "reason": reason, "borderline": borderline,
        **({"simulated_chip_photo": True} if simulated_chip_photo else {}),
    }}
    live = next((p for p in case.photos if p.purpose == "live"), None)
    if live is not None:
        live.match_score, live.match_threshold = score, threshold
    audit.record(session, actor, "case.face_match", case.id,
                 {"score": score, "match": match, "attempt": attempts})
    return attempts


def save_phone(session: Session, case_id: str, phone: str, verified: bool, actor: str,
               skip_reason: str | None = None) -> None:
    """The applicant's (or agent's) mobile number; ``skip_reason``: why it was not verified by
    SMS code (the counter asks for one; the reviewer sees it)."""
    from station.identity.checks import validate_mobile

    case = _case(session, case_id)
    result = validate_mobile(phone)
    if not result.ok:
        raise WorkflowError(result.message)
    role = "agent" if case.kind == CaseKind.ORGANISATION else "applicant"
    _applicant(case, role).phone = result.value or phone
    reason = (skip_reason or "").strip()
    case.details = {**case.details, "phone": {"verified": verified,
                                              **({"skip_reason": reason} if reason else {})}}
    _advance(case, "phone")
    audit.record(session, actor, "case.phone", case.id,
                 {"verified": verified, "skip_reason": bool(reason)})


def save_organisation(session: Session, case_id: str, name: str, code: str, actor: str,
                      legal_representative: str | None = None) -> None:
    """The organisation's registered name and code, and (from the counter) the legal
    representative who grants the power of attorney; ``None`` keeps what was recorded."""
    from station.identity.checks import validate_credit_code, validate_org_code

    case = _case(session, case_id)
    name, code = name.strip(), code.strip().upper()
    if len(name) < 2:
        raise WorkflowError(tr("Workflow", "Enter the organisation's full registered name."))
    if legal_representative is not None and len(legal_representative.strip()) < 2:
        raise WorkflowError(tr("Workflow", "Enter the legal representative's full name."))
    result = validate_credit_code(code) if len(code) == 18 else validate_org_code(code)
    if not result.ok:
        raise WorkflowError(result.message)
    code_kind = "uscc" if len(code) == 18 else "org_code"
    case.personal = {**(case.personal or {}), "organisation_name": name, "organisation_code": code,
                     "organisation_code_kind": code_kind}
    if legal_representative is not None:
        case.personal = {**case.personal, "legal_representative": legal_representative.strip()}
    _advance(case, "organisation")
    audit.record(session, actor, "case.organisation", case.id, {"code_kind": code_kind})


def save_scan(
    session: Session, case_id: str, kind: str, image: bytes, actor: str,
    quality: dict[str, Any] | None = None,
) -> str:
    case = _case(session, case_id)
    if not image:
        raise WorkflowError(tr("Workflow", "The scanned document is empty."))
    for old in [s for s in case.scans if s.kind == kind]:
        case.scans.remove(old)
    scan = DocumentScan(kind=kind, image=image, sha256=hashlib.sha256(image).hexdigest(),
                        quality=quality or {})
    case.scans.append(scan)
    session.flush()
    audit.record(session, actor, "case.scan", case.id, {"kind": kind})
    return scan.id


def complete_step(session: Session, case_id: str, step: str, actor: str) -> None:
    """Mark a step done that stores nothing of its own (e.g. all scans captured)."""
    case = _case(session, case_id)
    _advance(case, step)
    audit.record(session, actor, "case.step", case.id, {"step": step})


def save_signature(
    session: Session, case_id: str, record: bytes, png: bytes, content_sha256: str,
    agreement_version: str, actor: str, signer_role: str = "applicant",
) -> None:
    case = _case(session, case_id)
    case.signatures[:] = [s for s in case.signatures if s.signer_role != signer_role]
    case.signatures.append(Signature(signer_role=signer_role, record=record, image_png=png,
                                     content_sha256=content_sha256,
                                     agreement_version=agreement_version))
    case.agreement_version = agreement_version
    _advance(case, "agreement")
    audit.record(session, actor, "case.signature", case.id,
                 {"agreement_version": agreement_version, "signer": signer_role})


def case_facts(case: Case, today: date | None = None) -> dict[str, Any]:
    """The facts the routing rules look at (no personal data)."""
    facts: dict[str, Any] = {"case.kind": case.kind.value,
                             "case.resubmission": resubmission_of(case) is not None}
    doc = next((d for p in case.people for d in p.documents), None)
    if doc is not None:
        facts["document.source"] = doc.source
        checks = (doc.validation or {}).get("checks", [])
        # validity has rules of its own (expired / expiring soon)
        facts["document.failed_checks"] = sum(
            1 for c in checks if not c.get("ok", False) and c.get("check") != "validity")
        today = today or date.today()
        valid_from = date.fromisoformat(doc.valid_from) if doc.valid_from else None
        valid_to = None if doc.valid_to in (None, LONG_TERM) else date.fromisoformat(doc.valid_to)
        facts["document.valid_now"] = (valid_from is None or valid_from <= today) and (
            valid_to is None or valid_to >= today)
        if valid_to is not None:
            facts["document.days_to_expiry"] = (valid_to - today).days
        facts["chip_photo.available"] = doc.chip_photo_image is not None
    match = case.details.get("face_match")
    if match and match.get("match") is not None:
        facts["face_match.match"] = bool(match["match"])
        facts["face_match.score"] = match.get("score")
        facts["face_match.borderline"] = bool(match.get("borderline"))
    overrides = case.details.get("photo_overrides", {})
    if overrides:
        facts["photo.override"] = any(overrides.values())
    phone = case.details.get("phone")
    if phone is not None:
        facts["phone.verified"] = bool(phone.get("verified"))
    return facts


def commit_case(session: Session, case_id: str, actor: str,
                confirmed_by_applicant: bool = False) -> CommitResult:
    """Finish a draft: apply the routing rules, and queue it for the central service.
    CaseChanged(state="committed") is published once the transaction has committed.
    ``confirmed_by_applicant``: the applicant checked the full preview (the counter asks)."""
    from station.sync.outbox import enqueue_case

    case = _case(session, case_id)
    missing = CASE_KINDS[case.kind].missing_parts(case)
    if missing:
        raise WorkflowError(tr("Workflow", "Still missing: {parts}").format(parts="、".join(missing)))
    config = published.for_case(case)  # the version the case started with
    flags = tuple(rules.evaluate(case.kind.value, case_facts(case), config.rules()))
    now = datetime.now(UTC)
    case.flags = [f.code for f in flags]
    case.review_status = ReviewStatus.PENDING if flags else ReviewStatus.NOT_REQUIRED
    case.state = CaseState.COMMITTED
    case.step = "done"
    case.committed_at = now
    case.due_at = config.calendar().due_time(now) if flags else None
    if confirmed_by_applicant:
        case.details = {**case.details, "confirmed_by_applicant": now.isoformat()}
    # the receipt is printed before the case reaches the central service: its status page
    # token is made here (unguessable, no personal data), sent with the case and accepted there
    case.details = {**case.details, STATUS_TOKEN: case.details.get(STATUS_TOKEN)
                    or secrets.token_urlsafe(16)}
    enqueue_case(session, case)
    audit.record(session, actor, "case.committed", case.id,
                 {"flags": case.flags, "review": case.review_status.value,
                  "confirmed_by_applicant": confirmed_by_applicant})
    # the sync worker sends it at once; open views refresh (the one place this is said)
    announce(session, CaseChanged(case_id=case.id, state="committed"))
    link = resubmission_of(case)
    original = session.get(Case, link["case_id"]) if link else None
    if original is not None:
        original.details = {**(original.details or {}), "resubmitted_as": case.number}
        audit.record(session, actor, "case.resubmitted", original.id, {"as": case.number})
    return CommitResult(case.id, case.number, flags, case.review_status, case.due_at)


def cancel_case(session: Session, case_id: str, actor: str) -> None:
    """Abandon a draft and wipe its personal data (people, photos, signatures, scans)."""
    case = _case(session, case_id)
    case.people.clear()
    case.photos.clear()
    case.signatures.clear()
    case.scans.clear()
    case.personal = None
    case.details = {}
    case.state = CaseState.CANCELLED
    case.purged_at = datetime.now(UTC)
    audit.record(session, actor, "case.cancelled", case.id)


def cancel_abandoned_visits(session: Session, station_code: str, actor: str) -> int:
    """Self-service drafts (no operator) never resume: a visit cut off by a crash or a
    shutdown is cancelled at the next start and its personal data wiped."""
    drafts = session.scalars(select(Case.id).where(
        Case.state == CaseState.DRAFT, Case.station_code == station_code,
        Case.operator_id.is_(None))).all()
    for case_id in drafts:
        cancel_case(session, case_id, actor)
    return len(drafts)


@dataclass(frozen=True)
class DraftInfo:
    id: str
    number: str
    kind: CaseKind
    step: str
    updated_at: datetime
    config_version: int = 0
    resubmission_of: dict[str, Any] | None = None  # a resubmission resumes asking what it asked

    @property
    def ref(self) -> CaseRef:
        return CaseRef(self.id, self.number, self.kind, self.step, self.config_version)


def open_drafts(session: Session, station_code: str) -> list[DraftInfo]:
    rows = session.scalars(select(Case).where(Case.state == CaseState.DRAFT,
                                              Case.station_code == station_code)
                           .order_by(Case.updated_at.desc()))
    return [DraftInfo(c.id, c.number, c.kind, c.step, c.updated_at,
                      published.version_of(c.details), resubmission_of(c)) for c in rows]


def _digest_key() -> bytes:
    """A lookup key derived from the station's data key (never stored)."""
    return active_keyring.get().derive(b"document-number-digest")


def find_by_number_key() -> bytes:
    """The key that finds a case by its identity number (station.workflows.case_list)."""
    return _digest_key()

"""What the receipt of a committed case shows, gathered from the local database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station import published
from station.config import Settings
from station.db.models import Case, CaseKind, Operator, ReviewStatus
from station.i18n import translate
from station.receipts.model import ReceiptData
from station.wire import STATUS_TOKEN
from station.workflows import rules
from station.workflows.cases import WorkflowError


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


DECIDED = {ReviewStatus.APPROVED: "approved", ReviewStatus.REJECTED: "rejected",
           ReviewStatus.RETURNED: "returned"}


def receipt_data(session: Session, case_id: str, settings: Settings, language: str = "zh_CN",
                 clerk_name: str | None = None, reprint: bool = False) -> ReceiptData:
    """What the receipt of a committed case prints; ``reprint`` (from the case list) also
    prints the review decision that has come back since and the time of the reprint."""
    case = session.get(Case, case_id)
    if case is None or case.committed_at is None:
        raise WorkflowError(translate("Workflow", "This case is not submitted yet.", language))
    people = {p.role: p for p in case.people}
    person = people.get("agent") or people.get("applicant")
    doc = person.documents[0] if person and person.documents else None
    photo = next((p for p in case.photos if p.purpose in ("elicence", "live")), None)
    signature = case.signatures[0] if case.signatures else None
    if clerk_name is None:
        clerk = session.scalar(select(Operator).where(Operator.id == case.operator_id))
        # a kiosk's case has no operator: the terminal took it, as its first receipt says
        clerk_name = (clerk.display_name if clerk else "") if case.operator_id else \
            translate("Kiosk", "Self-service terminal", language)
    match = case.details.get("face_match") or {}
    personal = case.personal or {}
    decision = max(case.decisions, key=lambda d: _aware(d.decided_at), default=None)
    decided = DECIDED.get(case.review_status) if reprint else None
    attorney = case.kind == CaseKind.ORGANISATION
    return ReceiptData(
        case_number=case.number,
        kind=case.kind.value,
        station_code=settings.station.code,
        station_name=settings.station.name,
        office=settings.station.office,
        clerk_name=clerk_name,
        created_at=_aware(case.created_at),
        committed_at=_aware(case.committed_at),
        applicant_name=(person.name or person.name_en or "") if person else "",
        document_type="manual" if doc and doc.source == "manual" else (doc.doc_type if doc else "manual"),
        id_number=(doc.number or "") if doc else "",
        phone=person.phone if person else None,
        organisation_name=personal.get("organisation_name"),
        credit_code=personal.get("organisation_code"),
        photo_jpeg=photo.image if photo else None,
        signature_png=signature.image_png if signature else None,
        agreement_version=case.agreement_version,
        review_required=bool(case.flags),
        review_reasons=tuple(rules.reason_message(code, language) for code in case.flags),
        due_at=_aware(case.due_at) if case.due_at else None,
        face_match_score=match.get("score"),
        documents=tuple(sorted(s.kind for s in case.scans)),
        language=language,
        agreement_kind=(("power_of_attorney" if attorney else "user_agreement")
                        if signature else None),
        signed_at=_aware(signature.created_at) if signature else None,
        legal_representative=personal.get("legal_representative") if attorney else None,
        decision=decided,
        decided_at=_aware(decision.decided_at) if decided and decision else None,
        reprinted_at=datetime.now(UTC) if reprint else None,
        status_url=status_url(settings, case),
    )


def status_url(settings: Settings, case: Case) -> str | None:
    """The applicant's status page of ``case`` at the office's public status address: the
    station's setting, else the one the central service publishes (office.toml)."""
    base = (settings.central.status_page_url or published.active().status_page_url
            or "").strip().rstrip("/")
    token = (case.details or {}).get(STATUS_TOKEN)
    return f"{base}/s/{token}" if base and token else None


def load_receipt(database: Any, case_id: str, settings: Settings, language: str,
                 clerk_name: str | None = None) -> ReceiptData:
    """``receipt_data`` in a read session of ``database`` (a worker thread, not the GUI's)."""
    with database.session() as session:
        return receipt_data(session, case_id, settings, language, clerk_name=clerk_name)

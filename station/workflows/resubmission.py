"""What a resubmission asks for again, and what it carries over from the returned case.

A supervisor returns a case with a decision reason. The resubmission repeats only what that
reason concerns, plus two steps that always run: the identity document (it proves the same
person is at the counter) and, where the kind signs something, the signature (a signature is
bound to the case it signs, so the returned case's cannot be reused). Everything else (the
mobile number and whether it was verified, photos, scans, organisation details) is copied
from the returned case and shown in the preview before submit.
"""

from __future__ import annotations

from typing import Any

from station.db.models import Case, DocumentScan, Person, Photo
from station.workflows.case_kinds import CASE_KINDS

# decision reason -> the steps it asks for again (besides "document" and the signature)
ASKS: dict[str, frozenset[str]] = {
    "photo_noncompliant": frozenset({"photo"}),
    "face_mismatch": frozenset({"photo"}),
    "document_invalid": frozenset(),  # the document step always runs
    "document_unreadable": frozenset(),
    "signature_invalid": frozenset(),  # the signature always runs
    "organisation_documents": frozenset({"scans"}),
    "agent_authority": frozenset({"organisation", "scans"}),
}
ALWAYS = frozenset({"document", "agreement", "review"})


def steps_asked(case: Case, reason_code: str | None) -> tuple[str, ...]:
    """The steps of ``case``'s kind the resubmission shows, in their order; a reason without
    a narrower meaning ("information_mismatch", "other", none) asks for every step."""
    steps = CASE_KINDS[case.kind].steps
    asked = ASKS.get(reason_code or "")
    if asked is None:
        return steps
    return tuple(step for step in steps if step in asked | ALWAYS)


def carry_over(original: Case, case: Case, asked: tuple[str, ...]) -> list[str]:
    """Copy into the new draft what the resubmission does not ask for; the step names that
    were carried."""
    carried: list[str] = []
    steps = CASE_KINDS[case.kind].steps
    details: dict[str, Any] = dict(case.details or {})
    old = original.details or {}
    for person in original.people:  # the number is filled in even where it is asked again
        if person.phone:
            case.people.append(Person(role=person.role, phone=person.phone))
    if "phone" in steps and "phone" not in asked and "phone" in old:
        details["phone"] = old["phone"]
        carried.append("phone")
    if "photo" in steps and "photo" not in asked:
        for photo in original.photos:
            case.photos.append(Photo(
                purpose=photo.purpose, profile=photo.profile, image=photo.image,
                sha256=photo.sha256, compliant=photo.compliant,
                quality_report=photo.quality_report, override_reason=photo.override_reason,
                match_score=photo.match_score, match_threshold=photo.match_threshold,
                captured_at=photo.captured_at, camera=photo.camera))
        for key in ("photo_overrides", "face_match", "photo_capture"):
            if key in old:
                details[key] = old[key]
        carried.append("photo")
    if "scans" in steps and "scans" not in asked:
        for scan in original.scans:
            case.scans.append(DocumentScan(kind=scan.kind, image=scan.image, sha256=scan.sha256,
                                           quality=scan.quality))
        carried.append("scans")
    if "organisation" in steps and "organisation" not in asked:
        personal = original.personal or {}
        kept = {k: v for k, v in personal.items() if k.startswith("organisation")
                or k == "legal_representative"}
        case.personal = {**(case.personal or {}), **kept}
        carried.append("organisation")
    case.details = details
    return carried

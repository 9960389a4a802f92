"""Each kind of case, defined once as data: its steps, photo, scans, agreement, the parts a
commit needs, and where it falls back to when face recognition keeps failing.

Everything that differs between kinds is read from ``CASE_KINDS``: the counter's wizard
(ui/flows/definitions.py builds its steps from it), the kiosk visit
(station/workflows/visit.py), and the commit check (cases.commit_case). A new photo
profile is a file in resources/photo_profiles/ named by a ``PhotoSpec`` here; a new kind is
one more entry here (plus, for a step no kind had before, its screen).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from station.db.models import Case, CaseKind
from station.i18n import Text, tr_later

# How a self-service terminal takes the photo: an active liveness check (its frontal frame
# is the live photo), a guided capture scored against the profile, or a plain snapshot.
SelfServicePhoto = Literal["liveness", "guided", "snapshot"]


@dataclass(frozen=True)
class PhotoSpec:
    purpose: str  # stored as Photo.purpose: "live" or "elicence"
    profile: str  # resources/photo_profiles/<profile>.toml
    match_chip: bool  # 1:1 face match with the chip photo after the capture
    self_service: SelfServicePhoto


@dataclass(frozen=True)
class AgreementSpec:
    document: str  # resources/agreements/index.toml name
    signer_role: str = "applicant"


@dataclass(frozen=True)
class RequiredPart:
    """One thing a case must hold before it can be committed; ``label`` names it to the clerk."""

    label: Text
    document: bool = False
    photos: frozenset[str] = frozenset()  # photo purposes
    scans: frozenset[str] = frozenset()  # scan kinds
    signature: bool = False
    organisation: bool = False

    def present_in(self, case: Case) -> bool:
        if self.document and not any(p.documents for p in case.people):
            return False
        if not self.photos <= {p.purpose for p in case.photos}:
            return False
        if not self.scans <= {s.kind for s in case.scans}:
            return False
        if self.signature and not case.signatures:
            return False
        return not (self.organisation and not (case.personal or {}).get("organisation_code"))


@dataclass(frozen=True)
class Fallback:
    """After ``after_failures`` failed face checks the case is withdrawn (its data wiped) and
    a case of ``kind`` starts with the same identity document (the 12123 rule)."""

    kind: CaseKind
    after_failures: int


@dataclass(frozen=True)
class CaseKindSpec:
    kind: CaseKind
    steps: tuple[str, ...]  # in order; a draft resumes at Case.step
    required: tuple[RequiredPart, ...]
    document_role: str = "applicant"
    photo: PhotoSpec | None = None
    scans: tuple[str, ...] = ()  # captured in this order
    agreement: AgreementSpec | None = None
    fallback: Fallback | None = None

    def missing_parts(self, case: Case) -> list[str]:
        return [str(part.label) for part in self.required if not part.present_in(case)]

    def step_after(self, step: str) -> str | None:
        index = self.steps.index(step) + 1
        return self.steps[index] if index < len(self.steps) else None


_DOCUMENT = RequiredPart(tr_later("Workflow", "identity document"), document=True)
_LIVE_PHOTO = RequiredPart(tr_later("Workflow", "live photo"), photos=frozenset({"live"}))
_SIGNATURE = RequiredPart(tr_later("Workflow", "signature"), signature=True)

CASE_KINDS: dict[CaseKind, CaseKindSpec] = {
    spec.kind: spec for spec in (
        CaseKindSpec(
            kind=CaseKind.INDIVIDUAL,
            steps=("document", "photo", "phone", "agreement", "review"),
            photo=PhotoSpec("live", "icao-9303", match_chip=True, self_service="liveness"),
            agreement=AgreementSpec("user_agreement"),
            required=(_DOCUMENT, _LIVE_PHOTO, _SIGNATURE),
            fallback=Fallback(CaseKind.MANUAL_REVIEW, after_failures=3),
        ),
        CaseKindSpec(
            kind=CaseKind.ORGANISATION,
            # the agent in person: card, live photo (matched with the card's chip photo)
            steps=("document", "photo", "organisation", "scans", "phone", "agreement",
                   "review"),
            document_role="agent",
            photo=PhotoSpec("live", "icao-9303", match_chip=True, self_service="liveness"),
            scans=("business_licence", "power_of_attorney", "agent_id_front", "agent_id_back"),
            agreement=AgreementSpec("power_of_attorney", signer_role="agent"),
            required=(
                _DOCUMENT,
                RequiredPart(tr_later("Workflow", "agent's live photo"),
                             photos=frozenset({"live"})),
                RequiredPart(tr_later("Workflow", "organisation details"), organisation=True),
                RequiredPart(tr_later("Workflow", "business licence and power of attorney scans"),
                             scans=frozenset({"business_licence", "power_of_attorney"})),
                _SIGNATURE,
            ),
        ),
        CaseKindSpec(
            kind=CaseKind.ELICENCE_PHOTO,
            # the phone: the office answers every e-licence application by SMS
            steps=("document", "photo", "phone", "review"),
            photo=PhotoSpec("elicence", "cn-driving-licence", match_chip=False,
                            self_service="guided"),
            required=(_DOCUMENT, RequiredPart(tr_later("Workflow", "e-licence photo"),
                                              photos=frozenset({"elicence"}))),
        ),
        CaseKindSpec(
            kind=CaseKind.MANUAL_REVIEW,
            steps=("document", "scans", "photo", "phone", "review"),
            scans=("id_front", "id_back"),
            photo=PhotoSpec("live", "icao-9303", match_chip=False, self_service="snapshot"),
            required=(
                _DOCUMENT,
                RequiredPart(tr_later("Workflow", "photos of the ID card's front and back"),
                             scans=frozenset({"id_front", "id_back"})),
                _LIVE_PHOTO,
            ),
        ),
    )
}


def case_kind(kind: CaseKind) -> CaseKindSpec:
    return CASE_KINDS[kind]

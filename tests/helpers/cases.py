"""Cases as a station makes them: each step recorded by the workflows, routed by the real
rules when committed, and delivered by the real payload builder and sync client.

Tests of the review side use this for real flags and real part kinds instead of making them
up (a flag is what the routing rules raised, never a decision reason)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.orm import Session

from station.db.database import Database
from station.db.models import Case, CaseKind, Operator, Role
from station.identity.chip_photo import decode_chip_photo
from station.identity.samples import sample_card, sample_wlt
from station.identity.validation import validate_card
from station.sync.client import CentralClient
from station.sync.payload import build_case_payload
from station.wire import Receipt
from station.workflows import cases
from station.workflows.documents import DocumentInput, from_identity_card

SIGNATURE_PNG = b"\x89PNG\r\n\x1a\n" + b"sig" * 50
VERIFIED_PHONE = "13812345678"


def card_document(key: str = "resident", *, chip_image: bytes | None = None) -> DocumentInput:
    """A sample ID card as the reader gives it; with ``chip_image`` its chip photo decoded."""
    card = sample_card(key)
    chip = decode_chip_photo(sample_wlt(card), None)
    doc = from_identity_card(card, chip, list(validate_card(card)))
    if chip_image is not None:
        doc = replace(doc, chip_photo_image=chip_image, chip_photo_status="")
    return doc


@dataclass
class LocalStation:
    """A station's own database with its clerks; ``code`` must be the enrolled station's."""

    db: Database
    code: str = "ST-01"
    clerks: dict[str, str] = field(default_factory=dict)  # user name -> operator id

    @classmethod
    def open(cls, folder: Path, code: str = "ST-01",
             clerks: tuple[str, ...] = ("clerk1", "clerk2")) -> LocalStation:
        folder.mkdir(parents=True, exist_ok=True)
        station = cls(Database(f"sqlite:///{folder / 'station.sqlite3'}", folder / "data.key"),
                      code)
        for name in clerks:
            def add(session: Session, name: str = name) -> str:
                operator = Operator(username=name, display_name=name, role=Role.CLERK,
                                    password_hash="-")
                session.add(operator)
                session.flush()
                return operator.id

            station.clerks[name] = station.db.write(add)
        return station

    def close(self) -> None:
        self.db.close()

    def _start(self, kind: CaseKind, clerk: str) -> str:
        operator = self.clerks[clerk]
        return self.db.write(lambda s: cases.start_case(s, kind, self.code, operator, clerk)).id

    def individual(self, photo: bytes, *, clerk: str = "clerk1", chip_photo: bytes | None = None,
                   match: bool | None = None) -> str:
        """Card, live photo, face match (when there is a chip photo), verified phone,
        signature: routed LOW_FACE_MATCH without a match, CHIP_PHOTO_UNAVAILABLE without
        a chip photo."""
        case_id = self._start(CaseKind.INDIVIDUAL, clerk)
        doc = card_document(chip_image=chip_photo)
        self.db.write(lambda s: cases.save_document(s, case_id, doc, clerk))
        self.db.write(lambda s: cases.save_photo(s, case_id, "live", photo, clerk,
                                                 compliant=True))
        if match is not None:
            self.db.write(lambda s: cases.save_face_match(
                s, case_id, clerk, score=0.8 if match else 0.3, threshold=0.6, match=match))
        self.db.write(lambda s: cases.save_phone(s, case_id, VERIFIED_PHONE, True, clerk))
        self._sign(case_id, clerk, "applicant")
        return case_id

    def organisation(self, scan: bytes, photo: bytes, *, clerk: str = "clerk1") -> str:
        """The agent in person (card, live photo matched with its chip photo) with the
        business licence and power of attorney: routed ORGANISATION."""
        case_id = self._start(CaseKind.ORGANISATION, clerk)
        doc = card_document(chip_image=photo)
        self.db.write(lambda s: cases.save_document(s, case_id, doc, clerk, role="agent"))
        self.db.write(lambda s: cases.save_photo(s, case_id, "live", photo, clerk,
                                                 compliant=True))
        self.db.write(lambda s: cases.save_face_match(s, case_id, clerk, score=0.8,
                                                      threshold=0.6, match=True))
        self.db.write(lambda s: cases.save_organisation(s, case_id, "某某科技有限公司",
                                                        "91350100M000100Y43", clerk,
                                                        legal_representative="王建国"))
        for kind in ("business_licence", "power_of_attorney"):
            def add_scan(session: Session, kind: str = kind) -> None:
                cases.save_scan(session, case_id, kind, scan, clerk)

            self.db.write(add_scan)
        self.db.write(lambda s: cases.save_phone(s, case_id, VERIFIED_PHONE, True, clerk))
        self._sign(case_id, clerk, "agent")
        return case_id

    def elicence_photo(self, photo: bytes, *, clerk: str = "clerk1",
                       phone: str | None = VERIFIED_PHONE) -> str:
        """The card, the e-licence photo and the mobile number the result goes to (None:
        a case from before the phone step): routed ELICENCE_PHOTO."""
        case_id = self._start(CaseKind.ELICENCE_PHOTO, clerk)
        doc = card_document()
        self.db.write(lambda s: cases.save_document(s, case_id, doc, clerk))
        self.db.write(lambda s: cases.save_photo(s, case_id, "elicence", photo, clerk,
                                                 profile="cn-driving-licence", compliant=True))
        if phone is not None:
            self.db.write(lambda s: cases.save_phone(s, case_id, phone, True, clerk))
        return case_id

    def _sign(self, case_id: str, clerk: str, role: str) -> None:
        self.db.write(lambda s: cases.save_signature(s, case_id, b"record", SIGNATURE_PNG,
                                                     "ab" * 32, "2026.1", clerk,
                                                     signer_role=role))

    def commit(self, case_id: str) -> tuple[str, ...]:
        """Commit through the routing rules; the flags they raised."""
        result = self.db.write(lambda s: cases.commit_case(s, case_id, "clerk"))
        return tuple(flag.code for flag in result.flags)

    def number(self, case_id: str) -> str:
        with self.db.session() as session:
            case = session.get(Case, case_id)
            assert case is not None
            return case.number

    def deliver(self, client: CentralClient, case_id: str) -> Receipt:
        """Commit (if still a draft) and deliver as the sync worker does: parts, then case."""
        with self.db.session() as session:
            case = session.get(Case, case_id)
            assert case is not None
            draft = case.committed_at is None
        if draft:
            self.commit(case_id)
        with self.db.session() as session:
            case = session.get(Case, case_id)
            assert case is not None
            payload = build_case_payload(session, case, "测试车管所")
        for part in payload.parts:
            client.upload_part(part.sha256, part.data)
        return client.ingest_case(payload.body, payload.idempotency_key)

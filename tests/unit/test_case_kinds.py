"""Case kinds as data (station/workflows/case_kinds.py), the shared face match, and the one
place a committed case is announced."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.db.database import Database, announce
from station.db.models import Case, CaseKind
from station.events import CaseChanged, EventBus
from station.i18n import set_language
from station.photo.profiles import profile_names
from station.signature.agreements import PLACEHOLDERS, load_agreement
from station.workflows import cases, face_match
from station.workflows.case_kinds import CASE_KINDS
from station.workflows.receipt_data import load_receipt
from tests.unit.test_workflow_cases import JPEG, card_document, individual_until_signature


def test_every_kind_is_defined_once_with_real_profiles_and_agreements() -> None:
    assert set(CASE_KINDS) == set(CaseKind)
    known_steps = {"document", "photo", "organisation", "scans", "phone", "agreement", "review"}
    for kind, spec in CASE_KINDS.items():
        assert spec.kind is kind and spec.steps[0] == "document" and spec.steps[-1] == "review"
        assert set(spec.steps) <= known_steps, kind
        assert ("photo" in spec.steps) == (spec.photo is not None), kind
        assert ("scans" in spec.steps) == bool(spec.scans), kind
        assert ("agreement" in spec.steps) == (spec.agreement is not None), kind
        if spec.photo is not None:
            assert spec.photo.profile in profile_names(), spec.photo.profile
        if spec.agreement is not None:
            fields = dict.fromkeys(PLACEHOLDERS, "x")
            assert load_agreement(spec.agreement.document, "zh_CN", fields=fields).text
        if spec.fallback is not None:
            assert spec.fallback.kind in CASE_KINDS and spec.fallback.after_failures >= 1
        assert cases.STEPS[kind] == spec.steps
    assert CASE_KINDS[CaseKind.INDIVIDUAL].step_after("photo") == "phone"
    assert CASE_KINDS[CaseKind.ELICENCE_PHOTO].step_after("review") is None


def test_required_parts_name_what_is_missing_in_the_station_language(database: Database) -> None:
    ref = database.write(lambda s: cases.start_case(s, CaseKind.MANUAL_REVIEW, "S1", None, "c"))
    database.write(lambda s: cases.save_document(s, ref.id, card_document(), "c"))
    with pytest.raises(cases.WorkflowError) as refused:
        database.write(lambda s: cases.commit_case(s, ref.id, "c"))
    assert "身份证正反面照片" in str(refused.value) and "现场照片" in str(refused.value)
    set_language("en")
    try:
        with database.session() as session:
            case = session.get(Case, ref.id)
            assert CASE_KINDS[CaseKind.MANUAL_REVIEW].missing_parts(case) == [
                "photos of the ID card's front and back", "live photo"]
    finally:
        set_language("zh_CN")
    database.write(lambda s: cases.save_scan(s, ref.id, "id_front", JPEG, "c"))
    database.write(lambda s: cases.save_scan(s, ref.id, "id_back", JPEG, "c"))
    database.write(lambda s: cases.save_photo(s, ref.id, "live", JPEG, "c"))
    assert database.write(lambda s: cases.commit_case(s, ref.id, "c")).number == ref.number


def test_a_commit_is_announced_once_it_is_stored_and_never_when_rolled_back(
        tmp_path: Path) -> None:
    bus = EventBus()
    heard: list[CaseChanged] = []
    bus.subscribe(CaseChanged, heard.append)
    db = Database(f"sqlite:///{tmp_path / 's.sqlite3'}", tmp_path / "data.key", bus)
    try:
        case_id = individual_until_signature(db, card_document(chip_image=JPEG), match=True)
        assert heard == []  # steps of a draft are not announced

        def commit_then_fail(session: object) -> None:
            cases.commit_case(session, case_id, "clerk")  # type: ignore[arg-type]
            raise RuntimeError("power cut before the commit")

        with pytest.raises(RuntimeError):
            db.write(commit_then_fail)
        assert heard == []
        db.write(lambda s: cases.commit_case(s, case_id, "clerk"))
        assert [(e.case_id, e.state) for e in heard] == [(case_id, "committed")]

        def publishes_nothing_itself(session: object) -> None:
            announce(session, CaseChanged(case_id="x", state="draft"))  # type: ignore[arg-type]
            assert len(heard) == 1  # not before the transaction ends

        db.write(publishes_nothing_itself)
        assert [e.case_id for e in heard] == [case_id, "x"]
    finally:
        db.close()


def test_face_match_of_the_same_and_of_another_person(faces_dir: Path) -> None:
    people = faces_dir / "verification"
    obama, obama2 = ((people / "obama" / name).read_bytes() for name in ("obama.jpg", "obama2.jpg"))
    biden = (people / "biden" / "biden.jpg").read_bytes()
    same = face_match.compare(obama, obama2)
    assert same.available and same.match is True and not same.failed and same.reason == ""
    assert same.threshold is not None and same.score is not None and same.score >= same.threshold
    other = face_match.compare(obama, biden)
    assert other.failed and other.score is not None and other.score < (other.threshold or 0)
    no_face = face_match.compare(obama, (faces_dir / "portraits" / "dlib_no_human_face.jpg")
                                 .read_bytes())
    assert no_face.failed and no_face.reason == "face_not_found" and "second" in no_face.no_face
    assert face_match.compare(None, obama) == face_match.FaceMatch(available=False)
    with pytest.raises(ValueError, match="unreadable"):
        face_match.compare(b"not a jpeg", obama)


def test_face_match_outcomes_are_recorded_and_route_the_case(database: Database,
                                                            faces_dir: Path) -> None:
    live = (faces_dir / "verification" / "obama" / "obama2.jpg").read_bytes()
    chip = (faces_dir / "verification" / "biden" / "biden.jpg").read_bytes()
    case_id = individual_until_signature(database, card_document(chip_image=chip), match=None)
    assert face_match.chip_photo_in(database, case_id) == chip
    outcome = face_match.compare(face_match.chip_photo_in(database, case_id), live)
    assert database.write(lambda s: outcome.save(s, case_id, "clerk")) == 1
    result = database.write(lambda s: cases.commit_case(s, case_id, "clerk"))
    assert [f.code for f in result.flags] == ["LOW_FACE_MATCH"]
    with database.session() as session:
        recorded = session.get(Case, case_id).details["face_match"]
    assert recorded["match"] is False and recorded["score"] == outcome.score

    unavailable = individual_until_signature(database, card_document(), match=None)
    assert face_match.chip_photo_in(database, unavailable) is None
    nothing = face_match.compare(None, live)
    database.write(lambda s: nothing.save(s, unavailable, "kiosk"))
    with database.session() as session:
        recorded = session.get(Case, unavailable).details["face_match"]
    assert recorded["reason"] == "chip_photo_unavailable" and recorded["match"] is None
    receipt = load_receipt(database, result.case_id, _settings(), "en", clerk_name="Kiosk")
    assert receipt.case_number == result.number and receipt.clerk_name == "Kiosk"
    assert receipt.review_required


def _settings():  # type: ignore[no-untyped-def]
    from station.config import Settings

    return Settings()

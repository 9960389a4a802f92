"""Registration cases step by step: drafts survive a restart, rules route, cancel wipes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from station.beijing import beijing_today
from station.db.database import Database
from station.db.models import Case, CaseKind, CaseState, OutboxItem, ReviewStatus
from station.workflows import cases, rules
from station.workflows.documents import DocumentInput
from tests.helpers.cases import card_document

JPEG = b"\xff\xd8\xff\xe0" + b"photo" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"sig" * 50


def individual_until_signature(db: Database, doc: DocumentInput, match: bool | None) -> str:
    ref = db.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, "S1", None, "clerk"))
    db.write(lambda s: cases.save_document(s, ref.id, doc, "clerk"))
    db.write(lambda s: cases.save_photo(s, ref.id, "live", JPEG, "clerk", compliant=True))
    if match is not None:
        db.write(lambda s: cases.save_face_match(s, ref.id, "clerk", score=88.0 if match else 31.0,
                                                 threshold=60.0, match=match))
    db.write(lambda s: cases.save_phone(s, ref.id, "13812345678", True, "clerk"))
    db.write(lambda s: cases.save_signature(s, ref.id, b"record", PNG, "ab" * 32, "2026.1", "clerk"))
    return ref.id


def test_clean_individual_registration_needs_no_review(database: Database) -> None:
    case_id = individual_until_signature(database, card_document(chip_image=JPEG), match=True)
    result = database.write(lambda s: cases.commit_case(s, case_id, "clerk"))
    assert result.flags == () and result.review_status == ReviewStatus.NOT_REQUIRED
    with database.session() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.state == CaseState.COMMITTED and case.step == "done"
        assert session.scalar(select(OutboxItem).where(OutboxItem.case_id == case_id)) is not None
        assert case.number.startswith(f"S1-{beijing_today():%Y%m%d}-")  # the office's day


def test_no_chip_photo_and_low_match_are_flagged_with_due_date(database: Database) -> None:
    no_chip = individual_until_signature(database, card_document(), match=None)
    result = database.write(lambda s: cases.commit_case(s, no_chip, "clerk"))
    assert [f.code for f in result.flags] == ["CHIP_PHOTO_UNAVAILABLE"]
    assert result.review_status == ReviewStatus.PENDING and result.due_at is not None
    low = individual_until_signature(database, card_document(chip_image=JPEG), match=False)
    flags = database.write(lambda s: cases.commit_case(s, low, "clerk")).flags
    assert [f.code for f in flags] == ["LOW_FACE_MATCH"]
    assert flags[0].message("zh_CN") == "现场照片与证件芯片照片比对相似度不足。"


def test_expired_card_and_manual_entry_are_flagged(database: Database) -> None:
    expired = individual_until_signature(database, card_document("expired", chip_image=JPEG), True)
    codes = {f.code for f in database.write(lambda s: cases.commit_case(s, expired, "clerk")).flags}
    assert "DOCUMENT_EXPIRED" in codes
    manual = DocumentInput(source="manual", doc_type="resident_id", number="11010519491231002X",
                           name="李秀兰", valid_from=date(2020, 1, 1), valid_to=None)
    case_id = individual_until_signature(database, manual, match=None)
    codes = {f.code for f in database.write(lambda s: cases.commit_case(s, case_id, "clerk")).flags}
    assert {"MANUAL_ENTRY", "CHIP_PHOTO_UNAVAILABLE"} <= codes


def test_a_draft_resumes_after_a_restart_at_the_step_in_progress(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    db = Database(url, tmp_path / "k")
    ref = db.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, "S1", None, "clerk"))
    db.write(lambda s: cases.save_document(s, ref.id, card_document(), "clerk"))
    db.write(lambda s: cases.save_photo(s, ref.id, "live", JPEG, "clerk", override_reason="眼镜反光"))
    db.close()  # the process dies here; what was written is on disk
    again = Database(url, tmp_path / "k")
    with again.session() as session:
        drafts = cases.open_drafts(session, "S1")
        assert [(d.id, d.step) for d in drafts] == [(ref.id, "phone")]
        case = session.get(Case, ref.id)
        assert case is not None and case.people[0].name == "李秀兰"
        assert case.photos[0].override_reason == "眼镜反光"
    again.close()


def test_cancel_wipes_personal_data(database: Database) -> None:
    case_id = individual_until_signature(database, card_document(chip_image=JPEG), match=True)
    database.write(lambda s: cases.cancel_case(s, case_id, "clerk"))
    with database.session() as session:
        for table in ("people", "identity_documents", "photos", "signatures", "document_scans"):
            assert session.execute(text(f"select count(*) from {table}")).scalar_one() == 0
        case = session.get(Case, case_id)
        assert case is not None and case.state == CaseState.CANCELLED and case.personal is None
    with pytest.raises(cases.WorkflowError):
        database.write(lambda s: cases.save_phone(s, case_id, "13812345678", True, "clerk"))


def test_organisation_needs_documents_and_is_always_reviewed(database: Database) -> None:
    ref = database.write(lambda s: cases.start_case(s, CaseKind.ORGANISATION, "S1", None, "clerk"))
    database.write(lambda s: cases.save_document(s, ref.id, card_document(chip_image=JPEG), "clerk",
                                                 role="agent"))
    with pytest.raises(cases.WorkflowError):  # bad check character
        database.write(lambda s: cases.save_organisation(s, ref.id, "某某科技有限公司",
                                                         "91350100M000100Y44", "clerk"))
    database.write(lambda s: cases.save_organisation(s, ref.id, "某某科技有限公司",
                                                     "91350100M000100Y43", "clerk"))
    with pytest.raises(cases.WorkflowError, match=r"营业执照|business licence"):
        database.write(lambda s: cases.commit_case(s, ref.id, "clerk"))
    for kind in ("business_licence", "power_of_attorney"):
        database.write(lambda s, k=kind: cases.save_scan(s, ref.id, k, JPEG, "clerk"))
    with pytest.raises(cases.WorkflowError, match=r"经办人现场照片|agent's live photo"):
        database.write(lambda s: cases.commit_case(s, ref.id, "clerk"))
    database.write(lambda s: cases.save_photo(s, ref.id, "live", JPEG, "clerk"))  # the agent
    database.write(lambda s: cases.save_phone(s, ref.id, "13912345678", False, "clerk"))
    database.write(lambda s: cases.save_signature(s, ref.id, b"r", PNG, "cd" * 32, "2026.1", "clerk",
                                                  signer_role="agent"))
    result = database.write(lambda s: cases.commit_case(s, ref.id, "clerk"))
    assert {"ORGANISATION", "PHONE_NOT_VERIFIED"} <= {f.code for f in result.flags}


def test_invalid_phone_is_refused_with_a_reason(database: Database) -> None:
    ref = database.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, "S1", None, "clerk"))
    with pytest.raises(cases.WorkflowError):
        database.write(lambda s: cases.save_phone(s, ref.id, "12812345678", True, "clerk"))


def test_rules_are_data(tmp_path: Path) -> None:
    custom = tmp_path / "rules.toml"
    custom.write_text(
        '[[rule]]\ncode = "DOCUMENT_EXPIRING_SOON"\n'
        'when = [{ fact = "document.days_to_expiry", op = "lt", value = 90 }]\n', encoding="utf-8")
    loaded = rules.load_rules(custom)
    assert [f.code for f in rules.evaluate("individual", {"document.days_to_expiry": 60}, loaded)] == [
        "DOCUMENT_EXPIRING_SOON"]
    assert rules.evaluate("individual", {}, loaded) == []  # absent facts never fire
    assert rules.evaluate("individual", {"document.days_to_expiry": "x"}, loaded) == []
    custom.write_text('[[rule]]\ncode = "MANUAL_ENTRY"\nwhen = [{ fact = "a", op = "like" }]\n',
                      encoding="utf-8")
    with pytest.raises(rules.RulesError, match="rules"):
        rules.load_rules(custom)


@pytest.mark.parametrize(("rule", "complaint"), [
    ('code = "LOW_FACE_MATCH"\nwhen = [{ fact = "face_match.mach", op = "eq", value = false }]',
     "rule LOW_FACE_MATCH: unknown fact 'face_match.mach' (known: case.kind,"),
    ('code = "LOW_FACE_MATCH"\nwhen = [{ fact = "face_match.match", op = "eq", value = "no" }]',
     "rule LOW_FACE_MATCH: fact 'face_match.match' is a bool, not 'no'"),
    ('code = "DOCUMENT_EXPIRING_SOON"\n'
     'when = [{ fact = "document.days_to_expiry", op = "lt", value = true }]',
     "fact 'document.days_to_expiry' is a int, not True"),
    ('code = "MANUAL_ENTRY"\nwhen = [{ fact = "document.source", op = "gt", value = "a" }]',
     "fact 'document.source' is a str: it cannot be compared with gt"),
    ('code = "MANUAL_ENTRY"\nwhen = [{ fact = "document.source", op = "in", value = "manual" }]',
     "op 'in' on 'document.source' needs a list of values"),
    ('code = "ORGANISATION"\nkinds = ["organization"]',
     "rule ORGANISATION: unknown case kind 'organization' (known: individual, organisation,"),
    ('code = "LOW_FACE_MACH"\nwhen = []',
     "rule LOW_FACE_MACH: not a flag of the vocabulary (add it to flags.toml)"),
    ('code = "MANUAL_ENTRY"\nmessage = "a text of its own"\nwhen = []', "message"),
])
def test_a_misspelt_rule_fails_when_the_rules_load(tmp_path: Path, rule: str,
                                                    complaint: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(f"[[rule]]\n{rule}\n", encoding="utf-8")
    with pytest.raises(rules.RulesError) as refused:
        rules.load_rules(path)
    assert complaint in str(refused.value) and str(path) in str(refused.value)


def test_every_problem_of_a_rules_file_is_named_at_once(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\ncode = "NOPE"\nwhen = [{ fact = "phone.verifed", op = "eq", '
                    'value = false }, { fact = "photo.override", op = "in", value = [true] }]\n',
                    encoding="utf-8")
    with pytest.raises(rules.RulesError) as refused:
        rules.load_rules(path)
    text = str(refused.value)
    assert "rule NOPE: not a flag" in text and "unknown fact 'phone.verifed'" in text
    assert text.count("rule NOPE:") == 2  # a list of bools for a bool fact is fine


def test_the_facts_of_real_cases_are_the_declared_ones(database: Database) -> None:
    """Every fact case_facts gives is in rules.FACTS with its type, so a rule that loads can
    fire; and each declared fact appears for some case."""
    manual = DocumentInput(source="manual", doc_type="resident_id", number="11010519491231002X",
                           name="李秀兰", valid_from=date(2020, 1, 1),
                           valid_to=date.today() + timedelta(days=3))
    seen: dict[str, object] = {}
    for doc, match in ((card_document(chip_image=JPEG), True), (manual, None)):
        case_id = individual_until_signature(database, doc, match=match)
        database.write(lambda s, c=case_id: cases.save_photo(
            s, c, "live", JPEG, "clerk", override_reason="眼镜反光"))
        with database.session() as session:
            case = session.get(Case, case_id)
            assert case is not None
            case.details = {**case.details, "resubmission_of": {"case_id": "x"}}
            seen.update(cases.case_facts(case))
    assert set(seen) == set(rules.FACTS)
    for fact, value in seen.items():
        assert value is None or rules._is_a(value, rules.FACTS[fact]), (fact, value)


def test_expiring_soon_rule_uses_days(database: Database) -> None:
    from dataclasses import replace

    doc = replace(card_document(chip_image=JPEG), valid_to=date.today() + timedelta(days=10))
    case_id = individual_until_signature(database, doc, match=True)
    codes = [f.code for f in database.write(lambda s: cases.commit_case(s, case_id, "clerk")).flags]
    assert codes == ["DOCUMENT_EXPIRING_SOON"]


def test_committed_case_renders_a_receipt_with_its_reasons(database: Database, faces_dir: Path) -> None:
    import io

    import cv2
    from pypdf import PdfReader

    from station.config import load_settings
    from station.receipts import render_receipt
    from station.workflows.receipt_data import receipt_data

    photo = cv2.imencode(".jpg", cv2.imread(str(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg")))[1]
    doc = card_document()
    ref = database.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, "S1", None, "clerk"))
    database.write(lambda s: cases.save_document(s, ref.id, doc, "clerk"))
    database.write(lambda s: cases.save_photo(s, ref.id, "live", photo.tobytes(), "clerk"))
    database.write(lambda s: cases.save_phone(s, ref.id, "13812345678", True, "clerk"))
    database.write(lambda s: cases.save_signature(s, ref.id, b"r", PNG, "ab" * 32, "2026.1", "clerk"))
    database.write(lambda s: cases.commit_case(s, ref.id, "clerk"))
    settings = load_settings(profiles=("demo",), environ={})
    with database.session() as session:
        data = receipt_data(session, ref.id, settings, "zh_CN", clerk_name="李警官")
    assert data.review_required and data.review_reasons == (
        "无法读取证件芯片照片，未能进行人脸比对。",)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_receipt(data))).pages)
    assert ref.number in text and "李秀兰" in text and "110105" in text
    assert "11010519491231002X" not in text  # masked on paper


def test_borderline_match_is_flagged(database: Database) -> None:
    ref = database.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, "S1", None, "clerk"))
    database.write(lambda s: cases.save_document(s, ref.id, card_document(chip_image=JPEG), "clerk"))
    database.write(lambda s: cases.save_face_match(s, ref.id, "clerk", score=62.0, threshold=60.0,
                                                   match=True, borderline=True))
    with database.session() as session:
        facts = cases.case_facts(session.get(Case, ref.id))
    assert [f.code for f in rules.evaluate("individual", facts)] == ["FACE_MATCH_BORDERLINE"]


def _returned(db: Database, note: str = "请补充清晰的现场照片") -> str:
    """A committed individual case that a supervisor returned for more information."""
    from datetime import UTC, datetime

    from station.db.models import ReviewDecision

    case_id = individual_until_signature(db, card_document(), match=None)
    db.write(lambda s: cases.commit_case(s, case_id, "clerk"))

    def returned(session: object) -> None:
        case = session.get(Case, case_id)  # type: ignore[attr-defined]
        case.review_status, case.state = ReviewStatus.RETURNED, CaseState.DECIDED
        case.decisions.append(ReviewDecision(decision=ReviewStatus.RETURNED, note=note,
                                             reviewer="sup1", decided_at=datetime.now(UTC)))

    db.write(returned)
    return case_id


def test_a_returned_case_is_resubmitted_by_the_same_person_and_reviewed(
    database: Database,
) -> None:
    original = _returned(database)
    ref = database.write(lambda s: cases.start_resubmission(s, original, "S1", None, "clerk"))
    assert ref.kind == CaseKind.INDIVIDUAL and ref.step == "document"
    # asking again while the draft is open carries on with the same draft
    again = database.write(lambda s: cases.start_resubmission(s, original, "S1", None, "clerk"))
    assert again.id == ref.id
    with pytest.raises(cases.WorkflowError, match=r"does not belong|不属于"):  # someone else's card
        database.write(lambda s: cases.save_document(s, ref.id, card_document("resident-male"),
                                                     "clerk"))
    database.write(lambda s: cases.save_document(s, ref.id, card_document(), "clerk"))
    database.write(lambda s: cases.save_photo(s, ref.id, "live", JPEG, "clerk", compliant=True))
    database.write(lambda s: cases.save_phone(s, ref.id, "13812345678", True, "clerk"))
    database.write(lambda s: cases.save_signature(s, ref.id, b"r", PNG, "ab" * 32, "2026.1",
                                                  "clerk"))
    result = database.write(lambda s: cases.commit_case(s, ref.id, "clerk"))
    assert "RESUBMISSION" in [f.code for f in result.flags]
    assert result.review_status == ReviewStatus.PENDING
    with database.session() as session:
        new, old = session.get(Case, ref.id), session.get(Case, original)
        assert new is not None and old is not None
        assert new.details["resubmission_of"]["note"] == "请补充清晰的现场照片"
        assert new.details["resubmission_of"]["number"] == old.number
        assert old.details["resubmitted_as"] == new.number
    with pytest.raises(cases.WorkflowError, match=r"already resubmitted|已重新提交"):
        database.write(lambda s: cases.start_resubmission(s, original, "S1", None, "clerk"))


def test_only_returned_cases_can_be_resubmitted_and_a_cancelled_attempt_frees_it(
    database: Database,
) -> None:
    approved = individual_until_signature(database, card_document(), match=None)
    database.write(lambda s: cases.commit_case(s, approved, "clerk"))
    with pytest.raises(cases.WorkflowError, match=r"Only a case returned|只有被退回"):
        database.write(lambda s: cases.start_resubmission(s, approved, "S1", None, "clerk"))
    original = _returned(database)
    first = database.write(lambda s: cases.start_resubmission(s, original, "S1", None, "clerk"))
    database.write(lambda s: cases.cancel_case(s, first.id, "clerk"))
    second = database.write(lambda s: cases.start_resubmission(s, original, "S1", None, "clerk"))
    assert second.id != first.id


def test_abandoned_self_service_visits_are_wiped_but_clerk_drafts_kept(database: Database) -> None:
    visit = database.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, "S1", None, "kiosk"))
    database.write(lambda s: cases.save_document(s, visit.id, card_document(), "kiosk"))
    clerk = individual_until_signature(database, card_document(), match=None)

    def clerk_owns(session: object) -> None:
        from station.db.models import Operator, Role

        operator = Operator(username="clerk9", display_name="窗口九", role=Role.CLERK,
                            password_hash="x")
        session.add(operator)  # type: ignore[attr-defined]
        session.flush()  # type: ignore[attr-defined]
        session.get(Case, clerk).operator_id = operator.id  # type: ignore[attr-defined]

    database.write(clerk_owns)
    assert database.write(lambda s: cases.cancel_abandoned_visits(s, "S1", "kiosk")) == 1
    with database.session() as session:
        gone, kept = session.get(Case, visit.id), session.get(Case, clerk)
        assert gone is not None and gone.state == CaseState.CANCELLED and not gone.people
        assert kept is not None and kept.state == CaseState.DRAFT


def _returned_with(db: Database, case_id: str, reason: str, note: str = "请补充") -> None:
    from datetime import UTC, datetime

    from station.db.models import ReviewDecision

    def returned(session: object) -> None:
        case = session.get(Case, case_id)  # type: ignore[attr-defined]
        case.review_status, case.state = ReviewStatus.RETURNED, CaseState.DECIDED
        case.decisions.append(ReviewDecision(decision=ReviewStatus.RETURNED, note=note,
                                             reason_code=reason, reviewer="sup1",
                                             decided_at=datetime.now(UTC)))

    db.write(returned)


def test_a_resubmission_asks_only_for_what_was_asked_and_carries_the_rest(
        database: Database) -> None:
    case_id = individual_until_signature(database, card_document(chip_image=JPEG), match=True)
    database.write(lambda s: cases.commit_case(s, case_id, "clerk"))
    _returned_with(database, case_id, "photo_noncompliant", "照片背景不合格")
    ref = database.write(lambda s: cases.start_resubmission(s, case_id, "S1", None, "clerk"))
    with database.session() as session:
        new = session.get(Case, ref.id)
        assert new is not None
        link = cases.resubmission_of(new)
        assert link is not None and link["steps"] == ["document", "photo", "agreement", "review"]
        assert link["carried"] == ["phone"]
        assert new.people[0].phone == "13812345678"  # filled in, with its verification
        assert new.details["phone"] == {"verified": True}
        assert not new.photos  # the photo was asked for: taken again
    database.write(lambda s: cases.save_document(s, ref.id, card_document(chip_image=JPEG),
                                                 "clerk"))
    with pytest.raises(cases.WorkflowError):
        database.write(lambda s: cases.commit_case(s, ref.id, "clerk"))  # no photo yet
    database.write(lambda s: cases.save_photo(s, ref.id, "live", JPEG, "clerk", compliant=True))
    database.write(lambda s: cases.save_signature(s, ref.id, b"r", PNG, "cd" * 32, "2026.1",
                                                  "clerk"))
    result = database.write(lambda s: cases.commit_case(s, ref.id, "clerk"))
    assert "RESUBMISSION" in {f.code for f in result.flags}
    assert "PHONE_NOT_VERIFIED" not in {f.code for f in result.flags}  # carried as verified


def test_an_organisation_returned_for_documents_keeps_photo_and_details(
        database: Database) -> None:
    ref = database.write(lambda s: cases.start_case(s, CaseKind.ORGANISATION, "S1", None, "c"))
    doc = card_document(chip_image=JPEG)
    database.write(lambda s: cases.save_document(s, ref.id, doc, "c", role="agent"))
    database.write(lambda s: cases.save_photo(s, ref.id, "live", JPEG, "c", compliant=True))
    database.write(lambda s: cases.save_organisation(s, ref.id, "某某科技有限公司",
                                                     "91350100M000100Y43", "c",
                                                     legal_representative="王建国"))
    for kind in ("business_licence", "power_of_attorney"):
        database.write(lambda s, k=kind: cases.save_scan(s, ref.id, k, JPEG, "c"))
    database.write(lambda s: cases.save_phone(s, ref.id, "13912345678", True, "c"))
    database.write(lambda s: cases.save_signature(s, ref.id, b"r", PNG, "ab" * 32, "2026.1", "c",
                                                  signer_role="agent"))
    database.write(lambda s: cases.commit_case(s, ref.id, "c"))
    _returned_with(database, ref.id, "organisation_documents", "营业执照不清晰")
    again = database.write(lambda s: cases.start_resubmission(s, ref.id, "S1", None, "c"))
    with database.session() as session:
        new = session.get(Case, again.id)
        assert new is not None
        link = cases.resubmission_of(new)
        assert link is not None and link["steps"] == ["document", "scans", "agreement", "review"]
        assert set(link["carried"]) == {"photo", "organisation", "phone"}
        assert [p.purpose for p in new.photos] == ["live"] and not new.scans
        assert new.personal["legal_representative"] == "王建国"
    database.write(lambda s: cases.save_document(s, again.id, doc, "c", role="agent"))
    for kind in ("business_licence", "power_of_attorney"):
        database.write(lambda s, k=kind: cases.save_scan(s, again.id, k, JPEG, "c"))
    database.write(lambda s: cases.save_signature(s, again.id, b"r", PNG, "ef" * 32, "2026.1",
                                                  "c", signer_role="agent"))
    assert database.write(lambda s: cases.commit_case(s, again.id, "c")).number == again.number


def test_a_reason_without_a_narrower_meaning_asks_for_everything(database: Database) -> None:
    case_id = individual_until_signature(database, card_document(chip_image=JPEG), match=True)
    database.write(lambda s: cases.commit_case(s, case_id, "clerk"))
    _returned_with(database, case_id, "other")
    ref = database.write(lambda s: cases.start_resubmission(s, case_id, "S1", None, "clerk"))
    with database.session() as session:
        new = session.get(Case, ref.id)
        link = cases.resubmission_of(new)  # type: ignore[arg-type]
        assert link is not None and link["steps"] == list(cases.STEPS[CaseKind.INDIVIDUAL])
        assert link["carried"] == [] and new.people[0].phone == "13812345678"  # type: ignore[union-attr]

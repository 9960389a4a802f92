"""The clerk's case list in the core: search by identity number, name or case number, the
cases not yet sent, returned ones with the note, and the clerk's count for today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from station.db.database import Database
from station.db.models import (
    Case,
    CaseState,
    Operator,
    OutboxItem,
    OutboxState,
    ReviewDecision,
    ReviewStatus,
    Role,
)
from station.workflows import case_list, cases
from tests.unit.test_workflow_cases import card_document, individual_until_signature

JPEG = b"\xff\xd8\xff\xe0" + b"photo" * 100


def _clerk(db: Database, name: str) -> str:
    def add(session: object) -> str:
        op = Operator(username=name, display_name=name, role=Role.CLERK, password_hash="-")
        session.add(op)  # type: ignore[attr-defined]
        session.flush()  # type: ignore[attr-defined]
        return op.id

    return db.write(add)


def test_search_finds_by_identity_number_name_or_case_number(database: Database) -> None:
    first = individual_until_signature(database, card_document("resident"), match=None)
    second = individual_until_signature(database, card_document("resident-male"), match=None)
    for case_id in (first, second):
        database.write(lambda s, c=case_id: cases.commit_case(s, c, "clerk"))
    with database.session() as session:
        everything = case_list.list_cases(session, "S1")
        assert [row.id for row in everything] == [second, first]  # newest first
        named = {row.applicant: row for row in everything}
        number_of = {row.id: session.get(Case, row.id).people[0].documents[0].number  # type: ignore[union-attr]
                     for row in everything}
        target = everything[1]
        assert target.masked_id and "*" in target.masked_id
        assert number_of[first] not in target.masked_id  # masked, never whole
        by_number = case_list.list_cases(session, "S1", number_of[first])
        assert [row.id for row in by_number] == [first]
        by_name = case_list.list_cases(session, "S1", target.applicant[:2])
        assert first in [row.id for row in by_name]
        by_case = case_list.list_cases(session, "S1", target.number[-6:])
        assert [row.id for row in by_case] == [first]
        assert case_list.list_cases(session, "S1", "没有这个人") == []
        assert len(named) == 2


def test_unsent_returned_and_todays_count(database: Database) -> None:
    clerk = _clerk(database, "wang")
    ids = []
    for _ in range(3):
        case_id = individual_until_signature(database, card_document(), match=None)
        database.write(lambda s, c=case_id: setattr(s.get(Case, c), "operator_id", clerk))
        database.write(lambda s, c=case_id: cases.commit_case(s, c, "clerk"))
        ids.append(case_id)

    def delivered_and_returned(session: object) -> None:
        item = session.scalar(select(OutboxItem).where(OutboxItem.case_id == ids[0]))  # type: ignore[attr-defined]
        item.state, item.delivered_at = OutboxState.DELIVERED, datetime.now(UTC)
        case = session.get(Case, ids[0])  # type: ignore[attr-defined]
        case.state, case.review_status = CaseState.DECIDED, ReviewStatus.RETURNED
        case.decisions.append(ReviewDecision(decision=ReviewStatus.RETURNED, reviewer="sup",
                                             reason_code="photo_noncompliant",
                                             note="照片背景不是白色，请重新拍摄。" * 3,
                                             decided_at=datetime.now(UTC)))
        failing = session.scalar(select(OutboxItem).where(OutboxItem.case_id == ids[1]))  # type: ignore[attr-defined]
        failing.last_error = "connection refused"

    database.write(delivered_and_returned)
    with database.session() as session:
        unsent = case_list.list_cases(session, "S1", only="unsent")
        assert {row.id for row in unsent} == {ids[1], ids[2]}
        assert next(r for r in unsent if r.id == ids[1]).send_error == "connection refused"
        assert case_list.unsent_count(session) == 2
        (returned,) = case_list.list_cases(session, "S1", only="returned")
        assert returned.id == ids[0] and returned.note == "照片背景不是白色，请重新拍摄。" * 3
        assert returned.decision_reason == "photo_noncompliant" and not returned.unsent
        assert case_list.count_today(session, clerk) == 3
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        assert case_list.count_today(session, clerk, tomorrow) == 0
        assert case_list.count_today(session, "someone else") == 0


def test_todays_count_follows_the_beijing_day(database: Database) -> None:
    clerk = _clerk(database, "li")
    case_id = individual_until_signature(database, card_document(), match=None)
    database.write(lambda s: setattr(s.get(Case, case_id), "operator_id", clerk))
    database.write(lambda s: cases.commit_case(s, case_id, "clerk"))
    early = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 07:30 on the 24th in Beijing
    database.write(lambda s: setattr(s.get(Case, case_id), "committed_at", early))
    with database.session() as session:
        assert case_list.count_today(session, clerk, datetime(2026, 11, 24, 4, 0, tzinfo=UTC)) == 1
        assert case_list.count_today(session, clerk, datetime(2026, 11, 23, 10, 0, tzinfo=UTC)) == 0

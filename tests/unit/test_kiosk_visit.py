"""The kiosk visit state machine (station/workflows/visit.py) without Qt: whole visits on a
real database, real face images through the real matcher, real signature records.

``Host`` carries out the visit's commands as the kiosk does, one at a time in the order they
come (database work on the writer, background work inline), and records the device
commands; a test plays the person and the devices by calling the visit's inputs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import cv2
import pytest
from sqlalchemy import select

from station.config import Settings
from station.db.database import Database
from station.db.models import Case, CaseKind, CaseState, ReviewStatus
from station.events import CaseChanged, EventBus
from station.liveness import ChallengeKind, ChallengeResult, FailReason, LivenessVerdict
from station.signature.record import create_record
from station.workflows.visit import (
    CAMERA_FAILED,
    FACE_MISMATCH,
    Command,
    Compute,
    Finished,
    KioskVisit,
    Read,
    ReadCard,
    Say,
    Screen,
    StartLiveness,
    StopLiveness,
    Store,
    VisitState,
    card_shown,
)
from tests.helpers.cards import card_on_desk
from tests.unit.test_sigpad_record import handwriting
from tests.unit.test_workflow_cases import card_document


class Host:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.pending: deque[Command] = deque()
        self.devices: list[Command] = []  # ReadCard, StartLiveness, StopLiveness, Finished
        self.refuse: Callable[[Store], bool] = lambda _store: False
        self.changes = 0

    def __call__(self, command: Command) -> None:
        self.pending.append(command)

    def changed(self) -> None:
        self.changes += 1

    def run(self) -> None:
        while self.pending:
            command = self.pending.popleft()
            try:
                if isinstance(command, Store):
                    if self.refuse(command):
                        raise RuntimeError("the database is full")
                    result = self.database.write(command.work)
                elif isinstance(command, Read):
                    with self.database.session() as session:
                        result = command.work(session)
                elif isinstance(command, Compute):
                    result = command.work()
                else:
                    self.devices.append(command)
                    continue
            except Exception as exc:
                command.failed(exc)
                continue
            command.then(result)

    def last(self, kind: type) -> Command:
        return next(c for c in reversed(self.devices) if isinstance(c, kind))


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def db(tmp_path: Path, bus: EventBus):  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", tmp_path / "data.key", bus)
    yield database
    database.close()


def visit_on(db: Database, service: str) -> tuple[KioskVisit, Host]:
    host = Host(db)
    visit = KioskVisit(service, Settings(), host, changed=host.changed)
    visit.start()
    host.run()
    return visit, host


def live(reason: FailReason | None = None) -> LivenessVerdict:
    challenges = [ChallengeResult(ChallengeKind.BLINK, passed=reason is None, reason=reason)]
    return LivenessVerdict(reason is None, reason, challenges, identity_checked=True,
                           duration_s=6.5)


def case_of(db: Database, number: str) -> Case:
    with db.session() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert case is not None
        _ = (case.people, case.photos, case.scans, case.signatures)
        return case


def sign(visit: KioskVisit, host: Host) -> None:
    assert visit.state is VisitState.SIGN and visit.agreement is not None
    version, text = visit.agreement
    visit.signed(create_record(handwriting(), visit.case_id or "", text, version))
    host.run()


def test_registration_with_a_face_match_card_to_receipt(db: Database, bus: EventBus,
                                                        faces_dir: Path) -> None:
    heard: list[CaseChanged] = []
    bus.subscribe(CaseChanged, heard.append)
    people = faces_dir / "verification" / "obama"
    chip, face = (people / "obama.jpg").read_bytes(), (people / "obama2.jpg").read_bytes()
    visit, host = visit_on(db, "individual")
    assert (visit.state, visit.screen) == (VisitState.CARD, Screen.CARD)
    assert isinstance(host.devices[-1], ReadCard)  # a card already on the reader is read

    document = card_document(chip_image=chip)
    visit.card_read(document)
    assert visit.state is VisitState.READING and visit.notice and visit.notice.say is Say.READING
    visit.card_read(document)  # the reader reports the same card again: ignored
    host.run()
    assert visit.case_number and visit.state is VisitState.WELCOME
    # the person sees the card's data, masked, and confirms it is theirs
    assert visit.card == card_shown(document) and visit.notice.say is Say.WELCOME
    assert visit.card.name.startswith(document.name[0]) and "*" in visit.card.name
    assert visit.card.number == document.number[:6] + "********" + document.number[-4:]
    assert not any(isinstance(c, StartLiveness) for c in host.devices)
    visit.proceed()
    host.run()
    assert visit.state is VisitState.LIVENESS
    start = host.last(StartLiveness)
    assert isinstance(start, StartLiveness) and (start.attempt, start.of) == (1, 3)

    taken = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    camera = {"name": "/dev/video0", "model": "HD Pro Webcam C920", "backend": "v4l2",
              "format": "1280x720@30", "simulated": False}
    visit.liveness_finished(live(), face, captured_at=taken, camera=camera)
    assert visit.state is VisitState.CHECKING and visit.notice.say is Say.COMPARING
    host.run()
    assert (visit.state, visit.screen) == (VisitState.MATCHED, Screen.MATCHED)
    visit.proceed()
    host.run()
    assert visit.screen is Screen.PHONE
    visit.phone_entered("12345")
    assert visit.notice.say is Say.BAD_PHONE and visit.notice.detail
    visit.phone_entered("13812345678")
    host.run()
    assert visit.screen is Screen.SIGN and visit.agreement is not None
    assert heard == []  # nothing committed yet
    sign(visit, host)

    assert (visit.state, visit.screen) == (VisitState.DONE, Screen.DONE)
    assert visit.committed and visit.document is None  # the kiosk forgets the person
    assert visit.receipt.case_number == visit.case_number
    assert visit.receipt.clerk_name == "自助服务终端"
    assert visit.route == ["card", "liveness", "matched", "phone", "sign", "done"]
    assert [visit.step_number(s) for s in visit.route] == [1, 2, 0, 3, 4, 0]
    case = case_of(db, visit.case_number)
    assert case.state is CaseState.COMMITTED and case.kind is CaseKind.INDIVIDUAL
    assert case.operator_id is None and case.flags == ["PHONE_NOT_VERIFIED"]  # no SMS here
    assert case.details["face_match"]["match"] is True and case.people[0].phone == "13812345678"
    assert [p.purpose for p in case.photos] == ["live"]
    assert case.photos[0].quality_report["liveness"]["live"] is True
    assert case.photos[0].camera == camera  # the live frame's evidence
    assert case.photos[0].captured_at.replace(tzinfo=UTC) == taken
    assert [(e.case_id, e.state) for e in heard] == [(case.id, "committed")]

    visit.finish()
    host.run()
    assert visit.closed and isinstance(host.devices[-1], Finished)
    assert case_of(db, visit.case_number).state is CaseState.COMMITTED  # kept, not cancelled


def test_three_failed_checks_switch_to_a_manual_review_with_the_same_card(
        db: Database, faces_dir: Path) -> None:
    chip = (faces_dir / "verification" / "obama" / "obama.jpg").read_bytes()
    someone_else = (faces_dir / "verification" / "biden" / "biden.jpg").read_bytes()
    visit, host = visit_on(db, "individual")
    visit.card_read(card_document(chip_image=chip))
    host.run()
    visit.proceed()  # the person confirms the card shown
    host.run()
    first = visit.case_number

    visit.liveness_finished(live(FailReason.STATIC_IMAGE), None)
    host.run()
    assert visit.state is VisitState.RETRY and visit.attempts == 1
    assert (visit.notice.say, visit.notice.why, visit.notice.left) == (
        Say.TRY_AGAIN, "static_image", 2)
    visit.liveness_finished(live(), someone_else)  # no attempt runs: ignored
    visit.retry()
    host.run()
    assert visit.state is VisitState.LIVENESS and host.last(StartLiveness).attempt == 2
    visit.liveness_finished(live(), someone_else)  # live, but another person's face
    host.run()
    assert visit.attempts == 2 and visit.notice.why == FACE_MISMATCH and visit.notice.left == 1
    visit.retry()
    visit.liveness_failed("camera unplugged")
    host.run()
    assert (visit.state, visit.screen) == (VisitState.FALLBACK, Screen.MANUAL_REVIEW)

    visit.proceed()
    assert visit.state is VisitState.SWITCHING
    host.run()
    assert visit.kind is CaseKind.MANUAL_REVIEW and visit.screen is Screen.SCANS
    assert visit.parts == ("id_front", "id_back", "live") and visit.part == "id_front"
    visit.capture(None)
    assert visit.notice.say is Say.NO_PICTURE and visit.state is VisitState.SCANS
    frame = cv2.imread(str(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg"))
    visit.capture(card_on_desk())  # the front: a card, edges and ID-1 proportions
    visit.capture(card_on_desk())  # a second touch while saving does nothing
    host.run()
    assert visit.part == "id_back" and visit.notice.say is Say.TAKEN
    visit.capture(frame)  # the back: no card in the picture, asked once more
    host.run()
    assert (visit.part, visit.notice.say, visit.state) == ("id_back", Say.NOT_A_CARD,
                                                           VisitState.SCANS)
    assert visit.taken is not None  # shown, so the person sees what was wrong
    visit.capture(frame)  # again no card: kept, saying so for the supervisor
    host.run()
    assert visit.part == "live"
    visit.capture(frame)
    host.run()
    assert visit.screen is Screen.PHONE
    visit.phone_entered("13912345678")
    host.run()
    assert visit.state is VisitState.DONE  # no agreement in a manual review
    # the scans after the live check are step 3, the phone step 4: no number twice
    assert [(s, visit.step_number(s)) for s in ("card", "liveness", "scans", "phone")] == [
        ("card", 1), ("liveness", 2), ("scans", 3), ("phone", 4)]

    withdrawn = case_of(db, first)
    assert withdrawn.state is CaseState.CANCELLED and withdrawn.people == []
    case = case_of(db, visit.case_number)
    assert case.kind is CaseKind.MANUAL_REVIEW and case.review_status is ReviewStatus.PENDING
    assert {s.kind for s in case.scans} == {"id_front", "id_back"}
    quality = {s.kind: s.quality for s in case.scans}
    assert quality["id_front"]["card_shape"]["looks_like_card"] is True
    assert "override_reason" not in quality["id_front"]
    assert quality["id_back"]["card_shape"]["looks_like_card"] is False
    assert "自助" in quality["id_back"]["override_reason"]  # in the supervisor's language
    assert [p.purpose for p in case.photos] == ["live"] and case.people[0].name
    assert "FACE_RECOGNITION_FAILED" in case.flags


def test_camera_failures_count_as_attempts(db: Database) -> None:
    visit, host = visit_on(db, "individual")
    visit.card_read(card_document())
    host.run()
    visit.proceed()  # the person confirms the card shown
    host.run()
    visit.liveness_failed("no frames")
    host.run()
    assert visit.notice.why == CAMERA_FAILED and isinstance(host.devices[-1], StopLiveness)


def test_without_a_chip_photo_the_person_is_told_a_supervisor_will_look(
        db: Database, faces_dir: Path) -> None:
    face = (faces_dir / "verification" / "obama" / "obama2.jpg").read_bytes()
    visit, host = visit_on(db, "individual")
    visit.card_read(card_document())  # the demo reader's chip photo cannot be decoded
    host.run()
    visit.proceed()  # the person confirms the card shown
    host.run()
    visit.liveness_finished(live(), face)
    host.run()
    assert visit.screen is Screen.NO_CHIP_PHOTO
    with db.session() as session:
        match = session.get(Case, visit.case_id).details["face_match"]
    assert match["reason"] == "chip_photo_unavailable"


def test_elicence_photo_is_used_only_once_saved(db: Database, faces_dir: Path) -> None:
    photo = (faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes()
    visit, host = visit_on(db, "elicence")
    visit.card_read(card_document())
    host.run()
    visit.proceed()  # the person confirms the card shown
    host.run()
    assert visit.screen is Screen.PHOTO and not visit.photo_ready
    visit.use_photo()  # nothing taken yet
    assert visit.state is VisitState.PHOTO
    visit.photo_captured(photo, "cn-driving-licence", {"verdict": "compliant"})
    assert not visit.photo_ready  # until it is stored
    host.run()
    assert visit.photo_ready
    visit.photo_discarded()  # "take it again"
    assert not visit.photo_ready
    visit.photo_captured(photo, "cn-driving-licence", {"verdict": "compliant"})
    host.run()
    visit.use_photo()
    host.run()
    # the result of an e-licence application comes by SMS: the number is asked next
    assert (visit.state, visit.screen) == (VisitState.PHONE, Screen.PHONE)
    visit.phone_entered("1391234")
    assert visit.notice.say is Say.BAD_PHONE and visit.state is VisitState.PHONE
    visit.phone_entered("13912345678")
    host.run()
    assert visit.state is VisitState.DONE
    assert visit.route == ["card", "photo", "phone", "done"]
    assert [visit.step_number(s) for s in visit.route] == [1, 2, 3, 0]
    case = case_of(db, visit.case_number)
    assert case.kind is CaseKind.ELICENCE_PHOTO and [p.purpose for p in case.photos] == ["elicence"]
    assert case.photos[0].profile == "cn-driving-licence" and case.photos[0].compliant
    assert case.people[0].phone == "13912345678"
    assert case.details["phone"]["verified"] is False  # no SMS code at a kiosk


def test_a_visit_ended_while_its_case_is_created_leaves_no_draft(db: Database) -> None:
    visit, host = visit_on(db, "individual")
    visit.card_read(card_document())
    assert isinstance(host.pending[-1], Store)  # start_case queued, not yet run
    visit.abandon()
    host.run()
    with db.session() as session:
        assert list(session.scalars(select(Case.state))) == [CaseState.CANCELLED]
    assert visit.state is VisitState.CLOSED and visit.document is None
    before = len(host.devices)
    visit.retry()
    visit.liveness_finished(live(), b"late")
    visit.phone_entered("13812345678")
    host.run()
    assert len(host.devices) == before and not host.pending


def test_cancel_wipes_the_case_and_ends_the_visit(db: Database) -> None:
    visit, host = visit_on(db, "individual")
    visit.card_read(card_document())
    host.run()
    number = visit.case_number
    visit.cancel()
    host.run()
    assert isinstance(host.devices[-1], Finished)
    case = case_of(db, number)
    assert case.state is CaseState.CANCELLED and case.people == [] and case.purged_at


@pytest.mark.error_logs_expected(r"kiosk step failed: the database is full")
def test_a_failed_save_says_so_and_the_person_can_try_again(db: Database,
                                                            faces_dir: Path) -> None:
    visit, host = visit_on(db, "individual")
    host.refuse = lambda store: True
    visit.card_read(card_document())
    host.run()
    assert visit.state is VisitState.CARD and visit.notice.say is Say.FAILED
    assert "full" in visit.notice.detail
    host.refuse = lambda store: False
    visit.card_read(card_document())  # placed again
    host.run()
    visit.proceed()  # the person confirms the card shown
    host.run()
    visit.liveness_finished(live(), (faces_dir / "verification" / "obama" / "obama2.jpg")
                            .read_bytes())
    host.run()
    visit.proceed()
    host.run()
    commits = iter([True, False])  # the first commit fails, the signing is offered again
    host.refuse = lambda store: store.then == visit._committed and next(commits)
    visit.phone_entered("13812345678")
    host.run()
    sign(visit, host)
    assert visit.state is VisitState.SIGN and visit.notice.say is Say.FAILED
    assert visit.route[-2:] == ["sign", "sign"]
    sign(visit, host)
    assert visit.state is VisitState.DONE


def test_signing_timeout_gives_a_fresh_page_and_cancel_ends_the_visit(
        db: Database, faces_dir: Path) -> None:
    visit, host = visit_on(db, "individual")
    visit.card_read(card_document())
    host.run()
    visit.proceed()  # the person confirms the card shown
    host.run()
    visit.liveness_finished(live(), (faces_dir / "verification" / "obama" / "obama2.jpg")
                            .read_bytes())
    host.run()
    visit.proceed()
    visit.phone_entered("13812345678")
    host.run()
    visit.signing_ended(by_the_person=False)
    host.run()
    assert visit.state is VisitState.SIGN and visit.route.count("sign") == 2
    visit.signing_ended(by_the_person=True)
    host.run()
    assert visit.closed and isinstance(host.devices[-1], Finished)
    assert case_of(db, visit.case_number).state is CaseState.CANCELLED


def test_the_card_is_shown_masked_and_unknown_services_refused() -> None:
    document = card_document()
    shown = card_shown(document)
    assert (shown.name, shown.number, shown.valid_to) == ("李**", "110105********002X", "")
    dated = card_shown(replace(document, valid_to=date(2036, 5, 1)))
    assert dated.valid_to == "2036-05-01"  # a dated card says until when; "" is long-term
    with pytest.raises(ValueError, match="organisation"):
        KioskVisit("organisation", Settings(), lambda _c: None)


def test_an_expired_card_is_sent_to_a_service_window(db: Database) -> None:
    """Using an expired card needs a clerk's confirmation with a reason: the kiosk has no
    clerk, so it starts no case and says where to go."""
    visit, host = visit_on(db, "individual")
    expired = card_document("expired")
    visit.card_read(expired)
    assert (visit.state, visit.notice.say) == (VisitState.CARD, Say.CARD_NOT_VALID)
    assert visit.notice.detail == expired.valid_to.isoformat() and not host.pending
    host.run()
    with db.session() as session:
        assert list(session.scalars(select(Case))) == []
    visit.card_read(card_document())  # the person's valid card: the visit goes on
    host.run()
    assert visit.state is VisitState.WELCOME and visit.case_id

    dated = replace(card_document(), valid_to=date(2036, 5, 1))
    later = KioskVisit("elicence", Settings(), host, today=lambda: date(2036, 5, 2))
    later.start()
    later.card_read(dated)  # judged by the terminal's (Beijing) date
    assert later.notice.say is Say.CARD_NOT_VALID and later.case_id is None

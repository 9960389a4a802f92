"""Self-service kiosk flows in demo mode: simulated reader, the portrait replayed as the
camera, signatures on the touch screen.

Liveness: the complete registration drives the real LivenessSession with a scripted landmark
sequence made from the real portrait (station.liveness.synthetic), since a replayed still
image is - rightly - never live. The fallback test uses the real LivenessRunner on that still
image: it is refused three times, and the kiosk switches to the manual-review route.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from sqlalchemy import select

from station.db.models import Case, CaseKind, CaseState
from station.face import FaceLandmarker, FaceLandmarks
from station.liveness import LivenessSession, SessionState, random_challenges
from station.liveness.synthetic import respond, scripted_sequence
from station.workflows.visit import VisitState
from tests.ui.conftest import sign_on_canvas
from ui.kiosk.session import KioskSession
from ui.kiosk.window import KioskWindow


def shot(widget: QWidget, tmp_path: Path, name: str) -> None:
    """Screenshots for a human look (KIOSK_SHOTS=dir keeps them)."""
    folder = Path(os.environ.get("KIOSK_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(folder / f"{name}.png"))


@pytest.fixture(scope="module")
def portrait_face() -> Iterator[FaceLandmarks]:
    from tests.conftest import FACES_DIR as faces_dir

    if not faces_dir.is_dir():
        pytest.skip("face images not present")
    with FaceLandmarker(static_images=True, max_faces=1) as landmarker:
        image = cv2.imread(str(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg"))
        faces = landmarker.detect(image, max_side=640)
    assert faces
    yield faces[0]


class ScriptedPerson:
    """A LivenessEngine whose landmarks come from a cooperative person's scripted answers to
    the session's random challenges; the session itself is the real one, default config.
    Three scripted frames per camera frame keep the test short (timestamps are scripted)."""

    def __init__(self, face: FaceLandmarks, seed: int = 5) -> None:
        challenges = random_challenges(3, seed)
        self.session = LivenessSession(challenges)
        actions = respond([c.kind for c in challenges])
        self._frames = iter(scripted_sequence(face, actions, seconds=14, seed=seed))

    def process(self, frame: np.ndarray, timestamp: float | None = None) -> SessionState:
        state = self.session.state
        for _ in range(3):
            scripted = next(self._frames, None)
            if scripted is None:
                self.session.end_of_input()
                return self.session.state
            state = self.session.feed(scripted[0], scripted[1])
            if state.finished:
                break
        return state

    def poll(self, now: float | None = None) -> SessionState:
        return self.session.state  # scripted time only moves with frames

    def confirm_same_person(self, frame: np.ndarray) -> bool:
        return True  # scripted landmarks carry no identity to compare

    def close(self) -> None:
        pass


def ensure_admin(runtime) -> None:  # type: ignore[no-untyped-def]
    """A kiosk serves nobody until it has an administrator (tests/ui/test_kiosk_shell.py)."""
    if not runtime.accounts.kiosk_admin_ready():
        runtime.accounts.create_kiosk_admin("kioskadmin", "终端管理员", "Temple-gate-58", "test")


def _window(qtbot, runtime, **kwargs) -> KioskWindow:  # type: ignore[no-untyped-def]
    ensure_admin(runtime)
    window = KioskWindow(runtime, **kwargs)
    qtbot.addWidget(window)
    window.resize(1280, 1024)
    window.show()
    return window


def _case(runtime, number: str) -> Case:  # type: ignore[no-untyped-def]
    with runtime.db.session() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert case is not None
        _ = (case.people, case.photos, case.scans, case.signatures, case.flags)
        return case


def confirm_card(qtbot, session) -> str:  # type: ignore[no-untyped-def]
    """The card is read and shown masked; the person touches Continue. Returns what the
    card screen showed."""
    card = session.screens["card"]
    qtbot.waitUntil(lambda: card.continue_button.isVisible(), timeout=20_000)
    shown = card.card_data.text()
    qtbot.mouseClick(card.continue_button, Qt.MouseButton.LeftButton)
    return shown


def _texts(widget: QWidget) -> str:
    parts = [label.text() for label in widget.findChildren(QLabel)]
    parts += [edit.text() for edit in widget.findChildren(QLineEdit)]
    return "\n".join(parts)


def test_self_service_registration_card_to_receipt(qtbot, live_runtime, portrait_face,
                                                    tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, live_runtime, liveness_factory=lambda: ScriptedPerson(portrait_face))
    shot(window, tmp_path, "01-attract")
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    session = window.session
    assert session is not None
    shot(window, tmp_path, "02-card")
    qtbot.waitUntil(lambda: session.case_id is not None, timeout=20_000)
    card = session.screens["card"]
    qtbot.waitUntil(lambda: card.continue_button.isVisible(), timeout=20_000)
    name, number = session.document.display_name, session.document.number
    shown = card.card_data.text()
    shot(window, tmp_path, "02b-card-read")
    # the card's data, masked: the surname and marks, the region code and the last four
    assert name[0] + "*" * (len(name) - 1) in shown and name not in shown
    assert number[:6] + "*" * 8 + number[-4:] in shown and number not in shown
    assert "*" in card.message.text() and name not in card.message.text()
    assert session.current_key() == "card"  # nothing goes on until the person confirms
    qtbot.mouseClick(card.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.current_key() == "liveness", timeout=5000)
    screen = session.screens["liveness"]
    assert screen.heading.text().startswith("第2步")
    qtbot.waitUntil(lambda: "1" in screen.progress.text(), timeout=10_000)
    shot(window, tmp_path, "03-liveness")

    # demo reader: the chip photo cannot be decoded, so no face match - said kindly
    qtbot.waitUntil(lambda: session.current_key() == "noChipPhoto", timeout=30_000)
    shot(window, tmp_path, "04-no-chip-photo")
    qtbot.mouseClick(session.screens["noChipPhoto"].next_button, Qt.MouseButton.LeftButton)

    phone = session.screens["phone"]
    assert phone.heading.text().startswith("第3步")
    phone.keypad.type_text("12345")
    qtbot.mouseClick(phone.confirm_button, Qt.MouseButton.LeftButton)
    assert phone.message.text() and session.current_key() == "phone"
    qtbot.mouseClick(phone.keypad.clear_key, Qt.MouseButton.LeftButton)
    for digit in "13812345678":
        qtbot.mouseClick(phone.keypad.keys[digit], Qt.MouseButton.LeftButton)
    assert phone.number.text() == "138 1234 5678"
    shot(window, tmp_path, "05-phone")
    qtbot.mouseClick(phone.confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: session.current_key() == "sign", timeout=10_000)
    sign = session.screens["sign"]
    assert sign.heading.text().startswith("第4步")
    qtbot.waitUntil(lambda: sign.widget is not None, timeout=10_000)
    sign_on_canvas(qtbot, sign.widget.canvas)
    shot(window, tmp_path, "06-sign")
    sign.widget.try_accept()

    qtbot.waitUntil(lambda: session.current_key() == "done", timeout=20_000)
    done = session.screens["done"]
    qtbot.waitUntil(lambda: done.receipt.pdf() is not None, timeout=30_000)
    shot(window, tmp_path, "07-done")
    assert session.case_number in done.summary.text()

    case = _case(live_runtime, session.case_number)
    assert case.state in (CaseState.COMMITTED, CaseState.SYNCED) and case.kind == CaseKind.INDIVIDUAL
    assert case.operator_id is None
    assert "CHIP_PHOTO_UNAVAILABLE" in case.flags
    assert [p.purpose for p in case.photos] == ["live"] and case.signatures
    assert case.people[0].phone == "13812345678"
    assert case.photos[0].quality_report["liveness"]["live"] is True
    live = case.photos[0]  # evidence: when and by which camera the frame was taken
    assert live.captured_at is not None and live.camera is not None
    assert live.camera["simulated"] is True and live.camera["name"].endswith(".jpg")

    qtbot.mouseClick(done.finish_button, Qt.MouseButton.LeftButton)
    assert window.session is None and window.stack.currentWidget() is window.attract
    qtbot.waitUntil(lambda: not window.findChildren(KioskSession), timeout=5000)


def test_three_failed_liveness_attempts_switch_to_manual_review(qtbot, live_runtime,
                                                                tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, live_runtime)  # the real liveness engine
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    session = window.session
    qtbot.waitUntil(lambda: session.case_id is not None, timeout=20_000)
    confirm_card(qtbot, session)
    first_number = session.case_number
    for attempt in range(1, 3):
        qtbot.waitUntil(lambda n=attempt: session.attempts == n, timeout=30_000)
        screen = session.screens["liveness"]
        assert screen.retry_button.isVisible()
        assert "动作" in screen.message.text()  # a kind reason, in the default language
        if attempt == 1:
            shot(window, tmp_path, "08-liveness-failed")
        qtbot.mouseClick(screen.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.current_key() == "manualReview", timeout=30_000)
    shot(window, tmp_path, "09-manual-review-notice")
    qtbot.mouseClick(session.screens["manualReview"].next_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: session.current_key() == "scans", timeout=10_000)
    scans = session.screens["scans"]
    assert scans.heading.text().startswith("第3步")  # after the live check, step 2
    qtbot.waitUntil(lambda: scans.preview.latest() is not None, timeout=10_000)
    for part in ("id_front", "id_back", "live"):
        qtbot.waitUntil(lambda p=part: scans.part == p and scans.capture_button.isEnabled(),
                        timeout=15_000)
        if part == "id_back":
            shot(window, tmp_path, "10-scan")
        qtbot.mouseClick(scans.capture_button, Qt.MouseButton.LeftButton)
        if part != "live":  # the replayed portrait has no card in it: asked once more
            qtbot.waitUntil(lambda: "四条边" in scans.message.text()
                            and scans.capture_button.isEnabled(), timeout=15_000)
            assert scans.part == part
            qtbot.mouseClick(scans.capture_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.current_key() == "phone", timeout=15_000)
    assert session.screens["phone"].heading.text().startswith("第4步")
    session.screens["phone"].keypad.type_text("13912345678")
    qtbot.mouseClick(session.screens["phone"].confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.current_key() == "done", timeout=20_000)

    withdrawn = _case(live_runtime, first_number)
    assert withdrawn.state == CaseState.CANCELLED and withdrawn.people == []
    case = _case(live_runtime, session.case_number)
    assert case.kind == CaseKind.MANUAL_REVIEW and case.state in (CaseState.COMMITTED, CaseState.SYNCED)
    assert {s.kind for s in case.scans} == {"id_front", "id_back"}
    assert all(s.quality["card_shape"]["looks_like_card"] is False and
               s.quality["override_reason"] for s in case.scans)  # kept, saying why
    assert [p.purpose for p in case.photos] == ["live"]
    assert case.photos[0].captured_at is not None and case.photos[0].camera["simulated"]
    assert case.review_status.value == "pending"


def test_idle_visit_is_wiped(qtbot, live_runtime, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, live_runtime, idle_timeout_ms=1500, warning_seconds=2)
    window.set_language("en")
    qtbot.mouseClick(window.attract.photo_button, Qt.MouseButton.LeftButton)
    session = window.session
    qtbot.waitUntil(lambda: session.case_id is not None, timeout=20_000)
    number = session.case_number
    name = session.document.display_name
    confirm_card(qtbot, session)
    qtbot.waitUntil(lambda: session.current_key() == "photo", timeout=5000)
    shot(window, tmp_path, "11-elicence-photo")
    qtbot.waitUntil(lambda: window.warning.isVisible(), timeout=10_000)
    shot(window, tmp_path, "12-idle-warning")
    qtbot.waitUntil(lambda: window.session is None, timeout=10_000)

    assert window.stack.currentWidget() is window.attract
    assert window.zh_button.isChecked()  # back to the default language for the next person
    qtbot.waitUntil(lambda: not window.findChildren(KioskSession), timeout=5000)
    texts = _texts(window)
    assert name not in texts and name[:1] + "*" not in texts and number not in texts
    assert session.document is None and not session.screens
    qtbot.waitUntil(lambda: _case(live_runtime, number).state == CaseState.CANCELLED,
                    timeout=5000)
    case = _case(live_runtime, number)
    assert case.people == [] and case.photos == [] and case.purged_at is not None


def test_touch_during_the_warning_keeps_the_visit(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, live_runtime, idle_timeout_ms=1000, warning_seconds=30)
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    session = window.session
    qtbot.waitUntil(lambda: window.warning.isVisible(), timeout=10_000)
    qtbot.mouseClick(window.warning.continue_button, Qt.MouseButton.LeftButton)
    assert not window.warning.isVisible() and window.session is session
    qtbot.mouseClick(session.screens["card"].cancel_button, Qt.MouseButton.LeftButton)
    assert window.session is None


def test_self_service_elicence_photo(qtbot, live_runtime, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, live_runtime)
    qtbot.mouseClick(window.attract.photo_button, Qt.MouseButton.LeftButton)
    session = window.session
    confirm_card(qtbot, session)
    qtbot.waitUntil(lambda: session.current_key() == "photo", timeout=20_000)
    photo = session.screens["photo"]
    assert photo.heading.text().startswith("第2步")
    assert not photo.view.manual_button.isVisible()  # no override at a kiosk
    qtbot.waitUntil(lambda: photo.use_button.isEnabled(), timeout=60_000)  # auto-capture
    shot(window, tmp_path, "15-elicence-taken")
    qtbot.mouseClick(photo.use_button, Qt.MouseButton.LeftButton)
    # the office answers by SMS: the mobile number, step 3
    qtbot.waitUntil(lambda: session.current_key() == "phone", timeout=20_000)
    phone = session.screens["phone"]
    assert phone.heading.text().startswith("第3步")
    for digit in "13712345678":
        qtbot.mouseClick(phone.keypad.keys[digit], Qt.MouseButton.LeftButton)
    shot(window, tmp_path, "16-elicence-phone")
    qtbot.mouseClick(phone.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.current_key() == "done", timeout=20_000)
    case = _case(live_runtime, session.case_number)
    assert case.kind == CaseKind.ELICENCE_PHOTO and case.state in (CaseState.COMMITTED, CaseState.SYNCED)
    assert [p.purpose for p in case.photos] == ["elicence"] and case.photos[0].compliant
    assert case.people[0].phone == "13712345678"
    assert case.photos[0].captured_at is not None and case.photos[0].camera is not None


def test_friendly_photo_sentences_cover_the_common_problems(qapp) -> None:  # type: ignore[no-untyped-def]
    from ui.kiosk.flow_screens import photo_sentence

    for check in ("face_count", "yaw", "pitch", "head_covering", "dark_lenses", "sharpness",
                  "background_colour", "expression", "crop_margins", "resolution"):
        sentence = photo_sentence(check)
        assert sentence.startswith(("请", "画面", "拍照")), (check, sentence)
        assert sentence.endswith(("。", "？")), sentence  # whole sentences
    assert photo_sentence("no_such_check") == ""


def test_visit_ended_while_its_case_is_being_created_leaves_no_draft(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    import threading

    window = _window(qtbot, live_runtime)
    writer_busy = threading.Event()
    live_runtime.db.submit(lambda _s: writer_busy.wait(20))  # hold the writer thread
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    session = window.session
    qtbot.waitUntil(lambda: session.visit.state is VisitState.READING,
                    timeout=20_000)  # start_case is queued
    window.end_session("idle")
    writer_busy.set()
    live_runtime.db.write(lambda _s: None)  # the queued jobs have run

    def states() -> list[CaseState]:
        with live_runtime.db.session() as db:
            return list(db.scalars(select(Case.state)))

    qtbot.waitUntil(lambda: states() == [CaseState.CANCELLED], timeout=5000)


def test_self_service_face_match_against_a_decoded_chip_photo(qtbot, live_runtime, portrait_face,
                                                              faces_dir) -> None:  # type: ignore[no-untyped-def]
    """With a chip photo (here the card's photo decoded beforehand: the demo reader has no WLT
    decoder) the kiosk compares it with the live frame using the real matcher."""
    from station.db.models import IdentityDocument

    # the composition root's stand-in engine (demo mode's simulated person goes here too)
    live_runtime.extras["liveness_factory"] = lambda: ScriptedPerson(portrait_face)
    window = _window(qtbot, live_runtime)
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    session = window.session
    qtbot.waitUntil(lambda: session.case_id is not None, timeout=20_000)
    case_id = session.case_id

    def document_id() -> str | None:
        with live_runtime.db.session() as db:
            return db.scalar(select(IdentityDocument.id)
                             .where(IdentityDocument.person.has(case_id=case_id)))

    qtbot.waitUntil(lambda: document_id() is not None, timeout=20_000)
    # The same (demo) person the replay camera shows; one picture only, so the match is trivial.
    chip = cv2.imread(str(faces_dir.parent.parent / "demo" / "demo_person_white.jpg"))
    chip = cv2.resize(chip, (102 * 3, 126 * 3))[::3, ::3]  # about the size of a chip photo
    jpeg = cv2.imencode(".jpg", chip)[1].tobytes()
    doc_id = document_id()
    live_runtime.db.write(lambda s: setattr(s.get(IdentityDocument, doc_id),
                                            "chip_photo_image", jpeg))
    confirm_card(qtbot, session)

    qtbot.waitUntil(lambda: session.current_key() == "matched", timeout=90_000)
    with live_runtime.db.session() as db:
        match = db.get(Case, case_id).details["face_match"]
    assert match["match"] is True and match["score"] >= 60, match
    window.end_session("idle")
    qtbot.waitUntil(lambda: not window.findChildren(KioskSession), timeout=5000)


def test_an_expired_card_is_sent_to_a_service_window(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    from devices.idcard.simphoto import encode_chip_photo
    from station.demo.people import demo_people

    reader = live_runtime.devices.device("idcard").simulator
    person = next(iter(demo_people().values()))
    reader.remove_card()
    reader.place_card(person.card("expired"), encode_chip_photo(person.chip_image))
    window = _window(qtbot, live_runtime)
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    session = window.session
    card = session.screens["card"]
    qtbot.waitUntil(lambda: "服务窗口" in card.message.text(), timeout=20_000)
    assert session.case_id is None and not card.continue_button.isVisible()
    with live_runtime.db.session() as db:
        assert list(db.scalars(select(Case))) == []  # no case, nothing of the person kept

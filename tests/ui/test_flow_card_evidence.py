"""The clerk's card step on the demo station's simulated reader: a failed or interrupted read
leaves nothing of the previous person to use, and an expired document needs a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from devices.idcard.simphoto import encode_chip_photo
from station.db.models import Case, CaseKind
from station.demo.people import demo_people
from ui.pages.registration import RegistrationPage


def _document_step(qtbot, live_runtime):  # type: ignore[no-untyped-def]
    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wizard = page.start(CaseKind.INDIVIDUAL)
    qtbot.waitUntil(lambda: bool(wizard.ctx.case_number), timeout=10_000)
    step = wizard.current()
    assert step.key == "document"
    return page, wizard, step


def swap_card(qtbot, live_runtime, step, card, photo, fault=None):  # type: ignore[no-untyped-def]
    """Take the card off, wait until the reader has seen it go, then place the next one (a
    busy machine can miss a quick swap, and the reader then sees no new card)."""
    reader = live_runtime.devices.device("idcard").simulator
    reader.remove_card()
    qtbot.waitUntil(lambda: step.card_panel._removed or not step.card_panel.has_card,
                    timeout=20_000)
    reader.place_card(card, photo, fault=fault)
    return reader


def test_a_failed_read_clears_the_previous_person(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    _page, wizard, step = _document_step(qtbot, live_runtime)
    qtbot.waitUntil(lambda: step.use_button.isEnabled(), timeout=20_000)  # the first person
    first = step.card_panel.field_text("name")
    assert first and step.card_panel.has_card

    other = next(p for p in demo_people().values() if p.card().name != first)
    swap_card(qtbot, live_runtime, step, other.card(), encode_chip_photo(other.chip_image),
              "readfail")
    qtbot.waitUntil(lambda: not step.use_button.isEnabled(), timeout=20_000)
    assert not step.card_panel.has_card and step.card_panel.field_text("name") == ""
    assert step.card_panel.message_text()  # says what went wrong
    QTest.keyClick(step, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(300)
    assert wizard.current() is step  # nothing to use: the shortcut does nothing either
    with live_runtime.db.session() as session:
        case = session.scalar(select(Case).where(Case.number == wizard.ctx.case_number))
        assert case is not None and not case.people


def test_a_card_pulled_mid_read_leaves_nothing_to_use(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    _page, wizard, step = _document_step(qtbot, live_runtime)
    qtbot.waitUntil(lambda: step.use_button.isEnabled(), timeout=20_000)
    live_runtime.devices.device("idcard").simulator.pull_return_after_s = 60.0  # kept off
    person = list(demo_people().values())[-1]
    swap_card(qtbot, live_runtime, step, person.card(), encode_chip_photo(person.chip_image),
              "pull")
    qtbot.waitUntil(lambda: not step.use_button.isEnabled(), timeout=20_000)
    assert not step.card_panel.has_card
    assert wizard.current() is step


def test_an_expired_card_is_used_only_with_a_reason(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    _page, wizard, step = _document_step(qtbot, live_runtime)
    qtbot.waitUntil(lambda: step.use_button.isEnabled(), timeout=20_000)
    person = next(iter(demo_people().values()))
    expired = person.card("expired")
    swap_card(qtbot, live_runtime, step, expired, encode_chip_photo(person.chip_image))
    qtbot.waitUntil(lambda: step._document is not None
                    and step._document.valid_to == expired.valid_to, timeout=20_000)
    qtbot.mouseClick(step.use_button, Qt.MouseButton.LeftButton)
    assert step.expiry_box.isVisibleTo(step) and wizard.current() is step
    assert expired.valid_to is not None and expired.valid_to.isoformat() in step.expiry_text.text()
    qtbot.mouseClick(step.expiry_button, Qt.MouseButton.LeftButton)  # no reason yet
    qtbot.wait(200)
    assert wizard.current() is step and step.message.text()
    step.expiry_reason.setText("新证在制作中，持受理回执")  # QTest types ASCII only
    QTest.keyClick(step.expiry_reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.current().key == "photo", timeout=10_000)
    with live_runtime.db.session() as session:
        case = session.scalar(select(Case).where(Case.number == wizard.ctx.case_number))
        assert case is not None
        override = case.details["document"]["expiry_override"]
        assert override["reason"] == "新证在制作中，持受理回执"
        assert override["valid_to"] == expired.valid_to.isoformat()
        from station.workflows import cases, rules

        codes = {f.code for f in rules.evaluate("individual", cases.case_facts(case))}
        assert "DOCUMENT_EXPIRED" in codes  # routed to a supervisor


def test_f4_card_pictures_must_look_like_a_card_or_carry_a_reason(
        qtbot, live_runtime, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.cards import card_on_desk, write
    from tests.ui.test_flow_other_kinds import licence_photo

    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.show()
    wizard = page.start(CaseKind.MANUAL_REVIEW)
    qtbot.waitUntil(lambda: bool(wizard.ctx.case_number), timeout=10_000)
    document = wizard.current()
    qtbot.waitUntil(lambda: document.use_button.isEnabled(), timeout=20_000)
    qtbot.mouseClick(document.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "scans", timeout=10_000)
    scans = wizard.current()

    scans.import_file("id_front", str(licence_photo(tmp_path / "page.png")))  # not a card
    slot = scans.slots["id_front"]
    qtbot.waitUntil(lambda: slot.override.isVisibleTo(slot), timeout=20_000)
    assert "id_front" not in scans.done and slot.pending is not None
    scans.import_file("id_back", str(write(tmp_path / "card.png", card_on_desk())))
    back = scans.slots["id_back"]
    qtbot.waitUntil(lambda: "id_back" in scans.done or back.pending is not None, timeout=20_000)
    assert "id_back" in scans.done, back.status.text()  # a card: kept at once
    assert not scans.slots["id_back"].override.isVisibleTo(scans.slots["id_back"])
    qtbot.mouseClick(scans.next_button, Qt.MouseButton.LeftButton)
    assert wizard.current() is scans and scans.message.text()  # the front is not kept yet
    qtbot.mouseClick(slot.keep_button, Qt.MouseButton.LeftButton)  # no reason given
    assert "id_front" not in scans.done and scans.message.text()
    slot.reason.setText("applicant brought a photocopy only")
    qtbot.mouseClick(slot.keep_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "id_front" in scans.done, timeout=10_000)
    with live_runtime.db.session() as session:
        case = session.scalar(select(Case).where(Case.number == wizard.ctx.case_number))
        assert case is not None
        quality = {scan.kind: scan.quality for scan in case.scans}
    assert quality["id_front"]["override_reason"] == "applicant brought a photocopy only"
    assert quality["id_front"]["card_shape"]["looks_like_card"] is False
    assert quality["id_back"]["card_shape"]["looks_like_card"] is True
    assert "override_reason" not in quality["id_back"]


def test_the_document_step_listens_once_and_not_after_it_is_gone(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    _page, wizard, step = _document_step(qtbot, live_runtime)
    bridge = wizard.ctx.bridge
    before = list(bridge._handlers)
    step.activate()  # again, as after going back to it
    assert len(bridge._handlers) == len(before)
    step.deactivate()
    without = list(bridge._handlers)
    step.activate()
    steps_own = [entry for entry in bridge._handlers if entry not in without]
    assert len(steps_own) == 5
    step.deleteLater()  # deleted with its wizard, never deactivated
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(step)
    assert not [entry for entry in bridge._handlers if entry in steps_own]

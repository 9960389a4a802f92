"""The keyboard on the real window: F1-F4 start the four kinds of case (after a language change
too), Esc asks to cancel a case and the question's default is No (Enter or Esc on it deletes
nothing), Enter in the SMS code field submits the code, the signature is accepted and cleared
by keys, the photo is taken by a key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from station import operators
from station.db.models import Case, CaseKind, CaseState, Role
from tests.ui.test_shell import sign_in
from ui.i18n import install_language
from ui.main_window import MainWindow


def _press(qtbot, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """A key press where the user's keyboard sends it: to the focused widget."""
    window = next((w for w in QApplication.topLevelWidgets() if w.isVisible()
                   and not isinstance(w, QMessageBox)), None)
    if QApplication.activeWindow() is None and window is not None:
        # the offscreen platform drops the activation now and then (no window manager)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "nothing has the keyboard"
    qtbot.keyClick(target, key)


def _clerk_at_home(qtbot, window: MainWindow, runtime):  # type: ignore[no-untyped-def]
    runtime.db.write(lambda s: operators.create_operator(s, "clerk", "李警官", Role.CLERK,
                                                         "clerk-pass"))
    window.login.set_first_run(False)
    sign_in(qtbot, window, "clerk", "clerk-pass")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    page = window.workspace.open_page("registration")
    qtbot.waitUntil(page.home.isVisible, timeout=5000)
    return page


def _case_state(runtime, number: str) -> CaseState:  # type: ignore[no-untyped-def]
    with runtime.db.session() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert case is not None
        return case.state


def _open_question(qtbot, wizard) -> QMessageBox:  # type: ignore[no-untyped-def]
    # the offscreen platform does not hand the activation back after a dialog closes
    wizard.window().activateWindow()
    qtbot.waitUntil(wizard.window().isActiveWindow, timeout=5000)
    _press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: wizard.confirm_box is not None and wizard.confirm_box.isVisible(),
                    timeout=5000)
    box = wizard.confirm_box
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    return box


def test_f_keys_start_each_kind_and_esc_asks_with_no_as_default(qtbot, window, runtime) -> None:  # type: ignore[no-untyped-def]
    page = _clerk_at_home(qtbot, window, runtime)
    _press(qtbot, Qt.Key.Key_F1)
    assert page.wizard is not None and page.wizard.ctx.kind == CaseKind.INDIVIDUAL
    wizard = page.wizard
    qtbot.waitUntil(lambda: bool(wizard.ctx.case_number), timeout=10_000)
    number = wizard.ctx.case_number
    _press(qtbot, Qt.Key.Key_F2)  # the home's keys are off during a case
    assert page.wizard is wizard

    box = _open_question(qtbot, wizard)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter on the question: the default, No
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    box = _open_question(qtbot, wizard)
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc closes it: No as well
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    qtbot.wait(50)
    assert page.wizard is wizard and _case_state(runtime, number) == CaseState.DRAFT

    box = _open_question(qtbot, wizard)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.wizard is None, timeout=10_000)
    assert _case_state(runtime, number) == CaseState.CANCELLED

    for language in ("en", "zh_CN"):  # retranslate() sets the buttons' texts again
        install_language(language)
        expected = "Individual registration  (F1)" if language == "en" else "个人面签注册  (F1)"
        qtbot.waitUntil(lambda t=expected: page.buttons[CaseKind.INDIVIDUAL].text() == t,
                        timeout=5000)
        for key, kind in zip((Qt.Key.Key_F1, Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4),
                             (CaseKind.INDIVIDUAL, CaseKind.ORGANISATION,
                              CaseKind.ELICENCE_PHOTO, CaseKind.MANUAL_REVIEW), strict=True):
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow, timeout=5000)
            _press(qtbot, key)
            assert page.wizard is not None and page.wizard.ctx.kind == kind, (language, kind)
            started = page.wizard
            qtbot.waitUntil(lambda w=started: bool(w.ctx.case_number), timeout=10_000)
            qtbot.waitUntil(lambda w=started: not w._busy, timeout=10_000)
            started.cancel_case()
            qtbot.waitUntil(lambda: page.wizard is None, timeout=10_000)


def test_enter_in_the_sms_code_field_submits_the_code(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.test_sync_phone_verification import sent_code
    from ui.flows.steps.phone import PhoneStep
    from ui.flows.wizard import FlowWizard

    live_runtime.extras["sync_started"].result(timeout=60)  # enrolled: SMS can be sent
    wizard = _wizard_at_step(qtbot, live_runtime, CaseKind.INDIVIDUAL, "phone")
    phone = wizard.current()
    assert isinstance(phone, PhoneStep) and isinstance(wizard, FlowWizard)
    window = wizard.window()
    qtbot.waitUntil(lambda: window.focusWidget() is phone.phone, timeout=5000)  # when shown
    qtbot.keyClicks(phone.phone, "13812345678")
    qtbot.keyClick(phone.phone, Qt.Key.Key_Return)  # Enter sends the code
    qtbot.waitUntil(lambda: window.focusWidget() is phone.code, timeout=20_000)  # then the code
    code = sent_code(live_runtime.settings)
    qtbot.keyClicks(phone.code, code[:5])
    qtbot.keyClick(phone.code, Qt.Key.Key_Return)  # Enter submits what is typed: too short
    assert "6 位" in phone.message.text() and wizard.current() is phone
    phone.code.selectAll()
    wrong = "000000" if code != "000000" else "111111"
    qtbot.keyClicks(phone.code, wrong)  # the whole code typed: checked without a key
    qtbot.waitUntil(lambda: "错误" in phone.message.text(), timeout=10_000)
    assert wizard.current() is phone and phone.code.hasSelectedText()  # typed over next
    qtbot.keyClicks(phone.code, code)
    qtbot.waitUntil(lambda: wizard.current().key == "agreement", timeout=20_000)
    with live_runtime.db.session() as session:
        case = session.get(Case, wizard.ctx.case_id)
        assert case is not None and case.details["phone"] == {"verified": True}


def _wizard_at_step(qtbot, runtime, kind: CaseKind, key: str):  # type: ignore[no-untyped-def]
    """Start a case of ``kind`` on a shown page and record its earlier steps directly."""
    from station.workflows import cases
    from ui.pages.registration import RegistrationPage

    page = RegistrationPage(runtime, runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.resize(1280, 900)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=5000)
    wizard = page.start(kind)
    qtbot.waitUntil(lambda: wizard.current().key == "document" and not wizard._busy,
                    timeout=10_000)
    document = wizard.current()
    qtbot.waitUntil(lambda: document.use_button.isEnabled(), timeout=20_000)  # the card read
    assert page.focusWidget() is document.use_button
    _press(qtbot, Qt.Key.Key_Return)  # Enter uses the card
    qtbot.waitUntil(lambda: wizard.current().key != "document" and not wizard._busy,
                    timeout=10_000)
    case_id = wizard.ctx.case_id
    keys = [step.key for step in wizard.steps]
    for done in keys[1:keys.index(key)]:
        runtime.db.write(lambda s, d=done: cases.complete_step(s, case_id, d, "clerk"))
    wizard.go_to_key(key)
    page.activateWindow()
    return wizard


def test_signature_is_accepted_and_cleared_by_keys(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import sign_on_canvas

    wizard = _wizard_at_step(qtbot, live_runtime, CaseKind.INDIVIDUAL, "agreement")
    agreement = wizard.current()
    qtbot.waitUntil(lambda: agreement.widget is not None, timeout=10_000)
    widget = agreement.widget
    widget._inactivity_ms = 0  # the clerk accepts: nothing is accepted by itself here
    sign_on_canvas(qtbot, widget.canvas)
    assert widget.canvas.signature().stroke_count == 3
    _press(qtbot, Qt.Key.Key_Delete)  # clears
    assert widget.canvas.signature().stroke_count == 0
    _press(qtbot, Qt.Key.Key_Return)  # nothing signed: says so, stays
    assert widget.message.text() and not widget.finished
    _press(qtbot, Qt.Key.Key_Escape)  # Esc is the case's question, not the signature's
    qtbot.waitUntil(lambda: wizard.confirm_box is not None and wizard.confirm_box.isVisible(),
                    timeout=5000)
    qtbot.keyClick(wizard.confirm_box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.confirm_box.isVisible(), timeout=5000)
    assert not widget.finished and wizard.current() is agreement
    wizard.window().activateWindow()
    qtbot.waitUntil(wizard.window().isActiveWindow, timeout=5000)
    sign_on_canvas(qtbot, widget.canvas)
    _press(qtbot, Qt.Key.Key_Return)  # accepts
    qtbot.waitUntil(lambda: wizard.current().key == "review", timeout=20_000)
    with live_runtime.db.session() as session:
        case = session.get(Case, wizard.ctx.case_id)
        assert case is not None and len(case.signatures) == 1


def test_manual_review_submission_by_keyboard_alone(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    """F4 end to end with keys only: card, both ID card scans by the camera, the live photo,
    the number with its SMS code, the applicant's confirmation, submit."""
    from tests.unit.test_sync_phone_verification import sent_code
    from ui.pages.registration import RegistrationPage

    live_runtime.extras["sync_started"].result(timeout=60)
    page = RegistrationPage(live_runtime, live_runtime.extras["clerk"])
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=5000)
    _press(qtbot, Qt.Key.Key_F4)
    wizard = page.wizard
    assert wizard is not None and wizard.ctx.kind == CaseKind.MANUAL_REVIEW
    document = wizard.steps[0]
    qtbot.waitUntil(lambda: document.use_button.isEnabled(), timeout=20_000)
    _press(qtbot, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: wizard.current().key == "scans", timeout=10_000)
    scans = wizard.current()
    qtbot.waitUntil(lambda: scans.live.showing_frame, timeout=20_000)
    for kind in scans.kinds:
        slot = scans.slots[kind]
        qtbot.waitUntil(lambda s=slot: page.focusWidget() is s.capture, timeout=10_000)
        _press(qtbot, Qt.Key.Key_Return)  # capture with the camera
        qtbot.waitUntil(lambda k=kind, s=slot: k in scans.done or s.override.isVisible(),
                        timeout=20_000)
        if kind not in scans.done:  # the camera shows a face, not a card: say why
            assert page.focusWidget() is slot.reason
            qtbot.keyClicks(slot.reason, "card reader photo only")
            _press(qtbot, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda k=kind: k in scans.done, timeout=10_000)
    qtbot.waitUntil(lambda: page.focusWidget() is scans.next_button, timeout=5000)
    _press(qtbot, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: wizard.current().key == "photo", timeout=10_000)
    photo = wizard.current()
    qtbot.waitUntil(lambda: photo.continue_button.isEnabled(), timeout=90_000)
    qtbot.waitUntil(lambda: page.focusWidget() is photo.continue_button, timeout=5000)
    _press(qtbot, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: wizard.current().key == "phone", timeout=10_000)
    phone = wizard.current()
    qtbot.waitUntil(lambda: page.focusWidget() is phone.phone, timeout=5000)
    qtbot.keyClicks(phone.phone, "13812345678")
    _press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.focusWidget() is phone.code, timeout=20_000)
    qtbot.keyClicks(phone.code, sent_code(live_runtime.settings))

    qtbot.waitUntil(lambda: wizard.current().key == "review", timeout=20_000)
    review = wizard.current()
    qtbot.waitUntil(lambda: page.focusWidget() is review.confirmed, timeout=10_000)
    _press(qtbot, Qt.Key.Key_Space)
    _press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: review.result is not None, timeout=20_000)
    with live_runtime.db.session() as session:
        case = session.get(Case, wizard.ctx.case_id)
        assert case is not None and case.state in (CaseState.COMMITTED, CaseState.SYNCED)
        assert {s.kind for s in case.scans} == {"id_front", "id_back"}
        assert [p.purpose for p in case.photos] == ["live"]


def test_after_sign_in_the_home_has_the_keyboard(qtbot, window, runtime) -> None:  # type: ignore[no-untyped-def]
    page = _clerk_at_home(qtbot, window, runtime)
    qtbot.waitUntil(lambda: window.focusWidget() is page.buttons[CaseKind.INDIVIDUAL],
                    timeout=5000)
    _press(qtbot, Qt.Key.Key_Tab)  # the next kind
    assert window.focusWidget() is page.buttons[CaseKind.ORGANISATION]
    _press(qtbot, Qt.Key.Key_Return)  # Enter starts the focused kind
    assert page.wizard is not None and page.wizard.ctx.kind == CaseKind.ORGANISATION
    qtbot.waitUntil(lambda: bool(page.wizard.ctx.case_number) and not page.wizard._busy,
                    timeout=10_000)
    page.wizard.cancel_case()
    qtbot.waitUntil(lambda: page.wizard is None, timeout=10_000)
    assert window.focusWidget() is page.buttons[CaseKind.INDIVIDUAL]  # back on the home

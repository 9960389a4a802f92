"""Kiosk shell: the hidden administrator exit, out of service on a device failure and back,
and the language switch."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from station import operators
from station.db.models import AuditEvent, Case, CaseState, Role
from tests.ui.test_kiosk_flow import _window, shot
from ui.kiosk.widgets import CornerTaps


def test_corner_taps_need_five_within_three_seconds() -> None:
    now = [0.0]
    taps = CornerTaps(clock=lambda: now[0])
    for _ in range(4):
        assert not taps.tap()
        now[0] += 0.5
    assert taps.tap()  # fifth tap at 2.0 s
    for _ in range(4):
        assert not taps.tap()
        now[0] += 1.0  # too slow: the oldest taps fall out of the window
    assert not taps.tap()


def test_admin_password_is_the_only_way_out(qtbot, live_runtime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    live_runtime.db.write(lambda s: operators.create_operator(
        s, "admin", "王管理员", Role.ADMIN, "Admin-pass-2026"))
    window = _window(qtbot, live_runtime)
    window.close()
    assert window.isVisible()  # closing is refused without the administrator

    for _ in range(4):
        qtbot.mouseClick(window.hotspot, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.attract
    qtbot.mouseClick(window.hotspot, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.admin

    admin = window.admin
    # a clerk's password does not open the kiosk
    admin.keypad.type_text("clerk-pass")
    qtbot.mouseClick(admin.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(admin.message.text()), timeout=5000)
    assert not admin.exit_button.isVisible() and admin.keypad.text == ""
    shot(window, tmp_path, "13-admin")

    qtbot.mouseClick(admin.keypad.shift_key, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(admin.keypad.keys["a"], Qt.MouseButton.LeftButton)  # typed as "A"
    qtbot.mouseClick(admin.keypad.shift_key, Qt.MouseButton.LeftButton)
    admin.keypad.type_text("dmin-pass-2026")
    assert admin.password.text() == "Admin-pass-2026"
    qtbot.mouseClick(admin.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: admin.exit_button.isVisible(), timeout=5000)
    assert "王管理员" in admin.message.text()

    with qtbot.waitSignal(window.exited, timeout=2000):
        qtbot.mouseClick(admin.exit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()

    def audited() -> set[str]:
        with live_runtime.db.session() as session:
            return set(session.scalars(select(AuditEvent.action)))

    # the audit entries are written by the database's writer thread, not synchronously
    expected = {"kiosk.admin_refused", "login.ok", "kiosk.admin_unlocked"}
    qtbot.waitUntil(lambda: expected <= audited(), timeout=5000)


def test_a_fresh_kiosk_asks_for_its_administrator_first(qtbot, live_runtime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.kiosk.window import KioskWindow

    window = KioskWindow(live_runtime)  # the live runtime has a clerk, no administrator
    qtbot.addWidget(window)
    window.resize(1366, 768)  # the common counter monitor
    window.show()
    setup = window.setup
    assert window.needs_admin and window.stack.currentWidget() is setup
    # the setup screen fits below the language bar (the window's other screens: tests of fit)
    assert window.stack.y() + setup.minimumSizeHint().height() <= 768
    shot(window, tmp_path, "00-first-start")
    assert window.start_session("individual") is None  # nobody is served yet
    for _ in range(5):
        qtbot.mouseClick(window.hotspot, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is setup  # and there is nobody to sign in
    window.close()
    assert window.isVisible()

    # typed on the on-screen keys: touch a field, then the keys
    qtbot.mouseClick(setup.username, Qt.MouseButton.LeftButton)
    setup.choose(setup.username)  # offscreen windows may not take focus from a click
    setup.keypad.type_text("kadmin")
    assert setup.username.text() == "kadmin"
    setup.display_name.setText("赵管理员")
    setup.password.setText("kadmin12")
    setup.confirm.setText("kadmin13")
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    assert setup.message.text() == "两次输入的密码不一致。" and window.needs_admin
    setup.password.setText("kadmin12")
    setup.confirm.setText("kadmin12")
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)  # the user name + digits
    qtbot.waitUntil(lambda: "用户名" in setup.message.text(), timeout=10_000)
    assert window.needs_admin and setup.password.text() == ""  # the password is typed again
    assert setup.username.text() == "kadmin"
    setup.password.setText("Lake-pagoda-31")
    setup.confirm.setText("Lake-pagoda-31")
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.attract, timeout=10_000)
    assert not window.needs_admin and setup.password.text() == "" and setup.keypad.text == ""

    # the new administrator is the way out
    window.open_admin()
    window.admin.keypad.type_text("Lake-pagoda-31")
    qtbot.mouseClick(window.admin.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.admin.exit_button.isVisible(), timeout=10_000)
    assert "赵管理员" in window.admin.message.text()
    with live_runtime.db.session() as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"operator.created", "kiosk.admin_created"} <= actions
    with qtbot.waitSignal(window.exited, timeout=2000):
        qtbot.mouseClick(window.admin.exit_button, Qt.MouseButton.LeftButton)


def test_out_of_service_while_the_reader_is_unplugged(qtbot, live_runtime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, live_runtime)
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    session = window.session
    qtbot.waitUntil(lambda: session.case_id is not None, timeout=20_000)
    number = session.case_number
    simulator = live_runtime.devices.device("idcard").simulator

    simulator.unplug()
    qtbot.waitUntil(lambda: window.out_of_service, timeout=15_000)
    assert window.session is None  # the visit in progress is wiped
    assert window.stack.currentWidget() is window.out_of_service_screen
    assert "身份证阅读器" in window.out_of_service_screen.reason.text()
    shot(window, tmp_path, "14-out-of-service")
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    assert window.session is None  # nothing starts while out of service

    simulator.replug()
    qtbot.waitUntil(lambda: not window.out_of_service, timeout=20_000)
    assert window.stack.currentWidget() is window.attract
    with live_runtime.db.session() as db:
        case = db.scalar(select(Case).where(Case.number == number))
        assert case is not None and case.state == CaseState.CANCELLED and case.people == []


def test_language_switch_retranslates_and_resets(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, live_runtime)
    chinese = window.attract.register_button.text()
    qtbot.mouseClick(window.en_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.attract.register_button.text().startswith(
        "Register for 12123"), timeout=2000)  # LanguageChange is a posted event
    assert window.en_button.isChecked() and not window.zh_button.isChecked()
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    card = window.session.screens["card"]
    assert card.heading.text() == "Step 1: your ID card"
    qtbot.mouseClick(window.zh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.heading.text() == "第1步：读取身份证", timeout=2000)
    qtbot.mouseClick(window.en_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.heading.text() == "Step 1: your ID card", timeout=2000)
    qtbot.mouseClick(card.cancel_button, Qt.MouseButton.LeftButton)
    assert window.session is None and window.zh_button.isChecked()
    qtbot.waitUntil(lambda: window.attract.register_button.text() == chinese, timeout=2000)

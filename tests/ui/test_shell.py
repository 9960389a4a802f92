"""The app shell as an operator meets it: first run, sign in, language, navigation, lock."""

from __future__ import annotations

from PySide6.QtCore import Qt

from station import operators
from station.db.models import Role
from station.events import DeviceState, DeviceStatus, DeviceStatusEvent
from ui.main_window import MainWindow


def sign_in(qtbot, win: MainWindow, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    win.login.username.setText(username)
    win.login.password.setText(password)
    if win.login.first_run:
        win.login.display_name.setText("王管理")
        win.login.confirm.setText(password)
    qtbot.mouseClick(win.login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.workspace is not None, timeout=10_000)


def test_first_run_creates_the_admin_and_shows_admin_pages(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert window.login.first_run
    assert window.login.submit.text() == "创建管理员"
    window.login.username.setText("admin")
    window.login.password.setText("secret-pass")
    window.login.confirm.setText("different")
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    assert window.login.message.text() == "两次输入的密码不一致。"
    sign_in(qtbot, window, "admin", "secret-pass")
    titles = [window.workspace.nav.item(i).text() for i in range(window.workspace.nav.count())]
    assert {"操作员管理", "设备管理", "工作站设置", "业务记录"} <= set(titles)
    assert "王管理" in window.workspace.who.text() and "管理员" in window.workspace.who.text()


def test_wrong_password_is_refused_in_chinese(qtbot, window, runtime) -> None:  # type: ignore[no-untyped-def]
    runtime.db.write(lambda s: operators.create_operator(s, "li", "李警官", Role.CLERK, "clerk-pass"))
    window.login.set_first_run(False)
    window.login.username.setText("li")
    window.login.password.setText("nope-nope")
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.login.message.text() != "", timeout=10_000)
    assert window.login.message.text() == "用户名或密码错误。"
    assert window.workspace is None


def test_language_switch_to_english_and_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.login.language.setCurrentIndex(window.login.language.findData("en"))
    qtbot.waitUntil(lambda: window.login.submit.text() == "Create administrator", timeout=5000)
    assert window.windowTitle().startswith("Counter Station")
    assert window.device_bar.indicators["idcard"]._label.text().startswith("ID card reader")
    window.login.language.setCurrentIndex(window.login.language.findData("zh_CN"))
    qtbot.waitUntil(lambda: window.login.submit.text() == "创建管理员", timeout=5000)
    assert window.device_bar.indicators["idcard"]._label.text().startswith("身份证阅读器")


def test_roles_see_their_own_navigation(qtbot, window, runtime) -> None:  # type: ignore[no-untyped-def]
    runtime.db.write(lambda s: operators.create_operator(s, "clerk", "张", Role.CLERK, "clerk-pass"))
    window.login.set_first_run(False)
    sign_in(qtbot, window, "clerk", "clerk-pass")
    keys = [spec.key for spec in window.workspace.specs]
    assert "operators" not in keys and "devices" not in keys and "cases" in keys
    window.sign_out()
    assert window.stack.currentWidget() is window.login and window.workspace is None


def test_admin_adds_an_operator_through_the_page(qtbot, window, runtime) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "admin", "secret-pass")
    page = window.workspace.open_page("operators")
    page.username.setText("sup1")
    page.display_name.setText("赵审核")
    page.role.setCurrentIndex(page.role.findData(Role.SUPERVISOR.value))
    page.password.setText("supervisor-pass")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=10_000)
    with runtime.db.session() as session:
        roles = {op.username: op.role for op in operators.list_operators(session)}
    assert roles == {"admin": Role.ADMIN, "sup1": Role.SUPERVISOR}
    for key in ("devices", "settings", "cases"):
        assert window.workspace.open_page(key).isVisible()


def test_idle_lock_and_unlock(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "admin", "secret-pass")
    assert window.idle.active
    window.idle.idle.emit()  # what the idle timer does after the configured minutes
    assert window.stack.currentWidget() is window.lock_screen
    window.lock_screen.password.setText("wrong-password")
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.lock_screen.message.text() != "", timeout=10_000)
    assert window.stack.currentWidget() is window.lock_screen
    window.lock_screen.password.setText("secret-pass")
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.workspace, timeout=10_000)


def test_idle_timer_fires_on_its_own(qtbot, runtime) -> None:  # type: ignore[no-untyped-def]
    from ui.lock import IdleMonitor

    monitor = IdleMonitor(1000)
    monitor.start()
    with qtbot.waitSignal(monitor.idle, timeout=5000):
        pass


def test_status_bar_follows_device_events_from_any_thread(qtbot, window, runtime) -> None:  # type: ignore[no-untyped-def]
    import threading

    status = DeviceStatus("idcard", DeviceState.READY, "SAM 05.01", simulated=True, name="/dev/pts/9")
    thread = threading.Thread(target=lambda: runtime.bus.publish(DeviceStatusEvent(status=status)))
    thread.start()
    thread.join()
    indicator = window.device_bar.indicators["idcard"]
    qtbot.waitUntil(lambda: indicator.status.state == DeviceState.READY, timeout=5000)
    assert indicator._label.text() == "身份证阅读器: 就绪（模拟）"
    assert "/dev/pts/9" in indicator.toolTip()


def test_the_login_button_is_readable_with_the_station_style(qtbot, window, qapp) -> None:  # type: ignore[no-untyped-def]
    """The login card's white background once out-ranked the button's blue one: white
    text on white. Grab the styled button and look for both its background and its text."""
    from ui.app import STYLE_SHEET

    previous = qapp.styleSheet()
    qapp.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
    try:
        button = window.login.submit
        button.resize(220, 40)
        qtbot.waitUntil(lambda: bool(button.text()), timeout=5000)
        image = button.grab().toImage()
        dark = light = 0
        for y in range(4, image.height() - 4, 2):
            for x in range(4, image.width() - 4, 2):
                colour = image.pixelColor(x, y)
                luminance = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
                dark += luminance < 140
                light += luminance > 200
        total = dark + light
        assert dark > 0.5 * total, "the button's background is not the dark blue"
        assert light > 0.005 * total, "no light text on the button"
    finally:
        qapp.setStyleSheet(previous)

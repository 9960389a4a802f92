"""The operators page as an administrator uses it: select an operator, change the name and
role, disable (asked, No by default) and enable, reset the password (the policy says why a
weak one is refused), unlock a locked-out operator; refused for oneself and for the last
administrator. Each change is in the audit log."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from station import operators
from station.db.models import AuditEvent, Role
from tests.ui.test_central_sign_in import central, enrolled_window  # noqa: F401  (fixtures)
from tests.ui.test_shell import sign_in

LOCK = timedelta(minutes=15)
ADMIN_HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash("admin-pass-1")


def _admin_on_the_page(qtbot, window, runtime):  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "admin", "secret-pass")  # the first start's administrator
    runtime.db.write(lambda s: operators.create_operator(s, "li", "李警官", Role.CLERK, "clerk-pass-1"))
    page = window.workspace.open_page("operators")
    page.refresh()
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=10_000)
    return page


def _choose(qtbot, page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.select(username)
    qtbot.waitUntil(lambda: page.selected() is not None
                    and page.selected().username == username, timeout=5000)


def _wait_said(qtbot, page, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: text in page.message.text(), timeout=20_000)


def _row(runtime, username: str) -> operators.OperatorRow:  # type: ignore[no-untyped-def]
    with runtime.db.session() as session:
        return next(r for r in operators.list_accounts(session) if r.username == username)


def _actions(runtime) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with runtime.db.session() as session:
        return [(e.actor, e.action) for e in session.scalars(select(AuditEvent))]


def test_edit_disable_enable_reset_and_unlock(qtbot, window, runtime) -> None:  # type: ignore[no-untyped-def]
    page = _admin_on_the_page(qtbot, window, runtime)
    _choose(qtbot, page, "li")
    assert page.edit_name.text() == "李警官" and page.active_button.text() == "停用"
    assert not page.unlock_button.isEnabled()  # not locked
    page.edit_name.setText("李明")
    page.edit_role.setCurrentIndex(page.edit_role.findData(Role.SUPERVISOR.value))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "已保存")
    row = _row(runtime, "li")
    assert (row.display_name, row.role) == ("李明", Role.SUPERVISOR)
    qtbot.waitUntil(lambda: page.table.item(1, 2).text() == "审核员", timeout=5000)

    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)  # asks first
    box = page.confirm_box
    qtbot.waitUntil(lambda: box.isVisible(), timeout=5000)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter: No
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    qtbot.wait(100)
    assert _row(runtime, "li").active
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    qtbot.waitUntil(lambda: box.isVisible(), timeout=5000)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "已停用")
    assert not _row(runtime, "li").active
    qtbot.waitUntil(lambda: page.active_button.text() == "启用", timeout=5000)
    assert page.table.item(1, 3).text() == "已停用"
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)  # enabling is not asked
    _wait_said(qtbot, page, "已启用")
    assert _row(runtime, "li").active

    page.new_password.setText("12345678")  # the policy refuses a sequence
    qtbot.keyClick(page.new_password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "简单" in page.message.text(), timeout=10_000)
    assert page.new_password.text() == ""  # never left on screen
    for _ in range(3):  # li is locked out
        with contextlib.suppress(operators.AccountError):
            runtime.db.write(lambda s: operators.authenticate(s, "li", "wrong-pass", 3, LOCK))
    page.refresh()
    qtbot.waitUntil(lambda: page.unlock_button.isEnabled(), timeout=5000)
    assert page.table.item(1, 3).text().startswith("锁定至")
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "解除锁定")
    assert _row(runtime, "li").locked_until is None
    page.new_password.setText("a new pass phrase")
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "密码已重置")
    assert runtime.db.write(lambda s: operators.authenticate(
        s, "li", "a new pass phrase", 3, LOCK)).username == "li"
    done = _actions(runtime)
    for action in ("operator.updated", "operator.disabled", "operator.enabled",
                   "operator.unlocked", "operator.password_reset"):
        assert ("admin", action) in done, action


def test_the_administrator_cannot_disable_themselves_or_demote_the_last_admin(qtbot, window, runtime) -> None:  # type: ignore[no-untyped-def]
    page = _admin_on_the_page(qtbot, window, runtime)
    _choose(qtbot, page, "admin")
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    qtbot.waitUntil(lambda: box.isVisible(), timeout=5000)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "不能停用自己")
    page.edit_role.setCurrentIndex(page.edit_role.findData(Role.CLERK.value))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "不能修改自己的角色")
    page.edit_role.setCurrentIndex(page.edit_role.findData(Role.CLERK.value))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "不能修改自己的角色")
    row = _row(runtime, "admin")
    assert row.active and row.role == Role.ADMIN


def test_at_an_enrolled_station_the_central_accounts_are_disabled_and_unlocked_there(
        qtbot, enrolled_window, runtime, central) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The page asks the central service (the admin's own token), which refuses to disable
    one's own account or the last administrator; each change is in the central audit."""
    from datetime import UTC, datetime

    from central import accounts, roster
    from central.db import make_engine, session_factory
    from central.errors import ApiError
    from central.models import AuditEntry, LoginGuard, User
    from station.sync.client import CentralClient

    engine = make_engine(central.db_url, pool_size=1)
    with session_factory(engine).begin() as session:
        accounts.upsert_user_hash(session, "boss", "王主任", "admin", ADMIN_HASH)
    login = enrolled_window.login
    login.username.setText("boss")
    login.password.setText("admin-pass-1")
    qtbot.mouseClick(login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: enrolled_window.workspace is not None, timeout=15_000)
    page = enrolled_window.workspace.open_page("operators")
    qtbot.waitUntil(lambda: {r.username for r in page.rows} == {"boss", "clerk1"},
                    timeout=15_000)  # from the central service, before any sync mirrored it
    assert not page.form_box.isVisible() and page.central_note.isVisible()

    _choose(qtbot, page, "clerk1")
    assert page.active_button.isEnabled() and page.save_button.isEnabled()
    page.edit_name.setText("李明")
    page.edit_role.setCurrentIndex(page.edit_role.findData(Role.SUPERVISOR.value))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "已保存")
    with session_factory(engine)() as session:
        user = session.query(User).filter_by(username="clerk1").one()
        assert (user.display_name, user.role) == ("李明", "supervisor")
    page.new_password.setText("12345678")
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "简单")  # the policy, said by the central service
    page.new_password.setText("a new pass phrase")
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "密码已重置")
    with CentralClient(central.base_url) as client:  # the new password works there
        assert client.login("clerk1", "a new pass phrase")["token"]
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    qtbot.waitUntil(lambda: box.isVisible(), timeout=5000)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "已停用")
    with session_factory(engine)() as session:
        assert session.query(User).filter_by(username="clerk1").one().active is False
    qtbot.waitUntil(lambda: page.active_button.text() == "启用", timeout=10_000)
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "已启用")

    with session_factory(engine).begin() as session:  # clerk1 locked out centrally
        session.add(LoginGuard(key="user:clerk1", failures=0,
                               locked_until=datetime.now(UTC).replace(tzinfo=None)
                               + timedelta(minutes=10)))
    page.refresh()
    qtbot.waitUntil(lambda: page.unlock_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "解除锁定")
    with session_factory(engine)() as session:
        assert session.get(LoginGuard, "user:clerk1") is None

    _choose(qtbot, page, "boss")
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    qtbot.waitUntil(lambda: box.isVisible(), timeout=5000)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "不能停用自己")
    page.edit_role.setCurrentIndex(page.edit_role.findData(Role.CLERK.value))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    _wait_said(qtbot, page, "不能修改自己的角色")
    with session_factory(engine).begin() as session:  # from the command line: the last admin
        try:
            roster.set_active(session, "boss", False, None, datetime.now(UTC))
            raise AssertionError("the last administrator was disabled")
        except ApiError as refused:
            assert refused.code == "last_admin"
    with session_factory(engine)() as session:
        assert session.query(User).filter_by(username="boss").one().active is True
        done = [(e.actor, e.action) for e in session.query(AuditEntry)]
    engine.dispose()
    for action in ("user.updated", "user.password_reset", "user.disabled", "user.enabled",
                   "user.unlocked"):
        assert ("boss", action) in done, action

"""At an enrolled station the login screen signs operators in at the central service (no
first-start administrator), and an operator disabled there is signed out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt

from central import accounts
from central.db import make_engine, session_factory
from central.embedded import EmbeddedCentral
from station.enrolment import enrol
from station.events import OperatorsRevoked
from tests.unit.test_station_enrolment import issue_code

HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash("clerk-pass-1")


@pytest.fixture
def central(tmp_path: Path) -> Iterator[EmbeddedCentral]:
    service = EmbeddedCentral(f"sqlite:///{tmp_path / 'central' / 'c.sqlite3'}",
                              tmp_path / "central", dispatch_notifications=False)
    service.start()
    engine = make_engine(service.db_url, pool_size=1)
    with session_factory(engine).begin() as session:
        accounts.upsert_user_hash(session, "clerk1", "李警官", "clerk", HASH)
    engine.dispose()
    yield service
    service.stop()


@pytest.fixture
def enrolled_window(qtbot, runtime, central):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow
    from ui.pages.registry import register_builtin_pages

    runtime.settings.profile = "default"
    runtime.settings.central.embedded = False
    runtime.settings.central.url = central.base_url
    enrol(runtime.settings, runtime.db, issue_code(central, runtime.settings.station.code))
    register_builtin_pages()
    window = MainWindow(runtime)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_clerk_signs_in_with_the_central_account_and_is_signed_out_when_disabled(
        qtbot, enrolled_window, runtime) -> None:  # type: ignore[no-untyped-def]
    login = enrolled_window.login
    assert not login.first_run and not login.confirm.isVisible()
    assert login.subtitle.text() == "请使用中心服务的账户登录"
    login.username.setText("clerk1")
    login.password.setText("clerk-pass-1")
    qtbot.mouseClick(login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: enrolled_window.operator is not None, timeout=15_000)
    assert enrolled_window.operator.display_name == "李警官"
    session = runtime.extras.get("central_session")
    qtbot.waitUntil(lambda: session is not None or runtime.extras.get("central_session"),
                    timeout=5_000)
    assert runtime.extras["central_session"].username == "clerk1"  # one sign-in, one token

    runtime.bus.publish(OperatorsRevoked(usernames=("clerk1",)))  # what the roster announces
    qtbot.waitUntil(lambda: enrolled_window.operator is None, timeout=5_000)
    assert enrolled_window.stack.currentWidget() is login
    assert "停用" in login.message.text()


def test_a_wrong_password_is_refused_by_the_central_service(
        qtbot, enrolled_window) -> None:  # type: ignore[no-untyped-def]
    login = enrolled_window.login
    login.username.setText("clerk1")
    login.password.setText("wrong-password")
    qtbot.mouseClick(login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: login.message.text() != "" and login.submit.isEnabled(),
                    timeout=15_000)
    assert "密码错误" in login.message.text() and enrolled_window.operator is None

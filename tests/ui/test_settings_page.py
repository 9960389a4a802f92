"""The administrator enrols the station on the settings page: central address, one-time
code, test connection; results are shown and the calls run off the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.embedded import EmbeddedCentral
from station.db.models import Role
from station.enrolment import read_enrolment
from station.operators import OperatorInfo
from tests.unit.test_station_enrolment import issue_code
from ui.pages.admin_settings import ERROR_STYLE, OK_STYLE, SettingsPage

ADMIN = OperatorInfo("a" * 32, "admin", "管理员", Role.ADMIN)


@pytest.fixture
def central(tmp_path: Path) -> Iterator[EmbeddedCentral]:
    service = EmbeddedCentral(f"sqlite:///{tmp_path / 'central' / 'c.sqlite3'}",
                              tmp_path / "central")
    service.start()
    yield service
    service.stop()


@pytest.fixture
def page(qtbot, runtime, central):  # type: ignore[no-untyped-def]
    runtime.settings.profile = "default"
    runtime.settings.central.embedded = False
    runtime.settings.central.url = central.base_url
    widget = SettingsPage(runtime, ADMIN)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: bool(widget.central._status), timeout=10_000)
    return widget


def test_admin_tests_the_connection_and_enrols_the_station(qtbot, page, runtime, central,
                                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    box = page.central
    assert box._status["enrolled"] is False
    assert box.url.text() == central.base_url
    assert "未" in box.state.text()  # "not enrolled yet", in Chinese

    threads: list[str] = []
    probe = runtime.probe_central
    monkeypatch.setattr(runtime, "probe_central",
                        lambda url=None: (threads.append(threading.current_thread().name),
                                          probe(url))[1])
    qtbot.mouseClick(box.test_button, qtbot_button())
    qtbot.waitUntil(lambda: box.test_button.isEnabled() and box.result.text() != "", timeout=10_000)
    qtbot.waitUntil(lambda: box.test_button.isEnabled(), timeout=10_000)
    assert threads and threads[0] != threading.main_thread().name  # off the GUI thread
    assert box.result.styleSheet() == OK_STYLE

    box.code.setText("AAAA-BBBB-CCCC-DDDD")
    qtbot.mouseClick(box.enrol_button, qtbot_button())
    qtbot.waitUntil(lambda: box.result.styleSheet() == ERROR_STYLE and box.enrol_button.isEnabled(),
                    timeout=10_000)
    assert "注册码错误" in box.result.text()

    box.code.setText(issue_code(central, runtime.settings.station.code))
    qtbot.mouseClick(box.enrol_button, qtbot_button())
    qtbot.waitUntil(lambda: box.result.styleSheet() == OK_STYLE and box.enrol_button.isEnabled()
                    and box._status.get("enrolled") is True, timeout=10_000)
    assert box.code.text() == ""  # the one-time code is not left on screen
    assert runtime.settings.station.code in box.result.text()
    with runtime.db.session() as session:
        stored = read_enrolment(session, runtime.settings.station.code)
    assert stored.enrolled and stored.url == central.base_url

    qtbot.mouseClick(box.test_button, qtbot_button())
    qtbot.waitUntil(lambda: "接受本工作站" in box.result.text(), timeout=10_000)
    assert box.result.styleSheet() == OK_STYLE


def test_a_refused_address_is_explained(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    box = page.central
    box.url.setText("http://10.1.2.3:8600")
    qtbot.mouseClick(box.test_button, qtbot_button())
    qtbot.waitUntil(lambda: box.result.styleSheet() == ERROR_STYLE and box.test_button.isEnabled(),
                    timeout=10_000)
    assert "https://" in box.result.text()


def qtbot_button():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton

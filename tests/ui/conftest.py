"""UI fixtures: a station runtime on a temporary SQLite database, devices not started
(device drivers have their own tests), and the translators of the chosen language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def runtime(settings, qapp) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from station.runtime import StationRuntime
    from ui.i18n import install_language

    install_language("zh_CN")
    rt = StationRuntime.open(settings, start_devices=False)
    yield rt
    rt.close()
    install_language("zh_CN")


@pytest.fixture
def window(runtime, qtbot):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow
    from ui.pages.registry import register_builtin_pages

    register_builtin_pages()
    win = MainWindow(runtime)
    qtbot.addWidget(win)
    win.show()
    return win

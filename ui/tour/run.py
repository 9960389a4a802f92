"""Runs the tour's two halves, the service window and the kiosk, each on a station of its
own (a fresh data folder: the first start is a real first start)."""

from __future__ import annotations

import contextlib
import logging
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize

from station.config import load_settings
from ui.tour.driver import Driver

log = logging.getLogger(__name__)


def _settings(folder: Path, language: str, kiosk: bool) -> Any:
    return load_settings(profiles=("demo", "kiosk") if kiosk else ("demo",), environ={
        "STATION__STORAGE__DATA_DIR": str(folder), "STATION__UI__LANGUAGE": language,
        "STATION__UI__FULLSCREEN": "false",
        # nobody reads the agreement on a tour: a signature is accepted 3 s after it is shown
        "STATION__UI__AGREEMENT_MIN_READING_S": "3"})


def _open(settings: Any) -> Any:
    from app.runtime import StationRuntime
    from ui.i18n import install_language

    install_language(settings.ui.language)
    runtime = StationRuntime.open(settings)
    runtime.extras["sync_started"].result(timeout=120)
    return runtime


def counter_half(driver: Driver, folder: Path) -> dict[str, Any]:
    from ui.central_link import register_review_pages
    from ui.main_window import MainWindow
    from ui.pages.registry import register_builtin_pages
    from ui.tour.counter import CounterTour

    runtime = _open(_settings(folder, driver.language, kiosk=False))
    window = None
    try:
        register_builtin_pages()
        register_review_pages(runtime)
        window = MainWindow(runtime)
        window.setGeometry(0, 0, driver.size.width(), driver.size.height())
        window.show()
        tour = CounterTour(driver, runtime, window)
        try:
            tour.run()
        except Exception:
            with contextlib.suppress(Exception):  # where it stopped, for whoever reads why
                driver.snap("counter-stopped-here", window)
            raise
        finally:
            result = {"flows": tour.flows, "f1_input": tour.f1_input, "notes": tour.notes}
        return result
    finally:
        if window is not None:
            _close(window)
        runtime.close()


def kiosk_half(driver: Driver, folder: Path) -> dict[str, Any]:
    from app.demo_liveness import demo_liveness_factory
    from ui.kiosk.window import KioskWindow
    from ui.tour.kiosk import KioskTour

    runtime = _open(_settings(folder, driver.language, kiosk=True))
    window = None
    try:
        window = KioskWindow(runtime, liveness_factory=demo_liveness_factory(runtime))
        window.setGeometry(0, 0, driver.size.width(), driver.size.height())
        window.showFullScreen()
        tour = KioskTour(driver, runtime, window)
        try:
            tour.run()
        except Exception:
            with contextlib.suppress(Exception):
                driver.snap("kiosk-stopped-here", window)
            raise
        finally:
            result = {"flows": tour.flows}
        return result
    finally:
        if window is not None:
            _close(window)
        runtime.close()


def _close(window: Any) -> None:
    from PySide6.QtTest import QTest

    allow = getattr(window, "allow_close", None)
    if callable(allow):
        allow()
    window._may_close = True  # the kiosk refuses to close without its administrator
    window.close()
    window.deleteLater()
    QTest.qWait(200)


def run_tour(size: tuple[int, int], language: str, out: Path, work: Path,
             only: str | None = None) -> tuple[dict[str, Any], str | None]:
    from station.logs import configure_logging
    from ui.app import create_application

    configure_logging(work / "logs", "INFO", 5_000_000, 1)
    create_application(["tour"])
    driver = Driver(QSize(*size), language, out)
    report: dict[str, Any] = {"size": list(size), "language": language, "screens": driver.screens,
                              "flows": [], "f1_input": {}, "notes": []}
    error: str | None = None
    halves = [("counter", counter_half), ("kiosk", kiosk_half)]
    for name, half in halves:
        if only and name != only:
            continue
        try:
            result = half(driver, work / name)
            report["flows"].extend(result.get("flows", []))
            report["notes"].extend(result.get("notes", []))
            if result.get("f1_input"):
                report["f1_input"] = result["f1_input"]
        except Exception as exc:
            log.exception("the tour stopped in the %s half", name)
            error = f"{name}: {exc}"
            report["traceback"] = traceback.format_exc()
            break
    return report, error

"""Start the Qt application: settings, logging, runtime, translations, fonts, main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from station.config import SettingsError, load_settings
from station.logs import configure_logging

log = logging.getLogger(__name__)

STYLE_SHEET = Path(__file__).resolve().parent.parent / "resources" / "styles" / "station.qss"
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "Source Han Sans SC")


def _clear_opencv_qt_clash() -> None:
    """opencv-contrib-python's wheel points Qt at its bundled Qt 5 plugins; never use them."""
    path = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "")
    if "cv2" in path:
        del os.environ["QT_QPA_PLATFORM_PLUGIN_PATH"]


def choose_font_family() -> str | None:
    from PySide6.QtGui import QFontDatabase

    families = set(QFontDatabase.families())
    return next((f for f in CJK_FONTS if f in families), None)


def create_application(argv: list[str]) -> object:
    _clear_opencv_qt_clash()
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Counter Station")
    app.setOrganizationName("Counter Station")
    family = choose_font_family()
    if family:
        font = QFont(family)
        font.setPointSize(11)
        app.setFont(font)
    style = STYLE_SHEET.read_text(encoding="utf-8") if STYLE_SHEET.exists() else ""
    app.setStyleSheet(style)
    return app


NO_SETTINGS_MESSAGE = (
    "counter-station: no settings file given.\n"
    "  Demo (simulated devices, embedded central service): python main.py --demo\n"
    "  A real station: python main.py --config /etc/counter-station/station.toml\n"
    "  (a commented example is docs/station.example.toml; see README, 'Deployment')"
)


def run(args: argparse.Namespace) -> int:
    if args.config is None and not args.demo:
        # A production station must never fall back to simulated devices without saying so.
        print(NO_SETTINGS_MESSAGE, file=sys.stderr)
        return 2
    profiles: list[str] = ["demo"] if args.demo else []
    if args.kiosk:
        profiles.append("kiosk")
    environ = dict(os.environ)
    if args.language:
        environ["STATION__UI__LANGUAGE"] = args.language
    try:
        settings = load_settings(args.config, tuple(profiles), environ)
    except SettingsError as exc:
        print(f"counter-station: {exc}", file=sys.stderr)
        return 2
    log_file = configure_logging(settings.storage.data_dir / "logs", settings.logging.level,
                                 settings.logging.max_bytes, settings.logging.backups)

    app = create_application(sys.argv[:1])
    from app.runtime import StationRuntime
    from station.vocabulary import VocabularyError
    from station.workflows.rules import RulesError
    from ui.central_link import register_review_pages
    from ui.i18n import install_language
    from ui.main_window import MainWindow
    from ui.pages.registry import register_builtin_pages

    install_language(settings.ui.language)
    try:
        runtime = StationRuntime.open(settings)
    except (RulesError, VocabularyError) as exc:  # data files of this installation
        print(f"counter-station: {exc}", file=sys.stderr)
        return 2
    log.info("logging to %s", log_file)
    if settings.kiosk:
        from app.demo_liveness import demo_liveness_factory
        from ui.kiosk.window import KioskWindow

        # no operator sign-in; the admin password exits. A demo station's liveness check can
        # be answered by a simulated live person (training console); None: the real engine
        window = KioskWindow(runtime, liveness_factory=demo_liveness_factory(runtime))
        window.exited.connect(app.quit)  # type: ignore[attr-defined]
        window.showFullScreen()
    else:
        register_builtin_pages()
        register_review_pages(runtime)
        window = MainWindow(runtime)
        if settings.ui.fullscreen:
            window.showFullScreen()
        else:
            window.show()
    from ui.training_console import install_training_console

    install_training_console(window, runtime)  # demo stations only: Ctrl+Shift+D
    try:
        return app.exec()  # type: ignore[attr-defined]
    finally:
        runtime.close()

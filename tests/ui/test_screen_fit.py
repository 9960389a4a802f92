"""Every screen fits the counter's 1366 x 768 monitor and a 1920 x 1080 one, in Chinese and in
English: the window's minimum (what its layouts allow) fits 1366 x 740 (768 less the title bar),
the window never grows by itself while the clerk moves through the screens, and no label or
button text is cut off. Measured with the station's own font and style sheet."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QWidget

from station.db.models import CaseKind
from station.events import DeviceState, DeviceStatus, SyncStatusChanged
from tests.ui.conftest import sign_on_canvas
from tests.ui.fit import COUNTER_SCREEN, clipped, fits, needed, settle, squashed
from tests.ui.test_flow_other_kinds import licence_photo
from tests.ui.test_kiosk_flow import portrait_face  # noqa: F401 (a fixture)
from tests.ui.test_shell import sign_in
from ui.i18n import install_language

LANGUAGES = ("zh_CN", "en")
LARGE_SCREEN = QSize(1920, 1080)
SCREENSHOTS = os.environ.get("FIT_SCREENSHOTS")
REPORT = os.environ.get("FIT_REPORT")


@pytest.fixture
def station_look(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The font and style sheet ui.app gives the running station (they decide the sizes)."""
    from PySide6.QtGui import QFont

    from ui.app import STYLE_SHEET, choose_font_family

    old_font, old_sheet = qapp.font(), qapp.styleSheet()
    family = choose_font_family()
    font = QFont(family) if family else QFont(old_font)
    font.setPointSize(11)
    qapp.setFont(font)
    qapp.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
    yield
    qapp.setFont(old_font)
    qapp.setStyleSheet(old_sheet)


class Screens:
    """Checks each screen of one window as the clerk reaches it, and remembers what failed."""

    def __init__(self, window: QWidget, language: str, screen: QSize = COUNTER_SCREEN,
                 problems: list[str] | None = None) -> None:
        self.window, self.language, self.screen = window, language, screen
        self.problems: list[str] = [] if problems is None else problems
        settle(window, screen)

    def check(self, name: str) -> None:
        label = f"{name} ({self.language})"
        size = needed(self.window)
        if REPORT:  # the minimum of every screen, for a table: FIT_REPORT=FILE pytest ...
            with open(REPORT, "a", encoding="utf-8") as report:
                report.write(f"{label}\t{size.width()}x{size.height()}\n")
        if not fits(size, self.screen):
            self.problems.append(f"{label}: needs {size.width()} x {size.height()}")
        settle(self.window, self.screen)
        if self.window.size() != self.screen:
            self.problems.append(f"{label}: the window grew to {self.window.width()} x "
                                 f"{self.window.height()}")
        for screen in (self.screen, LARGE_SCREEN):
            settle(self.window, screen)
            cut, squeezed = clipped(self.window), squashed(self.window)
            if cut:
                self.problems.append(f"{label} at {screen.width()} x {screen.height()}: "
                                     f"text cut off: {cut}")
            if squeezed:
                self.problems.append(f"{label} at {screen.width()} x {screen.height()}: "
                                     f"smaller than their minimum: {squeezed}")
        settle(self.window, self.screen)
        if SCREENSHOTS:  # for looking at them: FIT_SCREENSHOTS=DIR pytest ...
            self.window.grab().save(str(Path(SCREENSHOTS) / f"{label}.png".replace(" ", "_")))

    def assert_all_fit(self) -> None:
        assert not self.problems, "\n".join(self.problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_lock_and_admin_pages_fit(station_look, qtbot, window, runtime,  # type: ignore[no-untyped-def]
                                        language: str) -> None:
    # station_look first: the window is built with the station's font, as ui.app does
    install_language(language)
    screens = Screens(window, language)
    screens.check("first start")
    sign_in(qtbot, window, "admin", "Secret-pass-7")
    workspace = window.workspace
    for spec in workspace.specs:
        workspace.open_page(spec.key)
        screens.check(f"page {spec.key}")
    for kind in window.device_bar.indicators:  # a station with every device unplugged
        window.device_bar.set_status(DeviceStatus(kind, DeviceState.ABSENT))
    window._sync_changed(SyncStatusChanged(
        status=DeviceStatus("central", DeviceState.ABSENT), pending=120, failed=30,
        online=False))
    screens.check("status bar, every device unplugged")
    for kind in window.device_bar.indicators:
        window.device_bar.set_status(DeviceStatus(kind, DeviceState.READY))
    window._sync_changed(SyncStatusChanged(  # the sync label's longest: why, with the counts
        status=DeviceStatus("central", DeviceState.ERROR), pending=120, failed=30,
        online=False, link="disabled", detail=QCoreApplication.translate(
            "Sync", "The central service has disabled this station; cases are kept "
            "locally until its administrator enables it again.")))
    screens.check("status bar, the station disabled centrally")
    window.lock()
    screens.check("lock screen")
    window.sign_out()
    screens.check("sign in")
    screens.assert_all_fit()


def _clerk_window(qtbot, live_runtime):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow
    from ui.pages.registry import register_builtin_pages

    register_builtin_pages()
    win = MainWindow(live_runtime)
    qtbot.addWidget(win)
    win.show()
    win.login.set_first_run(False)
    return win


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_registration_step_fits(qtbot, live_runtime, station_look,  # type: ignore[no-untyped-def]
                                      tmp_path: Path, language: str) -> None:
    """F1-F4 in demo mode (simulated card reader, replayed camera): each step as it looks
    with the card read and the camera's picture analysed."""
    from devices.idcard.factory import DEMO_CARD
    from tests.ui.test_resubmission import returned_case

    returned = returned_case(live_runtime, DEMO_CARD)  # with the supervisor's note
    install_language(language)
    win = _clerk_window(qtbot, live_runtime)
    screens = Screens(win, language)
    sign_in(qtbot, win, "clerk", "clerk-pass")
    page = win.workspace.open_page("registration")
    screens.check("home")
    cases_page = win.workspace.open_page("cases")
    qtbot.waitUntil(lambda: cases_page.table.rowCount() == 1, timeout=10_000)
    cases_page.table.selectRow(0)
    screens.check("case list, a returned case selected")
    dialog = cases_page.reprint()
    qtbot.waitUntil(lambda: dialog.view.pdf() is not None, timeout=30_000)
    dialog_needs = needed(dialog)
    assert fits(dialog_needs) and dialog.height() <= COUNTER_SCREEN.height(), dialog_needs
    assert clipped(dialog) == []
    dialog.reject()
    qtbot.mouseClick(cases_page.resubmit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.wizard is not None, timeout=10_000)
    assert returned in page.wizard.resubmission_note.text()
    screens.check("resubmission")
    page.wizard.cancel_case()
    qtbot.waitUntil(lambda: page.wizard is None, timeout=10_000)
    for kind in (CaseKind.INDIVIDUAL, CaseKind.ORGANISATION, CaseKind.ELICENCE_PHOTO,
                 CaseKind.MANUAL_REVIEW):
        wizard = page.start(kind)
        qtbot.waitUntil(lambda w=wizard: bool(w.ctx.case_number), timeout=10_000)
        for index, step in enumerate(wizard.steps):
            if wizard.stack.currentIndex() != index:  # the first is shown already
                wizard.go_to(index)
            if step.key == "document":
                qtbot.waitUntil(lambda s=step: s.use_button.isEnabled(), timeout=20_000)
                for tab in range(step.tabs.count()):
                    step.tabs.setCurrentIndex(tab)
                    screens.check(f"{kind.value} {step.key} tab {tab}")
                step.tabs.setCurrentIndex(0)
                continue
            if step.key == "photo":  # the checks listed, the instruction said
                qtbot.waitUntil(lambda s=step: s.view is not None and s.view.reports_received > 0,
                                timeout=60_000)
            if step.key == "agreement":
                qtbot.waitUntil(lambda s=step: s.widget is not None, timeout=10_000)
            screens.check(f"{kind.value} {step.key}")
            if step.key == "scans":  # big pictures in every slot must not grow the window
                picture = str(licence_photo(tmp_path / "scan.png"))
                for part in step.kinds:
                    step.import_file(part, picture)
                # saved, or (not card-shaped) waiting for the clerk's reason
                qtbot.waitUntil(lambda s=step: all(
                    k in s.done or s.slots[k].pending is not None for k in s.kinds),
                    timeout=20_000)
                screens.check(f"{kind.value} scans imported")
        if kind == CaseKind.INDIVIDUAL:  # the photo taken and compared with the chip
            wizard.go_to_key("photo")
            photo = wizard.current()
            qtbot.waitUntil(lambda p=photo: p.view.captured is not None, timeout=60_000)
            screens.check("individual photo taken")
            assert photo.view.preview.height() >= 360  # the live picture stays usable
        wizard.cancel_case()
        qtbot.waitUntil(lambda: page.wizard is None, timeout=10_000)
    _individual_to_receipt(qtbot, page, screens)
    screens.assert_all_fit()


def _individual_to_receipt(qtbot, page, screens: Screens) -> None:  # type: ignore[no-untyped-def]
    """F1 done for real up to the receipt shown in the last step."""
    wizard = page.start(CaseKind.INDIVIDUAL)
    qtbot.waitUntil(lambda: bool(wizard.ctx.case_number), timeout=10_000)
    document = wizard.current()
    qtbot.waitUntil(lambda: document.use_button.isEnabled(), timeout=20_000)
    qtbot.mouseClick(document.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "photo", timeout=10_000)
    photo = wizard.current()
    qtbot.waitUntil(lambda: photo.continue_button.isEnabled(), timeout=60_000)
    qtbot.mouseClick(photo.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "phone", timeout=10_000)
    phone = wizard.current()
    phone.phone.setText("13812345678")
    qtbot.mouseClick(phone.skip, Qt.MouseButton.LeftButton)
    phone.skip_reason.setText("no signal")
    screens.check("individual phone, the reason asked")
    qtbot.mouseClick(phone.skip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.current().key == "agreement", timeout=10_000)
    agreement = wizard.current()
    qtbot.waitUntil(lambda: agreement.widget is not None, timeout=10_000)
    sign_on_canvas(qtbot, agreement.widget.canvas)
    agreement.widget.try_accept()
    qtbot.waitUntil(lambda: wizard.current().key == "review", timeout=20_000)
    review = wizard.current()
    qtbot.waitUntil(lambda: bool(review.summary.text()), timeout=10_000)
    screens.check("individual review, filled in")
    review.confirmed.setChecked(True)
    qtbot.mouseClick(review.commit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.receipt_view is not None
                    and review.receipt_view.pdf() is not None, timeout=30_000)
    screens.check("individual receipt")
    qtbot.mouseClick(review.receipt_view.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.wizard is None, timeout=5000)


def test_the_clerk_window_starts_within_the_screen(qtbot, runtime) -> None:  # type: ignore[no-untyped-def]
    """On a small screen the window opens smaller than its preferred 1280 x 800."""
    from ui.main_window import MainWindow
    from ui.screen_room import FRAME_ALLOWANCE

    win = MainWindow(runtime)
    qtbot.addWidget(win)
    room = win.screen().availableGeometry().size() - FRAME_ALLOWANCE
    assert win.width() <= room.width() and win.height() <= room.height()
    assert win.width() <= 1280 and win.height() <= 800


def test_no_style_rule_for_a_state_changes_the_font() -> None:
    """Qt lays a widget out with the font of its plain rules; a font set only for a state
    (":default", ":hover"...) paints text wider than the room laid out for it (this cut
    "Verify and continue" and "Submit (Enter)")."""
    import re

    from ui.app import STYLE_SHEET
    from ui.kiosk.window import STYLE_SHEET as KIOSK_STYLE_SHEET

    offending = []
    for sheet in (STYLE_SHEET, KIOSK_STYLE_SHEET):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", text):
            stateful = [s.strip() for s in selectors.split(",")
                        if re.search(r"(?<!:):(?!:)[a-z-]+", s)]
            if stateful and re.search(r"\bfont(-[a-z]+)?\s*:", body):
                offending.append(f"{sheet.name}: {', '.join(stateful)}")
    assert not offending, offending


@pytest.mark.parametrize("language", LANGUAGES)
def test_review_queue_case_view_and_dashboard_fit(qtbot, runtime, station_look, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  faces_dir: Path, language: str) -> None:
    """A supervisor's pages against the embedded central service, with a case that has every
    part (photos, scans, signature) open in the case view."""
    from datetime import UTC, datetime

    from station import operators
    from station.db.models import Role
    from tests.integration.test_review_central import deliver, start_world
    from ui.main_window import MainWindow
    from ui.pages import registry
    from ui.review import register_review_pages

    world = start_world(tmp_path, datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    saved = list(registry._PAGES)
    pages: list[QWidget] = []
    try:
        deliver(world, "key-fit-001", faces_dir, full=True)
        registry.register_builtin_pages()
        register_review_pages(lambda: world.login("sup1"))
        runtime.db.write(lambda s: operators.create_operator(
            s, "sup1", "张审核", Role.SUPERVISOR, "review-pass"))
        install_language(language)
        win = MainWindow(runtime)
        qtbot.addWidget(win)
        win.login.set_first_run(False)
        screens = Screens(win, language)
        sign_in(qtbot, win, "sup1", "review-pass")
        queue = win.workspace.open_page("review_queue")
        pages.append(queue)
        qtbot.waitUntil(lambda: len(queue.model.rows) == 1 and not queue.model.busy(),
                        timeout=15_000)
        screens.check("review queue")
        queue.open_row(0)
        qtbot.waitUntil(lambda: queue.case_view is not None and queue.case_view.data is not None,
                        timeout=15_000)
        screens.check("case view")
        queue.case_view.close_button.click()
        dashboard = win.workspace.open_page("dashboard")
        pages.append(dashboard)
        qtbot.waitUntil(lambda: dashboard.figures is not None, timeout=15_000)
        screens.check("dashboard")
        screens.assert_all_fit()
    finally:
        for page in pages:
            page.shutdown()
        registry._PAGES[:] = saved
        world.close()


KIOSK_SCREEN = QSize(1366, 768)  # full screen, no frame


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kiosk_screen_fits(qtbot, live_runtime, station_look, request,  # type: ignore[no-untyped-def]
                                 language: str) -> None:
    """The self-service terminal full screen at 1366 x 768: first start, attract, the exit
    pad, and each screen of a registration (card, live check, notice, phone, signature,
    receipt) and of an e-licence photo, as a person meets them."""
    from PySide6.QtCore import Qt

    from tests.ui.test_kiosk_flow import ScriptedPerson, confirm_card, ensure_admin
    from ui.kiosk.flow_screens import ScanScreen
    from ui.kiosk.window import KioskWindow

    face = request.getfixturevalue("portrait_face")
    install_language(language)
    window = KioskWindow(live_runtime)
    qtbot.addWidget(window)
    screens = Screens(window, language, KIOSK_SCREEN)
    if language == "en":
        qtbot.mouseClick(window.en_button, Qt.MouseButton.LeftButton)
    screens.check("kiosk first start")
    window.hide()
    ensure_admin(live_runtime)
    window = KioskWindow(live_runtime, liveness_factory=lambda: ScriptedPerson(face))
    qtbot.addWidget(window)
    screens = Screens(window, language, KIOSK_SCREEN, screens.problems)
    screens.check("kiosk attract")
    for _ in range(5):
        qtbot.mouseClick(window.hotspot, Qt.MouseButton.LeftButton)
    screens.check("kiosk exit pad")
    window.admin.resume_requested.emit()

    def choose_language() -> None:  # as the person does: each visit starts in the default
        button = window.en_button if language == "en" else window.zh_button
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    choose_language()
    qtbot.mouseClick(window.attract.register_button, Qt.MouseButton.LeftButton)
    session = window.session
    screens.check("kiosk card")
    qtbot.waitUntil(lambda: session.screens["card"].continue_button.isVisible(), timeout=20_000)
    screens.check("kiosk card read")
    confirm_card(qtbot, session)
    qtbot.waitUntil(lambda: session.current_key() == "liveness", timeout=5000)
    screens.check("kiosk live check")
    qtbot.waitUntil(lambda: session.current_key() == "noChipPhoto", timeout=30_000)
    screens.check("kiosk no chip photo")
    qtbot.mouseClick(session.screens["noChipPhoto"].next_button, Qt.MouseButton.LeftButton)
    phone = session.screens["phone"]
    phone.keypad.type_text("13812345678")
    screens.check("kiosk phone")
    qtbot.mouseClick(phone.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.current_key() == "sign", timeout=10_000)
    sign = session.screens["sign"]
    qtbot.waitUntil(lambda: sign.widget is not None, timeout=10_000)
    screens.check("kiosk signature")
    sign_on_canvas(qtbot, sign.widget.canvas)
    sign.widget.try_accept()
    qtbot.waitUntil(lambda: session.current_key() == "done", timeout=20_000)
    done = session.screens["done"]
    qtbot.waitUntil(lambda: done.receipt.pdf() is not None, timeout=30_000)
    screens.check("kiosk receipt")
    qtbot.mouseClick(done.finish_button, Qt.MouseButton.LeftButton)

    choose_language()
    qtbot.mouseClick(window.attract.photo_button, Qt.MouseButton.LeftButton)
    session = window.session
    confirm_card(qtbot, session)
    qtbot.waitUntil(lambda: session.current_key() == "photo", timeout=20_000)
    photo = session.screens["photo"]
    qtbot.waitUntil(lambda: photo.use_button.isEnabled(), timeout=60_000)
    screens.check("kiosk e-licence photo")

    # the manual-review route's pictures (after three failed live checks) and a lost device
    scan = ScanScreen(live_runtime.devices.device("camera"), 3)
    window.stack.addWidget(scan)
    window.stack.setCurrentWidget(scan)
    scan.preview.start()
    qtbot.waitUntil(lambda: scan.preview.latest() is not None, timeout=10_000)
    screens.check("kiosk manual-review pictures")
    scan.release()
    window.out_of_service_screen.set_reasons(
        [("The camera is not connected.", "/dev/video0: no such device")])
    window.stack.setCurrentWidget(window.out_of_service_screen)
    screens.check("kiosk out of service")
    screens.assert_all_fit()

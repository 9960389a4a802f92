"""Qt's own dialogs as the operator meets them: their standard buttons in Chinese under zh_CN
(Qt's qtbase catalog installed beside ours, swapped on a language change), and every file
dialog opening in the user's documents folder, not the program's folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from ui.i18n import install_language


def _standard_texts() -> dict[str, str]:
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    try:
        return {name: box.button(getattr(QMessageBox.StandardButton, name)).text().replace("&", "")
                for name in ("Yes", "No", "Cancel")}
    finally:
        box.deleteLater()


def test_message_box_buttons_follow_the_language(qapp) -> None:  # type: ignore[no-untyped-def]
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / "qtbase_zh_CN.qm").is_file(), folder  # shipped with PySide6
    try:
        install_language("zh_CN")
        texts = _standard_texts()
        assert texts["Cancel"].startswith("取消") and texts["Yes"].startswith("是"), texts
        assert texts["No"].startswith("否"), texts
        install_language("en")  # swapped, not stacked
        assert _standard_texts() == {"Yes": "Yes", "No": "No", "Cancel": "Cancel"}
        install_language("zh_CN")
        assert _standard_texts()["Cancel"].startswith("取消")
    finally:
        install_language("zh_CN")


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of our own with its documents folder (the platform's rules find it)."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(tmp_path)  # the "program folder" a dialog must not open in
    from ui.places import documents_folder

    assert documents_folder() == home / "Documents"
    return home / "Documents"


def _folder_of_next_file_dialog(qtbot) -> list[Path]:  # type: ignore[no-untyped-def]
    """Arm a check of the file dialog about to open (it blocks until closed): note the folder
    it shows, then cancel it."""
    seen: list[Path] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, look)
            return
        seen.append(Path(dialog.directory().absolutePath()))
        dialog.reject()

    QTimer.singleShot(0, look)
    return seen


def test_the_end_of_day_report_is_saved_from_the_documents_folder(qtbot, documents) -> None:  # type: ignore[no-untyped-def]
    from ui.review.dashboard import ask_where_to_save

    parent = QWidget()
    qtbot.addWidget(parent)
    seen = _folder_of_next_file_dialog(qtbot)
    from ui.places import documents_folder

    assert ask_where_to_save(parent, documents_folder() / "daily-report.pdf") is None  # cancelled
    assert seen == [documents]


def test_the_dashboard_page_suggests_the_documents_folder(qtbot, runtime, documents) -> None:  # type: ignore[no-untyped-def]
    from station.db.models import Role
    from station.operators import OperatorInfo
    from ui.pages.registry import pages_for
    from ui.review import register_review_pages

    def no_client() -> object:
        raise AssertionError("the page is not shown: no request")

    register_review_pages(no_client)  # type: ignore[arg-type]
    spec = next(s for s in pages_for(Role.SUPERVISOR) if s.key == "dashboard")
    page = spec.factory(runtime, OperatorInfo("1", "sup", "赵", Role.SUPERVISOR))
    qtbot.addWidget(page)
    assert page.reports_dir == documents  # type: ignore[attr-defined]


def test_a_receipt_is_saved_from_the_documents_folder(qtbot, documents) -> None:  # type: ignore[no-untyped-def]
    from ui.receipt_view import ReceiptView

    view = ReceiptView()
    qtbot.addWidget(view)
    view._pdf = b"%PDF-1.4 test"  # a rendered receipt (rendering has its own tests)
    seen = _folder_of_next_file_dialog(qtbot)
    view.save_as()
    assert seen == [documents]
    assert not list(documents.iterdir())  # cancelled: nothing written


def test_a_scan_is_imported_from_the_documents_folder(qtbot, runtime, documents) -> None:  # type: ignore[no-untyped-def]
    from station.db.models import CaseKind, Role
    from station.operators import OperatorInfo
    from ui.event_bridge import EventBridge
    from ui.flows.step import FlowContext
    from ui.flows.steps.scans import ScansStep

    ctx = FlowContext(runtime, OperatorInfo("1", "li", "李", Role.CLERK),
                      EventBridge.for_bus(runtime.bus), CaseKind.MANUAL_REVIEW)
    step = ScansStep(ctx, kinds=("id_front",))
    qtbot.addWidget(step)
    seen = _folder_of_next_file_dialog(qtbot)
    step.import_file("id_front")
    assert seen == [documents] and step.done == set()  # cancelled: nothing imported

"""A receipt reprinted from the case list names the clerk who took the case, not whoever
reprints it (another clerk of the station, the next shift); a kiosk case names the
self-service terminal."""

from __future__ import annotations

import subprocess

from station import operators
from station.db.models import Role
from station.i18n import translate
from tests.ui.test_cases_page import committed_case
from ui.pages.cases import CasesPage


def reprinted_text(qtbot, runtime, reprinting) -> str:  # type: ignore[no-untyped-def]
    page = CasesPage(runtime, reprinting)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10_000)
    page.table.selectRow(0)
    dialog = page.reprint()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.view.pdf() is not None, timeout=30_000)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=dialog.view.pdf(),
                          capture_output=True, check=True).stdout.decode()
    dialog.reject()
    return text


def _operator(runtime, username: str, name: str):  # type: ignore[no-untyped-def]
    runtime.db.write(lambda s: operators.create_operator(s, username, name, Role.CLERK,
                                                         "clerk-pass-1"))
    with runtime.db.session() as session:
        return next(o for o in operators.list_operators(session) if o.username == username)


def test_the_reprint_names_the_clerk_who_took_the_case(qtbot, runtime) -> None:  # type: ignore[no-untyped-def]
    took = _operator(runtime, "li", "李警官")
    reprints = _operator(runtime, "zhang", "张警官")
    committed_case(runtime, "resident", took.id)
    text = reprinted_text(qtbot, runtime, reprints)
    assert "受理人：李警官" in text and "张警官" not in text
    assert "补打时间" in text  # said to be a reprint


def test_a_kiosk_case_reprinted_names_the_terminal(qtbot, runtime) -> None:  # type: ignore[no-untyped-def]
    reprints = _operator(runtime, "zhang", "张警官")
    committed_case(runtime, "resident", None)  # a kiosk's case has no operator
    text = reprinted_text(qtbot, runtime, reprints)
    terminal = translate("Kiosk", "Self-service terminal", "zh_CN")
    assert terminal != "Self-service terminal"
    assert f"受理人：{terminal}" in text and "张警官" not in text

"""The clerk's home: start one of the four kinds of case, or resume an interrupted draft."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.runtime import StationRuntime
from station.beijing import beijing_text
from station.db.models import Case, CaseKind
from station.operators import OperatorInfo
from station.workflows import cases
from station.workflows.cases import CaseRef, DraftInfo
from ui.event_bridge import EventBridge
from ui.flows.definitions import step_factories
from ui.flows.step import FlowContext
from ui.flows.wizard import FlowWizard
from ui.labels import case_kind_label
from ui.workers import run_async, watch_future

KINDS = (CaseKind.INDIVIDUAL, CaseKind.ORGANISATION, CaseKind.ELICENCE_PHOTO, CaseKind.MANUAL_REVIEW)


class RegistrationPage(QWidget):
    def __init__(self, runtime: StationRuntime, operator: OperatorInfo) -> None:
        super().__init__()
        self.runtime, self.operator = runtime, operator
        self.bridge = EventBridge.for_bus(runtime.bus)
        self.stack = QStackedWidget()
        self.home = QWidget()
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.buttons: dict[CaseKind, QPushButton] = {}
        grid = QGridLayout()
        for i, kind in enumerate(KINDS):
            button = QPushButton()
            button.setObjectName(f"start_{kind.value}")
            button.setMinimumHeight(72)
            button.setAutoDefault(True)  # Enter on the focused kind starts it
            button.clicked.connect(lambda _c=False, k=kind: self.start(k))
            # a shortcut of its own: a button's setText() without '&' clears its shortcut,
            # and retranslate() sets the text on every language change; the home's shortcuts
            # are live only while the home is shown (not during a case)
            QShortcut(QKeySequence(f"F{i + 1}"), self.home, button.click)
            self.buttons[kind] = button
            grid.addWidget(button, i // 2, i % 2)
        self.drafts_heading = QLabel()
        self.drafts = QListWidget()
        self.drafts.setObjectName("draftsList")
        self.drafts.itemActivated.connect(self._resume_item)
        home_layout = QVBoxLayout(self.home)
        home_layout.addWidget(self.heading)
        home_layout.addLayout(grid)
        home_layout.addWidget(self.drafts_heading)
        home_layout.addWidget(self.drafts, 1)
        self.stack.addWidget(self.home)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.wizard: FlowWizard | None = None
        self.retranslate()
        self.refresh_drafts()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("New registration"))
        for i, (kind, button) in enumerate(self.buttons.items()):
            button.setText(f"{case_kind_label(kind)}  (F{i + 1})")
        self.drafts_heading.setText(self.tr("Interrupted cases (double-click to continue)"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focused = self.focusWidget()
        if self.stack.currentWidget() is self.home and (
                focused is None or not self.home.isAncestorOf(focused)):
            self.buttons[KINDS[0]].setFocus()  # Enter starts F1, Tab and arrows reach the rest

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh_drafts(self) -> None:
        code = self.runtime.settings.station.code

        def load() -> list[DraftInfo]:
            with self.runtime.db.session() as session:
                return cases.open_drafts(session, code)

        run_async(load, self._show_drafts)

    def _show_drafts(self, drafts: list[DraftInfo]) -> None:
        self.drafts.clear()
        for draft in drafts:
            item = QListWidgetItem(f"{draft.number} · {case_kind_label(draft.kind)} · "
                                   f"{beijing_text(draft.updated_at)}")
            item.setData(Qt.ItemDataRole.UserRole, draft)
            self.drafts.addItem(item)

    def _context(self, kind: CaseKind) -> FlowContext:
        return FlowContext(self.runtime, self.operator, self.bridge, kind)

    def start(self, kind: CaseKind, resume: CaseRef | None = None,
              carry: dict[str, object] | None = None) -> FlowWizard:
        self.close_wizard()
        ctx = self._context(kind)
        ctx.data.update(carry or {})
        self.wizard = FlowWizard(ctx, step_factories(kind), resume)
        self.wizard.finished.connect(self.close_wizard)
        for step in self.wizard.steps:
            switch = getattr(step, "manual_review_requested", None)
            if switch is not None:
                switch.connect(self._switch_to_manual_review)
        self.stack.addWidget(self.wizard)
        self.stack.setCurrentWidget(self.wizard)
        return self.wizard

    def _switch_to_manual_review(self) -> None:
        """Face recognition failed repeatedly: this case is withdrawn (its data wiped) and a
        manual review submission starts with the same identity document."""
        wizard = self.wizard
        if wizard is None:
            return
        carry = {"document": wizard.ctx.data["document"]} if "document" in wizard.ctx.data else {}
        wizard.finished.disconnect(self.close_wizard)
        wizard.finished.connect(lambda: self.start(CaseKind.MANUAL_REVIEW, carry=carry))
        wizard.cancel_case()

    def resubmit(self, case_id: str) -> None:
        """Start (or carry on with) the resubmission of a case returned for more information."""
        if self.wizard is not None:
            QMessageBox.information(self, self.tr("A case is in progress"), self.tr(
                "Finish or cancel the case in progress first, then resubmit the returned case."))
            return
        code, op_id, actor = self.runtime.settings.station.code, self.operator.id, \
            self.operator.username

        def work(session: Any) -> tuple[CaseRef, dict[str, Any] | None]:
            ref = cases.start_resubmission(session, case_id, code, op_id, actor)
            return ref, cases.resubmission_of(session.get(Case, ref.id))

        def started(result: tuple[CaseRef, dict[str, Any] | None]) -> None:
            ref, link = result
            self.start(ref.kind, ref, carry={"resubmission_of": link} if link else None)

        def refused(error: BaseException) -> None:
            QMessageBox.warning(self, self.tr("Cannot resubmit"), str(error))

        watch_future(self.runtime.db.submit(work), started, refused)

    def _resume_item(self, item: QListWidgetItem) -> None:
        draft: DraftInfo = item.data(Qt.ItemDataRole.UserRole)
        link = draft.resubmission_of  # a resubmission resumes with what it asks for
        self.start(draft.kind, draft.ref, carry={"resubmission_of": link} if link else None)

    def close_wizard(self) -> None:
        if self.wizard is not None:
            self.wizard.current().deactivate()
            self.stack.removeWidget(self.wizard)
            self.wizard.deleteLater()
            self.wizard = None
        self.stack.setCurrentWidget(self.home)
        self.buttons[KINDS[0]].setFocus()  # the keyboard is back on the home, not lost
        self.refresh_drafts()

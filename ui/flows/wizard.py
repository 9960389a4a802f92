"""The wizard that walks a case through its steps, saving each before moving on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station.workflows import cases
from station.workflows.cases import CaseRef, WorkflowError
from ui.confirm import ask_destructive
from ui.flows.step import FlowContext, FlowStep
from ui.labels import case_kind_label
from ui.operations import DbOp

StepFactory = Callable[[FlowContext], FlowStep]


class FlowWizard(QWidget):
    """Emits ``finished()`` when the case is committed or cancelled (the page returns home)."""

    finished = Signal()

    def __init__(self, ctx: FlowContext, steps: list[StepFactory], resume: CaseRef | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.steps: list[FlowStep] = [factory(ctx) for factory in steps]
        asked = (ctx.data.get("resubmission_of") or {}).get("steps")
        if asked:  # a resubmission asks only for what the supervisor asked for
            self.carried = [step for step in self.steps if step.key not in asked]
            self.steps = [step for step in self.steps if step.key in asked]
        else:
            self.carried = []
        self._busy = False
        self.confirm_box: QMessageBox | None = None  # the open "cancel this case?"
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.progress = QLabel()
        self.progress.setObjectName("flowProgress")
        self.resubmission_note = QLabel()  # what the supervisor asked for, when resubmitting
        self.resubmission_note.setObjectName("resubmissionNote")
        self.resubmission_note.setWordWrap(True)
        self.resubmission_note.setStyleSheet(
            "background: #fff8e1; border: 1px solid #ffb300; padding: 6px;")
        self.resubmission_note.setVisible(bool(ctx.data.get("resubmission_of")))
        self.stack = QStackedWidget()
        for step in self.steps:
            step.completed.connect(lambda work, step=step: self._save(work, step))
            self.stack.addWidget(step)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelCase")
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.back_button = QPushButton()
        self.back_button.setObjectName("stepBack")
        self.back_button.clicked.connect(self.back)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)  # inside the workspace's margins already
        layout.addWidget(self.heading)
        layout.addWidget(self.progress)
        layout.addWidget(self.resubmission_note)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.ask_cancel)
        QShortcut(QKeySequence("Alt+Left"), self, self.back)
        self.retranslate()
        if resume is not None:
            self._started(resume)
        else:
            kind, code, op_id, actor = ctx.kind, ctx.runtime.settings.station.code, ctx.operator.id, ctx.actor
            self._run(lambda s: cases.start_case(s, kind, code, op_id, actor), self._started)

    # -- navigation -------------------------------------------------------------------------

    def current(self) -> FlowStep:
        return self.steps[self.stack.currentIndex()]

    def go_to(self, index: int) -> None:
        index = max(0, min(index, len(self.steps) - 1))
        if self.stack.currentIndex() != index:
            self.current().deactivate()
        self.stack.setCurrentIndex(index)
        self._update_progress()
        self.current().activate()
        _enter_clicks_focused_buttons(self)

    def go_to_key(self, key: str) -> None:
        keys = [s.key for s in self.steps]
        self.go_to(keys.index(key) if key in keys else 0)

    def back(self) -> None:
        if self.stack.currentIndex() > 0 and not self._busy and self.back_button.isVisible():
            self.go_to(self.stack.currentIndex() - 1)

    def _started(self, ref: CaseRef) -> None:
        self.ctx.case_id, self.ctx.case_number = ref.id, ref.number
        self.ctx.config_version = ref.config_version
        self.retranslate()
        self.go_to_key(ref.step)

    def _update_progress(self) -> None:
        index = self.stack.currentIndex()
        parts = []
        for i, step in enumerate(self.steps):
            title = step.title()
            parts.append(f"<b>{title}</b>" if i == index else title)
        self.progress.setText(" › ".join(parts))
        self.back_button.setEnabled(index > 0)

    # -- saving -----------------------------------------------------------------------------

    def _run(self, work: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        self._busy = True
        self.setCursor(Qt.CursorShape.BusyCursor)

        def done(result: Any) -> None:
            self._busy = False
            self.unsetCursor()
            on_done(result)

        def failed(error: BaseException) -> None:
            self._busy = False
            self.unsetCursor()
            text = str(error) if isinstance(error, WorkflowError | ValueError) else repr(error)
            self.current().show_error(self.tr("Not saved: {reason}").format(reason=text))

        DbOp(self.ctx.runtime.db, work).success(done).failure(failed).run()

    def _save(self, work: Callable[[Any], Any], step: FlowStep) -> None:
        # a step already left (a second click on its button while the first was answered)
        # must not complete the step shown now: that one would be skipped
        if self._busy or not self.ctx.case_id or step is not self.current():
            return

        def saved(result: Any) -> None:
            if step.after_saved(result):
                if step is self.steps[-1]:
                    return
                self.go_to(self.steps.index(step) + 1)

        self._run(work, saved)

    def lock_navigation(self) -> None:
        """After the commit there is nothing to go back to or cancel."""
        self.cancel_button.setVisible(False)
        self.back_button.setVisible(False)
        self.resubmission_note.setVisible(False)  # the receipt takes its room now

    def complete(self) -> None:
        """The last step calls this when the case is committed and the receipt is done."""
        self.current().deactivate()
        self.ctx.clear()
        self.finished.emit()

    def ask_cancel(self) -> None:
        """Esc or "Cancel case": a question whose default (Enter, Esc) is No."""
        if not self.ctx.case_id or self._busy or not self.cancel_button.isVisible():
            return
        if self.confirm_box is not None and shiboken6.isValid(self.confirm_box) \
                and self.confirm_box.isVisible():
            return
        self.confirm_box = ask_destructive(
            self, self.tr("Cancel this case?"),
            self.tr("The personal data captured so far will be deleted. Cancel the case?"),
            self.cancel_case)

    def cancel_case(self) -> None:
        case_id, actor = self.ctx.case_id, self.ctx.actor

        def cancelled(_result: Any) -> None:
            self.current().deactivate()
            self.ctx.clear()
            self.finished.emit()

        self._run(lambda s: cases.cancel_case(s, case_id, actor), cancelled)

    def retranslate(self) -> None:
        number = self.ctx.case_number or "…"
        self.heading.setText(self.tr("{kind} · case {number}").format(
            kind=case_kind_label(self.ctx.kind), number=number))
        link = self.ctx.data.get("resubmission_of")
        if link:
            text = self.tr(
                "Resubmission of returned case {number}. Supervisor's note: {note}").format(
                number=link.get("number", ""), note=link.get("note") or self.tr("(none)"))
            if self.carried:
                text += "\n" + self.tr("Carried over from the returned case: {steps}.").format(
                    steps="、".join(step.title() for step in self.carried))
            self.resubmission_note.setText(text)
        self.cancel_button.setText(self.tr("Cancel case (Esc)"))
        self.back_button.setText(self.tr("Back"))
        if self.steps:
            self._update_progress()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _enter_clicks_focused_buttons(widget: QWidget) -> None:
    """Enter presses the focused button, as in a dialog (outside one Qt leaves Enter to
    default buttons only), so a step can be done with Tab and Enter alone."""
    for button in widget.findChildren(QPushButton):
        button.setAutoDefault(True)

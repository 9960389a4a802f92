"""Before Submit: does the central service know another open or recent case of this person?

The station asks ``POST /v1/persons/lookup`` (the number is hashed there with the service's
key and never stored) off the GUI thread and shows each other case by its number, kind and
state only. Offline, the notice says the check could not be made; Submit never waits for it.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from station.beijing import beijing_text
from ui.review.format import kind_label, state_label
from ui.workers import run_async

OPEN_STATES = ("pending", "claimed", "returned")
SHOWN = 5  # more than a few means the supervisor's case view is the place to look


class OtherCasesNotice(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("otherCasesNotice")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.state = "idle"  # idle | checking | none | found | unknown | retired
        self.cases: list[dict[str, Any]] = []
        self.hide()

    def check(self, runtime: Any, id_number: str) -> None:
        sync = getattr(runtime, "sync", None)
        if not id_number:
            self.state = "idle"
            self.hide()
            return
        if sync is None:
            self._unknown()
            return
        self.state = "checking"
        self._show(self.tr("Asking the central service whether this person has other cases…"),
                   "color: #5f6670;")
        run_async(lambda: sync.other_cases(id_number), self._answered,
                  lambda _error: self._unknown())

    def _answered(self, answer: dict[str, Any]) -> None:
        if self.state == "retired":
            return
        self.cases = list(answer.get("cases") or [])
        if not self.cases:
            self.state = "none"
            self._show(self.tr("No other open or recent case of this person."), "color: #5f6670;")
            return
        self.state = "found"
        still_open = [c for c in self.cases if c.get("review_state") in OPEN_STATES]
        head = (self.tr("Attention: this person already has {n} open case(s). Check with the "
                        "applicant before submitting another.").format(n=len(still_open))
                if still_open else
                self.tr("This person had other cases in the last 30 days:"))
        rows = [f"<b>{escape(head)}</b>"]
        for case in self.cases[:SHOWN]:
            rows.append("• " + escape(self.tr("{number} · {kind} · {state} · received {time}")
                                      .format(number=case.get("number", ""),
                                              kind=kind_label(str(case.get("kind", ""))),
                                              state=state_label(str(case.get("review_state", ""))),
                                              time=_received(case.get("received_at")))))
        if len(self.cases) > SHOWN:
            rows.append(escape(self.tr("… and {n} more").format(n=len(self.cases) - SHOWN)))
        colour = "#a61b1b" if still_open else "#8a5a00"
        self._show("<br>".join(rows), f"color: {colour}; border: 1px solid {colour}; "
                                      "padding: 6px; background: #fff8e1;")

    def _unknown(self) -> None:
        if self.state == "retired":
            return
        self.state = "unknown"
        self._show(self.tr("The central service cannot be reached: other cases of this person "
                           "were not checked. You can submit; the supervisor will see them."),
                   "color: #8a5a00;")

    def retire(self) -> None:
        """The case is submitted: the notice has served, an answer still on its way stays off."""
        self.state = "retired"
        self.hide()

    def _show(self, text: str, style: str) -> None:
        self.setText(text)
        self.setStyleSheet(style)
        self.show()


def _received(value: Any) -> str:
    try:
        return beijing_text(datetime.fromisoformat(str(value)))
    except ValueError:
        return "—"

"""A step of a registration flow and what it can reach while it is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.runtime import StationRuntime
from station.db.models import CaseKind
from station.operators import OperatorInfo
from station.workflows.case_kinds import CASE_KINDS, CaseKindSpec
from ui.event_bridge import EventBridge

Work = Callable[[Any], Any]  # runs on the database writer thread with a Session


@dataclass
class FlowContext:
    """Shared by the steps of one case; ``data`` carries step results to later steps
    (e.g. the chip photo for the face match) and is cleared when the case ends."""

    runtime: StationRuntime
    operator: OperatorInfo
    bridge: EventBridge
    kind: CaseKind
    case_id: str = ""
    case_number: str = ""
    config_version: int = 0  # the published configuration the case started with (kept)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def actor(self) -> str:
        return self.operator.username

    @property
    def spec(self) -> CaseKindSpec:
        """The definition of this kind of case (station/workflows/case_kinds.py)."""
        return CASE_KINDS[self.kind]

    def clear(self) -> None:
        self.data.clear()


class FlowStep(QWidget):
    """Emits ``completed(work)`` with the database work that records the step; the wizard
    saves it and moves on only once it is committed."""

    completed = Signal(object)
    key = ""

    def __init__(self, ctx: FlowContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.message = QLabel()
        self.message.setObjectName("stepMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)  # the wizard's margins are the step's

    def title(self) -> str:
        raise NotImplementedError

    def activate(self) -> None:
        """Called each time the step is shown."""

    def deactivate(self) -> None:
        """Called when the step is left (release devices, stop timers)."""

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #c62828;")
        self.message.setText(text)

    def show_info(self, text: str) -> None:
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(text)

    def after_saved(self, result: Any) -> bool:
        """Called with the work's result; return False to stay on the step."""
        return True

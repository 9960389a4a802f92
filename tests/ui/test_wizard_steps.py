"""The wizard moves on only for the step on screen: a step left already (its button clicked a
second time while the first click was being answered) cannot complete, and so skip, the next."""

from __future__ import annotations

from typing import Any

from station.db.models import CaseKind
from station.operators import OperatorInfo
from station.workflows.cases import CaseRef
from ui.event_bridge import EventBridge
from ui.flows.step import FlowContext, FlowStep
from ui.flows.wizard import FlowWizard


class Plain(FlowStep):
    def __init__(self, ctx: FlowContext, key: str) -> None:
        super().__init__(ctx)
        self.key = key

    def title(self) -> str:
        return self.key

    def done(self) -> None:
        self.completed.emit(lambda _session: None)


def test_a_step_already_left_does_not_complete_the_next(qtbot, runtime) -> None:  # type: ignore[no-untyped-def]
    from station.db.models import Role

    operator = OperatorInfo("op", "clerk", "李警官", Role.CLERK)
    ctx = FlowContext(runtime, operator, EventBridge.for_bus(runtime.bus), CaseKind.INDIVIDUAL)
    factories: list[Any] = [lambda c, k=key: Plain(c, k) for key in ("phone", "agreement", "review")]
    wizard = FlowWizard(ctx, factories, CaseRef("case-id", "N-1", CaseKind.INDIVIDUAL, "phone"))
    qtbot.addWidget(wizard)
    phone, agreement, _review = wizard.steps
    phone.done()
    qtbot.waitUntil(lambda: wizard.current() is agreement, timeout=5000)
    phone.done()  # the second answer to a double click
    qtbot.wait(300)
    assert wizard.current() is agreement
    agreement.done()
    qtbot.waitUntil(lambda: wizard.current().key == "review", timeout=5000)

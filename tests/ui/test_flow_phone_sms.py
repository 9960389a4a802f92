"""The phone step sends an SMS code through the central service and verifies what the
applicant reads out; the case records the number as verified."""

from __future__ import annotations

from PySide6.QtCore import Qt

from station.db.models import Case, CaseKind
from station.workflows import cases
from tests.unit.test_sync_phone_verification import sent_code
from ui.event_bridge import EventBridge
from ui.flows.step import FlowContext
from ui.flows.steps.phone import PhoneStep


def test_sms_code_verifies_the_number(qtbot, live_runtime) -> None:  # type: ignore[no-untyped-def]
    live_runtime.extras["sync_started"].result(timeout=60)
    ref = live_runtime.db.write(lambda s: cases.start_case(s, CaseKind.INDIVIDUAL, "DEMO-0001",
                                                          None, "clerk"))
    ctx = FlowContext(live_runtime, live_runtime.extras["clerk"],
                      EventBridge.for_bus(live_runtime.bus), CaseKind.INDIVIDUAL, ref.id, ref.number)
    step = PhoneStep(ctx)
    qtbot.addWidget(step)
    saved: list[object] = []
    step.completed.connect(lambda work: saved.append(live_runtime.db.write(work)))
    step.phone.setText("13812345678")
    qtbot.mouseClick(step.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已发送" in step.message.text(), timeout=20_000)
    assert not step.send.isEnabled()  # resend countdown
    step.code.setText("000000" if sent_code(live_runtime.settings) != "000000" else "111111")
    qtbot.mouseClick(step.verify, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "错误" in step.message.text(), timeout=20_000)
    assert saved == []
    step.code.setText(sent_code(live_runtime.settings))
    qtbot.mouseClick(step.verify, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(saved) == 1, timeout=20_000)
    with live_runtime.db.session() as session:
        case = session.get(Case, ref.id)
        assert case is not None and case.details["phone"]["verified"] is True
        assert case.people[0].phone == "13812345678"

"""The passport / permit panel (pytest-qt, offscreen), reading through pcscd + vpcd."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTranslator

from devices.emrtd.simulator import PassportFiles
from station.events import EventBus
from tests.integration.test_emrtd_pcsc import (  # fixtures of the real PC/SC stack
    OTHER_MRZ,
    PASSPORT_MRZ,
    PERMIT_MRZ,
    VPCD_READER,
    insert_card,
    passport,
    pcscd,
)
from ui.passport_panel import PassportPanel

__all__ = ["insert_card", "passport", "pcscd"]  # fixtures used by name below
TS_FILE = Path(__file__).resolve().parents[2] / "resources" / "translations" / "emrtd_zh_CN.ts"


@pytest.fixture
def chinese(qapp, tmp_path: Path) -> Iterator[None]:
    qm = tmp_path / "emrtd_zh_CN.qm"
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), "-silent", str(TS_FILE), "-qm", str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


@pytest.fixture
def panel(qtbot, chinese, settings, monkeypatch) -> Iterator[PassportPanel]:
    """The panel on the station's reader, made as the DeviceManager makes it."""
    from devices.emrtd.factory import create

    monkeypatch.setenv("STATION_EMRTD_READER", VPCD_READER)
    bus = EventBus()
    reader = create(settings, bus)
    reader._poll = 0.05
    reader.start()
    widget = PassportPanel(reader, bus)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()
    reader.stop()


def test_live_check_digit_feedback(panel: PassportPanel) -> None:
    assert "机读区" in panel.mrz_status.text()
    assert not panel.read_button.isEnabled()
    panel.set_mrz(PASSPORT_MRZ.split("\n")[0])
    assert "每行字符数：44" in panel.mrz_status.text()
    assert not panel.read_button.isEnabled()
    typo = PASSPORT_MRZ.replace("7408122F", "7408132F")
    panel.set_mrz(typo)
    assert "✗ 出生日期" in panel.mrz_status.text() and "✓ 证件号码" in panel.mrz_status.text()
    assert not panel.read_button.isEnabled()
    panel.set_mrz(PERMIT_MRZ.replace("\n", " ").lower())
    assert panel.mrz_status.text().startswith("TD1")
    assert panel.read_button.isEnabled()
    assert panel.read_button.text() == "读取芯片"


def test_read_shows_holder_photo_and_verdict_then_hands_over(
    qtbot, panel: PassportPanel, insert_card, passport: PassportFiles
) -> None:
    panel.show()
    insert_card(passport)
    qtbot.waitUntil(lambda: panel.reader_label.text() == "证件已放在读卡器上", timeout=10_000)
    panel.set_mrz(PASSPORT_MRZ)
    steps: list[int] = []
    panel.progress.valueChanged.connect(steps.append)
    with qtbot.waitSignal(panel.read_finished, timeout=30_000) as finished:
        qtbot.mouseClick(panel.read_button, Qt.MouseButton.LeftButton)
        assert panel.reading() and panel.progress.isVisible()
    result = finished.args[0]
    assert result.holder.document_number == "L898902C3"
    assert not panel.reading()
    assert panel.field_text("name") == "ERIKSSON, ANNA MARIA"
    assert panel.field_text("sex") == "女"
    assert panel.field_text("authority") == "UTOPIA MFA"
    assert steps and steps[-1] == 100
    qtbot.waitUntil(panel.photo_shown, timeout=5_000)
    # No CSCA configured for the panel's reader: verified data, unverified signer.
    assert "未配置签发国证书" in panel.verification.text()
    with qtbot.waitSignal(panel.document_read) as handed:
        panel.use_button.click()
    document = handed.args[0]
    assert (document.source, document.doc_type, document.number) == (
        "emrtd", "passport", "L898902C3")
    assert document.chip_photo_image is not None and document.chip_photo_image[:3] == b"\xff\xd8\xff"
    assert {c["check"]: c["ok"] for c in document.checks} == {
        "expiry": True, "passive_authentication": False}


def test_wrong_mrz_shows_the_reason(
    qtbot, panel: PassportPanel, insert_card, passport: PassportFiles
) -> None:
    panel.show()
    insert_card(passport)
    panel.set_mrz(OTHER_MRZ)
    with qtbot.waitSignal(panel.read_failed, timeout=30_000) as failed:
        panel.start_read()
    assert failed.args[0] == "access_denied"
    assert "芯片拒绝了机读区信息" in panel.message.text()
    assert panel.result is None and not panel.use_button.isEnabled()
    assert panel.read_button.isEnabled()

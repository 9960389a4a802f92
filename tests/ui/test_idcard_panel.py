"""The clerk's ID-card panel (pytest-qt, offscreen)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from devices.idcard import errors
from devices.idcard.events import CardRead
from devices.idcard.simulator import ReaderSimulator
from devices.idcard.worker import IdCardReaderDevice
from station import i18n
from station.events import EventBus
from station.identity.card import CardType
from station.identity.chip_photo import PhotoStatus, bmp_from_rows, decode_chip_photo
from station.identity.samples import SAMPLES, sample_wlt
from station.identity.validation import validate_card
from tests.helpers.translations import installed_catalogue
from ui.event_bridge import EventBridge
from ui.idcard_panel import IdCardPanel, bind_reader

TS_FILE = Path(__file__).resolve().parents[2] / "resources" / "translations" / "idcard_zh_CN.ts"


@pytest.fixture
def chinese(qapp, tmp_path: Path) -> Iterator[None]:
    """The panel's catalog compiled from the .ts source and installed (zh_CN, the default)."""
    with installed_catalogue(qapp, "idcard", tmp_path):
        yield


@pytest.fixture
def panel(qtbot, chinese) -> IdCardPanel:
    widget = IdCardPanel()
    qtbot.addWidget(widget)
    return widget


def _reading(key: str, today: date = date(2026, 11, 24)):
    card = SAMPLES[key]
    return card, decode_chip_photo(sample_wlt(card), None), validate_card(card, today=today)


def test_waits_for_a_card_without_a_read_button(panel: IdCardPanel) -> None:
    assert "读卡器" in panel.message_text()
    assert not panel.findChild(type(panel._retry), "idcard_retry").isVisible()
    assert panel.field_text("name") == ""


def test_shows_a_resident_card_with_badges_and_missing_photo_reason(panel: IdCardPanel) -> None:
    card, photo, validations = _reading("resident")
    panel.show_card(card, photo, validations)
    assert panel.field_text("name") == "李秀兰"
    assert panel.field_text("sex") == "女"
    assert panel.field_text("nation") == "汉"
    assert panel.field_text("id_number") == "11010519491231002X"
    assert panel.field_text("validity") == "2015-03-01 – 长期"
    assert panel.field_text("card_type") == "居民身份证"
    assert all(text.startswith("✓") for text in panel.badge_texts())
    assert len(panel.badge_texts()) == len(validations)
    assert not panel.photo_shown()
    assert photo.status is PhotoStatus.DECODER_NOT_CONFIGURED
    note = panel.findChild(type(panel._photo_note), "idcard_photo_note").text()
    assert note == photo.reason["zh"]


def test_failed_validations_are_red_badges_with_reasons(panel: IdCardPanel) -> None:
    panel.show_card(*_reading("expired"))
    assert any(text.startswith("✗") for text in panel.badge_texts())
    assert "2024-05-10" in panel.message_text()
    badge = panel.findChild(type(panel._message), "idcard_badge_validity")
    assert badge.property("ok") is False and "过期" in badge.toolTip()


def test_decoded_photo_is_shown(panel: IdCardPanel) -> None:
    card, photo, validations = _reading("I")
    bmp = bmp_from_rows(bytes([0x30, 0x60, 0x90]) * (308 * 126 // 3 + 1))
    panel.show_card(card, dataclasses.replace(photo, status=PhotoStatus.DECODED, bmp=bmp,
                                              reason={}), validations)
    assert panel.photo_shown()
    assert panel.field_text("name_en") == "SMITH, JOHN MICHAEL"
    assert panel.field_text("nationality") == "USA"


def test_sam_error_offers_retry(panel: IdCardPanel, qtbot) -> None:
    panel.show_error(errors.status_error(0x60))
    assert "自检失败" in panel.message_text()
    assert "重试" in panel.action_text()
    retry = panel.findChild(type(panel._retry), "idcard_retry")
    assert not retry.isHidden()
    with qtbot.waitSignal(panel.retry_requested, timeout=1000):
        retry.click()


def test_unknown_card_type_offers_manual_entry(panel: IdCardPanel, qtbot) -> None:
    panel.show_error(errors.status_error(0x40))
    manual = panel.findChild(type(panel._manual), "idcard_manual")
    assert not manual.isHidden()
    assert "手工录入" in panel.action_text()
    with qtbot.waitSignal(panel.manual_entry_requested, timeout=1000):
        manual.click()


def test_card_pulled_says_to_place_it_again(panel: IdCardPanel) -> None:
    panel.show_card(*_reading("J"))
    panel.show_error(errors.card_removed())
    assert panel.message_text() == "读取过程中证件被移开。"
    assert "平放" in panel.action_text()
    assert panel.field_text("name") == "黄家明"  # what was read stays visible


def test_removed_and_english(panel: IdCardPanel) -> None:
    panel.show_card(*_reading("Y"))
    panel.show_removed()
    assert "证件已读取" in panel.message_text()
    i18n.set_language("en")
    try:
        panel.show_error(errors.status_error(0x66))
        assert panel.message_text() == "The reader's security module (SAM) is not authorised."
    finally:
        i18n.set_language("zh_CN")


def test_real_reader_over_a_pty_drives_the_panel(panel: IdCardPanel, qtbot) -> None:
    """Simulator on a pty -> reader thread -> EventBus -> EventBridge -> panel (GUI thread)."""
    bus = EventBus()
    bridge = EventBridge(bus)
    with ReaderSimulator(read_delay_s=0.01, pull_return_after_s=None) as simulator:
        reader = IdCardReaderDevice(bus, port=simulator.port, poll_interval_s=0.05,
                                    timeout_s=1.0, reconnect_interval_s=0.1)
        unbind = bind_reader(panel, bridge, reader)
        reader.start()
        try:
            simulator.set_fault("pull")
            simulator.place_card(SAMPLES["resident-male"])
            qtbot.waitUntil(lambda: panel.message_text() == "读取过程中证件被移开。", timeout=5000)
            panel.findChild(type(panel._retry), "idcard_retry").click()  # card still away
            qtbot.waitUntil(lambda: panel.message_text() == "读卡器上未找到证件。", timeout=5000)
            assert panel.action_text() == "请将证件放到读卡器上。"
            assert panel.findChild(type(panel._retry), "idcard_retry").isHidden()  # a prompt
            simulator.set_fault(None)
            simulator.place_card(SAMPLES["resident-male"])  # placed again: read on placement
            qtbot.waitUntil(lambda: panel.field_text("name") == "陈志强", timeout=5000)
            assert all(text.startswith("✓") for text in panel.badge_texts())
            simulator.remove_card()
            qtbot.waitUntil(lambda: "可以不放" in panel.message_text(), timeout=5000)
        finally:
            unbind()
            reader.stop()
            bridge.close()


def test_sam_failure_and_recovery_reach_the_panel(panel: IdCardPanel, qtbot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus)
    with ReaderSimulator(SAMPLES["resident"], fault="samerr", read_delay_s=0.01) as simulator:
        reader = IdCardReaderDevice(bus, port=simulator.port, poll_interval_s=0.05,
                                    timeout_s=1.0, reconnect_interval_s=0.1)
        unbind = bind_reader(panel, bridge, reader)
        reader.start()
        try:
            qtbot.waitUntil(lambda: "自检失败" in panel.message_text(), timeout=5000)
            assert not panel.findChild(type(panel._retry), "idcard_retry").isHidden()
            simulator.set_fault(None)
            qtbot.waitUntil(lambda: panel.field_text("name") == "李秀兰", timeout=5000)
            assert "自检失败" not in panel.message_text()
        finally:
            unbind()
            reader.stop()
            bridge.close()


def test_flow_card_types_add_a_badge(panel: IdCardPanel, qtbot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus)
    unbind = bind_reader(panel, bridge, allowed_types={CardType.RESIDENT_ID})
    try:
        card, photo, validations = _reading("Y")
        bus.publish(CardRead(card=card, photo=photo, validations=validations))
        qtbot.waitUntil(lambda: panel.field_text("name") == card.name, timeout=2000)
        assert panel.badge_texts()[-1] == "✗ 证件类型"
        assert "不接受" in panel.message_text()
    finally:
        unbind()
        bridge.close()

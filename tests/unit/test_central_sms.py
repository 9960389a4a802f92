"""The notification outbox: Chinese templates, retries when the gateway fails, dev gateway."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from central.db import make_engine, migrate, session_factory
from central.models import Notification, utcnow
from central.sms import DevelopmentGateway, dispatch_due, load_gateway, mask_phone, render


class FlakyGateway:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str, request_id: str | None = None) -> str:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("gateway timeout")
        self.sent.append((phone, text))
        return "ok"


@pytest.fixture
def sessions(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    migrate(engine)
    yield session_factory(engine)
    engine.dispose()


def test_templates_are_chinese_and_filled() -> None:
    text = render("returned", {"name": "李女士", "submitted": "11月25日", "office": "东城车管所",
                               "kind": "单位面签注册", "reason": "营业执照不清晰"})
    assert text.startswith("【交管12123】李女士您好")
    assert "营业执照不清晰" in text and "{" not in text
    assert mask_phone("13800138000") == "138****8000"


def test_failed_sends_are_retried_later_then_sent(sessions) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        session.add(Notification(case_id="c1", phone="13800138000", template="approved",
                                 text="审核通过"))
    gateway = FlakyGateway(failures=1)
    assert dispatch_due(sessions, gateway) == 0
    with sessions() as session:
        row = session.query(Notification).one()
        assert (row.state, row.attempts) == ("pending", 1)
        assert row.last_error == "gateway timeout"
        retry_at = row.next_attempt_at
    assert dispatch_due(sessions, gateway) == 0  # not due yet: nothing is hammered
    with sessions.begin() as session:
        session.query(Notification).one().next_attempt_at = utcnow() - timedelta(seconds=1)
    assert retry_at is not None
    assert dispatch_due(sessions, gateway) == 1
    assert gateway.sent == [("13800138000", "审核通过")]
    assert dispatch_due(sessions, gateway) == 0  # sent exactly once


def test_development_gateway_records_messages(tmp_path: Path) -> None:
    gateway = load_gateway("dev", tmp_path)
    assert isinstance(gateway, DevelopmentGateway)
    gateway.send("13900139000", "测试短信")
    lines = (tmp_path / "sms-dev.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["text"] == "测试短信"

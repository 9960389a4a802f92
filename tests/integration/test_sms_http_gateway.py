"""The signed HTTP SMS gateway against a local platform that checks what real ones check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from central.sms import load_gateway
from central.sms_http import PATH, HttpSmsGateway, SmsGatewayError, SmsPlatformSimulator


@pytest.fixture
def platform() -> Iterator[SmsPlatformSimulator]:
    simulator = SmsPlatformSimulator().start()
    yield simulator
    simulator.stop()


def test_a_signed_message_is_delivered_once_per_request_id(
        platform: SmsPlatformSimulator) -> None:
    gateway = HttpSmsGateway(platform.url, "test-key", "test-secret")
    first = gateway.send("13800138000", "【交管12123】张*您好，……", "row-1")
    again = gateway.send("13800138000", "【交管12123】张*您好，……", "row-1")  # a retry
    assert first == again == "sim-1"
    assert len(platform.delivered) == 1
    assert platform.delivered[0]["phone"] == "13800138000"
    assert platform.delivered[0]["sign_name"] == "交管12123"
    gateway.close()


def test_a_wrong_secret_or_a_replayed_request_is_refused(
        platform: SmsPlatformSimulator) -> None:
    with pytest.raises(SmsGatewayError, match="BAD_SIGNATURE"):
        HttpSmsGateway(platform.url, "test-key", "wrong-secret").send("13800138000", "x")
    with pytest.raises(SmsGatewayError, match="BAD_KEY"):
        HttpSmsGateway(platform.url, "other-key", "test-secret").send("13800138000", "x")
    body = json.dumps({"phone": "13800138000", "text": "x", "sign_name": "s",
                       "request_id": "r"}).encode()
    import time

    from central.sms_http import signature

    timestamp = str(int(time.time()))
    headers = {"X-Api-Key": "test-key", "X-Timestamp": timestamp, "X-Nonce": "n1",
               "X-Signature": signature("test-secret", timestamp, "n1", body)}
    assert httpx.post(platform.url + PATH, content=body, headers=headers).status_code == 200
    replayed = httpx.post(platform.url + PATH, content=body, headers=headers)
    assert replayed.status_code == 401 and replayed.json()["code"] == "NONCE_REUSED"
    assert platform.refused == ["BAD_SIGNATURE", "BAD_KEY", "NONCE_REUSED"]


def test_an_outage_raises_so_the_outbox_retries(platform: SmsPlatformSimulator) -> None:
    gateway = HttpSmsGateway(platform.url, "test-key", "test-secret")
    platform.fail_next = 1
    with pytest.raises(SmsGatewayError, match="503"):
        gateway.send("13800138000", "x", "row-2")
    assert gateway.send("13800138000", "x", "row-2") == "sim-1"
    with pytest.raises(SmsGatewayError, match="unreachable"):
        HttpSmsGateway("http://127.0.0.1:1", "k", "s", timeout_s=2).send("13800138000", "x")


def test_the_dispatcher_sends_through_the_configured_http_gateway(
        platform: SmsPlatformSimulator, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv("CENTRAL_SMS_URL", platform.url)
    monkeypatch.setenv("CENTRAL_SMS_KEY", "test-key")
    monkeypatch.setenv("CENTRAL_SMS_SECRET", "test-secret")
    gateway = load_gateway("http", tmp_path)
    assert isinstance(gateway, HttpSmsGateway)
    monkeypatch.delenv("CENTRAL_SMS_SECRET")
    with pytest.raises(ValueError, match="CENTRAL_SMS_SECRET"):
        load_gateway("http", tmp_path)

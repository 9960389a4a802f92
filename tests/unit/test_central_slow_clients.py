"""Issue 21 item 6: a client that trickles its headers or its body is cut off (headers: the
connection is closed; body: 408), instead of holding a connection for ever. Bounded: a few
seconds of trickling on localhost."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.central import Clock, RunningCentral, running_central

HEADER_S, IDLE_S = 1.0, 1.0


@pytest.fixture
def central(tmp_path: Path) -> Iterator[RunningCentral]:
    with running_central(tmp_path, {}, Clock(), stations=("ST-A",), header_timeout_s=HEADER_S,
                         body_idle_timeout_s=IDLE_S, body_timeout_s=3.0) as running:
        yield running


def connect(central: RunningCentral) -> socket.socket:
    host, port = central.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.settimeout(0.2)
    return sock


def closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(4096) == b""
    except TimeoutError:
        return False
    except ConnectionError:
        return True


def test_trickled_headers_are_cut_off(central: RunningCentral) -> None:
    sock = connect(central)
    request = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40
    started = time.monotonic()
    cut_after = None
    for byte in request:  # one byte every 0.1 s: 4 s at most
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            cut_after = time.monotonic() - started
            break
        if closed(sock):
            cut_after = time.monotonic() - started
            break
        time.sleep(0.1)
    sock.close()
    assert cut_after is not None, "still connected after trickling every header byte"
    assert cut_after < HEADER_S + 2.0


def test_a_trickled_body_gets_408(central: RunningCentral) -> None:
    sock = connect(central)
    sock.sendall(b"POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Authorization: " + central.station("ST-A")["Authorization"].encode() +
                 b"\r\nIdempotency-Key: slow-body-0001\r\nContent-Length: 5000\r\n\r\n{\"a\"")
    sock.settimeout(5.0)
    started = time.monotonic()
    answer = sock.recv(4096)
    waited = time.monotonic() - started
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
    assert waited < IDLE_S + 2.0


def test_a_normal_request_on_a_kept_alive_connection_still_works(
        central: RunningCentral) -> None:
    sock = connect(central)
    sock.settimeout(5.0)
    for _ in range(2):
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        time.sleep(HEADER_S / 2)
    sock.close()

"""An SMS gateway over HTTPS with signed requests, as the common Chinese SMS platforms
offer, and a local simulator of such a platform for tests and demos.

Request: ``POST {url}/v1/sms/send`` with JSON ``{"phone", "text", "sign_name",
"request_id"}`` and the headers ``X-Api-Key``, ``X-Timestamp`` (unix seconds), ``X-Nonce``
and ``X-Signature`` = hex HMAC-SHA256(secret, "POST\\n/v1/sms/send\\n<timestamp>\\n<nonce>\\n"
+ hex SHA-256 of the body). The platform answers ``{"code": "OK", "message_id": ...}`` or an
error code; ``request_id`` makes a retried send idempotent. Configure with
``--sms-gateway http`` and CENTRAL_SMS_URL, CENTRAL_SMS_KEY, CENTRAL_SMS_SECRET,
CENTRAL_SMS_SIGN_NAME.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

PATH = "/v1/sms/send"
MAX_SKEW_S = 300


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    canonical = "\n".join(["POST", PATH, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


class SmsGatewayError(RuntimeError):
    """The platform refused or could not be reached; the dispatcher retries later."""


class HttpSmsGateway:
    def __init__(self, url: str | None = None, api_key: str | None = None,
                 secret: str | None = None, sign_name: str | None = None,
                 timeout_s: float = 10.0) -> None:
        env = os.environ
        self.url = (url or env.get("CENTRAL_SMS_URL", "")).rstrip("/")
        self.api_key = api_key or env.get("CENTRAL_SMS_KEY", "")
        self.secret = secret or env.get("CENTRAL_SMS_SECRET", "")
        self.sign_name = sign_name or env.get("CENTRAL_SMS_SIGN_NAME", "交管12123")
        if not (self.url and self.api_key and self.secret):
            raise ValueError("the HTTP SMS gateway needs CENTRAL_SMS_URL, CENTRAL_SMS_KEY and "
                             "CENTRAL_SMS_SECRET")
        self._client = httpx.Client(timeout=timeout_s)

    def send(self, phone: str, text: str, request_id: str | None = None) -> str:
        body = json.dumps({"phone": phone, "text": text, "sign_name": self.sign_name,
                           "request_id": request_id or secrets.token_hex(16)},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp, nonce = str(int(time.time())), secrets.token_hex(12)
        try:
            response = self._client.post(self.url + PATH, content=body, headers={
                "Content-Type": "application/json", "X-Api-Key": self.api_key,
                "X-Timestamp": timestamp, "X-Nonce": nonce,
                "X-Signature": signature(self.secret, timestamp, nonce, body)})
        except httpx.HTTPError as exc:
            raise SmsGatewayError(f"SMS platform unreachable: {exc}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code != 200 or answer.get("code") != "OK":
            raise SmsGatewayError(f"SMS platform refused: HTTP {response.status_code} "
                                  f"{answer.get('code', '')}")
        return str(answer["message_id"])

    def close(self) -> None:
        self._client.close()


class SmsPlatformSimulator:
    """A local SMS platform speaking the protocol above: checks key, signature, clock skew
    and nonce reuse, answers a repeated request_id with the first message id, and keeps
    what it "delivered" in ``delivered``. ``fail_next`` makes the next sends fail (503)."""

    def __init__(self, api_key: str = "test-key", secret: str = "test-secret") -> None:
        self.api_key, self.secret = api_key, secret
        self.delivered: list[dict[str, Any]] = []
        self.refused: list[str] = []
        self.fail_next = 0
        self._nonces: set[str] = set()
        self._by_request: dict[str, str] = {}
        self._lock = threading.Lock()
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, answer = simulator.handle(self.path, dict(self.headers), body)
                raw = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> SmsPlatformSimulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def handle(self, path: str, headers: dict[str, str],
               body: bytes) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if path != PATH:
                return 404, {"code": "NOT_FOUND"}
            if headers.get("X-Api-Key") != self.api_key:
                return self._refuse(401, "BAD_KEY")
            timestamp, nonce = headers.get("X-Timestamp", ""), headers.get("X-Nonce", "")
            expected = signature(self.secret, timestamp, nonce, body)
            if not hmac.compare_digest(expected, headers.get("X-Signature", "")):
                return self._refuse(401, "BAD_SIGNATURE")
            if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW_S:
                return self._refuse(401, "STALE_REQUEST")
            if nonce in self._nonces:
                return self._refuse(401, "NONCE_REUSED")
            self._nonces.add(nonce)
            if self.fail_next > 0:
                self.fail_next -= 1
                return 503, {"code": "BUSY"}
            message = json.loads(body)
            if message["request_id"] in self._by_request:
                return 200, {"code": "OK", "message_id": self._by_request[message["request_id"]]}
            message_id = f"sim-{len(self.delivered) + 1}"
            self._by_request[message["request_id"]] = message_id
            self.delivered.append({**message, "message_id": message_id})
            return 200, {"code": "OK", "message_id": message_id}

    def _refuse(self, status: int, code: str) -> tuple[int, dict[str, Any]]:
        self.refused.append(code)
        return status, {"code": code}

"""The traffic-management system over HTTPS: JSON bodies, every request signed (HMAC-SHA256
over method, path, timestamp, nonce and the body's hash; central/README.md has the
protocol). Configured by CENTRAL_UPSTREAM_URL, CENTRAL_UPSTREAM_CLIENT and
CENTRAL_UPSTREAM_SECRET (central.config)."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from typing import Any

import httpx

from central.upstream.protocol import (
    HANDOVER_PATH,
    PHOTO_PATH,
    HandOver,
    HandOverAck,
    PhotoOnFile,
    UpstreamRefused,
    UpstreamUnavailable,
    signature,
)


class HttpTrafficSystem:
    def __init__(self, url: str, client_id: str, secret: str, timeout_s: float = 5.0) -> None:
        if not (url and client_id and secret):
            raise ValueError("the traffic system needs a URL, a client id and a secret")
        self.url, self.client_id, self.secret = url.rstrip("/"), client_id, secret
        self._client = httpx.Client(timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0)))

    def _post(self, path: str, message: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp, nonce = str(int(time.time())), secrets.token_hex(12)
        try:
            response = self._client.post(self.url + path, content=body, headers={
                "Content-Type": "application/json", "X-Client-Id": self.client_id,
                "X-Timestamp": timestamp, "X-Nonce": nonce,
                "X-Signature": signature(self.secret, "POST", path, timestamp, nonce, body)})
        except httpx.HTTPError as exc:  # refused connection, reset, timed out
            raise UpstreamUnavailable(f"traffic system unreachable: "
                                      f"{exc or type(exc).__name__}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        code = str(answer.get("code", ""))
        if response.status_code == 200 and code == "OK":
            return answer
        if response.status_code >= 500 or response.status_code == 429:
            raise UpstreamUnavailable(f"traffic system busy: HTTP {response.status_code} {code}")
        raise UpstreamRefused(code or f"HTTP_{response.status_code}",
                              str(answer.get("message", ""))[:200])

    def photo_on_file(self, id_number: str) -> PhotoOnFile | None:
        answer = self._post(PHOTO_PATH, {"id_number": id_number})
        if not answer.get("found"):
            return None
        try:
            photo = base64.b64decode(str(answer["photo"]), validate=True)
        except (KeyError, binascii.Error) as exc:
            raise UpstreamRefused("BAD_ANSWER", "the photo is not base64") from exc
        return PhotoOnFile(photo=photo, media_type=str(answer.get("media_type", "image/jpeg")),
                           taken_on=str(answer.get("taken_on", "")))

    def hand_over(self, result: HandOver) -> HandOverAck:
        message: dict[str, Any] = {
            "handover_id": result.handover_id, "case_number": result.case_number,
            "kind": result.kind, "result": result.result, "id_number": result.id_number,
            "decided_at": result.decided_at, "phone": result.phone}
        if result.photo is not None:
            message["photo"] = base64.b64encode(result.photo).decode("ascii")
            message["media_type"] = result.media_type or "image/jpeg"
        answer = self._post(HANDOVER_PATH, message)
        return HandOverAck(ack=str(answer.get("ack", "")), replayed=bool(answer.get("replayed")))

    def close(self) -> None:
        self._client.close()

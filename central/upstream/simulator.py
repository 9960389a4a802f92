"""A local traffic-management system speaking the protocol of central.upstream.http, for
tests and the demo: it checks client id, signature, clock skew and nonce reuse, looks photos
up in ``photos`` (identity number -> PhotoOnFile), keeps each hand-over once by its id
(a repeat is answered with the first acknowledgement) and has fault modes:

- ``ok``: answers as the real system would;
- ``refuse``: answers 422 REFUSED to every request (a hand-over the system will not take);
- ``slow``: answers only after ``slow_s`` seconds (longer than the adapter waits);
- ``down``: drops every connection without an answer (as a system that is away).

    python -m central.upstream_sim --port 8700 --client-id central --secret S --photos DIR
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from central.upstream.protocol import (
    HANDOVER_PATH,
    MAX_SKEW_S,
    PHOTO_PATH,
    RESULTS,
    PhotoOnFile,
    signature,
)

MODES = ("ok", "refuse", "slow", "down")


class TrafficSystemSimulator:
    def __init__(self, client_id: str = "central-test", secret: str = "upstream-secret",
                 port: int = 0, slow_s: float = 30.0) -> None:
        self.client_id, self.secret, self.slow_s = client_id, secret, slow_s
        self.photos: dict[str, PhotoOnFile] = {}
        self.handovers: dict[str, dict[str, Any]] = {}  # handover_id -> first one stored
        self.stored_at: dict[str, float] = {}  # handover_id -> time.perf_counter() then
        self.attempts: list[str] = []  # every hand-over id that reached the system
        self.lookups: list[str] = []  # identity numbers asked for (tests: never a digest)
        self.refused: list[str] = []
        self.mode = "ok"
        self._nonces: set[str] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                mode = simulator.mode
                if mode == "down":
                    self.close_connection = True
                    return
                if mode == "slow" and simulator._stopping.wait(simulator.slow_s):
                    return
                status, answer = simulator.handle(self.path, dict(self.headers), body)
                raw = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):  # the caller gave up (slow)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="traffic-system-sim", daemon=True)

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
        self.mode = mode

    def add_photo(self, id_number: str, photo: bytes, taken_on: str,
                  media_type: str = "image/jpeg") -> None:
        self.photos[id_number.strip().upper()] = PhotoOnFile(photo, media_type, taken_on)

    def start(self) -> TrafficSystemSimulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def handle(self, path: str, headers: dict[str, str],
               body: bytes) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if path not in (PHOTO_PATH, HANDOVER_PATH):
                return 404, {"code": "NOT_FOUND"}
            if headers.get("X-Client-Id") != self.client_id:
                return self._refuse(401, "BAD_CLIENT")
            timestamp, nonce = headers.get("X-Timestamp", ""), headers.get("X-Nonce", "")
            expected = signature(self.secret, "POST", path, timestamp, nonce, body)
            if not hmac.compare_digest(expected, headers.get("X-Signature", "")):
                return self._refuse(401, "BAD_SIGNATURE")
            if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW_S:
                return self._refuse(401, "STALE_REQUEST")
            if nonce in self._nonces:
                return self._refuse(401, "NONCE_REUSED")
            self._nonces.add(nonce)
            try:
                message = json.loads(body)
            except ValueError:
                return self._refuse(400, "BAD_JSON")
            if self.mode == "refuse":
                return self._refuse(422, "REFUSED", "the system is refusing requests")
            if path == PHOTO_PATH:
                return self._photo(message)
            return self._hand_over(message)

    def _photo(self, message: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        number = str(message.get("id_number", "")).strip().upper()
        self.lookups.append(number)
        found = self.photos.get(number)
        if found is None:
            return 200, {"code": "OK", "found": False}
        return 200, {"code": "OK", "found": True, "media_type": found.media_type,
                     "taken_on": found.taken_on,
                     "photo": base64.b64encode(found.photo).decode("ascii")}

    def _hand_over(self, message: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        handover_id = str(message.get("handover_id", ""))
        if not handover_id or message.get("result") not in RESULTS \
                or not message.get("id_number"):
            return self._refuse(422, "INVALID", "handover_id, result and id_number are needed")
        self.attempts.append(handover_id)
        first = self.handovers.get(handover_id)
        if first is not None:
            return 200, {"code": "OK", "ack": first["ack"], "replayed": True}
        if message["result"] == "licence_photo":
            try:
                photo = base64.b64decode(str(message.get("photo", "")), validate=True)
            except binascii.Error:
                photo = b""
            if not photo:
                return self._refuse(422, "INVALID", "a licence photo hand-over needs the photo")
            self.add_photo(str(message["id_number"]), photo, str(message["decided_at"])[:10],
                           str(message.get("media_type") or "image/jpeg"))
        ack = f"TMS-{len(self.handovers) + 1:06d}"
        self.handovers[handover_id] = {**message, "ack": ack}
        self.stored_at[handover_id] = time.perf_counter()
        return 200, {"code": "OK", "ack": ack, "replayed": False}

    def _refuse(self, status: int, code: str, message: str = "") -> tuple[int, dict[str, Any]]:
        self.refused.append(code)
        return status, {"code": code, "message": message}

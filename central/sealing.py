"""Encryption at rest of personal data on the central service (AES-256-GCM).

Case payloads (names, ID numbers, addresses, phone numbers), parts (photos, signatures,
document scans) and queued SMS (number and text: names, verification codes) are stored sealed
with a data key kept outside the database, in a 0600 key file (``<data dir>/data-key.json`` or
``$CENTRAL_DATA_KEY_FILE``) that every API process of the service reads. Each sealed value is
bound to its row (case id, part hash, notification id) so values cannot be swapped between
rows unnoticed. Rows stored before sealing existed stay readable.

Rotation (``python -m central rotate-key``) adds a key to the file and re-seals every value;
running API processes notice the new file within RELOAD_S and read values sealed with a key
they have not loaded yet by reloading the file at once.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from station.security.crypto import (
    CryptoError,
    KeyRing,
    load_or_create_shared_keyring,
    save_keyring,
)

ENVELOPE = "sealed"  # the key of a sealed payload; a case payload never has it (extra=forbid)
MESSAGE_PREFIX = "sealed:"  # a sealed SMS in the notifications table
RELOAD_S = 5.0


class Sealer:
    def __init__(self, ring: KeyRing, path: Path | None = None) -> None:
        self._ring = ring
        self._path = path
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._mtime = path.stat().st_mtime_ns if path is not None else 0

    @classmethod
    def from_key_file(cls, path: Path) -> Sealer:
        return cls(load_or_create_shared_keyring(path), path)

    @property
    def ring(self) -> KeyRing:
        """The key ring, re-read when the key file changed (a rotation elsewhere)."""
        if self._path is not None and time.monotonic() - self._checked > RELOAD_S:
            self._reload(force=False)
        return self._ring

    def _reload(self, force: bool) -> None:
        assert self._path is not None
        with self._lock:
            self._checked = time.monotonic()
            mtime = self._path.stat().st_mtime_ns
            if force or mtime != self._mtime:
                self._ring = load_or_create_shared_keyring(self._path)
                self._mtime = mtime

    def _open(self, sealed: bytes, associated: bytes) -> bytes:
        try:
            return self.ring.decrypt(sealed, associated)
        except CryptoError:
            if self._path is None or (sealed[:1] and sealed[0] in self._ring.key_ids):
                raise
            self._reload(force=True)  # sealed with a key rotated in after this process began
            return self._ring.decrypt(sealed, associated)

    def seal_payload(self, case_id: str, payload: dict[str, Any]) -> dict[str, str]:
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        sealed = self.ring.encrypt(raw, b"case:" + case_id.encode())
        return {ENVELOPE: base64.b64encode(sealed).decode("ascii")}

    def open_payload(self, case_id: str, stored: dict[str, Any] | None) -> dict[str, Any]:
        if not stored or ENVELOPE not in stored:
            return stored or {}  # stored before sealing
        raw = self._open(base64.b64decode(stored[ENVELOPE]), b"case:" + case_id.encode())
        return json.loads(raw)

    def seal_message(self, notification_id: str, phone: str, text: str) -> str:
        """An SMS waiting in the outbox: the number and the text (names, codes) sealed."""
        raw = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode("utf-8")
        sealed = self.ring.encrypt(raw, b"sms:" + notification_id.encode())
        return MESSAGE_PREFIX + base64.b64encode(sealed).decode("ascii")

    def open_message(self, notification_id: str, phone: str, text: str) -> tuple[str, str]:
        """(phone, text) of a notification row; rows stored before sealing are as they are."""
        if not text.startswith(MESSAGE_PREFIX):
            return phone, text
        raw = self._open(base64.b64decode(text[len(MESSAGE_PREFIX):]),
                         b"sms:" + notification_id.encode())
        message = json.loads(raw)
        return str(message["phone"]), str(message["text"])

    def seal_part(self, sha256: str, data: bytes) -> bytes:
        return self.ring.encrypt(data, b"part:" + sha256.encode())

    def open_part(self, sha256: str, stored: bytes, sealed: bool) -> bytes:
        return self._open(stored, b"part:" + sha256.encode()) if sealed else stored


def rotate_key(engine: Engine, key_file: Path, batch: int = 200) -> dict[str, int]:
    """Add a new data key and re-seal every case payload, part and queued SMS with it (rows
    stored before sealing are sealed too). Safe while API processes run: they keep reading either key and
    write with the new one once they notice the file. Returns how many rows were re-sealed."""
    from central.db import session_factory
    from central.models import Blob, Case, Notification
    from central.service import audit
    from central.sms import mask_phone

    ring = load_or_create_shared_keyring(key_file).with_new_key()
    save_keyring(ring, key_file)
    sealer = Sealer(ring)
    cases = parts = 0
    for rows in _batches(engine, select(Case.id, Case.payload).order_by(Case.id), batch):
        with engine.begin() as conn:
            for case_id, stored in rows:
                payload = sealer.open_payload(case_id, stored)
                if ENVELOPE in (stored or {}) and not ring.needs_rotation(
                        base64.b64decode(stored[ENVELOPE])):
                    continue
                conn.execute(update(Case).where(Case.id == case_id)
                             .values(payload=sealer.seal_payload(case_id, payload)))
                cases += 1
    for rows in _batches(engine, select(Blob.sha256, Blob.data, Blob.sealed)
                         .order_by(Blob.sha256), batch // 4 or 1):
        with engine.begin() as conn:
            for sha, data, sealed in rows:
                if sealed and not ring.needs_rotation(data):
                    continue
                conn.execute(update(Blob).where(Blob.sha256 == sha).values(
                    data=sealer.seal_part(sha, sealer.open_part(sha, data, sealed)), sealed=True))
                parts += 1
    messages = 0
    for rows in _batches(engine, select(Notification.id, Notification.phone, Notification.text)
                         .order_by(Notification.id), batch):
        with engine.begin() as conn:
            for row_id, phone, text in rows:
                if text.startswith(MESSAGE_PREFIX) and not ring.needs_rotation(
                        base64.b64decode(text[len(MESSAGE_PREFIX):])):
                    continue
                number, body = sealer.open_message(row_id, phone, text)
                conn.execute(update(Notification).where(Notification.id == row_id).values(
                    phone=mask_phone(number), text=sealer.seal_message(row_id, number, body)))
                messages += 1
    with session_factory(engine).begin() as session:
        audit(session, None, "data_key.rotated", key_id=ring.current_id, cases=cases,
              parts=parts, messages=messages)
    return {"key_id": ring.current_id, "cases": cases, "parts": parts, "messages": messages}


def _batches(engine: Engine, query: Any, size: int) -> Iterator[list[Any]]:
    """Rows in key order, a batch at a time (keyset paging: no long-running cursor)."""
    key = query.selected_columns[0]
    last: Any = None
    while True:
        page = query.limit(size) if last is None else query.where(key > last).limit(size)
        with engine.connect() as conn:
            rows = conn.execute(page).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]

"""Encryption at rest of personal data on the central service (AES-256-GCM).

Case payloads (names, ID numbers, addresses, phone numbers), the stations' notes on parts
(a clerk's free-text override reason), parts (photos, signatures, document scans, and the bytes
of unfinished uploads) and queued SMS (number and text: names,
verification codes) are stored sealed with a data key kept outside the database, in a 0600
key file (``<data dir>/data-key.json`` or ``$CENTRAL_DATA_KEY_FILE``) that every API process
of the service reads. Each sealed value is bound to its row (case id, part hash,
notification id) so values cannot be swapped between rows unnoticed.

A value found unsealed is refused (CryptoError, answered 500 data_unreadable): whoever can
write to the database but has no key must not get a forged payload (a phone number for the
decision SMS), part or SMS served as genuine. Rows from before sealing existed are sealed once
with ``python -m central seal-legacy`` (central.maintenance), which alone reads them.

Rotation (``python -m central rotate-key``, central.maintenance) adds a key to the file and
re-seals every value; running API processes notice the new file within RELOAD_S and read
values sealed with a key they have not loaded yet by reloading the file at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from pathlib import Path
from typing import Any, TypeVar

from station.security.crypto import CryptoError, KeyRing, load_or_create_shared_keyring

ENVELOPE = "sealed"  # the key of a sealed payload or part meta (extra=forbid: never a field)
MESSAGE_PREFIX = "sealed:"  # a sealed SMS in the notifications table
RELOAD_S = 5.0
T = TypeVar("T")


class Sealer:
    def __init__(self, ring: KeyRing, path: Path | None = None,
                 read_unsealed: bool = False) -> None:
        """``read_unsealed``: only for sealing rows from before sealing (seal-legacy)."""
        self._ring = ring
        self._read_unsealed = read_unsealed
        self._path = path
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._mtime = path.stat().st_mtime_ns if path is not None else 0
        self._lookup: bytes | None = None

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
        if not stored:
            return {}
        if ENVELOPE not in stored:
            return self._unsealed(stored, "payload", case_id)
        raw = self._open(base64.b64decode(stored[ENVELOPE]), b"case:" + case_id.encode())
        return json.loads(raw)

    def seal_meta(self, case_id: str, sha256: str, role: str,
                  meta: dict[str, Any]) -> dict[str, Any]:
        """A station's notes on one part of a case (free text such as an override reason)."""
        if not meta:
            return {}
        raw = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        sealed = self.ring.encrypt(raw, f"meta:{case_id}:{sha256}:{role}".encode())
        return {ENVELOPE: base64.b64encode(sealed).decode("ascii")}

    def open_meta(self, case_id: str, sha256: str, role: str,
                  stored: dict[str, Any] | None) -> dict[str, Any]:
        if not stored:
            return {}
        if ENVELOPE not in stored:
            return self._unsealed(stored, "part notes", case_id)
        raw = self._open(base64.b64decode(stored[ENVELOPE]),
                         f"meta:{case_id}:{sha256}:{role}".encode())
        return json.loads(raw)

    def _unsealed(self, value: T, what: str, row: str) -> T:
        if self._read_unsealed:
            return value
        raise CryptoError(f"{what} of {row} is stored unsealed: refused (written without the "
                          "data key; rows from before sealing: python -m central seal-legacy)")

    def seal_message(self, notification_id: str, phone: str, text: str) -> str:
        """An SMS waiting in the outbox: the number and the text (names, codes) sealed."""
        raw = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode("utf-8")
        sealed = self.ring.encrypt(raw, b"sms:" + notification_id.encode())
        return MESSAGE_PREFIX + base64.b64encode(sealed).decode("ascii")

    def open_message(self, notification_id: str, phone: str, text: str) -> tuple[str, str]:
        """(phone, text) of a notification row."""
        if not text.startswith(MESSAGE_PREFIX):
            return self._unsealed((phone, text), "message", notification_id)
        raw = self._open(base64.b64decode(text[len(MESSAGE_PREFIX):]),
                         b"sms:" + notification_id.encode())
        message = json.loads(raw)
        return str(message["phone"]), str(message["text"])

    def seal_upload(self, station_id: str, sha256: str, data: bytes) -> bytes:
        """The bytes of an unfinished chunked upload, bound to its station and part."""
        return self.ring.encrypt(data, f"upload:{station_id}:{sha256}".encode())

    def open_upload(self, station_id: str, sha256: str, stored: bytes) -> bytes:
        return self._open(stored, f"upload:{station_id}:{sha256}".encode()) if stored else b""

    def lookup_digest(self, value: str) -> str:
        """A keyed hash of an identity number, to find a person's other cases without
        storing the number in clear. The key (``lookup-key`` beside the data key) never
        rotates: a rotation would make old digests unfindable."""
        return hmac.new(self._lookup_key(), value.strip().upper().encode("utf-8"),
                        hashlib.sha256).hexdigest()

    def _lookup_key(self) -> bytes:
        with self._lock:
            if self._lookup is None:
                self._lookup = _load_or_create_lookup_key(self._path)
            return self._lookup

    def seal_secret(self, owner_id: str, secret: str) -> str:
        """A secret the service must use again (a platform client's webhook signing key)."""
        sealed = self.ring.encrypt(secret.encode("utf-8"), b"secret:" + owner_id.encode())
        return base64.b64encode(sealed).decode("ascii")

    def open_secret(self, owner_id: str, stored: str) -> str:
        return self._open(base64.b64decode(stored), b"secret:" + owner_id.encode()).decode()

    def seal_part(self, sha256: str, data: bytes) -> bytes:
        return self.ring.encrypt(data, b"part:" + sha256.encode())

    def open_part(self, sha256: str, stored: bytes, sealed: bool) -> bytes:
        if not sealed:
            return self._unsealed(stored, "part", sha256)
        return self._open(stored, b"part:" + sha256.encode())


def _load_or_create_lookup_key(key_file: Path | None) -> bytes:
    if key_file is None:  # an in-memory sealer (tests): a key for this process only
        return secrets.token_bytes(32)
    path = key_file.with_name("lookup-key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process may be writing it this very moment
            key = path.read_bytes()
            if len(key) == 32:
                return key
            time.sleep(0.02)
        raise RuntimeError(f"{path} is not a 32-byte key") from None
    with os.fdopen(fd, "wb") as handle:  # the first API process to need it writes it
        handle.write(secrets.token_bytes(32))
    return path.read_bytes()

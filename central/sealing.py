"""Encryption at rest of personal data on the central service (AES-256-GCM).

Case payloads (names, ID numbers, addresses, phone numbers) and parts (photos, signatures,
document scans) are stored sealed with a data key kept outside the database, in a 0600 key
file (``<data dir>/data-key.json`` or ``$CENTRAL_DATA_KEY_FILE``) that every API process of
the service reads. Each sealed value is bound to its row (case id, part hash) so values cannot
be swapped between rows unnoticed. Rows stored before sealing existed stay readable.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from station.security.crypto import KeyRing

ENVELOPE = "sealed"  # the key of a sealed payload; a case payload never has it (extra=forbid)


class Sealer:
    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring

    @classmethod
    def from_key_file(cls, path: Path) -> Sealer:
        return cls(load_or_create_shared_keyring(path))

    def seal_payload(self, case_id: str, payload: dict[str, Any]) -> dict[str, str]:
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        sealed = self.ring.encrypt(raw, b"case:" + case_id.encode())
        return {ENVELOPE: base64.b64encode(sealed).decode("ascii")}

    def open_payload(self, case_id: str, stored: dict[str, Any] | None) -> dict[str, Any]:
        if not stored or ENVELOPE not in stored:
            return stored or {}  # stored before sealing
        raw = self.ring.decrypt(base64.b64decode(stored[ENVELOPE]), b"case:" + case_id.encode())
        return json.loads(raw)

    def seal_part(self, sha256: str, data: bytes) -> bytes:
        return self.ring.encrypt(data, b"part:" + sha256.encode())

    def open_part(self, sha256: str, stored: bytes, sealed: bool) -> bytes:
        return self.ring.decrypt(stored, b"part:" + sha256.encode()) if sealed else stored


def load_or_create_shared_keyring(path: Path) -> KeyRing:
    """Read the key file; on first use create it with a fresh key. Several API processes may
    start at once: the file is published with a hard link, which fails if another process
    got there first, and then everyone reads the one that won."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        ring = KeyRing({1: AESGCM.generate_key(bit_length=256)})
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(ring.to_json())
                fh.flush()
                os.fsync(fh.fileno())
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return KeyRing.from_json(path.read_text(encoding="utf-8"))

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
from pathlib import Path
from typing import Any

from station.security.crypto import KeyRing, load_or_create_shared_keyring

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

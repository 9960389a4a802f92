"""Field-level encryption of personal data at rest (AES-256-GCM).

The data key lives outside the database: a 0600 key file in the station's data directory.
Each value carries a one-byte key id so keys can be rotated: new writes use the newest key,
old rows stay readable until re-encrypted by ``rotate``.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE = 12


class CryptoError(RuntimeError):
    """Encrypted data could not be decrypted (wrong key, tampering or a missing key)."""


class KeyRing:
    """Data keys by id; the highest id encrypts, every id decrypts."""

    def __init__(self, keys: dict[int, bytes]) -> None:
        if not keys:
            raise ValueError("a key ring needs at least one key")
        self._keys = dict(keys)

    @property
    def current_id(self) -> int:
        return max(self._keys)

    @property
    def key_ids(self) -> frozenset[int]:
        return frozenset(self._keys)

    def encrypt(self, plaintext: bytes, associated: bytes = b"") -> bytes:
        key_id = self.current_id
        nonce = os.urandom(_NONCE)
        return bytes([key_id]) + nonce + AESGCM(self._keys[key_id]).encrypt(nonce, plaintext, associated)

    def decrypt(self, blob: bytes, associated: bytes = b"") -> bytes:
        if len(blob) < 1 + _NONCE + 16:
            raise CryptoError("encrypted value is truncated")
        key = self._keys.get(blob[0])
        if key is None:
            raise CryptoError(f"no data key with id {blob[0]} (was the key file replaced?)")
        try:
            return AESGCM(key).decrypt(blob[1 : 1 + _NONCE], blob[1 + _NONCE :], associated)
        except Exception as exc:  # InvalidTag: wrong key or altered ciphertext
            raise CryptoError("encrypted value failed authentication") from exc

    def derive(self, purpose: bytes) -> bytes:
        """A 32-byte key for ``purpose`` (e.g. keyed lookups), from the oldest data key so it
        stays stable across rotations."""
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
            self._keys[min(self._keys)])

    def needs_rotation(self, blob: bytes) -> bool:
        return bool(blob) and blob[0] != self.current_id

    def with_new_key(self) -> KeyRing:
        next_id = self.current_id + 1
        if next_id > 255:
            raise CryptoError("key id space exhausted")
        return KeyRing({**self._keys, next_id: AESGCM.generate_key(bit_length=256)})

    def to_json(self) -> str:
        return json.dumps({str(k): v.hex() for k, v in sorted(self._keys.items())})

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        return cls({int(k): bytes.fromhex(v) for k, v in json.loads(text).items()})


def load_or_create_keyring(path: Path) -> KeyRing:
    """Read the key file, creating it (mode 0600) with a fresh key on first use."""
    if path.exists():
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        return KeyRing.from_json(path.read_text(encoding="utf-8"))
    ring = KeyRing({1: AESGCM.generate_key(bit_length=256)})
    save_keyring(ring, path)
    return ring


def save_keyring(ring: KeyRing, path: Path) -> None:
    os.replace(_write_private(ring, path), path)


def load_or_create_shared_keyring(path: Path) -> KeyRing:
    """Like ``load_or_create_keyring`` for a key file several processes may create at the
    same moment: the new file is published with a hard link, which fails if another process
    got there first, and then everyone reads the one that won."""
    if not path.exists():
        tmp = _write_private(KeyRing({1: AESGCM.generate_key(bit_length=256)}), path)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return load_or_create_keyring(path)


def _write_private(ring: KeyRing, path: Path) -> Path:
    """The ring in a fsynced 0600 file beside ``path``, to be moved or linked into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(ring.to_json())
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


class _ActiveRing:
    """The process's key ring, installed once the database is opened."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ring: KeyRing | None = None

    def install(self, ring: KeyRing) -> None:
        with self._lock:
            self._ring = ring

    def get(self) -> KeyRing:
        ring = self._ring
        if ring is None:
            raise CryptoError("no data key installed: open the station database first")
        return ring


active_keyring = _ActiveRing()

"""Secrets: argon2 for operator passwords, SHA-256 lookup digests for random tokens.

Tokens and station credentials are 256-bit random strings, so a plain SHA-256 digest is a
safe lookup key (no brute force possible) and keeps every request cheap; only human-chosen
passwords need argon2's deliberate slowness.
"""

from __future__ import annotations

import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verifying against this keeps unknown-user logins as slow as wrong-password ones
    (made on first use, not at import: worker processes start faster)."""
    return _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_enrolment_code() -> str:
    """Short enough to type at a station: 4 groups of 4 unambiguous characters."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def normalise_code(code: str) -> str:
    """Enrolment codes are typed by people: ignore case, spaces and dashes."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))

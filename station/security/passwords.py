"""Operator passwords: the policy a new one must meet, and hashing (argon2id via argon2-cffi).

The policy (the station's operators and the central service's alike): at least
MIN_PASSWORD_LENGTH characters, at least 4 different ones, not a run or sequence
("aaaaaaaa", "12345678", "abcdefgh"), not one of the passwords guessers try first, and not the
user name with digits or signs added ("admin123" for admin). Long passphrases are welcome.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from station.i18n import Text, tr_later

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
# what guessers try first (kept short: the other rules catch runs, sequences and user names)
COMMON_PASSWORDS = frozenset({
    "password", "password1", "password123", "passw0rd", "p@ssw0rd", "p@ssword", "qwertyui",
    "qwerty123", "qwertyuiop", "1qaz2wsx", "1q2w3e4r", "1q2w3e4r5t", "zaq12wsx", "abc12345",
    "abcd1234", "a1234567", "aa123456", "a123456789", "admin123", "admin1234", "administrator",
    "iloveyou", "woaini1314", "5201314520", "1314520520", "147258369", "159357456",
    "123123123", "123qweasd", "qweasdzxc", "zxcvbnm123", "letmein1", "welcome1", "changeme",
    "11223344", "12341234", "123654789", "asdfghjkl", "computer", "trustno1",
})
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")
# why a password is refused; str() translates into the current language, .source is English
TOO_SHORT = tr_later("Passwords", "The password must have at least 8 characters.")
TOO_LONG = tr_later("Passwords", "The password is too long (at most 256 characters).")
TOO_SIMPLE = tr_later("Passwords", "The password is too simple: use at least 4 different "
                                   "characters, not a run or a sequence.")
TOO_COMMON = tr_later("Passwords", "This password is one of the first that guessers try; "
                                   "choose another.")
LIKE_USERNAME = tr_later("Passwords", "The password must not be the user name (with or "
                                      "without digits added).")


def password_problem(password: str, username: str = "") -> Text | None:
    """Why ``password`` may not be used (``str()`` for the operator, ``both(p.context,
    p.source)`` for an API answer), or None when it meets the policy."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_PASSWORD_LENGTH:
        return TOO_LONG
    lowered = password.lower()
    if len(set(lowered)) < 4 or any(lowered in run or lowered in run[::-1]
                                    for run in _SEQUENCES):
        return TOO_SIMPLE
    if lowered in COMMON_PASSWORDS:
        return TOO_COMMON
    letters = "".join(ch for ch in lowered if ch.isalpha())
    name = username.strip().lower()
    if name and (lowered == name or (len(name) >= 3 and letters == "".join(
            ch for ch in name if ch.isalpha()))):
        return LIKE_USERNAME
    return None



def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)

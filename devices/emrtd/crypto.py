"""BAC key derivation, 3DES and the ISO 9797-1 retail MAC (ICAO 9303-11 sections 9.7, 9.8).

The primitives come from ``cryptography`` (3DES lives in its ``decrepit`` package since 43).
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from cryptography.hazmat.primitives.ciphers.algorithms import AES
from cryptography.hazmat.primitives.cmac import CMAC

ENC_COUNTER = 1
MAC_COUNTER = 2
ZERO_IV = bytes(8)


def adjust_parity(key: bytes) -> bytes:
    """Set each byte's least significant bit so the byte has odd parity (DES keys)."""
    out = bytearray()
    for byte in key:
        high = byte & 0xFE
        out.append(high | (bin(high).count("1") % 2 == 0))
    return bytes(out)


def key_seed_from_mrz(mrz_information: str) -> bytes:
    """Kseed: the first 16 bytes of SHA-1 over the MRZ information (9303-11 9.7.1)."""
    return hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]


def derive_key(seed: bytes, counter: int) -> bytes:
    """A 16-byte two-key 3DES key from a seed and a counter (1 = enc, 2 = MAC)."""
    digest = hashlib.sha1(seed + counter.to_bytes(4, "big")).digest()
    return adjust_parity(digest[:16])


def pad(data: bytes, block: int = 8) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 0x80 then zeros to a block boundary."""
    data = data + b"\x80"
    return data + bytes(-len(data) % block)


def unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise ValueError("bad ISO 9797-1 padding")
    return stripped[:-1]


def _tdes(key16: bytes) -> TripleDES:
    return TripleDES(key16 + key16[:8])


def tdes_encrypt(key16: bytes, data: bytes, iv: bytes = ZERO_IV) -> bytes:
    encryptor = Cipher(_tdes(key16), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def tdes_decrypt(key16: bytes, data: bytes, iv: bytes = ZERO_IV) -> bytes:
    decryptor = Cipher(_tdes(key16), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def _des_ecb(key8: bytes, block: bytes, *, decrypt: bool = False) -> bytes:
    # Single DES is 3DES with three equal keys.
    cipher = Cipher(TripleDES(key8 * 3), modes.ECB())
    op = cipher.decryptor() if decrypt else cipher.encryptor()
    return op.update(block) + op.finalize()


def retail_mac(key16: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 (DES CBC with K1, then D(K2), E(K1)) over padded data."""
    if len(data) % 8:
        raise ValueError("retail MAC input must be padded to 8-byte blocks")
    k1, k2 = key16[:8], key16[8:16]
    state = bytes(8)
    for i in range(0, len(data), 8):
        block = bytes(a ^ b for a, b in zip(state, data[i : i + 8], strict=True))
        state = _des_ecb(k1, block)
    state = _des_ecb(k2, state, decrypt=True)
    return _des_ecb(k1, state)


PACE_COUNTER = 3


def kdf(secret: bytes, counter: int, cipher: str, key_bits: int = 128) -> bytes:
    """ICAO 9303-11 9.7.1 key derivation for 3DES and AES-128/192/256."""
    if cipher == "3DES":
        return derive_key(secret, counter)
    data = secret + counter.to_bytes(4, "big")
    if key_bits == 128:
        return hashlib.sha1(data).digest()[:16]
    return hashlib.sha256(data).digest()[: key_bits // 8]


def aes_encrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    encryptor = Cipher(AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def aes_decrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    decryptor = Cipher(AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def aes_ecb_block(key: bytes, block: bytes) -> bytes:
    encryptor = Cipher(AES(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def aes_cmac8(key: bytes, data: bytes) -> bytes:
    """AES-CMAC truncated to 8 bytes, as eMRTD secure messaging uses it."""
    mac = CMAC(AES(key))
    mac.update(data)
    return mac.finalize()[:8]

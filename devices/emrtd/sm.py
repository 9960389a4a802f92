"""Secure messaging (ICAO 9303-11 section 9.8), reader side: 3DES after BAC or PACE-3DES,
AES after PACE-AES.

The send sequence counter (SSC) is incremented before protecting every command and before
checking every response; a response whose MAC does not verify ends the session. 3DES uses
a zero IV and the ISO 9797-1 retail MAC over 8-byte blocks; AES uses IV = E(KSenc, SSC),
AES-CMAC truncated to 8 bytes, and 16-byte blocks and SSC.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from devices.emrtd.apdu import CommandApdu
from devices.emrtd.crypto import (
    aes_cmac8,
    aes_decrypt,
    aes_ecb_block,
    aes_encrypt,
    pad,
    retail_mac,
    tdes_decrypt,
    tdes_encrypt,
    unpad,
)
from devices.emrtd.tlv import TlvError, encode, parse_all


class SecureMessagingError(ValueError):
    """A protected response was malformed or its MAC did not verify."""


@dataclass
class SmCipher:
    """The symmetric primitives of one secure channel (shared by reader and card side)."""

    ks_enc: bytes
    ks_mac: bytes
    cipher: str = "3DES"  # "3DES" | "AES"

    @property
    def block(self) -> int:
        return 16 if self.cipher == "AES" else 8

    def encrypt(self, ssc: bytes, data: bytes) -> bytes:
        if self.cipher == "AES":
            return aes_encrypt(self.ks_enc, pad(data, 16), aes_ecb_block(self.ks_enc, ssc))
        return tdes_encrypt(self.ks_enc, pad(data))

    def decrypt(self, ssc: bytes, data: bytes) -> bytes:
        if len(data) % self.block:
            raise ValueError("encrypted data is not a whole number of blocks")
        if self.cipher == "AES":
            return unpad(aes_decrypt(self.ks_enc, data, aes_ecb_block(self.ks_enc, ssc)))
        return unpad(tdes_decrypt(self.ks_enc, data))

    def mac(self, data: bytes) -> bytes:
        if self.cipher == "AES":
            return aes_cmac8(self.ks_mac, pad(data, 16))
        return retail_mac(self.ks_mac, pad(data))


@dataclass
class SecureMessaging:
    ks_enc: bytes
    ks_mac: bytes
    ssc: int
    cipher: str = "3DES"

    def __post_init__(self) -> None:
        self._crypto = SmCipher(self.ks_enc, self.ks_mac, self.cipher)

    def _next_ssc(self) -> bytes:
        size = self._crypto.block
        self.ssc = (self.ssc + 1) % (1 << (8 * size))
        return self.ssc.to_bytes(size, "big")

    def protect(self, command: CommandApdu) -> bytes:
        """The protected APDU bytes for ``command`` (CLA gets 0x0C)."""
        ssc = self._next_ssc()
        cla = command.cla | 0x0C
        header = bytes([cla, command.ins, command.p1, command.p2])
        body = b""
        if command.data:
            encrypted = self._crypto.encrypt(ssc, command.data)
            # Odd INS (READ BINARY B1) carries its data in DO'85'; even INS in DO'87' with
            # the padding-content indicator 01.
            body += encode(0x85, encrypted) if command.ins & 1 else encode(
                0x87, b"\x01" + encrypted)
        if command.le is not None:
            body += encode(0x97, bytes([command.le & 0xFF]))
        mac = self._crypto.mac(ssc + pad(header, self._crypto.block) + body)
        body += encode(0x8E, mac)
        return header + bytes([len(body)]) + body + b"\x00"

    def unprotect(self, data: bytes, sw: int) -> tuple[bytes, int]:
        """(plain response data, status word) from a protected response."""
        ssc = self._next_ssc()
        if not data:
            # A card answering without SM (an error such as 6988) leaves nothing to verify.
            return b"", sw
        try:
            objects = parse_all(data)
        except TlvError as exc:
            raise SecureMessagingError(f"malformed protected response: {exc}") from exc
        covered = b""
        encrypted: bytes | None = None
        inner_sw: int | None = None
        mac: bytes | None = None
        for obj in objects:
            if obj.tag in (0x85, 0x87):
                covered += encode(obj.tag, obj.value)
                encrypted = obj.value[1:] if obj.tag == 0x87 else obj.value
            elif obj.tag == 0x99:
                covered += encode(obj.tag, obj.value)
                if len(obj.value) != 2:
                    raise SecureMessagingError("DO'99' must hold two status bytes")
                inner_sw = int.from_bytes(obj.value, "big")
            elif obj.tag == 0x8E:
                mac = obj.value
        if mac is None:
            raise SecureMessagingError("protected response has no MAC (DO'8E')")
        if not hmac.compare_digest(self._crypto.mac(ssc + covered), mac):
            raise SecureMessagingError("response MAC does not verify")
        plain = b""
        if encrypted:
            try:
                plain = self._crypto.decrypt(ssc, encrypted)
            except ValueError as exc:
                raise SecureMessagingError(str(exc)) from exc
        return plain, inner_sw if inner_sw is not None else sw

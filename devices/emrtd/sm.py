"""Secure messaging with 3DES and the retail MAC (ICAO 9303-11 section 9.8), reader side.

The send sequence counter (SSC) is incremented before protecting every command and before
checking every response; a response whose MAC does not verify ends the session.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.emrtd.apdu import CommandApdu
from devices.emrtd.crypto import pad, retail_mac, tdes_decrypt, tdes_encrypt, unpad
from devices.emrtd.tlv import TlvError, encode, parse_all


class SecureMessagingError(ValueError):
    """A protected response was malformed or its MAC did not verify."""


@dataclass
class SecureMessaging:
    ks_enc: bytes
    ks_mac: bytes
    ssc: int  # 8-byte counter as an integer

    def _next_ssc(self) -> bytes:
        self.ssc = (self.ssc + 1) % (1 << 64)
        return self.ssc.to_bytes(8, "big")

    def protect(self, command: CommandApdu) -> bytes:
        """The protected APDU bytes for ``command`` (CLA gets 0x0C)."""
        cla = command.cla | 0x0C
        header = bytes([cla, command.ins, command.p1, command.p2])
        body = b""
        if command.data:
            encrypted = tdes_encrypt(self.ks_enc, pad(command.data))
            # Odd INS (e.g. READ BINARY B1) carries BER-TLV data in DO'85', unencrypted form
            # distinguished by the tag; even INS uses DO'87' with the padding indicator 01.
            if command.ins & 1:
                body += encode(0x85, encrypted)
            else:
                body += encode(0x87, b"\x01" + encrypted)
        if command.le is not None:
            body += encode(0x97, bytes([command.le & 0xFF]))
        mac = retail_mac(self.ks_mac, pad(self._next_ssc() + pad(header) + body))
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
        if retail_mac(self.ks_mac, pad(ssc + covered)) != mac:
            raise SecureMessagingError("response MAC does not verify")
        plain = b""
        if encrypted:
            if len(encrypted) % 8:
                raise SecureMessagingError("encrypted data is not a whole number of blocks")
            try:
                plain = unpad(tdes_decrypt(self.ks_enc, encrypted))
            except ValueError as exc:
                raise SecureMessagingError(str(exc)) from exc
        return plain, inner_sw if inner_sw is not None else sw

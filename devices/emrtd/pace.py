"""PACE (ICAO 9303-11 section 4.4) with the MRZ as password: ECDH generic mapping with
3DES or AES-128/192/256 on the standardized curves of ``ec``.

EF.CardAccess (in the MF, read without secure messaging) tells which PACE variants the chip
offers. A PACE failure other than the card leaving lets the reader fall back to BAC.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from devices.emrtd.apdu import CommandApdu, sw_text
from devices.emrtd.crypto import (
    PACE_COUNTER,
    aes_cmac8,
    aes_decrypt,
    aes_encrypt,
    kdf,
    pad,
    retail_mac,
    tdes_decrypt,
    tdes_encrypt,
)
from devices.emrtd.ec import SUPPORTED_PARAMETER_IDS, Curve, EcError, standard_curve
from devices.emrtd.sm import SecureMessaging
from devices.emrtd.tlv import TlvError, encode, parse_all

PACE_PREFIX = "0.4.0.127.0.7.2.2.4"
# protocol OID -> (cipher, key bits); all ECDH generic mapping.
PACE_ECDH_GM = {
    "0.4.0.127.0.7.2.2.4.2.1": ("3DES", 128),
    "0.4.0.127.0.7.2.2.4.2.2": ("AES", 128),
    "0.4.0.127.0.7.2.2.4.2.3": ("AES", 192),
    "0.4.0.127.0.7.2.2.4.2.4": ("AES", 256),
}
MRZ_PASSWORD = 0x01

Send = Callable[[CommandApdu], tuple[bytes, int]]


class PaceError(ValueError):
    """PACE did not establish a channel (the reader may fall back to BAC).

    ``wrong_password``: the chip refused our authentication token, which is what a wrong
    MRZ looks like.
    """

    def __init__(self, message: str, *, wrong_password: bool = False) -> None:
        super().__init__(message)
        self.wrong_password = wrong_password


def decode_oid(data: bytes) -> str:
    if not data:
        raise PaceError("empty object identifier")
    parts = [data[0] // 40, data[0] % 40] if data[0] < 80 else [2, data[0] - 80]
    value = 0
    for byte in data[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(str(p) for p in parts)


def encode_oid(oid: str) -> bytes:
    numbers = [int(p) for p in oid.split(".")]
    out = bytearray([numbers[0] * 40 + numbers[1]])
    for number in numbers[2:]:
        chunk = [number & 0x7F]
        number >>= 7
        while number:
            chunk.append(0x80 | (number & 0x7F))
            number >>= 7
        out += bytes(reversed(chunk))
    return bytes(out)


@dataclass(frozen=True)
class PaceInfo:
    oid: str
    version: int
    parameter_id: int | None

    @property
    def supported(self) -> bool:
        return (self.oid in PACE_ECDH_GM and self.version == 2
                and self.parameter_id in SUPPORTED_PARAMETER_IDS)

    def describe(self) -> str:
        cipher, bits = PACE_ECDH_GM.get(self.oid, ("?", 0))
        curve = standard_curve(self.parameter_id).name if self.supported else "?"
        label = f"{cipher}-{bits}" if cipher == "AES" else cipher
        return f"PACE ECDH-GM {label} {curve}"


def parse_card_access(data: bytes) -> list[PaceInfo]:
    """The PACEInfo entries of EF.CardAccess (other SecurityInfos are skipped)."""
    try:
        top = parse_all(data)
        if not top or top[0].tag != 0x31:
            raise PaceError("EF.CardAccess is not a SET of SecurityInfos")
        infos = []
        for item in top[0].children():
            if item.tag != 0x30:
                continue
            fields = item.children()
            if len(fields) < 2 or fields[0].tag != 0x06 or fields[1].tag != 0x02:
                continue
            oid = decode_oid(fields[0].value)
            if not oid.startswith(PACE_PREFIX) or oid.count(".") != 10:
                continue
            version = int.from_bytes(fields[1].value, "big")
            parameter = (int.from_bytes(fields[2].value, "big")
                         if len(fields) > 2 and fields[2].tag == 0x02 else None)
            infos.append(PaceInfo(oid, version, parameter))
        return infos
    except TlvError as exc:
        raise PaceError(f"EF.CardAccess: {exc}") from exc


def password_key(mrz_information: str, cipher: str, bits: int) -> bytes:
    """K_pi from the MRZ password: KDF(SHA-1(MRZ information), 3)."""
    return kdf(hashlib.sha1(mrz_information.encode("ascii")).digest(), PACE_COUNTER, cipher, bits)


def nonce_cipher(cipher: str, key: bytes, data: bytes, *, decrypt: bool) -> bytes:
    if cipher == "AES":
        return aes_decrypt(key, data) if decrypt else aes_encrypt(key, data)
    return tdes_decrypt(key, data) if decrypt else tdes_encrypt(key, data)


def auth_token(cipher: str, ks_mac: bytes, oid: str, curve: Curve, point: tuple[int, int]) -> bytes:
    """MAC over the public-key data object 7F49 {06 OID, 86 point}."""
    data = encode(0x7F49, encode(0x06, encode_oid(oid)) + encode(0x86, curve.encode(point)))
    return aes_cmac8(ks_mac, data) if cipher == "AES" else retail_mac(ks_mac, pad(data))


def _dynamic(data: bytes, tag: int) -> bytes:
    try:
        top = parse_all(data)
        if not top or top[0].tag != 0x7C:
            raise PaceError("GENERAL AUTHENTICATE answer is not dynamic authentication data")
        found = next((o.value for o in top[0].children() if o.tag == tag), None)
    except TlvError as exc:
        raise PaceError(f"GENERAL AUTHENTICATE answer: {exc}") from exc
    if found is None:
        raise PaceError(f"GENERAL AUTHENTICATE answer lacks tag {tag:02X}")
    return found


def perform_pace(
    send: Send,
    info: PaceInfo,
    mrz_information: str,
    ephemeral_keys: Callable[[Curve], int] | None = None,
    *,
    name_parameters: bool = False,
) -> SecureMessaging:
    """Run PACE; returns the secure channel (SSC 0). Raises PaceError (wrong MRZ included).

    ``ephemeral_keys`` supplies the terminal's two private scalars (mapping, then key
    agreement); only known-answer tests pass it. ``name_parameters`` adds the domain
    parameter id (tag 84) to MSE:Set AT, which chips offering several parameter sets need.
    """
    next_key = ephemeral_keys or (lambda c: c.random_scalar())
    if not info.supported:
        raise PaceError(f"PACE variant {info.oid} / parameters {info.parameter_id} not supported")
    cipher, bits = PACE_ECDH_GM[info.oid]
    curve = standard_curve(info.parameter_id or 0)
    oid_bytes = encode_oid(info.oid)
    mse = encode(0x80, oid_bytes) + encode(0x83, bytes([MRZ_PASSWORD]))
    if name_parameters and info.parameter_id is not None:
        mse += encode(0x84, bytes([info.parameter_id]))
    _data, sw = send(CommandApdu(0x00, 0x22, 0xC1, 0xA4, mse))
    if sw != 0x9000:
        raise PaceError(f"MSE:Set AT refused: {sw_text(sw)}")

    def general_authenticate(content: bytes, tag: int, last: bool = False) -> bytes:
        cla = 0x00 if last else 0x10  # command chaining until the last step
        data, status = send(CommandApdu(cla, 0x86, 0x00, 0x00, encode(0x7C, content), le=256))
        if status != 0x9000:
            raise PaceError(f"GENERAL AUTHENTICATE refused: {sw_text(status)}",
                            wrong_password=last and status >> 8 in (0x63, 0x69))
        return _dynamic(data, tag)

    try:
        encrypted_nonce = general_authenticate(b"", 0x80)
        block = 16 if cipher == "AES" else 8
        if len(encrypted_nonce) % block or not encrypted_nonce:
            raise PaceError("the encrypted nonce is not whole cipher blocks")
        k_pi = password_key(mrz_information, cipher, bits)
        s = int.from_bytes(nonce_cipher(cipher, k_pi, encrypted_nonce, decrypt=True), "big")
        sk_map = next_key(curve)
        chip_map = curve.decode(general_authenticate(
            encode(0x81, curve.encode(curve.mul_g(sk_map))), 0x82))
        mapped_g = curve.add(curve.mul_g(s % curve.n or 1) if s % curve.n else None,
                             curve.mul(sk_map, chip_map))
        if mapped_g is None:
            raise PaceError("the mapped generator is the point at infinity")
        sk_eph = next_key(curve)
        pk_eph = curve.mul(sk_eph, mapped_g)
        assert pk_eph is not None
        chip_eph = curve.decode(general_authenticate(encode(0x83, curve.encode(pk_eph)), 0x84))
        if chip_eph == pk_eph:
            raise PaceError("the chip echoed our ephemeral key")
        secret = curve.shared_x(sk_eph, chip_eph).to_bytes(curve.size, "big")
        ks_enc, ks_mac = kdf(secret, 1, cipher, bits), kdf(secret, 2, cipher, bits)
        token = auth_token(cipher, ks_mac, info.oid, curve, chip_eph)
        chip_token = general_authenticate(encode(0x85, token), 0x86, last=True)
    except EcError as exc:
        raise PaceError(f"chip sent an invalid point: {exc}") from exc
    if not hmac.compare_digest(chip_token, auth_token(cipher, ks_mac, info.oid, curve, pk_eph)):
        raise PaceError("the chip's authentication token does not verify")
    return SecureMessaging(ks_enc, ks_mac, 0, cipher)

"""The chip side of an ICAO 9303 passport: SELECT, GET CHALLENGE, MUTUAL AUTHENTICATE (BAC),
READ BINARY (B0 and B1) under 3DES secure messaging, with fault modes.

Written from the card's point of view (it unwraps commands and wraps responses), so it does
not share the reader's secure-messaging code, only the tested primitives.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from dataclasses import dataclass

from devices.emrtd.apdu import CommandApdu, parse_command
from devices.emrtd.crypto import (
    ENC_COUNTER,
    MAC_COUNTER,
    derive_key,
    kdf,
    key_seed_from_mrz,
    pad,
    retail_mac,
    tdes_decrypt,
    tdes_encrypt,
)
from devices.emrtd.ec import Curve, EcError, standard_curve
from devices.emrtd.pace import (
    PACE_ECDH_GM,
    PaceInfo,
    auth_token,
    decode_oid,
    nonce_cipher,
    parse_card_access,
    password_key,
)
from devices.emrtd.simulator.builder import EF_CARD_ACCESS_FID, PassportFiles
from devices.emrtd.sm import SmCipher
from devices.emrtd.tlv import TlvError, encode, parse_all

EMRTD_AID = bytes.fromhex("A0000002471001")
ATR = bytes.fromhex("3B8880011A000000000000007181")  # a contactless ePassport-like ATR


def _sw(value: int) -> bytes:
    return value.to_bytes(2, "big")


@dataclass
class CardFaults:
    remove_after_reads: int | None = None  # the card leaves the field at this READ BINARY
    eof_answer: str = "6282"  # "6282": short data + 6282; "6C": 6Cxx with the bytes left
    t0_get_response: bool = False  # answer 61xx and wait for GET RESPONSE
    max_le: int | None = None  # answer 6700 when more is asked for
    read_delay_s: float = 0.0  # per READ BINARY, to watch progress in a demo
    tamper_dg: int | None = None  # flip a byte of this data group after EF.SOD was made
    bac_disabled: bool = False  # a PACE-only chip: GET CHALLENGE is refused
    pace_broken: bool = False  # the chip's PACE token is wrong (the reader must fall back)


class CardRemoved(Exception):
    """Raised by the card to tell the transport to drop the connection (card pulled)."""


@dataclass
class _Session:
    crypto: SmCipher
    ssc: int

    def next_ssc(self) -> bytes:
        size = self.crypto.block
        self.ssc = (self.ssc + 1) % (1 << (8 * size))
        return self.ssc.to_bytes(size, "big")


@dataclass
class _PaceRun:
    """The chip's side of one PACE run, step by step."""

    oid: str
    cipher: str
    bits: int
    curve: Curve
    nonce: int = 0
    step: int = 0
    sk_map: int = 0
    mapped_g: tuple[int, int] | None = None
    sk_eph: int = 0
    pk_eph: tuple[int, int] | None = None
    terminal_eph: tuple[int, int] | None = None


class VirtualPassport:
    def __init__(self, passport: PassportFiles, faults: CardFaults | None = None) -> None:
        self.passport = passport
        self.faults = faults or CardFaults()
        self.files = dict(passport.files)
        if self.faults.tamper_dg is not None:
            fid = 0x0100 + self.faults.tamper_dg
            data = bytearray(self.files[fid])
            data[-1] ^= 0x01
            self.files[fid] = bytes(data)
        seed = key_seed_from_mrz(passport.mrz_information)
        self._k_enc, self._k_mac = derive_key(seed, ENC_COUNTER), derive_key(seed, MAC_COUNTER)
        self.reads = 0
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self._applet = False
        self._selected: int | None = None
        self._rnd_ic: bytes | None = None
        self._session: _Session | None = None
        self._pace: _PaceRun | None = None
        self._pending = b""

    # -- APDU entry point ------------------------------------------------------------------

    def process(self, raw: bytes) -> bytes:
        with self.lock:
            return self._process(raw)

    def _process(self, raw: bytes) -> bytes:
        try:
            command = parse_command(raw)
        except ValueError:
            return _sw(0x6700)
        if command.ins == 0xC0 and command.cla & 0x0C == 0:
            return self._get_response(command)
        if command.cla & 0x0C == 0x0C:
            response = self._secure(command)
        elif self._session is not None and command.ins != 0xA4:
            # A plain command ends the secure channel (9303-11 9.8.6).
            self._session = None
            response = _sw(0x6987)
        else:
            data, sw = self._execute(command)
            response = data + _sw(sw)
        if self.faults.t0_get_response and len(response) > 2:
            self._pending = response[:-2]
            return bytes([0x61, min(len(self._pending), 255) & 0xFF])
        return response

    def _get_response(self, command: CommandApdu) -> bytes:
        if not self._pending:
            return _sw(0x6985)
        size = command.le or 256
        chunk, self._pending = self._pending[:size], self._pending[size:]
        if self._pending:
            return chunk + bytes([0x61, min(len(self._pending), 255) & 0xFF])
        return chunk + _sw(0x9000)

    # -- secure messaging (card side) ------------------------------------------------------

    def _secure(self, command: CommandApdu) -> bytes:
        session = self._session
        if session is None:
            return _sw(0x6988)
        try:
            objects = parse_all(command.data)
        except TlvError:
            self._session = None
            return _sw(0x6988)
        covered = b""
        mac = None
        payload = b""
        le: int | None = None
        for obj in objects:
            if obj.tag in (0x85, 0x87, 0x97):
                covered += encode(obj.tag, obj.value)
            if obj.tag == 0x87:
                payload = obj.value[1:]
            elif obj.tag == 0x85:
                payload = obj.value
            elif obj.tag == 0x97:
                le = obj.value[0] if obj.value and obj.value[0] else 256
            elif obj.tag == 0x8E:
                mac = obj.value
        header = bytes([command.cla, command.ins, command.p1, command.p2])
        ssc = session.next_ssc()
        crypto = session.crypto
        expected = crypto.mac(ssc + pad(header, crypto.block) + covered)
        if mac is None or not hmac.compare_digest(mac, expected):
            self._session = None
            return _sw(0x6988)
        plain = b""
        if payload:
            try:
                plain = crypto.decrypt(ssc, payload)
            except ValueError:
                self._session = None
                return _sw(0x6988)
        inner = CommandApdu(command.cla & ~0x0C & 0xFF, command.ins, command.p1, command.p2,
                            plain, le)
        data, sw = self._execute(inner, secure=True)
        if self._session is not session:
            return _sw(sw)  # the command ended the channel
        ssc = session.next_ssc()
        body = b""
        if data:
            encrypted = crypto.encrypt(ssc, data)
            body += encode(0x85, encrypted) if inner.ins & 1 else encode(0x87, b"\x01" + encrypted)
        body += encode(0x99, _sw(sw))
        body += encode(0x8E, crypto.mac(ssc + body))
        return body + _sw(sw)

    # -- commands --------------------------------------------------------------------------

    def _execute(self, command: CommandApdu, *, secure: bool = False) -> tuple[bytes, int]:
        if command.ins == 0xA4:
            return self._select(command, secure)
        handlers = {0x84: self._get_challenge, 0x82: self._mutual_auth,
                    0xB0: self._read_binary, 0xB1: self._read_binary,
                    0x22: self._mse_set_at, 0x86: self._general_authenticate}
        handler = handlers.get(command.ins)
        if handler is None:
            return b"", 0x6D00
        return handler(command)

    def _select(self, command: CommandApdu, secure: bool = False) -> tuple[bytes, int]:
        if command.p1 == 0x04:
            if command.data != EMRTD_AID:
                return b"", 0x6A82
            self._applet, self._selected = True, None
            if not secure:
                self._session = None  # a plain SELECT of the application ends the channel
            return b"", 0x9000
        if command.p1 in (0x00, 0x02) and len(command.data) == 2:
            fid = int.from_bytes(command.data, "big")
            if fid == 0x3F00:
                self._applet, self._selected = False, None
                return b"", 0x9000
            files = self.files if self._applet else self.passport.master_files
            if self._applet and self._session is None:
                return b"", 0x6982
            if fid not in files:
                return b"", 0x6A82
            self._selected = fid
            return b"", 0x9000
        return b"", 0x6A86

    def _get_challenge(self, command: CommandApdu) -> tuple[bytes, int]:
        if not self._applet:
            return b"", 0x6985
        if self.faults.bac_disabled:
            return b"", 0x6982
        self._rnd_ic = os.urandom(8)
        return self._rnd_ic, 0x9000

    def _mutual_auth(self, command: CommandApdu) -> tuple[bytes, int]:
        if self._rnd_ic is None or len(command.data) != 40:
            return b"", 0x6985
        encrypted, mac = command.data[:32], command.data[32:]
        if not hmac.compare_digest(retail_mac(self._k_mac, pad(encrypted)), mac):
            self._rnd_ic = None
            return b"", 0x6300
        plain = tdes_decrypt(self._k_enc, encrypted)
        rnd_ifd, rnd_ic, k_ifd = plain[:8], plain[8:16], plain[16:]
        if rnd_ic != self._rnd_ic:
            self._rnd_ic = None
            return b"", 0x6300
        k_ic = os.urandom(16)
        answer = tdes_encrypt(self._k_enc, rnd_ic + rnd_ifd + k_ic)
        answer += retail_mac(self._k_mac, pad(answer))
        seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
        crypto = SmCipher(derive_key(seed, ENC_COUNTER), derive_key(seed, MAC_COUNTER))
        self._session = _Session(crypto, int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big"))
        self._rnd_ic = None
        return answer, 0x9000

    # -- PACE (chip side) ------------------------------------------------------------------

    def _card_access_pace(self) -> list[PaceInfo]:
        raw = self.passport.master_files.get(EF_CARD_ACCESS_FID)
        return [i for i in parse_card_access(raw) if i.supported] if raw else []

    def _mse_set_at(self, command: CommandApdu) -> tuple[bytes, int]:
        if (command.p1, command.p2) != (0xC1, 0xA4):
            return b"", 0x6A86
        try:
            fields = {o.tag: o.value for o in parse_all(command.data)}
        except TlvError:
            return b"", 0x6A80
        oid = decode_oid(fields.get(0x80, b"\x00"))
        offered = [i for i in self._card_access_pace() if i.oid == oid
                   and (0x84 not in fields or fields[0x84] == bytes([i.parameter_id or 0]))]
        if not offered or fields.get(0x83) != b"\x01":
            return b"", 0x6A80
        cipher, bits = PACE_ECDH_GM[oid]
        self._session = None
        self._pace = _PaceRun(oid, cipher, bits, standard_curve(offered[0].parameter_id or 0))
        return b"", 0x9000

    def _general_authenticate(self, command: CommandApdu) -> tuple[bytes, int]:
        run = self._pace
        if run is None:
            return b"", 0x6985
        try:
            top = parse_all(command.data)
            content = {o.tag: o.value for o in top[0].children()} if top else {}
        except TlvError:
            self._pace = None
            return b"", 0x6A80
        curve = run.curve
        try:
            if run.step == 0:
                block = 16 if run.cipher == "AES" else 8
                nonce = os.urandom(block)
                run.nonce = int.from_bytes(nonce, "big")
                k_pi = password_key(self.passport.mrz_information, run.cipher, run.bits)
                run.step = 1
                return encode(0x7C, encode(0x80, nonce_cipher(
                    run.cipher, k_pi, nonce, decrypt=False))), 0x9000
            if run.step == 1:
                terminal_map = curve.decode(content[0x81])
                run.sk_map = curve.random_scalar()
                shared = curve.mul(run.sk_map, terminal_map)
                run.mapped_g = curve.add(curve.mul_g(run.nonce % curve.n or 1)
                                         if run.nonce % curve.n else None, shared)
                run.step = 2
                return encode(0x7C, encode(0x82, curve.encode(curve.mul_g(run.sk_map)))), 0x9000
            if run.step == 2:
                run.terminal_eph = curve.decode(content[0x83])
                run.sk_eph = curve.random_scalar()
                run.pk_eph = curve.mul(run.sk_eph, run.mapped_g)
                run.step = 3
                return encode(0x7C, encode(0x84, curve.encode(run.pk_eph))), 0x9000
            assert run.terminal_eph is not None and run.pk_eph is not None
            secret = curve.shared_x(run.sk_eph, run.terminal_eph).to_bytes(curve.size, "big")
            ks_enc = kdf(secret, 1, run.cipher, run.bits)
            ks_mac = kdf(secret, 2, run.cipher, run.bits)
            expected = auth_token(run.cipher, ks_mac, run.oid, curve, run.pk_eph)
            self._pace = None
            if not hmac.compare_digest(content.get(0x85, b""), expected):
                return b"", 0x6300  # wrong password (MRZ)
            token = auth_token(run.cipher, ks_mac, run.oid, curve, run.terminal_eph)
            if self.faults.pace_broken:
                token = bytes(len(token))
            self._session = _Session(SmCipher(ks_enc, ks_mac, run.cipher), 0)
            return encode(0x7C, encode(0x86, token)), 0x9000
        except (KeyError, EcError, AssertionError):
            self._pace = None
            return b"", 0x6A80

    def _read_binary(self, command: CommandApdu) -> tuple[bytes, int]:
        self.reads += 1
        if (self.faults.remove_after_reads is not None
                and self.reads > self.faults.remove_after_reads):
            raise CardRemoved
        if self.faults.read_delay_s:
            time.sleep(self.faults.read_delay_s)
        if self._applet and self._session is None:
            return b"", 0x6982
        if self._selected is None:
            return b"", 0x6986
        files = self.files if self._applet else self.passport.master_files
        content = files[self._selected]
        if command.ins == 0xB1:
            try:
                offset_obj = parse_all(command.data)[0]
            except (TlvError, IndexError):
                return b"", 0x6A80
            offset = int.from_bytes(offset_obj.value, "big")
        else:
            if command.p1 & 0x80:
                return b"", 0x6A81  # short EF identifiers are not emulated
            offset = (command.p1 << 8) | command.p2
        wanted = command.le or 256
        if self.faults.max_le is not None and wanted > self.faults.max_le:
            return b"", 0x6700
        if offset >= len(content):
            return b"", 0x6B00
        data = content[offset : offset + wanted]
        sw = 0x9000
        if len(data) < wanted:
            if self.faults.eof_answer == "6C":
                return b"", 0x6C00 | len(data)
            sw = 0x6282
        if command.ins == 0xB1:
            data = encode(0x53, data)
        return data, sw

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
    key_seed_from_mrz,
    pad,
    retail_mac,
    tdes_decrypt,
    tdes_encrypt,
    unpad,
)
from devices.emrtd.simulator.builder import PassportFiles
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


class CardRemoved(Exception):
    """Raised by the card to tell the transport to drop the connection (card pulled)."""


@dataclass
class _Session:
    ks_enc: bytes
    ks_mac: bytes
    ssc: int

    def next_ssc(self) -> bytes:
        self.ssc = (self.ssc + 1) % (1 << 64)
        return self.ssc.to_bytes(8, "big")


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
        expected = retail_mac(session.ks_mac, pad(session.next_ssc() + pad(header) + covered))
        if mac is None or not hmac.compare_digest(mac, expected):
            self._session = None
            return _sw(0x6988)
        plain = b""
        if payload:
            try:
                plain = unpad(tdes_decrypt(session.ks_enc, payload))
            except ValueError:
                self._session = None
                return _sw(0x6988)
        inner = CommandApdu(command.cla & ~0x0C & 0xFF, command.ins, command.p1, command.p2,
                            plain, le)
        data, sw = self._execute(inner)
        body = b""
        if data:
            encrypted = tdes_encrypt(session.ks_enc, pad(data))
            body += encode(0x85, encrypted) if inner.ins & 1 else encode(0x87, b"\x01" + encrypted)
        body += encode(0x99, _sw(sw))
        body += encode(0x8E, retail_mac(session.ks_mac, pad(session.next_ssc() + body)))
        return body + _sw(sw)

    # -- commands --------------------------------------------------------------------------

    def _execute(self, command: CommandApdu) -> tuple[bytes, int]:
        handlers = {0xA4: self._select, 0x84: self._get_challenge, 0x82: self._mutual_auth,
                    0xB0: self._read_binary, 0xB1: self._read_binary}
        handler = handlers.get(command.ins)
        if handler is None:
            return b"", 0x6D00
        return handler(command)

    def _select(self, command: CommandApdu) -> tuple[bytes, int]:
        if command.p1 == 0x04:
            if command.data != EMRTD_AID:
                return b"", 0x6A82
            self._applet, self._selected = True, None
            self._session = None
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
        self._session = _Session(derive_key(seed, ENC_COUNTER), derive_key(seed, MAC_COUNTER),
                                 int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big"))
        self._rnd_ic = None
        return answer, 0x9000

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

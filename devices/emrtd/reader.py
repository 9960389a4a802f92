"""Read an eMRTD over any APDU transport: BAC, then EF.COM, DG1, DG2, DG11, DG12, EF.SOD.

The reader asks for at most ``chunk_size`` bytes per READ BINARY (0xDF fits one short
response under 3DES secure messaging), answers 61xx with GET RESPONSE, retries 6Cxx with
the length the chip names, takes 6282 as the end of the file, and halves the chunk on 6700.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from cryptography import x509

from devices.emrtd import errors
from devices.emrtd.apdu import (
    SW_AUTH_FAILED,
    SW_END_OF_FILE,
    SW_FILE_NOT_FOUND,
    SW_OK,
    SW_SECURITY_NOT_SATISFIED,
    SW_WRONG_LENGTH,
    SW_WRONG_OFFSET,
    CommandApdu,
    sw_text,
)
from devices.emrtd.bac import BacChallenge, BacError, BacKeys
from devices.emrtd.face import FaceImageError, decode_face
from devices.emrtd.lds import LdsError, dg2_face_blocks, parse_dg1, parse_dg11, parse_dg12, parse_ef_com
from devices.emrtd.pace import PaceError, parse_card_access, perform_pace
from devices.emrtd.sm import SecureMessaging, SecureMessagingError
from devices.emrtd.sod import passive_authentication
from devices.emrtd.tlv import TlvError, header_size_and_length, parse_all
from station.identity.passport import EmrtdResult, FaceImage
from station.mrz import Mrz, MrzError, parse_mrz

log = logging.getLogger(__name__)

EMRTD_AID = bytes.fromhex("A0000002471001")
FID_COM, FID_SOD, FID_CARD_ACCESS = 0x011E, 0x011D, 0x011C
DEFAULT_CHUNK = 0xDF
MIN_CHUNK = 0x20
OPTIONAL_GROUPS = (11, 12)

ProgressCallback = Callable[[str, float], None]  # (step, fraction 0..1)


class Transport(Protocol):
    """Sends one command APDU and returns (response data, status word)."""

    def transmit(self, apdu: bytes) -> tuple[bytes, int]: ...


class PassportReader:
    def __init__(
        self,
        transport: Transport,
        *,
        chunk_size: int = DEFAULT_CHUNK,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
        use_pace: bool = True,
    ) -> None:
        self._transport = transport
        self.use_pace = use_pace
        self.chunk_size = max(MIN_CHUNK, min(chunk_size, DEFAULT_CHUNK))
        self._progress = progress or (lambda _step, _fraction: None)
        self._cancel = cancel
        self._sm: SecureMessaging | None = None
        self._pace_refused_password = False
        self.apdu_count = 0

    # -- transport ------------------------------------------------------------------------

    def _send(self, command: bytes) -> tuple[bytes, int]:
        if self._cancel is not None and self._cancel.is_set():
            raise errors.cancelled()
        self.apdu_count += 1
        data, sw = self._transport.transmit(command)
        collected = data
        while sw >> 8 == 0x61:  # T=0 style: more bytes wait for GET RESPONSE
            self.apdu_count += 1
            more, sw = self._transport.transmit(bytes([0x00, 0xC0, 0x00, 0x00, sw & 0xFF]))
            collected += more
        return collected, sw

    def _plain(self, command: CommandApdu) -> tuple[bytes, int]:
        data, sw = self._send(command.to_bytes())
        if sw >> 8 == 0x6C:
            data, sw = self._send(command.with_le((sw & 0xFF) or 256).to_bytes())
        return data, sw

    def _secure(self, command: CommandApdu) -> tuple[bytes, int]:
        assert self._sm is not None
        raw, sw = self._send(self._sm.protect(command))
        try:
            return self._sm.unprotect(raw, sw)
        except SecureMessagingError as exc:
            raise errors.protocol_error(str(exc)) from exc

    # -- steps ----------------------------------------------------------------------------

    def _read_card_access(self) -> bytes | None:
        """EF.CardAccess from the MF, read without secure messaging (None: not there)."""
        _data, sw = self._plain(CommandApdu(0x00, 0xA4, 0x02, 0x0C, FID_CARD_ACCESS.to_bytes(2)))
        if sw != SW_OK:
            return None
        content = b""
        while len(content) < 0x1000:
            offset = len(content)
            chunk, sw = self._plain(
                CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=DEFAULT_CHUNK))
            content += chunk
            if sw != SW_OK or len(chunk) < DEFAULT_CHUNK:
                break
        try:
            header, length = header_size_and_length(content)
        except TlvError:
            return None
        return content[: header + length]

    def _pace(self, mrz: Mrz, card_access: bytes | None) -> str | None:
        """Try PACE; the protocol description on success, None when BAC must do."""
        if not card_access or not self.use_pace:
            return None
        try:
            offered = [info for info in parse_card_access(card_access) if info.supported]
        except PaceError as exc:
            log.info("EF.CardAccess unusable, using BAC: %s", exc)
            return None
        for info in offered:
            try:
                self._sm = perform_pace(self._plain, info, mrz.bac_key_seed_info,
                                        name_parameters=len(offered) > 1)
            except PaceError as exc:
                log.info("PACE (%s) failed, falling back: %s", info.describe(), exc)
                self._sm = None
                self._pace_refused_password = self._pace_refused_password or exc.wrong_password
                continue
            return info.describe()
        return None

    def _select_application(self) -> None:
        command = CommandApdu(0x00, 0xA4, 0x04, 0x0C, EMRTD_AID)
        _data, sw = self._secure(command) if self._sm is not None else self._plain(command)
        if sw != SW_OK:
            raise errors.not_emrtd(f"SELECT eMRTD application: {sw_text(sw)}")

    def _basic_access_control(self, mrz: Mrz) -> None:
        keys = BacKeys.from_mrz_information(mrz.bac_key_seed_info)
        rnd_ic, sw = self._plain(CommandApdu(0x00, 0x84, 0x00, 0x00, le=8))
        if sw != SW_OK and self._pace_refused_password:
            raise errors.access_denied()  # a PACE-only chip that refused our MRZ
        if sw != SW_OK or len(rnd_ic) != 8:
            raise errors.protocol_error(f"GET CHALLENGE: {sw_text(sw)}")
        challenge = BacChallenge.new(keys, rnd_ic)
        answer, sw = self._plain(
            CommandApdu(0x00, 0x82, 0x00, 0x00, challenge.command_data(), le=40)
        )
        if sw in (SW_AUTH_FAILED, SW_SECURITY_NOT_SATISFIED) or sw >> 8 == 0x63:
            raise errors.access_denied()
        if sw != SW_OK:
            raise errors.protocol_error(f"MUTUAL AUTHENTICATE: {sw_text(sw)}")
        try:
            self._sm = challenge.finish(answer)
        except BacError as exc:
            log.warning("BAC answer rejected: %s", exc)
            raise errors.access_denied() from exc

    def _read_binary(self, offset: int, length: int) -> tuple[bytes, bool]:
        """(data, end of file reached)."""
        wanted = length
        for _attempt in range(6):
            if offset > 0x7FFF:
                offset_do = bytes([0x54, 0x03]) + offset.to_bytes(3, "big")
                command = CommandApdu(0x00, 0xB1, 0x00, 0x00, offset_do, le=wanted)
            else:
                command = CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=wanted)
            data, sw = self._secure(command)
            if command.ins == 0xB1 and data:
                try:
                    data = next((o.value for o in parse_all(data) if o.tag == 0x53), b"")
                except TlvError as exc:
                    raise errors.protocol_error(f"READ BINARY B1: {exc}") from exc
            if sw == SW_OK:
                return data, False
            if sw == SW_END_OF_FILE:
                return data, True
            if sw >> 8 == 0x6C:
                wanted = (sw & 0xFF) or 256
                continue
            if sw == SW_WRONG_LENGTH and wanted > MIN_CHUNK:
                wanted = max(MIN_CHUNK, wanted // 2)
                self.chunk_size = min(self.chunk_size, wanted)
                continue
            if sw == SW_WRONG_OFFSET:
                return b"", True
            raise errors.protocol_error(f"READ BINARY at {offset}: {sw_text(sw)}")
        raise errors.protocol_error(f"READ BINARY at {offset}: the chip keeps refusing the length")

    def _read_file(self, fid: int, step: str, start: float, end: float) -> bytes | None:
        """The whole file, or None when the chip does not have it."""
        _data, sw = self._secure(CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big")))
        if sw == SW_FILE_NOT_FOUND:
            return None
        if sw != SW_OK:
            raise errors.protocol_error(f"SELECT {fid:04X}: {sw_text(sw)}")
        head, eof = self._read_binary(0, 6)
        try:
            header, length = header_size_and_length(head)
        except TlvError as exc:
            raise errors.bad_data(f"{step}: {exc}") from exc
        total = header + length
        content = bytearray(head[:total])
        while len(content) < total:
            if eof:
                raise errors.bad_data(f"{step}: the file ends after {len(content)} of {total}")
            chunk, eof = self._read_binary(len(content), min(self.chunk_size, total - len(content)))
            if not chunk:
                raise errors.bad_data(f"{step}: the file ends after {len(content)} of {total}")
            content += chunk
            self._progress(step, start + (end - start) * len(content) / total)
        self._progress(step, end)
        return bytes(content[:total])

    # -- the whole read --------------------------------------------------------------------

    def read(
        self, mrz: Mrz | str, csca_certificates: list[x509.Certificate] | None = None
    ) -> EmrtdResult:
        if isinstance(mrz, str):
            try:
                mrz = parse_mrz(mrz)
            except MrzError as exc:
                raise errors.invalid_mrz(str(exc)) from exc
        # BAC needs these three; other check-digit failures are the form's business.
        bac_failures = [name for name in mrz.failed_checks
                        if name in ("document_number", "birth_date", "expiry_date")]
        if bac_failures:
            raise errors.invalid_mrz(", ".join(bac_failures))
        self._progress("connect", 0.0)
        card_access = self._read_card_access()
        self._progress("authenticate", 0.02)
        protocol = self._pace(mrz, card_access)
        if protocol is None:
            self._select_application()
            self._basic_access_control(mrz)
            access, protocol = "BAC", "BAC 3DES"
        else:
            access = "PACE"
            self._select_application()
        self._progress("authenticate", 0.1)
        com_raw = self._read_file(FID_COM, "EF.COM", 0.1, 0.15)
        if com_raw is None:
            raise errors.bad_data("EF.COM is missing")
        try:
            com = parse_ef_com(com_raw)
            raw = {"COM": com_raw}
            groups: dict[int, bytes] = {}
            plan = [(1, 0.15, 0.2), (2, 0.2, 0.85)]
            plan += [(n, 0.85, 0.88) for n in OPTIONAL_GROUPS if n in com.data_groups]
            for number, start, end in plan:
                content = self._read_file(0x0100 + number, f"DG{number}", start, end)
                if content is None:
                    if number in (1, 2):
                        raise errors.bad_data(f"DG{number} is missing")
                    continue
                groups[number] = content
                raw[f"DG{number}"] = content
            sod = self._read_file(FID_SOD, "EF.SOD", 0.88, 0.97)
            if sod is not None:
                raw["SOD"] = sod
            holder = parse_dg1(groups[1])
            extra: dict[str, Any] = {}
            if 11 in groups:
                extra.update(parse_dg11(groups[11]))
            if 12 in groups:
                extra.update(parse_dg12(groups[12]))
            face = self._face(groups[2])
        except LdsError as exc:
            raise errors.bad_data(str(exc)) from exc
        if extra:
            from dataclasses import replace

            holder = replace(holder, **extra)
        self._progress("verify", 0.98)
        passive = passive_authentication(sod, groups, csca_certificates)
        self._progress("done", 1.0)
        return EmrtdResult(
            holder=holder, face=face, passive_auth=passive, access_control=access,
            access_protocol=protocol, pace_offered=card_access is not None,
            data_groups_present=com.data_groups, data_groups_read=tuple(sorted(groups)), raw_files=raw,
        )

    @staticmethod
    def _face(dg2: bytes) -> FaceImage | None:
        for block in dg2_face_blocks(dg2):
            try:
                return decode_face(block)
            except FaceImageError as exc:
                raise errors.bad_data(f"DG2: {exc}") from exc
        return None

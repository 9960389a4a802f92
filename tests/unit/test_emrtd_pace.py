"""PACE (ECDH generic mapping) against the emulated chip, the curve arithmetic against
``cryptography``, and EF.CardAccess parsing."""

from __future__ import annotations

import contextlib
import io
import secrets

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from devices.emrtd import errors
from devices.emrtd.ec import SUPPORTED_PARAMETER_IDS, EcError, standard_curve
from devices.emrtd.pace import (
    PACE_ECDH_GM,
    PaceError,
    PaceInfo,
    decode_oid,
    encode_oid,
    parse_card_access,
)
from devices.emrtd.reader import PassportReader
from devices.emrtd.simulator import CardFaults, VirtualPassport, build_passport
from devices.emrtd.simulator.builder import EF_CARD_ACCESS_FID
from devices.emrtd.simulator.loopback import LoopbackTransport

MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)
WRONG_MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C<3UTO6908061F9406236ZE184226B<<<<<14"
)
NATIVE = {12: ec.SECP256R1(), 13: ec.BrainpoolP256R1(), 15: ec.SECP384R1(),
          18: ec.SECP521R1()}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (90, 80, 70)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize("parameter_id", SUPPORTED_PARAMETER_IDS)
def test_curve_arithmetic_matches_cryptography(parameter_id: int) -> None:
    curve = standard_curve(parameter_id)
    assert curve.on_curve(curve.g)
    assert curve.mul(curve.n, curve.g) is None
    for _ in range(3):
        k = secrets.randbelow(curve.n - 1) + 1
        expected = ec.derive_private_key(k, NATIVE[parameter_id]).public_key().public_numbers()
        assert curve.mul(k, curve.g) == (expected.x, expected.y) == curve.mul_g(k)
        other = curve.mul_g(secrets.randbelow(curve.n - 1) + 1)
        product = curve.mul(k, other)
        assert product is not None and product[0] == curve.shared_x(k, other)
    two_g = curve.add(curve.g, curve.g)
    assert two_g == curve.mul(2, curve.g)
    assert curve.add(curve.g, (curve.gx, (-curve.gy) % curve.p)) is None
    assert curve.decode(curve.encode(curve.g)) == curve.g
    with pytest.raises(EcError):
        curve.decode(curve.encode((curve.gx, (curve.gy + 1) % curve.p)))
    with pytest.raises(EcError):
        curve.decode(b"\x02" + bytes(curve.size))


def test_oid_round_trip() -> None:
    oid = "0.4.0.127.0.7.2.2.4.2.2"
    assert encode_oid(oid) == bytes.fromhex("04007F00070202040202")
    assert decode_oid(encode_oid(oid)) == oid
    assert decode_oid(encode_oid("2.23.136.1.1.1")) == "2.23.136.1.1.1"


def test_card_access_parsing() -> None:
    files = build_passport(MRZ, _jpeg(), (60, 80), with_card_access=True)
    infos = parse_card_access(files.master_files[EF_CARD_ACCESS_FID])
    assert infos == [PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 2, 13)]
    assert infos[0].supported
    assert infos[0].describe() == "PACE ECDH-GM AES-128 brainpoolP256r1"
    assert not PaceInfo("0.4.0.127.0.7.2.2.4.1.2", 2, 2).supported  # DH: not supported


@settings(max_examples=200)
@given(st.binary(max_size=120))
def test_card_access_parser_fuzz(data: bytes) -> None:
    with contextlib.suppress(PaceError):
        parse_card_access(data)


@pytest.mark.parametrize("oid", sorted(PACE_ECDH_GM))
@pytest.mark.parametrize("parameter_id", [12, 13, 15])
def test_pace_variants_on_a_pace_only_chip(oid: str, parameter_id: int) -> None:
    files = build_passport(MRZ, _jpeg(), (60, 80), with_card_access=True, pace_oid=oid,
                           pace_parameter_id=parameter_id)
    transport = LoopbackTransport(VirtualPassport(files, CardFaults(bac_disabled=True)))
    result = PassportReader(transport).read(MRZ)
    assert result.access_control == "PACE"
    assert result.access_protocol == PaceInfo(oid, 2, parameter_id).describe()
    assert result.holder.document_number == "L898902C3"
    assert result.passive_auth.hashes_valid
    # Every command after PACE was protected (CLA 0C) except the PACE exchange itself.
    general_authenticate = [i for i, (apdu, _) in enumerate(transport.log) if apdu[1] == 0x86]
    after = transport.log[general_authenticate[-1] + 1 :]
    assert after and all(apdu[0] == 0x0C for apdu, _ in after)


def test_wrong_mrz_on_a_pace_only_chip_is_access_denied() -> None:
    files = build_passport(MRZ, _jpeg(), (60, 80), with_card_access=True)
    transport = LoopbackTransport(VirtualPassport(files, CardFaults(bac_disabled=True)))
    with pytest.raises(errors.EmrtdError) as caught:
        PassportReader(transport).read(WRONG_MRZ)
    assert caught.value.code == "access_denied"


def test_falls_back_to_bac_when_pace_fails_or_is_off() -> None:
    files = build_passport(MRZ, _jpeg(), (60, 80), with_card_access=True)
    broken = LoopbackTransport(VirtualPassport(files, CardFaults(pace_broken=True)))
    result = PassportReader(broken).read(MRZ)
    assert (result.access_control, result.pace_offered) == ("BAC", True)
    off = PassportReader(LoopbackTransport(VirtualPassport(files)), use_pace=False).read(MRZ)
    assert off.access_control == "BAC"
    unsupported = build_passport(MRZ, _jpeg(), (60, 80), with_card_access=True,
                                 pace_parameter_id=16)  # brainpoolP384r1: not supported
    result = PassportReader(LoopbackTransport(VirtualPassport(unsupported))).read(MRZ)
    assert result.access_control == "BAC"


# ICAO 9303 part 11, appendix G.1: PACE ECDH generic mapping, AES-128, brainpoolP256r1.
G1_MRZ_INFORMATION = "T22000129364081251010318"
G1_SK_MAP_IFD = 0x7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99
G1_SK_DH_IFD = 0xA73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595
G1_PK_MAP_IFD = ("047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
                 "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D")
G1_PK_MAP_IC = ("04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"
                "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54")
G1_PK_DH_IFD = ("042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
                "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462")
G1_PK_DH_IC = ("049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
               "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094")
G1_TRANSCRIPT = [
    ("0022C1A40F800A04007F00070202040202830101", "9000"),
    ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"),
    ("10860000457C438141" + G1_PK_MAP_IFD + "00", "7C438241" + G1_PK_MAP_IC + "9000"),
    ("10860000457C438341" + G1_PK_DH_IFD + "00", "7C438441" + G1_PK_DH_IC + "9000"),
    ("008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C089000"),
]


def test_pace_appendix_g1_password_nonce_and_mapping() -> None:
    from devices.emrtd.pace import nonce_cipher, password_key

    k_pi = password_key(G1_MRZ_INFORMATION, "AES", 128)
    assert k_pi == bytes.fromhex("89DED1B26624EC1E634C1989302849DD")
    nonce = nonce_cipher("AES", k_pi, bytes.fromhex("95A3A016522EE98D01E76CB6B98B42C3"),
                         decrypt=True)
    assert nonce == bytes.fromhex("3F00C4D39D153F2B2A214A078D899B22")
    curve = standard_curve(13)
    h = curve.mul(G1_SK_MAP_IFD, curve.decode(bytes.fromhex(G1_PK_MAP_IC)))
    assert curve.encode(h) == bytes.fromhex(
        "0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"
        "0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181")
    mapped = curve.add(curve.mul_g(int.from_bytes(nonce, "big")), h)
    assert curve.encode(mapped) == bytes.fromhex(
        "048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"
        "8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522")
    shared = curve.shared_x(G1_SK_DH_IFD, curve.decode(bytes.fromhex(G1_PK_DH_IC)))
    assert shared == 0x28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925


def test_pace_appendix_g1_transcript_byte_for_byte() -> None:
    from devices.emrtd.apdu import CommandApdu
    from devices.emrtd.pace import perform_pace

    script = list(G1_TRANSCRIPT)

    def send(command: CommandApdu) -> tuple[bytes, int]:
        expected, answer = script.pop(0)
        assert command.to_bytes().hex().upper() == expected
        raw = bytes.fromhex(answer)
        return raw[:-2], int.from_bytes(raw[-2:], "big")

    keys = iter([G1_SK_MAP_IFD, G1_SK_DH_IFD])
    info = PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 2, 13)
    sm = perform_pace(send, info, G1_MRZ_INFORMATION, lambda _curve: next(keys))
    assert script == []
    assert sm.ks_enc == bytes.fromhex("F5F0E35C0D7161EE6724EE513A0D9A7F")
    assert sm.ks_mac == bytes.fromhex("FE251C7858B356B24514B3BD5F4297D1")
    assert (sm.ssc, sm.cipher) == (0, "AES")
    # The next command under AES secure messaging (SSC 1): SELECT of the eMRTD application,
    # as published alongside the G.1 vectors by an independent implementation.
    select = CommandApdu(0x00, 0xA4, 0x04, 0x0C, bytes.fromhex("A0000002471001"))
    assert sm.protect(select).hex().upper() == (
        "0CA4040C1D871101752F676B09FAC86A87D632749A49C7CC8E08C18BA1FCE707BD9F00")
    assert sm.unprotect(bytes.fromhex("990290008E08BEA7B381C494A079"), 0x9000) == (b"", 0x9000)


def test_parameter_id_is_named_when_the_chip_offers_several() -> None:
    from devices.emrtd.pace import perform_pace

    files = build_passport(MRZ, _jpeg(), (60, 80), with_card_access=True)
    card = VirtualPassport(files)
    transport = LoopbackTransport(card)
    reader = PassportReader(transport)
    info = PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 2, 13)
    from station.mrz import parse_mrz

    sm = perform_pace(reader._plain, info, parse_mrz(MRZ).bac_key_seed_info,
                      name_parameters=True)
    mse = next(apdu for apdu, _ in transport.log if apdu[1] == 0x22)
    assert mse.endswith(bytes.fromhex("84010D")) and sm.cipher == "AES"

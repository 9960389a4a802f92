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

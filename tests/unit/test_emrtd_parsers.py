"""TLV, LDS, DG2 image and EF.SOD parsers: known structures and fuzzing (never an escape)."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from devices.emrtd.face import FaceImageError, decode_face, extract_image, image_format
from devices.emrtd.lds import (
    LdsError,
    dg2_face_blocks,
    parse_dg1,
    parse_dg11,
    parse_dg12,
    parse_ef_com,
)
from devices.emrtd.simulator.builder import (
    build_dg1,
    build_dg2,
    build_dg11,
    build_dg12,
    build_ef_com,
    build_face_record,
)
from devices.emrtd.sod import SodError, parse_sod, passive_authentication
from devices.emrtd.tlv import TlvError, encode, header_size_and_length, parse_all, parse_one

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


def _image(fmt: str, size: tuple[int, int] = (60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 150, 120)).save(buffer, fmt)
    return buffer.getvalue()


def test_ef_com_from_the_icao_example() -> None:
    com = parse_ef_com(bytes.fromhex("60145F0104303130365F36063034303030305C026175"))
    assert (com.lds_version, com.unicode_version, com.data_groups) == ("0106", "040000", (1, 2))
    assert parse_ef_com(build_ef_com([1, 2, 11, 12])).data_groups == (1, 2, 11, 12)


def test_tlv_lengths_and_multibyte_tags() -> None:
    value = bytes(300)
    item = parse_one(encode(0x5F2E, value))
    assert (item.tag, len(item.value)) == (0x5F2E, 300)
    assert header_size_and_length(encode(0x75, bytes(70000))) == (5, 70000)
    assert [o.tag for o in parse_all(encode(0x7F61, b"") + b"\x00\xff" + encode(0x02, b"\x01"))] \
        == [0x7F61, 0x02]
    with pytest.raises(TlvError):
        parse_one(bytes.fromhex("5F2E05AABB"))
    with pytest.raises(TlvError):
        parse_one(bytes.fromhex("7585"))


def test_dg1_dg11_dg12() -> None:
    holder = parse_dg1(build_dg1(TD3))
    assert (holder.surname, holder.document_number) == ("ERIKSSON", "L898902C3")
    dg11 = parse_dg11(build_dg11("ERIKSSON<<ANNA<MARIA", "ZENITH", "123-45"))
    assert dg11 == {"full_name": "ERIKSSON, ANNA MARIA", "place_of_birth": "ZENITH",
                    "personal_number": "123-45"}
    assert parse_dg12(build_dg12("UTOPIA MFA", "20200101")) == {
        "issuing_authority": "UTOPIA MFA", "date_of_issue": "20200101"}
    with pytest.raises(LdsError):
        parse_dg1(encode(0x61, encode(0x5F1F, b"P<UTO")))
    with pytest.raises(LdsError):
        parse_dg1(encode(0x75, b""))


@pytest.mark.parametrize(("fmt", "expected"), [("JPEG", "jpeg"), ("JPEG2000", "jp2")])
def test_dg2_portrait_by_magic_bytes(fmt: str, expected: str) -> None:
    data = _image(fmt)
    blocks = dg2_face_blocks(build_dg2(data, 60, 80))
    face = decode_face(blocks[0])
    assert (face.format, face.width, face.height, face.data) == (expected, 60, 80, data)


def test_raw_j2k_codestream_and_lying_headers() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 40), (1, 2, 3)).save(buffer, "JPEG2000", no_jp2=True)
    codestream = buffer.getvalue()
    assert image_format(codestream) == "j2k"
    record = build_face_record(codestream, 32, 40)
    assert decode_face(record).format == "j2k"
    # Feature-point count that points past the image: found by its magic bytes instead.
    broken = bytearray(build_face_record(_image("JPEG"), 60, 80))
    broken[18:20] = (500).to_bytes(2, "big")
    assert extract_image(bytes(broken))[0] == "jpeg"
    with pytest.raises(FaceImageError):
        decode_face(b"FAC\x00010\x00" + bytes(40))
    with pytest.raises(FaceImageError):
        decode_face(build_face_record(_image("JPEG")[:200], 60, 80))


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_tlv_parser_fuzz(data: bytes) -> None:
    try:
        items = parse_all(data)
    except TlvError:
        return
    for item in items:
        assert item.end <= len(data)


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_lds_parsers_fuzz(data: bytes) -> None:
    for parse in (parse_ef_com, parse_dg1, parse_dg11, parse_dg12, dg2_face_blocks):
        with contextlib.suppress(LdsError):
            parse(data)


@settings(max_examples=200)
@given(st.binary(max_size=400))
def test_face_decoder_fuzz(data: bytes) -> None:
    with contextlib.suppress(FaceImageError):
        decode_face(b"FAC\x00010\x00" + data)


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_sod_parser_fuzz(data: bytes) -> None:
    for candidate in (data, encode(0x77, data)):
        with contextlib.suppress(SodError):
            parse_sod(candidate)
        result = passive_authentication(candidate, {1: b"x"})
        assert result.verdict == "failed"


@settings(max_examples=300)
@given(st.binary(max_size=120), st.sampled_from(["3DES", "AES"]))
def test_secure_messaging_unprotect_fuzz(data: bytes, cipher: str) -> None:
    from devices.emrtd.sm import SecureMessaging, SecureMessagingError

    sm = SecureMessaging(bytes(range(16)), bytes(range(16, 32)), 0, cipher)
    try:
        plain, sw = sm.unprotect(data, 0x9000)
    except SecureMessagingError:
        return
    assert isinstance(plain, bytes) and 0 <= sw <= 0xFFFF


_FUZZ_CARD: list[object] = []


@settings(max_examples=300)
@given(st.binary(min_size=0, max_size=80))
def test_emulated_chip_answers_any_command(apdu: bytes) -> None:
    from devices.emrtd.simulator import VirtualPassport, build_passport

    if not _FUZZ_CARD:
        _FUZZ_CARD.append(VirtualPassport(build_passport(
            TD3, _image("JPEG"), (60, 80), with_card_access=True)))
    card = _FUZZ_CARD[0]
    assert isinstance(card, VirtualPassport)
    response = card.process(apdu)
    assert len(response) >= 2


@settings(max_examples=200)
@given(st.lists(st.binary(max_size=70), min_size=1, max_size=4))
def test_emulated_chip_survives_garbage_during_pace(bodies: list[bytes]) -> None:
    from devices.emrtd.apdu import CommandApdu
    from devices.emrtd.simulator import VirtualPassport, build_passport

    if not _FUZZ_CARD:
        _FUZZ_CARD.append(VirtualPassport(build_passport(
            TD3, _image("JPEG"), (60, 80), with_card_access=True)))
    card = _FUZZ_CARD[0]
    assert isinstance(card, VirtualPassport)
    card.reset()
    mse = bytes.fromhex("0022C1A40F800A04007F00070202040202830101")
    assert card.process(mse)[-2:] == b"\x90\x00"
    for body in bodies:
        data = encode(0x7C, body) if body[:1] != b"\x7c" else body
        response = card.process(CommandApdu(0x10, 0x86, 0, 0, data[:255], le=256).to_bytes())
        assert len(response) >= 2

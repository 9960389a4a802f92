"""GA 467 frame codec and reader session, against the reference's request/response bytes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.idcard import errors
from devices.idcard.protocol import (
    COMMANDS,
    FIND_CARD,
    PREAMBLE,
    READ_SAM_ID,
    READ_TEXT_PHOTO,
    READ_TEXT_PHOTO_FINGERPRINT,
    RESET_SAM,
    SAM_STATUS,
    SELECT_CARD,
    SET_MAX_RF_BYTE,
    FaultKind,
    Frame,
    FrameFault,
    FrameScanner,
    Status,
    build_frame,
    build_response,
)
from devices.idcard.reading import interpret
from devices.idcard.session import split_card_data
from station.identity.layout import encode_text
from station.identity.samples import SAMPLES

# (command, data, request bytes) from REFERENCE.md section 1
REFERENCE_REQUESTS = [
    (RESET_SAM, b"", "AA AA AA 96 69 00 03 10 FF EC"),
    (SAM_STATUS, b"", "AA AA AA 96 69 00 03 11 FF ED"),
    (READ_SAM_ID, b"", "AA AA AA 96 69 00 03 12 FF EE"),
    (FIND_CARD, b"", "AA AA AA 96 69 00 03 20 01 22"),
    (SELECT_CARD, b"", "AA AA AA 96 69 00 03 20 02 21"),
    (READ_TEXT_PHOTO, b"", "AA AA AA 96 69 00 03 30 01 32"),
    (READ_TEXT_PHOTO_FINGERPRINT, b"", "AA AA AA 96 69 00 03 30 10 23"),
    (SET_MAX_RF_BYTE, b"\x50", "AA AA AA 96 69 00 04 61 FF 50 CA"),
]
REFERENCE_RESPONSES = [
    ("AA AA AA 96 69 00 04 00 00 90 94", Status.OK, b""),
    ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", Status.FIND_OK, bytes(4)),
    ("AA AA AA 96 69 00 04 00 00 80 84", Status.FIND_FAILED, b""),
    ("AA AA AA 96 69 00 0C 00 00 90" + " 00" * 8 + " 9C", Status.OK, bytes(8)),
]


@pytest.mark.parametrize(("command", "data", "expected"), REFERENCE_REQUESTS)
def test_requests_match_the_reference(command, data, expected) -> None:
    assert command.frame(data) == bytes.fromhex(expected)
    assert COMMANDS[(command.cmd, command.para)] is command


@pytest.mark.parametrize(("frame", "status", "data"), REFERENCE_RESPONSES)
def test_reference_responses_scan_and_rebuild(frame, status, data) -> None:
    raw = bytes.fromhex(frame)
    [parsed] = FrameScanner().feed(raw)
    assert isinstance(parsed, Frame)
    assert parsed.status == status
    assert parsed.data == data
    assert build_response(status, data) == raw


def test_read_answer_layout_matches_the_reference() -> None:
    text, photo = bytes(range(256)), bytes(1024)
    raw = build_response(Status.OK, b"\x01\x00\x04\x00" + text + photo)
    assert raw[5:7] == b"\x05\x08" and len(raw) == 1295
    assert raw[14:270] == text and raw[270:1294] == photo
    [frame] = FrameScanner().feed(raw)
    card = split_card_data(frame.data, fingerprint=False)
    assert card.text == text and card.photo == photo and card.fingerprint is None


def test_fingerprint_answer_has_three_lengths() -> None:
    text, photo, prints = b"t" * 256, b"p" * 1024, b"f" * 1024
    raw = build_response(Status.OK, b"\x01\x00\x04\x00\x04\x00" + text + photo + prints)
    [frame] = FrameScanner().feed(raw)
    assert frame.payload[3 + 6 :][:256] == text  # text at payload + 9
    card = split_card_data(frame.data, fingerprint=True)
    assert (card.text, card.photo, card.fingerprint) == (text, photo, prints)


def test_split_card_data_rejects_inconsistent_lengths() -> None:
    with pytest.raises(errors.IdCardError) as caught:
        split_card_data(b"\x01\x00\x04\x00" + bytes(100), fingerprint=False)
    assert caught.value.code == "bad_answer"


def test_scanner_finds_frames_in_noise_and_across_chunks() -> None:
    find_ok = bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
    stream = b"\x13\xaa\xaa\x00" + find_ok + b"\xaa\xaa\xaa" + find_ok + b"\x96"
    scanner = FrameScanner()
    found = [item for i in range(len(stream)) for item in scanner.feed(stream[i : i + 1])]
    assert [type(item) for item in found] == [Frame, Frame]
    assert scanner.discarded > 0


def test_bad_checksum_is_reported_and_the_next_frame_still_found() -> None:
    good = build_response(Status.OK)
    bad = good[:-1] + bytes((good[-1] ^ 1,))
    found = FrameScanner().feed(bad + good)
    assert isinstance(found[0], FrameFault) and found[0].kind is FaultKind.CHECKSUM
    assert isinstance(found[-1], Frame) and found[-1].status == Status.OK


def test_impossible_length_is_a_length_fault() -> None:
    found = FrameScanner().feed(PREAMBLE + b"\xff\xff" + build_response(Status.OK))
    assert isinstance(found[0], FrameFault) and found[0].kind is FaultKind.LENGTH
    assert isinstance(found[-1], Frame)


def test_truncated_candidate_is_dropped_to_find_a_frame_inside() -> None:
    scanner = FrameScanner()
    fake = PREAMBLE + b"\x00\x40"  # waits for 64 bytes that never come
    assert scanner.feed(fake + build_response(Status.FIND_FAILED)) == []
    assert scanner.pending
    found = scanner.drop_pending()
    assert [f.status for f in found if isinstance(f, Frame)] == [Status.FIND_FAILED]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=64), max_size=12))
def test_scanner_never_raises_and_only_returns_checked_frames(chunks: list[bytes]) -> None:
    scanner = FrameScanner()
    stream = b"".join(chunks)
    for chunk in chunks:
        for item in scanner.feed(chunk) + scanner.drop_pending():
            assert isinstance(item, Frame | FrameFault)
            if isinstance(item, Frame):  # a frame is reported only if it was really sent
                assert build_frame(item.payload) in stream


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40), st.binary(max_size=300), st.binary(max_size=40))
def test_a_good_frame_survives_any_surrounding_noise(before, data, after) -> None:
    frame = build_response(Status.OK, data)
    scanner = FrameScanner()
    found = scanner.feed(before + frame + after)
    for _ in range(len(before) + 8):  # the session gives up on stalled candidates
        if any(isinstance(f, Frame) and f.data == data for f in found):
            break
        found += scanner.drop_pending()
    assert any(isinstance(f, Frame) and f.data == data for f in found)


def test_every_status_maps_to_a_bilingual_error() -> None:
    for status in Status:
        if status in (Status.OK, Status.FIND_OK):
            continue
        error = errors.status_error(status)
        assert error.code and error.message_en and error.message_zh
        assert error.action["zh"] and error.action["en"]
    assert errors.status_error(0x60).message_zh == "读卡器安全模块（SAM）自检失败。"
    unknown = errors.status_error(0x55)
    assert unknown.code == "unknown_status" and "55" in unknown.message_en


def _read_data(text: bytes, photo: bytes) -> bytes:
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo


def _mutated_sample(key: str, index: int, value: int) -> bytes:
    data = bytearray(_read_data(encode_text(SAMPLES[key]), bytes(1024)))
    data[index] = value
    return bytes(data)


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(max_size=1400),
    st.builds(_read_data, st.binary(min_size=256, max_size=256), st.binary(max_size=1024)),
    st.builds(_mutated_sample, st.sampled_from(list(SAMPLES)), st.integers(4, 259),
              st.integers(0, 255)),
))
def test_any_read_answer_gives_a_card_or_a_clear_error(data: bytes) -> None:
    try:
        reading = interpret(split_card_data(data, fingerprint=False))
    except errors.IdCardError as exc:
        assert exc.code and exc.message_zh and exc.action["zh"]
    else:
        assert reading.to_json()["photo"]["format"] == "wlt"

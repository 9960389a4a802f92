"""ISDV4 and Topaz packet decoding from hand-built bytes, resynchronisation and fuzzing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.sigpad import isdv4, topaz


def test_pen_packet_decodes_hand_built_bytes() -> None:
    # X = 0x7F<<9 | 0x7F<<2 | 3 = 65535; Y = 1<<9 | 2<<2 | 1 = 521; P = 5<<7 | 0x11 = 657
    raw = bytes([0x80 | 0x20 | 0x01, 0x7F, 0x7F, 0x01, 0x02, 0x11, 0x60 | 0x08 | 0x05, 0x2A, 0x15])
    packet = isdv4.decode_pen(raw)
    assert (packet.x, packet.y, packet.pressure) == (65535, 521, 657)
    assert packet.in_proximity and packet.tip
    assert not packet.side_switch and not packet.eraser
    assert (packet.tilt_x, packet.tilt_y) == (42, 21)
    assert isdv4.encode_pen(packet) == raw


def test_each_bit_boundary_lands_in_the_right_field() -> None:
    base = bytearray([0x80, 0, 0, 0, 0, 0, 0, 0, 0])

    def decode(index: int, value: int) -> isdv4.PenPacket:
        raw = bytearray(base)
        raw[index] = value
        return isdv4.decode_pen(bytes(raw))

    assert decode(6, 0x20).x == 1  # lowest X bits live in byte 6 bits 5-6
    assert decode(6, 0x40).x == 2
    assert decode(2, 0x01).x == 4
    assert decode(2, 0x40).x == 1 << 8
    assert decode(1, 0x01).x == 1 << 9
    assert decode(1, 0x40).x == 1 << 15
    assert decode(6, 0x08).y == 1
    assert decode(6, 0x10).y == 2
    assert decode(4, 0x01).y == 4
    assert decode(3, 0x40).y == 1 << 15
    assert decode(5, 0x7F).pressure == 0x7F
    assert decode(6, 0x01).pressure == 0x80
    assert decode(6, 0x04).pressure == 0x200
    assert decode(6, 0x07).pressure == 0x380
    assert decode(6, 0x7F).x == 3 and decode(6, 0x7F).y == 3  # and nothing leaks across
    assert decode(0, 0x80 | 0x02).side_switch
    assert decode(0, 0x80 | 0x04).eraser
    assert not decode(0, 0x80).in_proximity


def test_query_reply_gives_maxima_and_version() -> None:
    # max X 26202 = 0b0110011_0010110_10, max Y 16325 = 0b0011111_1110001_01, P 1023
    raw = bytes([0xC0, 0x33, 0x16, 0x1F, 0x71, 0x7F, 0x40 | 0x08 | 0x07, 0x7F, 0x7F, 0x08, 0x05])
    reply = isdv4.decode_query_reply(raw)
    assert (reply.max_x, reply.max_y, reply.max_pressure) == (26202, 16325, 1023)
    assert (reply.max_tilt_x, reply.max_tilt_y) == (127, 127)
    assert reply.version == (8 << 7) | 5
    assert isdv4.encode_query_reply(reply) == raw


def _pen(x: int, y: int, p: int = 100, tip: bool = True) -> isdv4.PenPacket:
    return isdv4.PenPacket(x=x, y=y, pressure=p, in_proximity=True, tip=tip)


def test_decoder_skips_noise_and_recovers_from_cut_packets() -> None:
    a, b, c = _pen(100, 200), _pen(300, 400), _pen(500, 600)
    stream = (
        b"\x01\x7f"  # noise before any header
        + isdv4.encode_pen(a)
        + isdv4.encode_pen(b)[:5]  # cut short: the next header ends it
        + isdv4.encode_pen(c)
        + b"\x55"  # trailing noise
    )
    decoder = isdv4.Isdv4Decoder()
    assert decoder.feed(stream) == [a, c]
    assert decoder.stats.broken_packets == 1
    assert decoder.stats.discarded_bytes == 2 + 5 + 1


def test_decoder_reassembles_packets_split_across_reads() -> None:
    packets = [_pen(i * 10, i * 20, i) for i in range(5)]
    stream = b"".join(isdv4.encode_pen(p) for p in packets)
    decoder = isdv4.Isdv4Decoder()
    out: list[isdv4.Packet] = []
    for byte in stream:
        out += decoder.feed(bytes([byte]))
    assert out == packets


def test_decoder_handles_query_replies_and_touch_packets_in_the_stream() -> None:
    reply = isdv4.QueryReply(1000, 800, 511, 60, 60, 7)
    touch = bytes([0x80 | 0x10, 1, 2, 3, 4])
    stream = isdv4.encode_query_reply(reply) + touch + isdv4.encode_pen(_pen(1, 2))
    out = isdv4.Isdv4Decoder().feed(stream)
    assert out == [reply, isdv4.TouchPacket(touch), _pen(1, 2)]


def test_decoder_with_limits_drops_implausible_pen_packets() -> None:
    decoder = isdv4.Isdv4Decoder(limits=isdv4.QueryReply(1000, 800, 511, 0, 0, 1))
    out = decoder.feed(isdv4.encode_pen(_pen(1001, 5)) + isdv4.encode_pen(_pen(1000, 800, 511)))
    assert out == [_pen(1000, 800, 511)]
    assert decoder.stats.implausible_packets == 1


pen_packets = st.builds(
    isdv4.PenPacket,
    x=st.integers(0, isdv4.MAX_COORDINATE),
    y=st.integers(0, isdv4.MAX_COORDINATE),
    pressure=st.integers(0, isdv4.MAX_PRESSURE_VALUE),
    in_proximity=st.booleans(),
    tip=st.booleans(),
    side_switch=st.booleans(),
    eraser=st.booleans(),
    tilt_x=st.integers(0, 127),
    tilt_y=st.integers(0, 127),
)


@given(pen_packets)
def test_pen_packet_round_trips(packet: isdv4.PenPacket) -> None:
    raw = isdv4.encode_pen(packet)
    assert raw[0] & 0x80 and all(b < 0x80 for b in raw[1:])
    assert isdv4.decode_pen(raw) == packet


@given(st.binary(max_size=400), st.integers(1, 16))
@settings(max_examples=300)
def test_decoder_never_raises_on_arbitrary_bytes(data: bytes, chunk: int) -> None:
    decoder = isdv4.Isdv4Decoder(limits=isdv4.QueryReply(26202, 16325, 1023, 127, 127, 1))
    for start in range(0, len(data), chunk):
        for packet in decoder.feed(data[start : start + chunk]):
            if isinstance(packet, isdv4.PenPacket):
                assert packet.x <= 26202 and packet.y <= 16325 and packet.pressure <= 1023
    stats = decoder.stats
    assert stats.discarded_bytes <= len(data)


@given(st.lists(st.tuples(pen_packets, st.binary(max_size=6)), max_size=30))
def test_decoder_recovers_every_packet_from_low_noise_between_packets(
    items: list[tuple[isdv4.PenPacket, bytes]],
) -> None:
    stream = b"".join(bytes(b & 0x7F for b in noise) + isdv4.encode_pen(p) for p, noise in items)
    assert isdv4.Isdv4Decoder().feed(stream) == [p for p, _ in items]


def test_topaz_packets_decode_from_hand_built_bytes() -> None:
    # X = (0x1F << 7) | 0x7F = 4095, Y = (0x02 << 7) | 0x05 = 261
    raw = bytes([0x80 | 0x40 | 0x01, 0x7F, 0x1F, 0x05, 0x02])
    (packet,) = topaz.TopazDecoder().feed(b"\x33" + raw)
    assert (packet.x, packet.y, packet.tip, packet.in_proximity) == (4095, 261, True, True)
    assert topaz.encode(4095, 261, near=True, down=True) == raw


@given(st.binary(max_size=200))
def test_topaz_decoder_never_raises(data: bytes) -> None:
    for packet in topaz.TopazDecoder().feed(data):
        assert 0 <= packet.x <= topaz.MAX_COORDINATE and 0 <= packet.y <= topaz.MAX_COORDINATE

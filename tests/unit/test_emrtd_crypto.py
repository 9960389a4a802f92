"""Known-answer tests from ICAO 9303 part 11, appendix D (BAC worked example)."""

from __future__ import annotations

import pytest

from devices.emrtd.apdu import CommandApdu, parse_command
from devices.emrtd.bac import BacChallenge, BacError, BacKeys
from devices.emrtd.crypto import (
    adjust_parity,
    derive_key,
    key_seed_from_mrz,
    pad,
    retail_mac,
    tdes_decrypt,
    tdes_encrypt,
    unpad,
)
from devices.emrtd.sm import SecureMessaging, SecureMessagingError

H = bytes.fromhex
MRZ_INFORMATION = "L898902C<369080619406236"
K_ENC = H("AB94FDECF2674FDFB9B391F85D7F76F2")
K_MAC = H("7962D9ECE03D1ACD4C76089DCE131543")
RND_IC = H("4608F91988702212")
RND_IFD = H("781723860C06C226")
K_IFD = H("0B795240CB7049B01C19B33E32804F0B")
K_IC = H("0B4F80323EB3191CB04970CB4052790B")
KS_ENC = H("979EC13B1CBFE9DCD01AB0FED307EAE5")
KS_MAC = H("F1CB1F1FB5ADF208806B89DC579DC1F8")
SSC = 0x887022120C06C226


def test_key_seed_and_keys() -> None:
    seed = key_seed_from_mrz(MRZ_INFORMATION)
    assert seed == H("239AB9CB282DAF66231DC5A4DF6BFBAE")
    assert derive_key(seed, 1) == K_ENC
    assert derive_key(seed, 2) == K_MAC
    assert adjust_parity(H("AB94FCEDF2664EDFB9B291F85D7F77F2")) == K_ENC
    assert adjust_parity(H("7862D9ECE03C1BCD4D77089DCF131442")) == K_MAC
    assert BacKeys.from_mrz_information(MRZ_INFORMATION) == BacKeys(K_ENC, K_MAC)


def test_mutual_authenticate_command_data() -> None:
    challenge = BacChallenge(BacKeys(K_ENC, K_MAC), RND_IC, RND_IFD, K_IFD)
    s = RND_IFD + RND_IC + K_IFD
    e_ifd = tdes_encrypt(K_ENC, s)
    assert e_ifd == H("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2")
    assert retail_mac(K_MAC, pad(e_ifd)) == H("5F1448EEA8AD90A7")
    assert challenge.command_data() == e_ifd + H("5F1448EEA8AD90A7")


def test_chip_answer_gives_session_keys_and_ssc() -> None:
    challenge = BacChallenge(BacKeys(K_ENC, K_MAC), RND_IC, RND_IFD, K_IFD)
    e_ic = H("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F")
    assert tdes_decrypt(K_ENC, e_ic) == RND_IC + RND_IFD + K_IC
    session = challenge.finish(e_ic + H("2F2D235D074D7449"))
    assert (session.ks_enc, session.ks_mac, session.ssc) == (KS_ENC, KS_MAC, SSC)


def test_a_wrong_chip_answer_is_refused() -> None:
    challenge = BacChallenge(BacKeys(K_ENC, K_MAC), RND_IC, RND_IFD, K_IFD)
    e_ic = H("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F")
    with pytest.raises(BacError):
        challenge.finish(e_ic + H("2F2D235D074D7448"))
    with pytest.raises(BacError):
        challenge.finish(e_ic[:20])
    other = BacChallenge(BacKeys(K_ENC, K_MAC), RND_IC, H("0000000000000000"), K_IFD)
    with pytest.raises(BacError):
        other.finish(e_ic + H("2F2D235D074D7449"))


def test_secure_messaging_select_and_read_ef_com() -> None:
    """The appendix's SELECT EF.COM and two READ BINARY exchanges, byte for byte."""
    sm = SecureMessaging(KS_ENC, KS_MAC, SSC)
    select = CommandApdu(0x00, 0xA4, 0x02, 0x0C, H("011E"))
    assert sm.protect(select) == H("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
    assert sm.unprotect(H("990290008E08FA855A5D4C50A8ED"), 0x9000) == (b"", 0x9000)
    assert sm.protect(CommandApdu(0x00, 0xB0, 0x00, 0x00, le=4)) == H(
        "0CB000000D9701048E08ED6705417E96BA5500")
    assert sm.unprotect(H("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED"), 0x9000) == (
        H("60145F01"), 0x9000)
    assert sm.protect(CommandApdu(0x00, 0xB0, 0x00, 0x04, le=0x12)) == H(
        "0CB000040D9701128E082EA28A70F3C7B53500")
    data, sw = sm.unprotect(H(
        "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D74"
    ), 0x9000)
    assert (data, sw) == (H("04303130365F36063034303030305C026175"), 0x9000)
    assert sm.ssc == 0x887022120C06C22C  # six increments


def test_a_forged_response_mac_is_refused() -> None:
    sm = SecureMessaging(KS_ENC, KS_MAC, SSC)
    sm.protect(CommandApdu(0x00, 0xA4, 0x02, 0x0C, H("011E")))
    with pytest.raises(SecureMessagingError):
        sm.unprotect(H("990290008E08FA855A5D4C50A8EE"), 0x9000)
    with pytest.raises(SecureMessagingError):
        sm.unprotect(H("99029000"), 0x9000)
    with pytest.raises(SecureMessagingError):
        sm.unprotect(H("99FF"), 0x9000)


def test_padding_round_trip() -> None:
    assert pad(b"") == H("8000000000000000")
    assert pad(H("011E")) == H("011E800000000000")
    assert unpad(pad(b"abc")) == b"abc"
    with pytest.raises(ValueError):
        unpad(bytes(8))


def test_command_apdu_round_trip() -> None:
    for apdu in (
        CommandApdu(0x00, 0x84, 0x00, 0x00, le=8),
        CommandApdu(0x00, 0xA4, 0x04, 0x0C, H("A0000002471001")),
        CommandApdu(0x00, 0x82, 0x00, 0x00, bytes(40), le=40),
        CommandApdu(0x00, 0xB0, 0x00, 0x00, le=256),
    ):
        assert parse_command(apdu.to_bytes()) == apdu
    with pytest.raises(ValueError):
        parse_command(H("00A4"))
    with pytest.raises(ValueError):
        parse_command(H("00A4040C05A000"))

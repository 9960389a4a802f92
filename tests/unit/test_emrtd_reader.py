"""The reader's protocol and passive authentication against the emulated chip, in process.

(The same chip is read through pcscd + vpcd in tests/integration/test_emrtd_pcsc.py.)
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from PIL import Image

from devices.emrtd import errors
from devices.emrtd.reader import PassportReader
from devices.emrtd.simulator import CardFaults, PassportFiles, VirtualPassport, build_passport
from devices.emrtd.simulator.builder import (
    EF_SOD_FID,
    build_sod,
    make_csca_and_signer,
)
from devices.emrtd.simulator.loopback import LoopbackTransport
from devices.emrtd.sod import load_csca_certificates, passive_authentication

MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)
WRONG_MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C<3UTO6908061F9406236ZE184226B<<<<<14"
)


def _jpeg(size: tuple[int, int] = (120, 160), quality: int = 80, noise: bool = False) -> bytes:
    image = Image.effect_noise(size, 64).convert("RGB") if noise else Image.new(
        "RGB", size, (180, 140, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def passport() -> PassportFiles:
    return build_passport(MRZ, _jpeg(), (120, 160), full_name="ERIKSSON<<ANNA<MARIA",
                          issuing_authority="UTOPIA MFA", with_card_access=True)


def _read(passport: PassportFiles, faults: CardFaults | None = None, mrz: str = MRZ,
          chunk: int = 0xDF, csca: list[x509.Certificate] | None = None):
    transport = LoopbackTransport(VirtualPassport(passport, faults))
    reader = PassportReader(transport, chunk_size=chunk)
    return reader.read(mrz, csca), transport


def test_full_read_verifies_everything(passport: PassportFiles) -> None:
    result, transport = _read(passport, csca=[passport.csca_certificate])
    assert result.pace_offered
    assert result.data_groups_present == result.data_groups_read == (1, 2, 11, 12)
    assert result.holder.full_name == "ERIKSSON, ANNA MARIA"
    assert result.holder.issuing_authority == "UTOPIA MFA"
    assert result.face is not None and (result.face.width, result.face.height) == (120, 160)
    pa = result.passive_auth
    assert (pa.verdict, pa.signature, pa.chain) == ("passed", "valid", "valid")
    assert pa.signed_hashes_for == (1, 2, 11, 12)
    assert set(result.raw_files) == {"COM", "DG1", "DG2", "DG11", "DG12", "SOD"}
    # Every READ BINARY asked for at most 0xDF bytes (short APDUs, one SM response).
    assert (result.access_control, result.pace_offered) == ("PACE", True)
    reads = [apdu for apdu, _ in transport.log if apdu[:2] == b"\x0c\xb0"]
    # Protected READ BINARY: header, Lc, DO'97' (97 01 Le), DO'8E', 00.
    assert reads and all(apdu[5] == 0x97 and 0 < apdu[7] <= 0xDF for apdu in reads)


@pytest.mark.parametrize("faults", [
    CardFaults(eof_answer="6C"),
    CardFaults(t0_get_response=True),
    CardFaults(max_le=100),
    CardFaults(max_le=0x40, eof_answer="6C", t0_get_response=True),
])
def test_status_word_variants(passport: PassportFiles, faults: CardFaults) -> None:
    result, _ = _read(passport, faults)
    assert result.holder.document_number == "L898902C3"
    assert result.passive_auth.hashes_valid


def test_small_chunks_for_fussy_readers(passport: PassportFiles) -> None:
    result, transport = _read(passport, chunk=160)
    assert result.face is not None
    assert max(apdu[7] for apdu, _ in transport.log if apdu[:2] == b"\x0c\xb0") <= 160


def test_dg2_beyond_32k_uses_odd_read_binary() -> None:
    big = _jpeg((420, 560), quality=95, noise=True)
    assert len(big) > 0x8000
    files = build_passport(MRZ, big, (420, 560))
    result, transport = _read(files)
    assert result.face is not None and result.face.data == big
    assert any(apdu[1] == 0xB1 for apdu, _ in transport.log)
    assert result.passive_auth.hashes_valid


def test_wrong_mrz_is_access_denied(passport: PassportFiles) -> None:
    with pytest.raises(errors.EmrtdError) as caught:
        _read(passport, mrz=WRONG_MRZ)
    assert caught.value.code == "access_denied"


def test_bad_check_digit_is_refused_before_the_chip(passport: PassportFiles) -> None:
    transport = LoopbackTransport(VirtualPassport(passport))
    with pytest.raises(errors.EmrtdError) as caught:
        PassportReader(transport).read(MRZ.replace("7408122F", "7408132F"))
    assert caught.value.code == "invalid_mrz"
    assert transport.log == []


@pytest.mark.parametrize("after", [0, 1, 3, 8])
def test_removal_mid_read_gives_no_result(passport: PassportFiles, after: int) -> None:
    with pytest.raises(errors.CardRemovedError):
        _read(passport, CardFaults(remove_after_reads=after))


def test_no_sod_says_nothing_was_verified() -> None:
    files = build_passport(MRZ, _jpeg(), (120, 160), with_sod=False)
    result, _ = _read(files)
    pa = result.passive_auth
    assert not pa.sod_present and pa.verdict == "failed"
    assert {c.status for c in pa.data_groups} == {"not_checked"}
    assert pa.to_json()["sod_signature"] == "not_checked"


def test_tampered_data_group(passport: PassportFiles) -> None:
    result, _ = _read(passport, CardFaults(tamper_dg=11), csca=[passport.csca_certificate])
    checks = {c.number: c.status for c in result.passive_auth.data_groups}
    assert checks == {1: "valid", 2: "valid", 11: "invalid", 12: "valid"}
    assert result.passive_auth.verdict == "failed"


def test_foreign_csca_breaks_the_chain(passport: PassportFiles) -> None:
    _key, other_csca, _ds_key, _ds = make_csca_and_signer()
    result, _ = _read(passport, csca=[other_csca])
    pa = result.passive_auth
    assert (pa.signature, pa.chain, pa.verdict) == ("valid", "invalid", "failed")
    hashes_only, _ = _read(passport, csca=[])
    assert hashes_only.passive_auth.verdict == "hashes_only"


def test_sod_signed_by_a_stranger_fails_signature(passport: PassportFiles) -> None:
    files = PassportFiles(dict(passport.files), passport.mrz_information)
    groups = {n: passport.files[0x0100 + n] for n in (1, 2, 11, 12)}
    _k, _csca, ds_key, ds_cert = make_csca_and_signer()
    _k2, _csca2, other_key, _other = make_csca_and_signer()
    files.files[EF_SOD_FID] = build_sod(groups, other_key, ds_cert)  # key does not match cert
    result, _ = _read(files)
    assert result.passive_auth.signature == "invalid"
    assert result.passive_auth.verdict == "failed"
    signed_ok = build_sod(groups, ds_key, ds_cert)
    assert passive_authentication(signed_ok, groups).signature == "valid"


def test_rsa_document_signer_and_csca_files(tmp_path, passport: PassportFiles) -> None:
    groups = {n: passport.files[0x0100 + n] for n in (1, 2)}
    now = datetime.now(UTC)
    csca_key, csca, _ds_key, _ds = make_csca_and_signer()
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ds = (x509.CertificateBuilder().subject_name(x509.Name.from_rfc4514_string("CN=DS RSA,C=UT"))
          .issuer_name(csca.subject).public_key(rsa_key.public_key())
          .serial_number(7).not_valid_before(now - timedelta(days=1))
          .not_valid_after(now + timedelta(days=30)).sign(csca_key, hashes.SHA256()))
    sod = build_sod(groups, rsa_key, ds)
    (tmp_path / "csca.cer").write_bytes(csca.public_bytes(serialization.Encoding.DER))
    (tmp_path / "notes.txt").write_text("not a certificate")
    cscas = load_csca_certificates([tmp_path])
    assert len(cscas) == 1
    result = passive_authentication(sod, groups, cscas)
    assert (result.signature, result.chain, result.verdict) == ("valid", "valid", "passed")


def test_csca_master_list(tmp_path, passport: PassportFiles) -> None:
    from asn1crypto import cms
    from asn1crypto import x509 as asn1_x509

    from devices.emrtd.sod import MASTER_LIST_OID, CscaMasterList

    assert passport.csca_certificate is not None
    der = passport.csca_certificate.public_bytes(serialization.Encoding.DER)
    listing = CscaMasterList({"version": 0, "cert_list": [asn1_x509.Certificate.load(der)]})
    signed = cms.SignedData({
        "version": "v3", "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": MASTER_LIST_OID,
                               "content": cms.ParsableOctetString(listing.dump())},
        "signer_infos": [],
    })
    (tmp_path / "icao.ml").write_bytes(
        cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())
    (tmp_path / "broken.ml").write_bytes(b"\x30\x03\x02\x01\x00")
    cscas = load_csca_certificates([tmp_path])
    assert cscas == [passport.csca_certificate]
    result, _ = _read(passport, csca=cscas)
    assert result.passive_auth.verdict == "passed"

"""Build a passport's LDS files and a signed EF.SOD (with a fresh CSCA and document signer)."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from devices.emrtd.face import image_format
from devices.emrtd.lds import COM_TAG, DG_TAGS, SOD_TAG
from devices.emrtd.sod import LDS_SECURITY_OBJECT_OID, LdsSecurityObject
from devices.emrtd.tlv import encode
from station.mrz import normalise_lines

EF_COM_FID = 0x011E
EF_SOD_FID = 0x011D
EF_CARD_ACCESS_FID = 0x011C


def dg_fid(number: int) -> int:
    return 0x0100 + number


@dataclass
class PassportFiles:
    files: dict[int, bytes]  # FID -> contents, inside the eMRTD application
    mrz_information: str  # what BAC keys are derived from
    csca_certificate: x509.Certificate | None = None
    ds_certificate: x509.Certificate | None = None
    master_files: dict[int, bytes] = field(default_factory=dict)  # FIDs under the MF

    def csca_pem(self) -> bytes:
        assert self.csca_certificate is not None
        return self.csca_certificate.public_bytes(serialization.Encoding.PEM)


def build_dg1(mrz_text: str) -> bytes:
    return encode(DG_TAGS[1], encode(0x5F1F, "".join(normalise_lines(mrz_text)).encode("ascii")))


def build_face_record(image: bytes, width: int, height: int) -> bytes:
    """An ISO/IEC 19794-5 record with one frontal image (data type from the magic bytes)."""
    data_type = 0 if image_format(image) == "jpeg" else 1
    face_info = struct.pack(">IHBBB3sH3s3s", 20 + 12 + len(image), 0, 0, 0, 0, b"\0\0\0", 0,
                            b"\0\0\0", b"\0\0\0")
    image_info = struct.pack(">BBHHBBHH", 1, data_type, width, height, 1, 2, 0, 0)
    body = face_info + image_info + image
    header = b"FAC\x00" + b"010\x00" + struct.pack(">IH", 14 + len(body), 1)
    return header + body


def build_dg2(image: bytes, width: int, height: int) -> bytes:
    header_template = (
        encode(0x80, b"\x01\x01") + encode(0x81, b"\x02") + encode(0x87, b"\x01\x01")
        + encode(0x88, b"\x00\x08")
    )
    entry = encode(0x7F60, encode(0xA1, header_template)
                   + encode(0x5F2E, build_face_record(image, width, height)))
    return encode(DG_TAGS[2], encode(0x7F61, encode(0x02, b"\x01") + entry))


def build_dg11(full_name: str, place_of_birth: str = "", personal_number: str = "") -> bytes:
    tags = [0x5F0E]
    body = encode(0x5F0E, full_name.encode("utf-8"))
    if personal_number:
        tags.append(0x5F10)
        body += encode(0x5F10, personal_number.encode("utf-8"))
    if place_of_birth:
        tags.append(0x5F11)
        body += encode(0x5F11, place_of_birth.encode("utf-8"))
    tag_list = b"".join(t.to_bytes(2, "big") for t in tags)
    return encode(DG_TAGS[11], encode(0x5C, tag_list) + body)


def build_dg12(issuing_authority: str, date_of_issue: str) -> bytes:
    body = encode(0x5F19, issuing_authority.encode("utf-8"))
    body += encode(0x5F26, date_of_issue.encode("ascii"))
    return encode(DG_TAGS[12], encode(0x5C, b"\x5f\x19\x5f\x26") + body)


def build_ef_com(groups: list[int]) -> bytes:
    body = encode(0x5F01, b"0107") + encode(0x5F36, b"040000")
    body += encode(0x5C, bytes(DG_TAGS[n] for n in sorted(groups)))
    return encode(COM_TAG, body)


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "UT"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Utopia Test Authority"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def make_csca_and_signer(
    csca_key: ec.EllipticCurvePrivateKey | None = None,
) -> tuple[
    ec.EllipticCurvePrivateKey, x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate
]:
    now = datetime.now(UTC)
    csca_key = csca_key or ec.generate_private_key(ec.SECP256R1())
    csca = (
        x509.CertificateBuilder().subject_name(_name("CSCA Utopia TEST"))
        .issuer_name(_name("CSCA Utopia TEST")).public_key(csca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(csca_key, hashes.SHA256())
    )
    ds_key = ec.generate_private_key(ec.SECP256R1())
    ds = (
        x509.CertificateBuilder().subject_name(_name("Document Signer Utopia TEST"))
        .issuer_name(csca.subject).public_key(ds_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
        .sign(csca_key, hashes.SHA256())
    )
    return csca_key, csca, ds_key, ds


def build_sod(
    data_groups: dict[int, bytes],
    ds_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
    ds_cert: x509.Certificate,
) -> bytes:
    lso = LdsSecurityObject({
        "version": 0,
        "hash_algorithm": {"algorithm": "sha256"},
        "data_group_hash_values": [
            {"data_group_number": n, "data_group_hash_value": hashlib.sha256(d).digest()}
            for n, d in sorted(data_groups.items())
        ],
    }).dump()
    signed_attrs = cms.CMSAttributes([
        {"type": "content_type", "values": [LDS_SECURITY_OBJECT_OID]},
        {"type": "message_digest", "values": [hashlib.sha256(lso).digest()]},
    ])
    if isinstance(ds_key, rsa.RSAPrivateKey):
        signature = ds_key.sign(signed_attrs.dump(), padding.PKCS1v15(), hashes.SHA256())
        signature_algorithm = "sha256_rsa"
    else:
        signature = ds_key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
        signature_algorithm = "sha256_ecdsa"
    cert = asn1_x509.Certificate.load(ds_cert.public_bytes(serialization.Encoding.DER))
    signed_data = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {
            "content_type": LDS_SECURITY_OBJECT_OID,
            "content": cms.ParsableOctetString(lso),
        },
        "certificates": [cert],
        "signer_infos": [{
            "version": "v1",
            "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
                "issuer": cert.issuer, "serial_number": cert.serial_number}}),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": signed_attrs,
            "signature_algorithm": {"algorithm": signature_algorithm},
            "signature": signature,
        }],
    })
    content_info = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    return encode(SOD_TAG, content_info.dump())


def build_passport(
    mrz_text: str,
    photo: bytes,
    photo_size: tuple[int, int],
    *,
    full_name: str | None = None,
    place_of_birth: str = "",
    issuing_authority: str | None = None,
    date_of_issue: str = "20200101",
    with_sod: bool = True,
    with_card_access: bool = False,
    pace_oid: str = "0.4.0.127.0.7.2.2.4.2.2",  # ECDH generic mapping, AES-128
    pace_parameter_id: int = 13,  # brainpoolP256r1
) -> PassportFiles:
    """The files of a passport holding ``mrz_text`` and the portrait ``photo``."""
    from station.mrz import parse_mrz

    mrz = parse_mrz(mrz_text)
    groups = {1: build_dg1(mrz_text), 2: build_dg2(photo, *photo_size)}
    if full_name:
        groups[11] = build_dg11(full_name, place_of_birth)
    if issuing_authority:
        groups[12] = build_dg12(issuing_authority, date_of_issue)
    files = {dg_fid(n): data for n, data in groups.items()}
    files[EF_COM_FID] = build_ef_com(list(groups))
    passport = PassportFiles(files, mrz.bac_key_seed_info)
    if with_sod:
        _csca_key, csca, ds_key, ds = make_csca_and_signer()
        files[EF_SOD_FID] = build_sod(groups, ds_key, ds)
        passport.csca_certificate, passport.ds_certificate = csca, ds
    if with_card_access:
        # SecurityInfos with one PACEInfo {protocol, version 2, parameterId}.
        from devices.emrtd.pace import encode_oid

        pace_info = encode(0x30, encode(0x06, encode_oid(pace_oid)) + encode(0x02, b"\x02")
                           + encode(0x02, bytes([pace_parameter_id])))
        passport.master_files[EF_CARD_ACCESS_FID] = encode(0x31, pace_info)
    return passport

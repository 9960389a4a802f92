"""Passive authentication (ICAO 9303-11 section 5.1): EF.SOD, data-group hashes, signer chain.

EF.SOD is tag 77 around a CMS SignedData whose content is an LDSSecurityObject. asn1crypto
parses the CMS structures; ``cryptography`` verifies signatures. Every parse or verification
problem becomes part of the result (never an exception), so the caller always learns exactly
what was and was not verified.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from devices.emrtd.tlv import TlvError, parse_one
from station.identity.passport import (
    INVALID,
    NOT_CHECKED,
    VALID,
    DataGroupCheck,
    PassiveAuthResult,
)

LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"
MASTER_LIST_OID = "2.23.136.1.1.2"
_HASHES: dict[str, type[hashes.SHA1 | hashes.SHA224 | hashes.SHA256 | hashes.SHA384 | hashes.SHA512]] = {
    "sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
    "sha384": hashes.SHA384, "sha512": hashes.SHA512,
}
_PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


class DataGroupHash(core.Sequence):
    _fields = [  # noqa: RUF012  (asn1crypto declares structures as class attributes)
        ("data_group_number", core.Integer), ("data_group_hash_value", core.OctetString)
    ]


class DataGroupHashValues(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsVersionInfo(core.Sequence):
    _fields = [  # noqa: RUF012
        ("lds_version", core.PrintableString), ("unicode_version", core.PrintableString)
    ]


class LdsSecurityObject(core.Sequence):
    _fields = [  # noqa: RUF012
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", DataGroupHashValues),
        ("lds_version_info", LdsVersionInfo, {"optional": True}),
    ]


class SodError(ValueError):
    """EF.SOD cannot be parsed."""


@dataclass(frozen=True)
class ParsedSod:
    hash_algorithm: str
    hashes: dict[int, bytes]
    signed_data: cms.SignedData
    encapsulated: bytes  # the DER LDSSecurityObject the signature covers


def parse_sod(data: bytes) -> ParsedSod:
    try:
        outer = parse_one(data)
    except TlvError as exc:
        raise SodError(f"EF.SOD: {exc}") from exc
    if outer.tag != 0x77:
        raise SodError(f"EF.SOD: expected tag 77, found {outer.tag:X}")
    try:
        info = cms.ContentInfo.load(outer.value, strict=True)
        if info["content_type"].native != "signed_data":
            raise SodError("EF.SOD does not hold CMS SignedData")
        signed = info["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].dotted != LDS_SECURITY_OBJECT_OID:
            raise SodError("EF.SOD content is not an LDSSecurityObject")
        content = encap["content"]
        encapsulated = content.native if isinstance(content.native, bytes) else content.contents
        lso = LdsSecurityObject.load(encapsulated, strict=True)
        algorithm = lso["hash_algorithm"]["algorithm"].native
        values = {
            int(item["data_group_number"].native): bytes(item["data_group_hash_value"].native)
            for item in lso["data_group_hash_values"]
        }
    except SodError:
        raise
    except _PARSE_ERRORS as exc:
        raise SodError(f"EF.SOD is not valid DER: {exc}") from exc
    if algorithm not in _HASHES:
        raise SodError(f"EF.SOD uses an unsupported hash algorithm {algorithm}")
    return ParsedSod(algorithm, values, signed, encapsulated)


class CscaMasterList(core.Sequence):
    _fields = [  # noqa: RUF012
        ("version", core.Integer),
        ("cert_list", core.SetOf, {"spec": asn1_x509.Certificate}),
    ]


def master_list_certificates(data: bytes) -> list[x509.Certificate]:
    """The CSCA certificates of an ICAO master list (CMS SignedData, 2.23.136.1.1.2).

    The list's own signature is not verified here: configure master lists obtained from a
    trusted channel (the ICAO PKD or the issuing states).
    """
    try:
        info = cms.ContentInfo.load(data, strict=True)
        encap = info["content"]["encap_content_info"]
        if encap["content_type"].dotted != MASTER_LIST_OID:
            raise SodError("not a CSCA master list")
        content = encap["content"]
        raw = content.native if isinstance(content.native, bytes) else content.contents
        parsed = CscaMasterList.load(raw, strict=True)
        return [x509.load_der_x509_certificate(c.dump()) for c in parsed["cert_list"]]
    except SodError:
        raise
    except _PARSE_ERRORS as exc:
        raise SodError(f"not a valid master list: {exc}") from exc


def load_csca_certificates(paths: Iterable[Path]) -> list[x509.Certificate]:
    """CSCA certificates from files or folders: PEM/DER certificates (.pem .crt .cer .der)
    and ICAO master lists (.ml). Files that are neither are skipped."""
    certificates: list[x509.Certificate] = []
    for path in paths:
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        for file in files:
            suffix = file.suffix.lower()
            if suffix not in {".pem", ".crt", ".cer", ".der", ".ml"}:
                continue
            raw = file.read_bytes()
            try:
                if suffix == ".ml":
                    certificates.extend(master_list_certificates(raw))
                elif b"-----BEGIN CERTIFICATE-----" in raw:
                    certificates.extend(x509.load_pem_x509_certificates(raw))
                else:
                    certificates.append(x509.load_der_x509_certificate(raw))
            except (ValueError, SodError):
                continue
    return certificates


def _verify_signer(signed: cms.SignedData, encapsulated: bytes) -> tuple[
    str, x509.Certificate | None, list[str]
]:
    """(signature verdict, document signer certificate, notes)."""
    notes: list[str] = []
    infos = signed["signer_infos"]
    if len(infos) != 1:
        return INVALID, None, [f"EF.SOD has {len(infos)} signer infos, expected one"]
    signer = infos[0]
    certificates = [c.chosen for c in signed["certificates"] or [] if c.name == "certificate"]
    sid = signer["sid"]
    chosen = None
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            if (cert.issuer == sid.chosen["issuer"]
                    and cert.serial_number == sid.chosen["serial_number"].native):
                chosen = cert
        elif cert.key_identifier == sid.chosen.native:
            chosen = cert
    if chosen is None:
        return NOT_CHECKED, None, ["EF.SOD carries no document signer certificate"]
    ds_cert = x509.load_der_x509_certificate(chosen.dump())
    digest_name = signer["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        return INVALID, ds_cert, [f"unsupported digest algorithm {digest_name}"]
    signed_attrs = signer["signed_attrs"]
    if not signed_attrs:
        data = encapsulated
    else:
        content_digest = hashlib.new(digest_name, encapsulated).digest()
        message_digest = next(
            (a["values"][0].native for a in signed_attrs if a["type"].native == "message_digest"),
            None,
        )
        if message_digest is None or not hmac.compare_digest(message_digest, content_digest):
            return INVALID, ds_cert, ["the signed message digest does not match the content"]
        data = b"\x31" + signed_attrs.dump()[1:]  # signed as an explicit SET OF
    signature = signer["signature"].native
    sig_algo = signer["signature_algorithm"]
    try:
        public_key = ds_cert.public_key()
        hash_algo = _HASHES[digest_name]()
        if isinstance(public_key, rsa.RSAPublicKey):
            if sig_algo.signature_algo == "rsassa_pss":
                params = sig_algo["parameters"]
                pss_hash = _HASHES[params["hash_algorithm"]["algorithm"].native]()
                pad: padding.AsymmetricPadding = padding.PSS(
                    padding.MGF1(pss_hash), int(params["salt_length"].native)
                )
                hash_algo = pss_hash
            else:
                pad = padding.PKCS1v15()
            public_key.verify(signature, data, pad, hash_algo)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hash_algo))
        else:
            return NOT_CHECKED, ds_cert, ["unsupported document signer key type"]
    except InvalidSignature:
        return INVALID, ds_cert, ["the EF.SOD signature does not verify"]
    except (UnsupportedAlgorithm, *_PARSE_ERRORS) as exc:
        return NOT_CHECKED, ds_cert, [f"EF.SOD signature could not be checked: {exc}"]
    return VALID, ds_cert, notes


def _verify_chain(
    ds_cert: x509.Certificate, cscas: list[x509.Certificate]
) -> tuple[str, x509.Certificate | None, list[str]]:
    if not cscas:
        return NOT_CHECKED, None, ["no CSCA certificates are configured"]
    candidates = [c for c in cscas if c.subject == ds_cert.issuer]
    if not candidates:
        return INVALID, None, [
            f"no configured CSCA has the document signer's issuer {ds_cert.issuer.rfc4514_string()}"
        ]
    for csca in candidates:
        try:
            ds_cert.verify_directly_issued_by(csca)
        except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
            continue
        notes = []
        if csca.issuer != csca.subject:
            notes.append("the matching CSCA certificate is a link certificate")
        return VALID, csca, notes
    return INVALID, None, ["the document signer certificate is not signed by the configured CSCA"]


def passive_authentication(
    sod: bytes | None,
    data_groups: dict[int, bytes],
    csca_certificates: list[x509.Certificate] | None = None,
) -> PassiveAuthResult:
    """Check the read data groups against EF.SOD and, when CSCAs are given, the signer chain."""
    unchecked = tuple(
        DataGroupCheck(n, NOT_CHECKED, "EF.SOD not available") for n in sorted(data_groups)
    )
    if not sod:
        return PassiveAuthResult(False, None, unchecked, NOT_CHECKED, NOT_CHECKED,
                                 notes=("the chip has no EF.SOD",))
    try:
        parsed = parse_sod(sod)
    except SodError as exc:
        return PassiveAuthResult(True, None, unchecked, INVALID, NOT_CHECKED, notes=(str(exc),))
    checks = []
    for number in sorted(data_groups):
        expected = parsed.hashes.get(number)
        if expected is None:
            checks.append(DataGroupCheck(number, INVALID, "EF.SOD has no hash for this group"))
            continue
        actual = hashlib.new(parsed.hash_algorithm, data_groups[number]).digest()
        ok = hmac.compare_digest(actual, expected)
        checks.append(DataGroupCheck(
            number, VALID if ok else INVALID, "" if ok else "hash differs from EF.SOD"))
    try:
        signature, ds_cert, notes = _verify_signer(parsed.signed_data, parsed.encapsulated)
    except _PARSE_ERRORS as exc:
        signature, ds_cert, notes = INVALID, None, [f"EF.SOD signer info unusable: {exc}"]
    chain, csca = NOT_CHECKED, None
    if ds_cert is not None and signature == VALID:
        chain, csca, chain_notes = _verify_chain(ds_cert, csca_certificates or [])
        notes += chain_notes
    elif ds_cert is None:
        notes.append("certificate chain not checked: no document signer certificate")
    else:
        notes.append("certificate chain not checked: the SOD signature is not valid")
    return PassiveAuthResult(
        sod_present=True,
        hash_algorithm=parsed.hash_algorithm,
        data_groups=tuple(checks),
        signature=signature,
        chain=chain,
        signer_subject=ds_cert.subject.rfc4514_string() if ds_cert else None,
        signer_issuer=ds_cert.issuer.rfc4514_string() if ds_cert else None,
        csca_subject=csca.subject.rfc4514_string() if csca else None,
        signed_hashes_for=tuple(sorted(parsed.hashes)),
        notes=tuple(notes),
    )

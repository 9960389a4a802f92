"""TLS between station and central service: the station verifies the service's certificate
against the office's own CA (central.ca_file), refuses one it cannot verify, and enrols over
https. The server here is the real central app behind uvicorn's TLS, as behind a proxy."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from central.app import create_app
from central.config import CentralConfig
from central.db import make_engine, migrate
from central.testing import free_port
from station.config import load_settings
from station.db.database import Database
from station.enrolment import enrol, link_status
from station.sync.client import CentralUnavailable
from station.sync.connection import open_client
from tests.helpers.processes import run_module
from tests.unit.test_station_enrolment import issue_code, write_settings


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_ca(directory: Path, common: str) -> tuple[Path, ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(common)).issuer_name(_name(common))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                                         crl_sign=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    path = directory / f"{common}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path, key, cert


def make_server_cert(directory: Path, ca_key: ec.EllipticCurvePrivateKey,
                     ca_cert: x509.Certificate) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(_name("localhost"))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(IPv4Address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_path, key_path = directory / "server.pem", directory / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class TlsCentral:
    url: str
    db_url: str
    ca_file: Path
    other_ca_file: Path


@pytest.fixture
def tls_central(tmp_path: Path) -> Iterator[TlsCentral]:
    pki = tmp_path / "pki"
    pki.mkdir()
    ca_file, ca_key, ca_cert = make_ca(pki, "office-ca")
    other_ca, _key, _cert = make_ca(pki, "other-ca")
    cert, key = make_server_cert(pki, ca_key, ca_cert)
    db_url = f"sqlite:///{tmp_path / 'central' / 'c.sqlite3'}"
    engine = make_engine(db_url, pool_size=1)
    migrate(engine)
    engine.dispose()
    app = create_app(CentralConfig(db_url=db_url, data_dir=tmp_path / "central", pool_size=2,
                                   dispatch_notifications=False))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           access_log=False, ssl_certfile=str(cert),
                                           ssl_keyfile=str(key), timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, name="tls-central", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the TLS central service did not start"
    try:
        yield TlsCentral(f"https://localhost:{port}", db_url, ca_file, other_ca)
    finally:
        server.should_exit = True
        thread.join(timeout=10)




def test_the_station_verifies_the_certificate_against_the_office_ca(
        tls_central: TlsCentral, tmp_path: Path) -> None:
    trusted = write_settings(tmp_path / "trusted.toml", tmp_path / "s1", tls_central.url,
                             extra=f'ca_file = "{tls_central.ca_file}"\n')
    settings = load_settings(trusted)
    with open_client(settings.central, tls_central.url) as client:
        assert client.health()["status"] == "ok"

    wrong_ca = write_settings(tmp_path / "wrong.toml", tmp_path / "s2", tls_central.url,
                              extra=f'ca_file = "{tls_central.other_ca_file}"\n')
    with open_client(load_settings(wrong_ca).central, tls_central.url) as client, \
            pytest.raises(CentralUnavailable) as untrusted:
        client.health()
    assert untrusted.value.code == "tls_untrusted"
    assert "ca_file" in untrusted.value.message_en

    # without the office CA the system's trust store does not know this certificate either
    system = write_settings(tmp_path / "system.toml", tmp_path / "s3", tls_central.url)
    report = link_status(load_settings(system), None)
    assert report["central"] == "unreachable" and "ca_file" in report["detail"]
    refused = run_module("station", "enrol", "--config", str(system), "--code",
                         "AAAA-BBBB-CCCC-DDDD")
    assert refused.returncode == 4 and "certificate" in refused.stderr


def test_enrolment_over_https_with_the_office_ca(tls_central: TlsCentral, tmp_path: Path) -> None:
    config = write_settings(tmp_path / "station.toml", tmp_path / "s", tls_central.url,
                            extra=f'ca_file = "{tls_central.ca_file}"\n')
    settings = load_settings(config)

    code = issue_code(tls_central, settings.station.code)
    database = Database(settings.storage.resolved_database_url(), tmp_path / "s" / "data.key")
    try:
        result = enrol(settings, database, code)
        assert result.central_url == tls_central.url
        report = link_status(settings, database)
    finally:
        database.close()
    assert report["enrolled"] and report["central"] == "reachable"
    assert json.dumps(report)  # what `status --json` prints


def test_a_missing_ca_file_is_a_clear_error(tmp_path: Path) -> None:
    config = write_settings(tmp_path / "station.toml", tmp_path / "s", "https://localhost:1",
                            extra=f'ca_file = "{tmp_path / "missing.pem"}"\n')
    report = link_status(load_settings(config), None)
    assert report["central"] == "unreachable" and "missing.pem" in report["detail"]

"""How a station connects to its central service: which addresses it accepts and how it
checks the service's certificate.

    client = open_client(settings.central, url, token=credential)

Plain ``http://`` is accepted only for this machine (loopback: the demo's embedded service, a
local test) unless ``central.allow_insecure_http`` says otherwise, because the link carries
the station's credential, operators' passwords and applicants' personal data. ``https://``
always verifies the certificate, against ``central.ca_file`` (an office's own CA) or the
system's trust store.
"""

from __future__ import annotations

import ipaddress
import ssl
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from station.config import CentralSection
from station.i18n import tr
from station.sync.client import CentralClient

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class CentralAddressError(ValueError):
    """The configured central address cannot be used; ``str(exc)`` says why and what to do."""


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_central_url(url: str | None, allow_insecure_http: bool = False) -> str:
    """The URL without trailing slash, or CentralAddressError."""
    text = (url or "").strip()
    if not text:
        raise CentralAddressError(tr("Connection", "No central service address is configured."))
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError as exc:
        raise CentralAddressError(
            tr("Connection", "The central service address is not a valid URL: {url}")
            .format(url=text)) from exc
    if parts.scheme not in ("http", "https") or not host:
        raise CentralAddressError(
            tr("Connection", "The central service address must start with https:// and name "
               "a host: {url}").format(url=text))
    if parts.username or parts.password:
        raise CentralAddressError(
            tr("Connection", "The central service address must not contain a user name or "
               "password."))
    if parts.scheme == "http" and not is_loopback(host) and not allow_insecure_http:
        raise CentralAddressError(
            tr("Connection", "Plain http:// is refused for {host}: use https:// (or set "
               "central.allow_insecure_http = true for a closed test network).")
            .format(host=host))
    return text.rstrip("/")


@lru_cache(maxsize=8)
def _context(ca_file: str) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file)


def tls_verification(central: CentralSection) -> ssl.SSLContext | bool:
    """What checks the service's certificate: a context trusting ``ca_file``, or True (the
    system's trust store)."""
    if central.ca_file is None:
        return True
    path = Path(central.ca_file)
    if not path.is_file():
        raise CentralAddressError(
            tr("Connection", "The CA certificate file {path} does not exist.").format(path=path))
    try:
        return _context(str(path.resolve()))
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise CentralAddressError(
            tr("Connection", "The CA certificate file {path} cannot be read: {error}")
            .format(path=path, error=exc)) from exc


def open_client(central: CentralSection, url: str | None, token: str | None = None,
                timeout: float | None = None) -> CentralClient:
    """A client for ``url`` under the station's address and certificate rules."""
    checked = check_central_url(url, central.allow_insecure_http)
    return CentralClient(checked, token=token,
                         timeout=central.timeout_s if timeout is None else timeout,
                         verify=tls_verification(central))

"""What the central service asks of the traffic-management system, and the request signing
of its HTTP protocol (the canonical form of central.sms_http, with a client id)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Protocol

PHOTO_PATH = "/v1/photos/lookup"
HANDOVER_PATH = "/v1/handovers"
MAX_SKEW_S = 300  # a request's timestamp may be this far from the receiver's clock
RESULTS = ("account_verified", "licence_photo")


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str,
              body: bytes) -> str:
    """hex HMAC-SHA256(secret, "METHOD\\nPATH\\ntimestamp\\nnonce\\n" + hex SHA-256(body))."""
    canonical = "\n".join([method, path, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


class UpstreamUnavailable(RuntimeError):
    """Not reachable, too slow or busy: try again later."""


class UpstreamRefused(RuntimeError):
    """The system answered and said no (bad signature, a hand-over it will not take):
    trying the same request again will not help."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code


@dataclass(frozen=True)
class PhotoOnFile:
    photo: bytes
    media_type: str  # image/jpeg | image/png
    taken_on: str  # ISO date the photo was taken (as the system records it)


@dataclass(frozen=True)
class HandOver:
    """An approved result. ``handover_id`` is the idempotency key (the case id): the system
    answers a repeated one with its first acknowledgement."""

    handover_id: str
    case_number: str
    kind: str
    result: str  # one of RESULTS
    id_number: str
    decided_at: str  # ISO time
    phone: str | None = None
    photo: bytes | None = None  # the e-licence photo to store (result licence_photo)
    media_type: str | None = None


@dataclass(frozen=True)
class HandOverAck:
    ack: str  # the system's reference for the stored result
    replayed: bool  # the system had it already (an earlier attempt got through)


class TrafficSystem(Protocol):
    def photo_on_file(self, id_number: str) -> PhotoOnFile | None:
        """The person's photo on file, or None when the system has none. Raises
        UpstreamUnavailable or UpstreamRefused."""
        ...

    def hand_over(self, result: HandOver) -> HandOverAck:
        """Store an approved result; raises UpstreamUnavailable or UpstreamRefused."""
        ...

    def close(self) -> None: ...

"""HTTP client of the central service (httpx), for the sync worker and the review-queue UI.

Requests and answers of the sync path and the review queue are the ``station.wire`` models
(the ones the central service declares); the other answers are plain JSON objects.
Every method raises ``CentralUnavailable`` when the service cannot be reached (network down,
timeout, 5xx: try again later) and ``CentralError`` when it refused the request (4xx: the
message says why, in Chinese and English). Call from worker threads, never the GUI thread.
"""

from __future__ import annotations

import base64
import hashlib
import socket
import ssl
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from station.i18n import both, current_language
from station.wire import (
    BatchOut,
    BatchOutcome,
    CaseIn,
    QueuePage,
    Receipt,
    Vocabulary,
)

RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}


class CentralError(Exception):
    """The central service refused a request (``status`` and a stable ``code``)."""

    def __init__(self, status: int, code: str, message_en: str, message_zh: str = "",
                 body: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {message_en}")
        self.status = status
        self.code = code
        self.message_en = message_en
        self.message_zh = message_zh or message_en
        self.body = body or {}

    @property
    def message(self) -> str:
        """The message in the station's current language."""
        return self.message_en if current_language() == "en" else self.message_zh


class CentralUnavailable(CentralError):
    """Network failure, timeout or server error: nothing was refused; retry later."""


class CredentialRefused(CentralError):
    """The service refused the credential itself (401, or 403 station_disabled): no request
    can succeed until an administrator acts, and nothing about the request was judged."""


CREDENTIAL_CODES = {"unauthenticated", "station_disabled"}


def _certificate_refused(exc: BaseException) -> bool:
    """A TLS handshake that failed on the server's certificate (not a network failure)."""
    seen: BaseException | None = exc
    for _ in range(8):  # a chain is short; never loop on a cyclic one
        if seen is None:
            break
        if isinstance(seen, ssl.SSLCertVerificationError) or \
                "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class CentralClient:
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None,
                 verify: ssl.SSLContext | bool = True) -> None:
        """``verify``: the TLS context that checks the service's certificate (e.g. one
        trusting the office's own CA); True is the system's trust store."""
        self.base_url = base_url.rstrip("/")
        self.token = token
        if transport is None:
            # headers and body go out in separate writes: without TCP_NODELAY, Nagle plus
            # delayed ACKs add ~40 ms to every POST/PUT
            transport = httpx.HTTPTransport(
                verify=verify, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport,
                                  headers={"User-Agent": "counter-station-sync/1"})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- plumbing -----------------------------------------------------------------------

    def _request(self, method: str, path: str, *, expect_json: bool = True,
                 **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as exc:  # refused, reset, timed out, DNS...
            if _certificate_refused(exc):
                message = both("CentralClient", "The central service's certificate is not "
                               "trusted (set central.ca_file to the office's CA certificate).")
                raise CentralUnavailable(0, "tls_untrusted", f"{message['en']} ({exc})",
                                         message["zh"]) from exc
            message = both("CentralClient", "The central service cannot be reached.")
            raise CentralUnavailable(0, "unreachable", f"{message['en']} ({exc})",
                                     message["zh"]) from exc
        if response.status_code >= 400:
            raise self._error(response)
        if not expect_json:
            return response
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    @staticmethod
    def _error(response: httpx.Response) -> CentralError:
        try:
            body = response.json()
            error = body.get("error", {}) if isinstance(body, dict) else {}
        except ValueError:
            body, error = {}, {}
        if not isinstance(error, dict):
            error = {}
        code = str(error.get("code") or f"http_{response.status_code}")
        fallback = both("CentralClient", "The central service answered with an error.")
        kind = CentralUnavailable if response.status_code in RETRYABLE_STATUS else \
            CredentialRefused if code in CREDENTIAL_CODES else CentralError
        return kind(response.status_code, code,
                    str(error.get("message_en") or fallback["en"]),
                    str(error.get("message_zh") or fallback["zh"]), error)

    # --- system and accounts --------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return self._request("GET", "/health")

    def login(self, username: str, password: str, adopt: bool = True) -> dict[str, Any]:
        """Operator sign-in; returns {token, username, display_name, role, expires_at} and
        (with ``adopt``) uses the token for later calls."""
        result = self._request("POST", "/v1/auth/login",
                               json={"username": username, "password": password})
        if adopt:
            self.token = result["token"]
        return result

    def station_sign_in(self, username: str, password: str) -> dict[str, Any]:
        """An operator signs in at this station (the station's credential is the Bearer
        token); returns {token, username, display_name, role, expires_at}."""
        return self._request("POST", "/v1/stations/sign-in",
                             json={"username": username, "password": password})

    def operator_roster(self, etag: str | None = None) -> tuple[str, list[dict[str, Any]]] | None:
        """The central operators (username, display_name, role, active, locked_until) and
        the roster's version; None when it is still ``etag``."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", "/v1/stations/operators", expect_json=False,
                                 headers=headers)
        if response.status_code == 304:
            return None
        return str(response.headers.get("ETag", "")), list(response.json()["operators"])

    def published_config(self, etag: str | None = None) -> tuple[str, dict[str, Any]] | None:
        """The newest published configuration {version, sha256, files, ...} and its ETag;
        None when it is still ``etag`` or nothing has been published."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", "/v1/stations/config", expect_json=False,
                                 headers=headers)
        if response.status_code == 304:
            return None
        body = response.json()
        return (str(response.headers.get("ETag", "")), body) if isinstance(body, dict) else None

    def logout(self) -> None:
        self._request("POST", "/v1/auth/logout")
        self.token = None

    def enrol(self, code: str, station_code: str) -> dict[str, Any]:
        """Trade a one-time enrolment code for the station credential ({station_id,
        station_code, credential})."""
        return self._request("POST", "/v1/stations/enrol",
                             json={"code": code, "station_code": station_code})

    def whoami(self) -> dict[str, Any]:
        """The station this credential belongs to ({station_code, name, office, state});
        CentralError 401 when the credential is unknown, 403 station_disabled."""
        return self._request("GET", "/v1/stations/me")

    def create_enrolment_code(self, station_code: str, station_name: str = "",
                              office: str = "") -> dict[str, Any]:
        return self._request("POST", "/v1/admin/enrolment-codes", json={
            "station_code": station_code, "station_name": station_name, "office": office})

    def create_user(self, username: str, role: str, password: str,
                    display_name: str = "") -> dict[str, Any]:
        return self._request("POST", "/v1/admin/users", json={
            "username": username, "role": role, "password": password,
            "display_name": display_name})

    def list_users(self) -> list[dict[str, Any]]:
        """The operator accounts (username, display_name, role, active, locked_until)."""
        return list(self._request("GET", "/v1/admin/users"))

    def set_user_active(self, username: str, active: bool) -> dict[str, Any]:
        action = "enable" if active else "disable"
        return self._request("POST", f"/v1/admin/users/{quote(username, safe='')}/{action}")

    def update_user(self, username: str, display_name: str | None = None,
                    role: str | None = None) -> dict[str, Any]:
        body = {key: value for key, value in (("display_name", display_name), ("role", role))
                if value is not None}
        return self._request("PATCH", f"/v1/admin/users/{quote(username, safe='')}", json=body)

    def reset_user_password(self, username: str, password: str) -> dict[str, Any]:
        return self._request("POST", f"/v1/admin/users/{quote(username, safe='')}/password",
                             json={"password": password})

    def unlock_user(self, username: str) -> dict[str, Any]:
        return self._request("POST", f"/v1/admin/users/{quote(username, safe='')}/unlock")

    # --- station sync ----------------------------------------------------------------------

    def part_status(self, sha256: str) -> dict[str, Any]:
        return self._request("GET", f"/v1/parts/{sha256}")

    def upload_part(self, sha256: str, data: bytes, chunk_bytes: int = 1_000_000) -> None:
        """Upload one part. Small parts go in one PUT; large ones in chunks that resume from
        the offset the server already holds (after a dropped connection or a restart)."""
        if len(data) <= chunk_bytes:
            self._request("PUT", f"/v1/parts/{sha256}", content=data,
                          headers={"Content-Type": "application/octet-stream"})
            return
        status = self.part_status(sha256)
        offset = 0 if status["complete"] or status.get("size") != len(data) \
            else int(status["offset"])
        if status["complete"]:
            return
        restarts = 0
        while offset < len(data):
            chunk = data[offset : offset + chunk_bytes]
            try:
                result = self._request(
                    "PUT", f"/v1/parts/{sha256}", content=chunk,
                    headers={"Content-Type": "application/octet-stream",
                             "Upload-Offset": str(offset), "Upload-Length": str(len(data))})
            except CentralError as exc:
                if exc.code in {"upload_offset", "upload_too_long", "hash_mismatch"} and \
                        "offset" in exc.body:
                    if exc.code == "hash_mismatch":  # damaged on the way: the server restarted
                        restarts += 1
                        if restarts > 2 or hashlib.sha256(data).hexdigest() != sha256:
                            raise  # the local bytes themselves do not match
                    offset = int(exc.body["offset"])  # resume (or restart) where the server is
                    continue
                raise
            if result["complete"]:
                return
            offset = int(result["offset"])

    def ingest_case(self, case: CaseIn, idempotency_key: str) -> Receipt:
        """Deliver a case; a repeat returns the first receipt (``replayed`` true)."""
        return _parsed(Receipt, self._request(
            "POST", "/v1/cases", json=case.model_dump(mode="json"),
            headers={"Idempotency-Key": idempotency_key}))

    def ingest_batch(self, cases: list[tuple[str, CaseIn]],
                     parts: dict[str, bytes]) -> list[BatchOutcome]:
        """Deliver several (idempotency key, case) with the parts' bytes inline; one outcome
        per case (201 stored, 200 replayed, 409/422 refused on its own).

        The body is a ``CaseBatchIn``; written out here so the parts' bytes are encoded
        once rather than validated back from base64."""
        body = {
            "cases": [{"idempotency_key": key, "case": case.model_dump(mode="json")}
                      for key, case in cases],
            "parts": [{"sha256": sha, "data": base64.b64encode(data).decode("ascii")}
                      for sha, data in parts.items()],
        }
        return _parsed(BatchOut, self._request("POST", "/v1/cases/batch", json=body)).results

    def start_phone_verification(self, phone: str) -> dict[str, Any]:
        """The central service texts a one-time code to ``phone``; returns {id, expires_at}."""
        return self._request("POST", "/v1/phone-verifications", json={"phone": phone})

    def check_phone_code(self, verification_id: str, code: str) -> dict[str, Any]:
        return self._request("POST", f"/v1/phone-verifications/{verification_id}/check",
                             json={"code": code})

    def anchor_audit(self, seq: int, hash_hex: str,
                     entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Anchor a new head; ``entries``: those since the last anchor (the proof it extends
        it, station.audit.continuity_proof)."""
        return self._request("POST", "/v1/stations/audit-anchor",
                             json={"seq": seq, "hash": hash_hex, "entries": entries or []})

    def latest_audit_anchor(self) -> dict[str, Any] | None:
        return self._request("GET", "/v1/stations/audit-anchor")

    def heartbeat(self, pending: int, failed: int, config_version: int | None = None) -> None:
        """Tell the service this station's backlog (for its monitoring and station list)."""
        self._request("POST", "/v1/stations/heartbeat", json={
            "pending": pending, "failed": failed, "config_version": config_version})

    def feed(self, cursor: int, limit: int = 100) -> dict[str, Any]:
        return self._request("GET", "/v1/feed", params={"cursor": cursor, "limit": limit})

    # --- review queue (supervisors; admins may read) ---------------------------------------

    @staticmethod
    def _filters(**filters: Any) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for key, value in filters.items():
            if value is None:
                continue
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, bool):
                value = "true" if value else "false"
            params[key] = value
        return params

    def list_queue(self, *, kind: str | None = None, reason: str | None = None,
                   station: str | None = None, clerk: str | None = None,
                   state: str | None = None, min_age_minutes: float | None = None,
                   max_age_minutes: float | None = None, due_before: datetime | None = None,
                   overdue: bool | None = None, sort: str = "due_at", offset: int = 0,
                   limit: int = 50) -> QueuePage:
        """One page of the queue with the counts per state. ``reason`` is a flag code;
        ``sort`` is due_at, received_at, kind, station, clerk or number, prefixed by "-" for
        descending."""
        params = self._filters(kind=kind, reason=reason, station=station, clerk=clerk,
                               state=state, min_age_minutes=min_age_minutes,
                               max_age_minutes=max_age_minutes, due_before=due_before,
                               overdue=overdue, sort=sort, offset=offset, limit=limit)
        return _parsed(QueuePage, self._request("GET", "/v1/review/queue", params=params))

    def counts(self, **filters: Any) -> dict[str, int]:
        return self._request("GET", "/v1/review/counts", params=self._filters(**filters))

    def claim(self, case_id: str) -> dict[str, Any]:
        """{case_id, lease_token, lease_until, claimed_by}; CentralError 409 if taken."""
        return self._request("POST", f"/v1/review/cases/{case_id}/claim")

    def claim_next(self, **filters: Any) -> dict[str, Any] | None:
        return self._request("POST", "/v1/review/claim-next", params=self._filters(**filters))

    def renew(self, case_id: str, lease_token: str) -> dict[str, Any]:
        return self._request("POST", f"/v1/review/cases/{case_id}/renew",
                             json={"lease_token": lease_token})

    def release(self, case_id: str, lease_token: str) -> None:
        self._request("POST", f"/v1/review/cases/{case_id}/release",
                      json={"lease_token": lease_token})

    def decide(self, case_id: str, decision: str, lease_token: str,
               reason_code: str | None = None, note: str | None = None) -> dict[str, Any]:
        """``decision``: approve | reject (reason_code required) | return (note required)."""
        return self._request("POST", f"/v1/review/cases/{case_id}/decision", json={
            "decision": decision, "lease_token": lease_token, "reason_code": reason_code,
            "note": note})

    def case_detail(self, case_id: str) -> dict[str, Any]:
        return self._request("GET", f"/v1/cases/{case_id}")

    def lookup_person(self, id_number: str) -> dict[str, Any]:
        """The person's open and recent cases: ``{"open_cases", "cases": [{"number",
        "kind", "review_state", "received_at", ...}]}`` (the number is not kept there)."""
        return self._request("POST", "/v1/persons/lookup", json={"id_number": id_number})

    def photo_on_file(self, case_id: str) -> dict[str, Any]:
        """The applicant's photo in the traffic-management system, asked for now:
        ``{"state", "photo_b64", "media_type", "taken_on", "detail"}``."""
        return self._request("GET", f"/v1/cases/{case_id}/photo-on-file")

    def download_part(self, case_id: str, sha256: str) -> bytes:
        """The part's bytes, verified against its SHA-256."""
        response = self._request("GET", f"/v1/cases/{case_id}/parts/{sha256}",
                                 expect_json=False)
        data = response.content
        if hashlib.sha256(data).hexdigest() != sha256:
            message = both("CentralClient", "A downloaded part does not match its hash.")
            raise CentralUnavailable(0, "hash_mismatch", message["en"], message["zh"])
        return data

    def stats(self, days: int = 30, since: datetime | None = None) -> dict[str, Any]:
        """Dashboard since ``since`` (aware) or over the last ``days``: cases sent for review
        (total, per_state, per_kind, per_clerk, per_station, per_reason, decided,
        median_decision_minutes, overdue) and every registration (registrations,
        registrations_per_kind, registrations_per_clerk, registrations_per_day)."""
        return self._request("GET", "/v1/review/stats",
                             params=self._filters(days=days, since=since))

    def reason_codes(self) -> list[dict[str, str]]:
        return self._request("GET", "/v1/review/reason-codes")

    def vocabulary(self) -> Vocabulary:
        """Flags, decision reasons and part kinds with their labels, as the service has them."""
        return _parsed(Vocabulary, self._request("GET", "/v1/vocabulary"))


M = TypeVar("M", bound=BaseModel)


def _parsed(model: type[M], answer: Any) -> M:
    """An answer read as the wire model it should be; one that is not is the service's
    fault (a broken or mismatched deployment), reported like an unusable answer."""
    try:
        return model.model_validate(answer)
    except ValidationError as exc:
        message = both("CentralClient", "The central service answered with an error.")
        raise CentralUnavailable(0, "bad_answer", f"{message['en']} ({exc})",
                                 message["zh"]) from exc

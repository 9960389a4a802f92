"""Verifying an applicant's mobile number for a station: a 6-digit code sent by SMS."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from central import schemas
from central.audit import Principal, audit
from central.errors import ApiError
from central.models import PhoneVerification, aware
from central.sealing import Sealer
from central.sms import SmsLimits, mask_phone, queue_sms, render
from station.i18n import both

CODE_LIFETIME = timedelta(minutes=5)
CODE_ATTEMPTS = 5


def _code_hash(verification_id: str, code: str) -> str:
    return hashlib.sha256(f"{verification_id}:{code}".encode()).hexdigest()


def start_phone_verification(session: Session, station: Principal,
                             body: schemas.PhoneVerificationIn, now: datetime,
                             sealer: Sealer,
                             limits: SmsLimits | None = None) -> schemas.PhoneVerificationOut:
    """Make a 6-digit code, keep only its hash, and queue the SMS (sent by the dispatcher),
    within the SMS limits of the number and the station."""
    code = f"{secrets.randbelow(10**6):06d}"
    row = PhoneVerification(station_id=station.id, phone=mask_phone(body.phone), code_hash="",
                            attempts=0, expires_at=now + CODE_LIFETIME, created_at=now)
    session.add(row)
    session.flush()
    row.code_hash = _code_hash(row.id, code)
    queue_sms(session, sealer, "", body.phone, "verification", render("verification", {
        "code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)}), now,
        sender=station.id, limits=limits)
    audit(session, station, "phone.code_sent", None, verification=row.id)
    return schemas.PhoneVerificationOut(id=row.id, expires_at=aware(row.expires_at))


def check_phone_code(session: Session, station: Principal, verification_id: str,
                     body: schemas.PhoneCodeIn, now: datetime) -> schemas.PhoneCodeOut:
    row = session.get(PhoneVerification, verification_id, with_for_update=True)
    if row is None or row.station_id != station.id:
        raise ApiError(404, "verification_not_found", both(
            "CentralApi", "No such verification code request."))
    if row.verified_at is not None:
        return schemas.PhoneCodeOut(verified=True, attempts_left=CODE_ATTEMPTS - row.attempts)
    if aware(row.expires_at) < now or row.attempts >= CODE_ATTEMPTS:
        return schemas.PhoneCodeOut(verified=False, attempts_left=0)
    row.attempts += 1
    ok = secrets.compare_digest(row.code_hash, _code_hash(row.id, body.code))
    if ok:
        row.verified_at = now
    audit(session, station, "phone.code_checked", None, verification=row.id, ok=ok)
    return schemas.PhoneCodeOut(verified=ok, attempts_left=CODE_ATTEMPTS - row.attempts)


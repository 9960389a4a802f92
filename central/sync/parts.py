"""Parts (photos, signatures, scans) uploaded by stations: whole, or in resumable chunks.

A part is stored once (content-addressed, sealed) but belongs to each station that uploaded
its bytes (``PartOwner``): a station learns only of its own parts and a case may name only
them, so knowing a hash is not enough to see or reuse another station's photo. Chunked
uploads are kept per (station, part), so no station can plant bytes in, or reset, another's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from central import schemas
from central.audit import Principal
from central.db import dialect_name, rows_matched, upsert
from central.errors import ApiError
from central.models import Blob, PartOwner, PartUpload
from central.sealing import Sealer
from station.i18n import both


def hash_mismatch(**extra: int) -> ApiError:
    return ApiError(422, "hash_mismatch", both(
        "CentralApi", "The uploaded content does not match its SHA-256 hash."), **extra)


def _resume_at(offset: int) -> ApiError:
    return ApiError(409, "upload_offset", both(
        "CentralApi", "The upload must continue from the offset the server holds."),
        offset=offset)


def part_status(session: Session, station: Principal, sha: str) -> schemas.PartStatus:
    """What this station has of the part: whole, partly uploaded, or nothing — the same
    answer whether or not another station has it."""
    blob_size = session.scalar(
        select(Blob.size).join(PartOwner, PartOwner.sha256 == Blob.sha256)
        .where(PartOwner.station_id == station.id, Blob.sha256 == sha))
    if blob_size is not None:
        return schemas.PartStatus(sha256=sha, complete=True, offset=blob_size, size=blob_size)
    row = session.execute(
        select(PartUpload.received_size, PartUpload.total_size)
        .where(PartUpload.station_id == station.id, PartUpload.sha256 == sha)
    ).first()
    if row is None:
        return schemas.PartStatus(sha256=sha, complete=False, offset=0)
    return schemas.PartStatus(sha256=sha, complete=False, offset=row[0], size=row[1])


def owned_parts(db: Session | Connection, station: Principal, shas: Iterable[str]) -> set[str]:
    wanted = set(shas)
    if not wanted:
        return set()
    return set(db.scalars(select(PartOwner.sha256).where(
        PartOwner.station_id == station.id, PartOwner.sha256.in_(wanted))))


def keep_blobs(db: Session | Connection, station: Principal, parts: dict[str, bytes],
               now: datetime, sealer: Sealer) -> set[str]:
    """Store verified parts (once) and make them this station's; returns those that were
    not yet its own."""
    if not parts:
        return set()
    db.execute(upsert(db, Blob).on_conflict_do_nothing(index_elements=["sha256"]),
               [{"sha256": sha, "size": len(data), "data": sealer.seal_part(sha, data),
                 "sealed": True, "created_at": now} for sha, data in parts.items()])
    return set(db.scalars(
        upsert(db, PartOwner).on_conflict_do_nothing(index_elements=["station_id", "sha256"])
        .returning(PartOwner.sha256),
        [{"station_id": station.id, "sha256": sha, "created_at": now} for sha in parts]))


def store_blob(session: Session | Connection, station: Principal, sha: str, data: bytes,
               now: datetime, sealer: Sealer) -> bool:
    """Verify and keep a whole part; returns False when this station had it already.

    On PostgreSQL the blob's commit does not wait for the WAL flush: the case that names it
    commits later with a synchronous flush, which writes this earlier WAL too; if the
    database crashed in between, ingest reports the part missing and the station resends."""
    if hashlib.sha256(data).hexdigest() != sha:
        raise hash_mismatch()
    if dialect_name(session) == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit = off"))
    return bool(keep_blobs(session, station, {sha: data}, now, sealer))


@dataclass
class UploadRestart:
    """The upload was reset, and that is committed with the transaction; then the station is
    answered with ``error`` (restart at offset 0)."""

    error: ApiError


def expire_uploads(session: Session, before: datetime) -> int:
    """Drop unfinished uploads last touched before ``before`` (stations that gave up)."""
    return rows_matched(session.execute(delete(PartUpload).where(PartUpload.updated_at < before)))


def append_chunk(session: Session, station: Principal, sha: str, offset: int, total: int,
                 chunk: bytes, now: datetime, sealer: Sealer,
                 expiry: timedelta) -> schemas.PartStatus | UploadRestart:
    """Resumable upload: the chunk must start where this station's stored bytes end (else 409
    with the offset to resume from); the last chunk verifies the hash and publishes the blob.
    A wrong hash, too many bytes or another declared size reset the upload (UploadRestart)."""
    if owned_parts(session, station, [sha]):
        return schemas.PartStatus(sha256=sha, complete=True, offset=total, size=total)
    if offset == 0:  # a new upload (or a restart): a moment to clear the abandoned ones
        expire_uploads(session, now - expiry)
    session.execute(upsert(session, PartUpload).values(
        station_id=station.id, sha256=sha, total_size=total, received_size=0, received=b"",
        updated_at=now).on_conflict_do_nothing(index_elements=["station_id", "sha256"]))
    upload = session.get(PartUpload, (station.id, sha), with_for_update=True)
    assert upload is not None
    if upload.total_size != total:  # a different declared size: restart cleanly
        _reset(upload, total, now)
        if offset != 0:
            return UploadRestart(_resume_at(0))
    held = upload.received_size
    if offset != held:
        raise _resume_at(held)  # nothing changed
    if held + len(chunk) > total:
        _reset(upload, total, now)
        return UploadRestart(ApiError(422, "upload_too_long", both(
            "CentralApi", "More bytes were sent than the declared size; the upload restarts."),
            offset=0))
    data = sealer.open_upload(station.id, sha, upload.received) + chunk
    if len(data) < total:
        upload.received = sealer.seal_upload(station.id, sha, data)
        upload.received_size, upload.updated_at = len(data), now
        return schemas.PartStatus(sha256=sha, complete=False, offset=len(data), size=total)
    session.delete(upload)
    if hashlib.sha256(data).hexdigest() != sha:
        return UploadRestart(hash_mismatch(offset=0))
    keep_blobs(session, station, {sha: data}, now, sealer)
    return schemas.PartStatus(sha256=sha, complete=True, offset=total, size=total)


def _reset(upload: PartUpload, total: int, now: datetime) -> None:
    upload.total_size, upload.received, upload.received_size = total, b"", 0
    upload.updated_at = now


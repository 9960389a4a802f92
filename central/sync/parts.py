"""Parts (photos, signatures, scans) uploaded by stations: whole, or in resumable chunks."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from central import schemas
from central.db import dialect_name, rows_matched, upsert
from central.errors import ApiError
from central.models import Blob, PartUpload
from central.sealing import Sealer
from station.i18n import both


def part_status(session: Session, sha: str) -> schemas.PartStatus:
    blob_size = session.scalar(select(Blob.size).where(Blob.sha256 == sha))
    if blob_size is not None:
        return schemas.PartStatus(sha256=sha, complete=True, offset=blob_size, size=blob_size)
    row = session.execute(
        select(func.length(PartUpload.received), PartUpload.total_size)
        .where(PartUpload.sha256 == sha)
    ).first()
    if row is None:
        return schemas.PartStatus(sha256=sha, complete=False, offset=0)
    return schemas.PartStatus(sha256=sha, complete=False, offset=row[0] or 0, size=row[1])


def store_blob(session: Session | Connection, sha: str, data: bytes, now: datetime,
               sealer: Sealer) -> bool:
    """Verify and keep a whole part; returns False when it was already there.

    On PostgreSQL the blob's commit does not wait for the WAL flush: the case that names it
    commits later with a synchronous flush, which writes this earlier WAL too; if the
    database crashed in between, ingest reports the part missing and the station resends."""
    if hashlib.sha256(data).hexdigest() != sha:
        raise ApiError(422, "hash_mismatch", both(
            "CentralApi", "The uploaded content does not match its SHA-256 hash."))
    if dialect_name(session) == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit = off"))
    result = session.execute(
        upsert(session, Blob)
        .values(sha256=sha, size=len(data), data=sealer.seal_part(sha, data), sealed=True,
                created_at=now)
        .on_conflict_do_nothing(index_elements=["sha256"])
    )
    return bool(rows_matched(result))


def append_chunk(session: Session, sha: str, offset: int, total: int, chunk: bytes,
                 now: datetime, sealer: Sealer) -> schemas.PartStatus:
    """Resumable upload: the chunk must start where the stored bytes end (else 409 with the
    offset to resume from); the last chunk verifies the hash and publishes the blob."""
    if session.get(Blob, sha) is not None:
        return schemas.PartStatus(sha256=sha, complete=True, offset=total, size=total)
    upload = session.get(PartUpload, sha, with_for_update=True)
    if upload is None:
        if offset != 0:
            raise ApiError(409, "upload_offset", both(
                "CentralApi", "The upload must continue from the offset the server holds."),
                offset=0)
        upload = PartUpload(sha256=sha, total_size=total, received=b"", updated_at=now)
        session.add(upload)
    if upload.total_size != total:  # a different declared size: restart cleanly
        upload.total_size, upload.received = total, b""
        if offset != 0:
            raise ApiError(409, "upload_offset", both(
                "CentralApi", "The upload must continue from the offset the server holds."),
                offset=0)
    held = len(upload.received)
    if offset != held:
        raise ApiError(409, "upload_offset", both(
            "CentralApi", "The upload must continue from the offset the server holds."),
            offset=held)
    data = upload.received + chunk
    if len(data) > total:
        upload.received = b""
        raise ApiError(422, "upload_too_long", both(
            "CentralApi", "More bytes were sent than the declared size; the upload restarts."),
            offset=0)
    upload.updated_at = now
    if len(data) < total:
        upload.received = data
        return schemas.PartStatus(sha256=sha, complete=False, offset=len(data), size=total)
    session.delete(upload)
    if hashlib.sha256(data).hexdigest() != sha:
        session.flush()
        raise ApiError(422, "hash_mismatch", both(
            "CentralApi", "The uploaded content does not match its SHA-256 hash."), offset=0)
    session.add(Blob(sha256=sha, size=len(data), data=sealer.seal_part(sha, data), sealed=True))
    return schemas.PartStatus(sha256=sha, complete=True, offset=total, size=total)


"""Keeping personal data no longer than needed: key rotation, retention purge, station wipe."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from station import audit
from station.db.models import Base, Case, CaseState
from station.db.types import EncryptedBytes, EncryptedJSON, EncryptedText
from station.security.crypto import active_keyring, load_or_create_keyring, save_keyring

log = logging.getLogger(__name__)
ENCRYPTED_TYPES = (EncryptedBytes, EncryptedJSON, EncryptedText)


def encrypted_columns() -> dict[type, list[str]]:
    """ORM class -> attribute names stored encrypted."""
    out: dict[type, list[str]] = {}
    for mapper in Base.registry.mappers:
        names = [c.key for c in mapper.columns if isinstance(c.type, ENCRYPTED_TYPES)]
        if names:
            out[mapper.class_] = names
    return out


def rotate_key(session: Session, key_file: Path, actor: str) -> int:
    """Add a new data key, re-encrypt every personal value with it; returns values rewritten.

    The key file is written first (it still holds the old keys), so a crash part-way leaves
    every row readable; running the rotation again finishes the job."""
    ring = load_or_create_keyring(key_file).with_new_key()
    save_keyring(ring, key_file)
    active_keyring.install(ring)
    rewritten = 0
    for cls, names in encrypted_columns().items():
        row: Any
        for row in session.scalars(select(cls)):
            for name in names:
                if getattr(row, name) is not None:
                    flag_modified(row, name)  # re-bound, so encrypted under the newest key
                    rewritten += 1
        session.flush()
    audit.record(session, actor, "security.key_rotated", details={"key_id": ring.current_id,
                                                                  "values": rewritten})
    return rewritten


def purge_expired(session: Session, retention: timedelta, actor: str = "system",
                  now: datetime | None = None) -> list[str]:
    """Wipe the personal data of cases the central service confirmed more than ``retention``
    ago. The case row (number, kind, state, flags) stays for the station's records."""
    cutoff = (now or datetime.now(UTC)) - retention
    stale = session.scalars(select(Case).where(
        Case.state.in_([CaseState.SYNCED, CaseState.DECIDED]),
        Case.purged_at.is_(None),
        Case.synced_at.is_not(None),
        Case.synced_at < cutoff,
    ))
    purged: list[str] = []
    for case in stale:
        case.people.clear()
        case.photos.clear()
        case.signatures.clear()
        case.scans.clear()
        case.personal = None
        case.purged_at = datetime.now(UTC)
        purged.append(case.id)
    if purged:
        audit.record(session, actor, "retention.purged", details={"cases": len(purged),
                                                                  "case_ids": purged[:200]})
    return purged


def pending_personal_data(session: Session) -> int:
    """Cases whose personal data is still on this station (for the wipe confirmation)."""
    return len(session.scalars(select(Case.id).where(
        Case.purged_at.is_(None), Case.state != CaseState.CANCELLED)).all())


def wipe_station(data_dir: Path, database_file: Path | None, key_file: Path) -> list[Path]:
    """Destroy the local data: the key first (crypto-shredding every copy of the database,
    backups included), then the database and its WAL files. Returns what was removed."""
    removed: list[Path] = []
    candidates = [key_file]
    if database_file is not None:
        candidates += [database_file, database_file.with_name(database_file.name + "-wal"),
                       database_file.with_name(database_file.name + "-shm")]
    for path in candidates:
        if path.exists():
            size = path.stat().st_size
            with path.open("r+b") as fh:  # overwrite before unlinking (best effort on SSDs)
                fh.write(b"\0" * size)
            path.unlink()
            removed.append(path)
    log.warning("station data wiped in %s", data_dir)
    return removed

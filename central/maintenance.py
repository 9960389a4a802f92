"""Maintenance of the central data: data key rotation (``python -m central rotate-key``) and
sealing rows from before sealing existed (``python -m central seal-legacy``)."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.engine import Engine

from central.audit import audit
from central.db import session_factory
from central.models import Blob, Case, CasePart, Notification
from central.sealing import ENVELOPE, MESSAGE_PREFIX, Sealer
from central.sms import mask_phone
from station.security.crypto import KeyRing, load_or_create_shared_keyring, save_keyring


def rotate_key(engine: Engine, key_file: Path, batch: int = 200) -> dict[str, int]:
    """Add a new data key and re-seal every case payload, part note, part and queued SMS with
    it (rows stored before sealing are sealed too). Safe while API processes run: they keep
    reading either key and write with the new one once they notice the file. Returns how
    many rows were re-sealed."""
    ring = load_or_create_shared_keyring(key_file).with_new_key()
    save_keyring(ring, key_file)
    counts: dict[str, Any] = _reseal(engine, ring, batch, rotating=True)
    with session_factory(engine).begin() as session:
        audit(session, None, "data_key.rotated", key_id=ring.current_id, **counts)
    return {"key_id": ring.current_id, **counts}


def seal_legacy(engine: Engine, key_file: Path, batch: int = 200) -> dict[str, int]:
    """Seal, with the current key, the rows stored before sealing existed (the API refuses
    unsealed rows). Run it once after upgrading a service that has such rows: it seals
    whatever it finds unsealed, so it vouches for the database as it is."""
    ring = load_or_create_shared_keyring(key_file)
    counts: dict[str, Any] = _reseal(engine, ring, batch, rotating=False)
    with session_factory(engine).begin() as session:
        audit(session, None, "data.legacy_sealed", key_id=ring.current_id, **counts)
    return {"key_id": ring.current_id, **counts}


def _reseal(engine: Engine, ring: KeyRing, batch: int, rotating: bool) -> dict[str, int]:
    """Seal with the ring's current key every unsealed value, and (``rotating``) every value
    sealed with an older key."""
    sealer = Sealer(ring, read_unsealed=True)

    def stale(sealed: bytes) -> bool:
        return rotating and ring.needs_rotation(sealed)

    cases = notes = parts = messages = 0
    for rows in _batches(engine, select(Case.id, Case.payload).order_by(Case.id), batch):
        with engine.begin() as conn:
            for case_id, stored in rows:
                if not stored or (ENVELOPE in stored and not stale(
                        base64.b64decode(stored[ENVELOPE]))):
                    continue
                payload = sealer.open_payload(case_id, stored)
                conn.execute(update(Case).where(Case.id == case_id)
                             .values(payload=sealer.seal_payload(case_id, payload)))
                cases += 1
    for rows in _batches(engine, select(CasePart.id, CasePart.case_id, CasePart.sha256,
                                        CasePart.role, CasePart.meta).order_by(CasePart.id),
                         batch):
        with engine.begin() as conn:
            for part_id, case_id, sha, role, stored in rows:
                if not stored or (ENVELOPE in stored and not stale(
                        base64.b64decode(stored[ENVELOPE]))):
                    continue
                meta = sealer.open_meta(case_id, sha, role, stored)
                conn.execute(update(CasePart).where(CasePart.id == part_id)
                             .values(meta=sealer.seal_meta(case_id, sha, role, meta)))
                notes += 1
    for rows in _batches(engine, select(Blob.sha256, Blob.data, Blob.sealed)
                         .order_by(Blob.sha256), batch // 4 or 1):
        with engine.begin() as conn:
            for sha, data, sealed in rows:
                if sealed and not stale(data):
                    continue
                conn.execute(update(Blob).where(Blob.sha256 == sha).values(
                    data=sealer.seal_part(sha, sealer.open_part(sha, data, sealed)), sealed=True))
                parts += 1
    for rows in _batches(engine, select(Notification.id, Notification.phone, Notification.text)
                         .order_by(Notification.id), batch):
        with engine.begin() as conn:
            for row_id, phone, text in rows:
                if text.startswith(MESSAGE_PREFIX) and not stale(
                        base64.b64decode(text[len(MESSAGE_PREFIX):])):
                    continue
                number, body = sealer.open_message(row_id, phone, text)
                conn.execute(update(Notification).where(Notification.id == row_id).values(
                    phone=mask_phone(number), text=sealer.seal_message(row_id, number, body)))
                messages += 1
    return {"cases": cases, "notes": notes, "parts": parts, "messages": messages}


def _batches(engine: Engine, query: Any, size: int) -> Iterator[Sequence[Row[*tuple[Any, ...]]]]:
    """Rows in key order, a batch at a time (keyset paging: no long-running cursor)."""
    key = query.selected_columns[0]
    last: Any = None
    while True:
        page = query.limit(size) if last is None else query.where(key > last).limit(size)
        with engine.connect() as conn:
            rows = conn.execute(page).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]

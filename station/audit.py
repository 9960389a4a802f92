"""Hash-chained audit log of every action a person (or the station) takes.

Each entry stores the previous entry's hash and its own hash over (seq, time, actor, action,
case, details, previous hash). ``verify_chain`` finds an edited, removed or reordered entry.
Details must never carry personal data in clear; callers pass ids and codes only.

A chain recomputed from an edit on, cut short or renumbered is consistent in itself; only the
anchor tells: at each sync the station sends its newest (seq, hash) to the central service
with the entries since the last anchored one (``continuity_proof``), which refuses a head
that does not extend it. ``anchor_problems`` compares the local chain with an anchor (the
central service's, or this station's copy of the last one acknowledged).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.db.models import AuditEvent, SyncCursor

GENESIS = "0" * 64
MAX_PROOF_ENTRIES = 500  # entries sent with one anchor (the central service's limit too)
ANCHOR_CURSOR = "audit_anchor"  # this station's copy of the last anchor acknowledged


def entry_hash(
    seq: int, at: datetime, actor: str, action: str, case_id: str | None,
    details: dict[str, Any], prev_hash: str,
) -> str:
    if at.tzinfo is None:  # SQLite returns naive datetimes; they were stored as UTC
        at = at.replace(tzinfo=UTC)
    canonical = json.dumps(
        [seq, at.astimezone(UTC).isoformat(), actor, action, case_id, details, prev_hash],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    session: Session, actor: str, action: str, case_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry (inside the caller's transaction, on the writer thread)."""
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = datetime.now(UTC)
    body = dict(details or {})
    entry = AuditEvent(
        seq=seq, at=at, actor=actor, action=action, case_id=case_id, details=body,
        prev_hash=prev, hash=entry_hash(seq, at, actor, action, case_id, body, prev),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str  # "edited" | "missing_or_reordered" | "anchored_entry_missing" | "differs_from_anchor"


def verify_chain(session: Session) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    prev, expected_seq = GENESIS, 1
    for entry in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        if entry.seq != expected_seq or entry.prev_hash != prev:
            problems.append(ChainProblem(entry.seq, "missing_or_reordered"))
        recomputed = entry_hash(
            entry.seq, entry.at, entry.actor, entry.action, entry.case_id, entry.details,
            entry.prev_hash,
        )
        if recomputed != entry.hash:
            problems.append(ChainProblem(entry.seq, "edited"))
        prev, expected_seq = entry.hash, entry.seq + 1
    return problems


def newest_unanchored(session: Session) -> tuple[int, str] | None:
    """(seq, hash) of the newest entry, unless the central service already anchored it."""
    row = session.execute(select(AuditEvent.seq, AuditEvent.hash, AuditEvent.anchored_at)
                          .order_by(AuditEvent.seq.desc()).limit(1)).first()
    if row is None or row.anchored_at is not None:
        return None
    return int(row.seq), str(row.hash)


def mark_anchored(session: Session, seq: int, at: datetime) -> None:
    entry = session.get(AuditEvent, seq)
    if entry is not None:
        entry.anchored_at = at


def matches_anchor(session: Session, seq: int, hash_hex: str) -> bool:
    """Does the local chain still hold the entry the central service anchored?"""
    entry = session.get(AuditEvent, seq)
    return entry is not None and entry.hash == hash_hex


def continuity_proof(session: Session, after_seq: int,
                     limit: int = MAX_PROOF_ENTRIES) -> list[dict[str, Any]]:
    """The entries after ``after_seq`` (0: from the start), oldest first, as they were hashed:
    what the central service needs to check that a new head extends its last anchor."""
    entries = session.scalars(select(AuditEvent).where(AuditEvent.seq > after_seq)
                              .order_by(AuditEvent.seq).limit(limit))
    return [{"seq": e.seq, "at": _utc(e.at).isoformat(), "actor": e.actor, "action": e.action,
             "case_id": e.case_id, "details": e.details, "prev_hash": e.prev_hash,
             "hash": e.hash} for e in entries]


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def anchor_problems(session: Session, seq: int, hash_hex: str) -> list[ChainProblem]:
    """Does the local chain still hold the anchored entry? Deleting the newest entries,
    recomputing the chain after an edit and renumbering it all fail here."""
    entry = session.get(AuditEvent, seq)
    if entry is None:
        return [ChainProblem(seq, "anchored_entry_missing")]
    if entry.hash != hash_hex:
        return [ChainProblem(seq, "differs_from_anchor")]
    return []


def acknowledged(session: Session, seq: int, hash_hex: str, at: datetime) -> None:
    """The central service anchored (seq, hash): mark the entry and keep a copy."""
    mark_anchored(session, seq, at)
    remember_anchor(session, seq, hash_hex)


def remember_anchor(session: Session, seq: int, hash_hex: str) -> None:
    row = session.get(SyncCursor, ANCHOR_CURSOR)
    if row is None:
        session.add(SyncCursor(name=ANCHOR_CURSOR, cursor=f"{seq}:{hash_hex}"))
    else:
        row.cursor = f"{seq}:{hash_hex}"


def remembered_anchor(session: Session) -> tuple[int, str] | None:
    row = session.get(SyncCursor, ANCHOR_CURSOR)
    if row is None or ":" not in row.cursor:
        return None
    seq, hash_hex = row.cursor.split(":", 1)
    return int(seq), hash_hex


def latest_hash(session: Session) -> str:
    value = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
    return value or GENESIS


def main(argv: list[str] | None = None) -> int:
    """python -m station.audit verify [--config FILE] [--offline]: exit 1 and list problems
    if any. The chain is also compared with its last anchor: the central service's (asked
    with the station's credential) and this station's copy of it; ``--offline`` skips the
    central service."""
    import argparse
    import json
    import sys
    from pathlib import Path

    from station.config import load_settings
    from station.db.database import Database
    from station.db.models import Station

    parser = argparse.ArgumentParser(prog="python -m station.audit")
    parser.add_argument("command", choices=["verify"])
    parser.add_argument("--config", type=Path)
    parser.add_argument("--offline", action="store_true",
                        help="compare with this station's copy of the last anchor only")
    args = parser.parse_args(argv)
    settings = load_settings(args.config)
    db = Database(settings.storage.resolved_database_url(),
                  Path(settings.storage.data_dir) / "data.key")
    try:
        with db.session() as session:
            station = session.query(Station).filter_by(code=settings.station.code).one_or_none()
            url, credential = (station.central_url, station.central_credential) if station \
                else (None, None)
            anchors: dict[str, tuple[int, str]] = {}
            local = remembered_anchor(session)
            if local is not None:
                anchors["local"] = local
        if not args.offline and url and credential:
            central = _central_anchor(url, credential)
            if central is not None:
                anchors["central"] = central
        with db.session() as session:
            problems = verify_chain(session)
            for seq, hash_hex in dict.fromkeys(anchors.values()):
                problems += anchor_problems(session, seq, hash_hex)
            count = session.query(AuditEvent).count()
            head = latest_hash(session)
    finally:
        db.close()
    print(json.dumps({"entries": count, "latest_hash": head, "ok": not problems,
                      "anchors": {source: {"seq": seq, "hash": hash_hex}
                                  for source, (seq, hash_hex) in anchors.items()},
                      "problems": [{"seq": p.seq, "problem": p.problem} for p in problems]}))
    if problems:
        print(f"audit chain broken at {len(problems)} place(s)", file=sys.stderr)
    if not anchors:
        print("no anchor to compare with (never synchronised, or the central service is "
              "unreachable and no copy is kept)", file=sys.stderr)
    return 1 if problems else 0


def _central_anchor(url: str, credential: str) -> tuple[int, str] | None:
    from station.sync.client import CentralClient, CentralError

    try:
        with CentralClient(url, credential, timeout=5.0) as client:
            found = client.latest_audit_anchor()
    except CentralError:  # unreachable or refused: the local copy is all there is
        return None
    return (int(found["seq"]), str(found["hash"])) if found else None


if __name__ == "__main__":
    raise SystemExit(main())

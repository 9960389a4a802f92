"""Hash-chained audit log of every action a person (or the station) takes.

Each entry stores the previous entry's hash and its own hash over (seq, time, actor, action,
case, details, previous hash). ``verify_chain`` finds an edited, removed or reordered entry.
Details must never carry personal data in clear; callers pass ids and codes only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.db.models import AuditEvent

GENESIS = "0" * 64


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
    problem: str  # "edited" | "missing_or_reordered"


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


def latest_hash(session: Session) -> str:
    value = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
    return value or GENESIS


def main(argv: list[str] | None = None) -> int:
    """python -m station.audit verify [--config FILE]: exit 1 and list problems if any."""
    import argparse
    import json
    import sys
    from pathlib import Path

    from station.config import load_settings
    from station.db.database import Database

    parser = argparse.ArgumentParser(prog="python -m station.audit")
    parser.add_argument("command", choices=["verify"])
    parser.add_argument("--config", type=Path)
    args = parser.parse_args(argv)
    settings = load_settings(args.config)
    db = Database(settings.storage.resolved_database_url(),
                  Path(settings.storage.data_dir) / "data.key")
    try:
        with db.session() as session:
            problems = verify_chain(session)
            count = session.query(AuditEvent).count()
            head = latest_hash(session)
    finally:
        db.close()
    print(json.dumps({"entries": count, "latest_hash": head, "ok": not problems,
                      "problems": [{"seq": p.seq, "problem": p.problem} for p in problems]}))
    if problems:
        print(f"audit chain broken at {len(problems)} place(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Dashboard figures: registrations, reviewed cases per state/kind/clerk/station/reason."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import schemas
from central.models import Case, aware
from station.workdays import CHINA


def stats(session: Session, since: datetime, now: datetime) -> schemas.Stats:
    """Dashboard figures since ``since``: every registration, and the ones sent for review."""
    # Times are stored as UTC and SQLite compares them as text: "today 00:00 Beijing" must be
    # turned into UTC first, or the cases of the first eight hours of the day go missing.
    since = aware(since).astimezone(UTC)
    rows = session.execute(
        select(Case.kind, Case.clerk, Case.station_code, Case.flags_text, Case.review_state,
               Case.received_at, Case.decided_at, Case.due_at, Case.claimed_by,
               Case.lease_until)
        .where(Case.received_at >= since)
    ).all()
    per: dict[str, dict[str, int]] = {name: {} for name in (
        "state", "kind", "clerk", "station", "reason", "reg_kind", "reg_clerk", "reg_day")}

    def bump(table: str, key: str) -> None:
        per[table][key] = per[table].get(key, 0) + 1

    durations: list[float] = []
    overdue = reviewed = 0
    for kind, clerk, station, flags, state, received, decided, due, claimed_by, lease in rows:
        received = aware(received)
        bump("reg_kind", kind)
        bump("reg_clerk", clerk or "?")
        bump("reg_day", received.astimezone(CHINA).date().isoformat())
        if state == "not_required":
            continue
        reviewed += 1
        lease = aware(lease)
        shown = "claimed" if state == "pending" and claimed_by and lease and lease >= now \
            else state
        for table, value in (("state", shown), ("kind", kind), ("clerk", clerk or "?"),
                             ("station", station)):
            bump(table, value)
        for flag in filter(None, flags.split(",")):
            bump("reason", flag)
        if decided is not None:
            durations.append((aware(decided) - received).total_seconds() / 60)
        elif state == "pending" and due is not None and aware(due) < now:
            overdue += 1
    return schemas.Stats(
        since=since, total=reviewed, per_state=per["state"], per_kind=per["kind"],
        per_clerk=per["clerk"], per_station=per["station"], per_reason=per["reason"],
        decided=len(durations),
        median_decision_minutes=round(statistics.median(durations), 2) if durations else None,
        overdue=overdue, registrations=len(rows), registrations_per_kind=per["reg_kind"],
        registrations_per_clerk=per["reg_clerk"], registrations_per_day=per["reg_day"],
    )

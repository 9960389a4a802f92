"""Beijing time (Asia/Shanghai) for everything a person reads: receipts, lists, reports.

The database keeps UTC (SQLite hands timestamps back naive, meaning UTC); people at the counter,
the supervisors and the applicant read the office's wall clock. Every display goes through here
so no screen shows UTC or the machine's own zone by accident.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC (how the databases return them)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def in_beijing(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(BEIJING)


def beijing_text(moment: datetime | None, *, year: bool = True, seconds: bool = False,
                 empty: str = "—") -> str:
    """``2026-11-24 15:03`` (or ``11-24 15:03`` without the year) on Beijing's clock."""
    if moment is None:
        return empty
    pattern = ("%Y-%m-%d " if year else "%m-%d ") + ("%H:%M:%S" if seconds else "%H:%M")
    return in_beijing(moment).strftime(pattern)


def beijing_today(now: datetime | None = None) -> date:
    """The office's calendar day at ``now`` (default: this moment)."""
    return in_beijing(now or datetime.now(UTC)).date()


def beijing_day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in Beijing, as an aware datetime in UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=BEIJING).astimezone(UTC)


def beijing_day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of ``day`` in Beijing, both aware UTC."""
    start = beijing_day_start(day)
    return start, beijing_day_start(day + timedelta(days=1))

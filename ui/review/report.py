"""The end-of-day report from the central service's figures (Qt-free; runs on a worker).

Today and this week are calendar periods of the office (Beijing time): since midnight and
since Monday midnight. The central stats API gives the registrations (all cases, flagged or
not) per kind, clerk and day, the review flags per reason and the decision times; the open
overdue reviews come from the queue itself (any age).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from station.reports.daily import render_daily_report
from station.reports.model import DailyStats
from station.sync.client import CentralClient
from ui.review.format import CHINA, ReviewVocabulary


def period_starts(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(today 00:00, this Monday 00:00), Beijing time, as aware datetimes."""
    day = now.astimezone(CHINA).date()
    midnight = dt.datetime.combine(day, dt.time(0, 0), tzinfo=CHINA)
    return midnight, midnight - dt.timedelta(days=day.weekday())


def load_period_figures(client: CentralClient, now: dt.datetime) -> dict[str, Any]:
    today, monday = period_starts(now)
    return {
        "today": client.stats(since=today),
        "week": client.stats(since=monday),
        "vocabulary": client.vocabulary(),
        "overdue_open": client.list_queue(overdue=True, limit=1).total,
        "now": now,
    }


def supports_registrations(stats: dict[str, Any]) -> bool:
    return "registrations_per_kind" in stats


def daily_stats(figures: dict[str, Any], office: str, scope: str) -> DailyStats:
    today, week = figures["today"], figures["week"]
    now: dt.datetime = figures["now"]
    flags = ReviewVocabulary(figures["vocabulary"]).flags  # per_reason counts flags
    day = now.astimezone(CHINA).date()
    _midnight, monday = period_starts(now)
    per_day = week.get("registrations_per_day", {})
    registrations = int(today.get("registrations", 0))
    return DailyStats(
        office=office, scope=scope, date=day,
        per_kind_today=dict(today.get("registrations_per_kind", {})),
        per_kind_week=dict(week.get("registrations_per_kind", {})),
        per_clerk_today=dict(today.get("registrations_per_clerk", {})),
        flags_by_reason={flags.label(code): int(n)
                         for code, n in today.get("per_reason", {}).items()},
        flag_rate=int(today.get("total", 0)) / registrations if registrations else 0.0,
        median_decision_minutes=today.get("median_decision_minutes"),
        overdue=int(figures.get("overdue_open", today.get("overdue", 0))),
        per_day_week=[(d, int(per_day.get(d.isoformat(), 0)))
                      for d in (monday.date() + dt.timedelta(days=n)
                                for n in range(day.weekday() + 1))],
        generated_at=now.astimezone(CHINA),
    )


def render_report(figures: dict[str, Any], office: str, scope: str, language: str) -> bytes:
    return render_daily_report(daily_stats(figures, office, scope), language)

"""Realistic statistics for looking at the end-of-day report (CLI, UI demo, tests)."""

from __future__ import annotations

import datetime as dt

from station.i18n import translate
from station.reports.model import DailyStats

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


def sample_stats(language: str = "zh_CN", day: dt.date = dt.date(2026, 11, 26)) -> DailyStats:
    monday = day - dt.timedelta(days=day.weekday())
    per_day = [38, 45, 41, 52, 47, 12, 0]
    return DailyStats(
        office=translate("ReportSample", "Beijing Traffic Management Bureau", language),
        scope=translate("ReportSample", "Chaoyang vehicle office, all windows", language),
        date=day,
        per_kind_today={"individual": 31, "organisation": 6, "elicence_photo": 9, "manual_review": 3},
        per_kind_week={"individual": 96, "organisation": 17, "elicence_photo": 25, "manual_review": 8},
        per_clerk_today={
            translate("ReportSample", "Wang Fang", language): 17,
            translate("ReportSample", "Li Na", language): 14,
            translate("ReportSample", "Zhang Qiang", language): 12,
            translate("ReportSample", "Self-service kiosk 1", language): 6,
        },
        flags_by_reason={
            translate("ReportSample", "Face match score below the automatic threshold", language): 4,
            translate("ReportSample", "Document entered by hand", language): 3,
            translate("ReportSample", "Power of attorney to be checked", language): 2,
            translate("ReportSample", "Photo quality borderline", language): 1,
        },
        flag_rate=9 / 49,
        median_decision_minutes=42.0,
        overdue=2,
        per_day_week=[(monday + dt.timedelta(days=n), per_day[n]) for n in range(day.weekday() + 1)],
        generated_at=dt.datetime.combine(day, dt.time(17, 35), tzinfo=CHINA),
    )

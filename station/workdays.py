"""Working days in mainland China and the review due time.

The statutory holidays and the adjusted working days (调休) come from the
``chinese-calendar`` library; a JSON data file can add or override days (a new year's
State Council notice) without a code change:

    {"holidays": {"2027-01-01": "New Year's Day"}, "workdays": {"2027-02-07": "Spring Festival"}}

Rule: a case is due one working day after submission: the same local (Asia/Shanghai) time on
the next working day. A case submitted on a non-working day is due at the end of the first
working day after it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar

CHINA = ZoneInfo("Asia/Shanghai")
OVERRIDE_ENV = "CENTRAL_CALENDAR_FILE"


class CalendarDataError(ValueError):
    """The calendar data file cannot be used."""


@dataclass
class WorkdayCalendar:
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)

    @classmethod
    def load(cls, override_file: Path | None = None) -> WorkdayCalendar:
        """The library's calendar, updated by ``override_file`` (or $CENTRAL_CALENDAR_FILE)."""
        calendar = cls(
            holidays={day: str(name) for day, name in chinese_calendar.holidays.items()},
            workdays={day: str(name) for day, name in chinese_calendar.workdays.items()},
        )
        path = override_file or (Path(os.environ[OVERRIDE_ENV]) if os.environ.get(OVERRIDE_ENV)
                                 else None)
        if path is not None:
            calendar.apply_overrides(path)
        return calendar

    def apply_overrides(self, path: Path) -> None:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            holidays = {date.fromisoformat(k): str(v) for k, v in data.get("holidays", {}).items()}
            workdays = {date.fromisoformat(k): str(v) for k, v in data.get("workdays", {}).items()}
        except (OSError, ValueError, AttributeError, TypeError) as exc:
            raise CalendarDataError(f"calendar file {path}: {exc}") from exc
        for day in holidays:
            self.workdays.pop(day, None)
        for day in workdays:
            self.holidays.pop(day, None)
        self.holidays.update(holidays)
        self.workdays.update(workdays)

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_workday(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        candidate = day + timedelta(days=1)
        for _ in range(60):  # the longest Chinese holiday run is far shorter
            if self.is_workday(candidate):
                return candidate
            candidate += timedelta(days=1)
        raise CalendarDataError(f"no working day within 60 days after {day}")

    def due_time(self, submitted: datetime) -> datetime:
        """One working day after ``submitted`` (aware), as an aware UTC-comparable time."""
        local = submitted.astimezone(CHINA)
        if self.is_workday(local.date()):
            due_day = self.next_workday(local.date())
            return datetime.combine(due_day, local.timetz()).astimezone(UTC)
        first = self.next_workday(local.date())
        return datetime.combine(first + timedelta(days=1), time(0, 0, tzinfo=CHINA)).astimezone(UTC)

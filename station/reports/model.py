"""What the end-of-day report shows; the lead's statistics query fills one ``DailyStats``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DailyStats:
    office: str                                  # e.g. "北京市公安局公安交通管理局"
    scope: str                                   # station or scope label, e.g. "朝阳车管分所 全部窗口"
    date: dt.date                                # the day reported on (local date)
    per_kind_today: dict[str, int]               # case kind ("individual", ...) -> registrations today
    per_kind_week: dict[str, int]                # case kind -> registrations this week (to date)
    per_clerk_today: dict[str, int]              # clerk display name -> registrations today
    flags_by_reason: dict[str, int]              # reason text (already translated) -> flagged today
    flag_rate: float                             # flagged / registrations today, 0.0 - 1.0
    median_decision_minutes: float | None        # commit -> review decision, decided today
    overdue: int                                 # open reviews past their due time
    per_day_week: list[tuple[dt.date, int]] = field(default_factory=list)  # Monday .. date
    generated_at: dt.datetime | None = None      # timezone-aware; printed in the footer

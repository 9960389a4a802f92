"""End-of-day report as PDF (reportlab, Qt-free): ``render_daily_report(DailyStats) -> bytes``."""

from station.reports.daily import ReportError, render_daily_report
from station.reports.model import DailyStats

__all__ = ["DailyStats", "ReportError", "render_daily_report"]

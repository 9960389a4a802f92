"""Working days and due times from chinese-calendar, with a data-file override."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from station.workdays import CHINA, CalendarDataError, WorkdayCalendar


@pytest.fixture(scope="module")
def calendar() -> WorkdayCalendar:
    return WorkdayCalendar.load()


def test_statutory_holidays_and_adjusted_working_days(calendar: WorkdayCalendar) -> None:
    assert not calendar.is_workday(date(2026, 10, 1))  # National Day
    assert not calendar.is_workday(date(2026, 2, 17))  # Spring Festival
    assert calendar.is_workday(date(2026, 2, 14))  # a Saturday worked in lieu (调休)
    assert not calendar.is_workday(date(2026, 11, 28))  # an ordinary Saturday
    assert calendar.is_workday(date(2026, 11, 27))


def test_due_is_same_time_next_working_day(calendar: WorkdayCalendar) -> None:
    friday = datetime(2026, 11, 27, 15, 30, tzinfo=CHINA)
    assert calendar.due_time(friday) == datetime(2026, 11, 30, 15, 30, tzinfo=CHINA)
    before_holiday = datetime(2026, 9, 30, 9, 0, tzinfo=CHINA)
    assert calendar.due_time(before_holiday) == datetime(2026, 10, 8, 9, 0, tzinfo=CHINA)


def test_submission_on_a_rest_day_is_due_at_end_of_next_working_day(
    calendar: WorkdayCalendar,
) -> None:
    saturday_night_utc = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)  # 22:00 Beijing, Saturday
    assert calendar.due_time(saturday_night_utc) == datetime(2026, 12, 1, 0, 0, tzinfo=CHINA)


def test_day_boundary_uses_beijing_time(calendar: WorkdayCalendar) -> None:
    # 17:00 UTC on Friday is already 01:00 Saturday in Beijing: a rest day
    late = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert calendar.due_time(late) == datetime(2026, 12, 1, 0, 0, tzinfo=CHINA)


def test_data_file_overrides_without_code_change(tmp_path: Path) -> None:
    override = tmp_path / "calendar.json"
    override.write_text(json.dumps({
        "holidays": {"2027-01-01": "New Year's Day", "2026-11-27": "Local closure"},
        "workdays": {"2026-11-28": "Make-up day"},
    }), encoding="utf-8")
    calendar = WorkdayCalendar.load(override)
    assert not calendar.is_workday(date(2026, 11, 27))
    assert calendar.is_workday(date(2026, 11, 28))
    assert not calendar.is_workday(date(2027, 1, 1))
    thursday = datetime(2026, 11, 26, 10, 0, tzinfo=CHINA)
    assert calendar.due_time(thursday) == datetime(2026, 11, 28, 10, 0, tzinfo=CHINA)


def test_environment_variable_names_the_data_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    override = tmp_path / "calendar.json"
    override.write_text('{"holidays": {"2026-11-30": "closure"}}', encoding="utf-8")
    monkeypatch.setenv("CENTRAL_CALENDAR_FILE", str(override))
    assert not WorkdayCalendar.load().is_workday(date(2026, 11, 30))


@pytest.mark.parametrize("content", ["not json", '{"holidays": {"2026-13-01": "x"}}',
                                     '{"holidays": ["2026-01-01"]}'])
def test_bad_data_file_gives_a_clear_error(tmp_path: Path, content: str) -> None:
    override = tmp_path / "calendar.json"
    override.write_text(content, encoding="utf-8")
    with pytest.raises(CalendarDataError, match="calendar file"):
        WorkdayCalendar.load(override)

"""End-of-day report PDF: text (pypdf), charts in the rendered page (pypdfium2), edge cases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest

from station.reports import DailyStats, ReportError, render_daily_report
from station.reports.__main__ import main as reports_cli
from station.reports.daily import FLAG_BAR, TODAY_BAR, WEEK_BAR, _nice_step

CHINA = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 25)  # a Wednesday


def make_stats(**changes: object) -> DailyStats:
    stats = DailyStats(
        office="上海市公安局交通警察总队",
        scope="徐汇车管所 全部窗口",
        date=DAY,
        per_kind_today={"individual": 23, "organisation": 4, "elicence_photo": 7, "manual_review": 2},
        per_kind_week={"individual": 61, "organisation": 9, "elicence_photo": 15, "manual_review": 5},
        per_clerk_today={"李娜": 19, "陈刚": 11, "自助终端 2": 6},
        flags_by_reason={"人证比对得分偏低": 3, "证件信息为人工录入": 2},
        flag_rate=5 / 36,
        median_decision_minutes=37.5,
        overdue=1,
        per_day_week=[(dt.date(2026, 11, 23), 30), (dt.date(2026, 11, 24), 28), (DAY, 36)],
        generated_at=dt.datetime(2026, 11, 25, 17, 40, tzinfo=CHINA),
    )
    return dataclasses.replace(stats, **changes)  # type: ignore[arg-type]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def page_pixels(pdf: bytes, index: int = 0) -> np.ndarray:
    document = pdfium.PdfDocument(pdf)
    try:
        return np.asarray(document[index].render(scale=100 / 72).to_pil().convert("RGB")).astype(int)
    finally:
        document.close()


def colour_share(image: np.ndarray, colour: object) -> float:
    """Share of the page's pixels within a small distance of a reportlab colour."""
    target = np.array([round(c * 255) for c in colour.rgb()])  # type: ignore[attr-defined]
    return float((np.abs(image - target).sum(axis=2) < 24).mean())


def test_chinese_report_has_the_figures_and_labels() -> None:
    text = pdf_text(render_daily_report(make_stats()))
    for expected in (
        "面签注册业务日报", "上海市公安局交通警察总队", "徐汇车管所 全部窗口", "2026-11-25", "周三",
        "今日受理", "36", "本周累计", "90", "13.9%", "38 分钟", "逾期未审",
        "个人面签注册", "单位面签注册", "电子驾驶证照片", "人工审核申请",
        "李娜", "陈刚", "自助终端 2", "人证比对得分偏低", "证件信息为人工录入",
        "11-23 周一", "11-24 周二", "第 1 页 / 共 2 页", "2026-11-25 17:40",
    ):
        assert expected in text, f"{expected!r} missing"


def test_english_report() -> None:
    text = pdf_text(render_daily_report(make_stats(), language="en"))
    for expected in (
        "End-of-day report: in-person registrations", "Registrations today", "Median decision time",
        "38 min", "Individual in-person registration", "Registrations per day this week",
        "Review flags by reason (today)", "11-25 Wed", "Page 1 of 2",
    ):
        assert expected in text, f"{expected!r} missing"


def test_charts_are_drawn() -> None:
    image = page_pixels(render_daily_report(make_stats()))
    assert (image.min(axis=2) < 200).mean() > 0.03, "page looks blank"
    # today's bars (kinds and days charts), this week's bars, and the flag-reason bars
    assert colour_share(image, TODAY_BAR) > 0.01
    assert colour_share(image, WEEK_BAR) > 0.002
    assert colour_share(image, FLAG_BAR) > 0.002


def test_bars_follow_the_numbers() -> None:
    """On the same axis (0-5), flags of 4 + 4 draw 8/6 the orange area of flags of 4 + 2."""
    even = colour_share(page_pixels(render_daily_report(make_stats(flags_by_reason={"A": 4, "B": 4}))),
                        FLAG_BAR)
    uneven = colour_share(page_pixels(render_daily_report(make_stats(flags_by_reason={"A": 4, "B": 2}))),
                          FLAG_BAR)
    assert 1.2 < even / uneven < 1.45


def test_an_empty_day_renders() -> None:
    stats = make_stats(per_kind_today={}, per_kind_week={}, per_clerk_today={}, flags_by_reason={},
                       flag_rate=0.0, median_decision_minutes=None, overdue=0, per_day_week=[],
                       generated_at=None)
    text = pdf_text(render_daily_report(stats))
    for expected in ("今日无受理业务", "今日无转人工审核业务", "本周暂无数据", "—", "0.0%", "仅供内部使用"):
        assert expected in text


def test_a_big_office_flows_over_pages() -> None:
    clerks = {f"受理人{n:02d}": 100 - n for n in range(80)}
    reasons = {f"原因{n:02d}：需要人工核对的情形说明文字较长" * 2: 50 - n for n in range(40)}
    pdf = render_daily_report(make_stats(per_clerk_today=clerks, flags_by_reason=reasons))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    text = pdf_text(pdf)
    assert "受理人79" in text and "受理人00" in text
    assert "其他原因" in text  # reasons beyond the tenth share one bar in the chart
    assert "原因39" in text  # ... and are all listed in the table


def test_unknown_kind_is_listed_by_its_code() -> None:
    text = pdf_text(render_daily_report(make_stats(per_kind_today={"driving_test": 3})))
    assert "driving_test" in text


def test_font_is_embedded() -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_daily_report(make_stats())))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "WenQuanYiZenHei" in font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_unsupported_language() -> None:
    with pytest.raises(ReportError, match="unsupported report language"):
        render_daily_report(make_stats(), language="de")


@pytest.mark.parametrize(("highest", "step"), [(0, 1), (3, 1), (9, 2), (24, 5), (52, 20), (146, 50),
                                               (999, 200)])
def test_axis_steps(highest: int, step: int) -> None:
    assert _nice_step(highest) == step


def test_cli_writes_a_sample(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert reports_cli(["sample", "--out", str(out)]) == 0
    assert "面签注册业务日报" in pdf_text(out.read_bytes())

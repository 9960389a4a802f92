"""The end-of-day report as an A4 PDF: today's and this week's figures, tables and charts.

Key figures on top (registrations today and this week, review rate, median decision time,
overdue reviews), then registrations per kind, per day (chart), per clerk, and review flags
by reason (table and chart). Charts are reportlab.graphics drawings, so they stay vector.
"""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from station.i18n import LANGUAGES, translate
from station.receipts.fonts import register_cjk_font
from station.receipts.labels import kind_label
from station.receipts.model import RECEIPT_KINDS
from station.receipts.pages import counting_canvas
from station.receipts.render import format_time
from station.reports.model import DailyStats

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 40.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
HEADER_HEIGHT = 100.0
FOOTER_HEIGHT = 56.0

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5F6670")
ACCENT = colors.HexColor("#1F3A6B")
RULE = colors.HexColor("#B8C2D1")
HEAD_BG = colors.HexColor("#EEF2F7")
TODAY_BAR = colors.HexColor("#2E6FD8")  # tests look for these colours in the rendered charts
WEEK_BAR = colors.HexColor("#9DB8E6")
FLAG_BAR = colors.HexColor("#D9822B")
ALERT = colors.HexColor("#B3261E")
MAX_CHARTED_REASONS = 10  # the rest are one "other reasons" bar; the table lists them all


class ReportError(ValueError):
    """The statistics cannot be printed (unsupported language)."""


def render_daily_report(stats: DailyStats, language: str = "zh_CN") -> bytes:
    """The end-of-day report as PDF bytes, in ``language`` (zh_CN or en)."""
    if language not in LANGUAGES:
        raise ReportError(f"unsupported report language {language!r}; expected {LANGUAGES}")
    font = register_cjk_font()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=translate("DailyReport", "End-of-day report", language),
        subject=f"{stats.scope} {stats.date.isoformat()}",
        author=stats.office,
        creator="Counter Station",
        initialFontName=font,
        invariant=True,
        lang="zh-CN" if language == "zh_CN" else "en",
    )
    writer = _Writer(stats, language, font)

    def furniture(canvas: Canvas, document: BaseDocTemplate) -> None:
        writer.header(canvas)
        writer.footer(canvas)

    frame = Frame(MARGIN_X, FOOTER_HEIGHT, CONTENT_WIDTH, PAGE_HEIGHT - HEADER_HEIGHT - FOOTER_HEIGHT,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="report", frames=[frame], onPage=furniture)])
    doc.build(writer.story(), canvasmaker=counting_canvas(writer.page_number))
    return buffer.getvalue()


def ordered_kinds(*counts: dict[str, int]) -> list[str]:
    """Every known kind in its usual order (zero rows included), then any others mentioned."""
    seen = {kind for count in counts for kind in count}
    return list(RECEIPT_KINDS) + sorted(seen - set(RECEIPT_KINDS))


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class _Writer:
    def __init__(self, stats: DailyStats, language: str, font: str) -> None:
        self.stats, self.lang, self.font = stats, language, font
        wrap = "CJK" if language == "zh_CN" else None
        self.heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16,
                                      textColor=ACCENT, spaceBefore=10, spaceAfter=5)
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=12.5,
                                   textColor=INK, wordWrap="CJK")
        self.note = ParagraphStyle("note", fontName=font, fontSize=9, leading=12,
                                   textColor=MUTED, wordWrap=wrap)

    # -- page furniture -------------------------------------------------------------------

    def header(self, canvas: Canvas) -> None:
        stats, lang = self.stats, self.lang
        top = PAGE_HEIGHT
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, top - 8, PAGE_WIDTH, 8, stroke=0, fill=1)
        text = canvas.beginText()
        text.setFont(self.font, 18)
        text.setTextRenderMode(2)  # fill + stroke: the CJK font has no bold face
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.45)
        text.setTextOrigin(MARGIN_X, top - 42)
        text.textOut(translate("DailyReport", "End-of-day report: in-person registrations", lang))
        text.setTextRenderMode(0)
        canvas.drawText(text)
        canvas.setFont(self.font, 10)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_X, top - 62, f"{stats.office}    {stats.scope}")
        canvas.setFillColor(INK)
        week_start = _week_start(stats.date)
        canvas.drawString(MARGIN_X, top - 78, translate(
            "DailyReport", "Day: {day} ({weekday})    Week: {start} to {end}", lang).format(
                day=stats.date.isoformat(), weekday=self.weekday(stats.date),
                start=week_start.isoformat(), end=stats.date.isoformat()))
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN_X, top - 90, PAGE_WIDTH - MARGIN_X, top - 90)
        canvas.restoreState()

    def page_number(self, canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(self.font, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, FOOTER_HEIGHT - 28, translate(
            "DailyReport", "Page {page} of {total}", self.lang).format(page=page, total=total))
        canvas.restoreState()

    def footer(self, canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN_X, FOOTER_HEIGHT - 16, PAGE_WIDTH - MARGIN_X, FOOTER_HEIGHT - 16)
        canvas.setFont(self.font, 8)
        canvas.setFillColor(MUTED)
        generated = self.stats.generated_at
        if generated is not None:
            canvas.drawString(MARGIN_X, FOOTER_HEIGHT - 28, translate(
                "DailyReport", "Generated {time} by Counter Station. For internal use only.",
                self.lang).format(time=format_time(generated)))
        else:
            canvas.drawString(MARGIN_X, FOOTER_HEIGHT - 28, translate(
                "DailyReport", "Generated by Counter Station. For internal use only.", self.lang))
        canvas.restoreState()

    def weekday(self, day: dt.date) -> str:
        names = (
            translate("DailyReport", "Mon", self.lang),
            translate("DailyReport", "Tue", self.lang),
            translate("DailyReport", "Wed", self.lang),
            translate("DailyReport", "Thu", self.lang),
            translate("DailyReport", "Fri", self.lang),
            translate("DailyReport", "Sat", self.lang),
            translate("DailyReport", "Sun", self.lang),
        )
        return names[day.weekday()]

    # -- body -----------------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        story: list[Flowable] = [self.key_figures(), Spacer(1, 6)]
        story += self.kinds_section()
        story += self.days_section()
        story += self.flags_section()
        story += self.clerks_section()
        return story

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text), style or self.cell)

    def key_figures(self) -> Table:
        stats, lang = self.stats, self.lang
        today = sum(stats.per_kind_today.values())
        week = sum(stats.per_kind_week.values())
        median = stats.median_decision_minutes
        tiles = [
            (translate("DailyReport", "Registrations today", lang), str(today), ACCENT),
            (translate("DailyReport", "This week", lang), str(week), ACCENT),
            (translate("DailyReport", "Flagged for review", lang), f"{stats.flag_rate * 100:.1f}%", ACCENT),
            (translate("DailyReport", "Median decision time", lang),
             "—" if median is None else translate("DailyReport", "{minutes} min", lang).format(
                 minutes=f"{median:.0f}"), ACCENT),
            (translate("DailyReport", "Overdue reviews", lang), str(stats.overdue),
             ALERT if stats.overdue else ACCENT),
        ]
        cells = [[_Tile(label, value, color, self.font) for label, value, color in tiles]]
        table = Table(cells, colWidths=[CONTENT_WIDTH / len(tiles)] * len(tiles))
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]))
        return table

    def table(self, rows: list[list[str]], widths: list[float], total_row: bool = False) -> Table:
        cells = [[self.para(text) for text in row] for row in rows]
        table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
            ("GRID", (0, 0), (-1, -1), 0.6, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ]
        if total_row:
            style.append(("BACKGROUND", (0, -1), (-1, -1), HEAD_BG))
        table.setStyle(TableStyle(style))
        return table

    def kinds_section(self) -> list[Flowable]:
        stats, lang = self.stats, self.lang
        kinds = ordered_kinds(stats.per_kind_today, stats.per_kind_week)
        rows = [[translate("DailyReport", "Business", lang), translate("DailyReport", "Today", lang),
                 translate("DailyReport", "This week", lang)]]
        for kind in kinds:
            rows.append([kind_label(kind, lang), str(stats.per_kind_today.get(kind, 0)),
                         str(stats.per_kind_week.get(kind, 0))])
        rows.append([translate("DailyReport", "Total", lang), str(sum(stats.per_kind_today.values())),
                     str(sum(stats.per_kind_week.values()))])
        table = self.table(rows, [150, 52, 58], total_row=True)
        chart = self.kinds_chart(kinds, CONTENT_WIDTH - 270, 150)
        side = Table([[table, chart]], colWidths=[270, CONTENT_WIDTH - 270])
        side.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]))
        heading = self.para(translate("DailyReport", "Registrations by business", lang), self.heading)
        return [KeepTogether([heading, side])]

    def kinds_chart(self, kinds: list[str], width: float, height: float) -> Drawing:
        stats, lang = self.stats, self.lang
        drawing = self.drawing(width, height)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 40, 34, width - 50, height - 56
        chart.data = [[stats.per_kind_today.get(k, 0) for k in kinds],
                      [stats.per_kind_week.get(k, 0) for k in kinds]]
        chart.categoryAxis.categoryNames = [
            _fit(short_kind_label(k, lang), self.font, 7, chart.width / max(1, len(kinds)) - 2)
            for k in kinds]
        self.style_axes(chart, max(max(row) for row in chart.data) if kinds else 0)
        chart.categoryAxis.labels.fontSize = 7
        chart.bars[0].fillColor, chart.bars[1].fillColor = TODAY_BAR, WEEK_BAR
        chart.bars.strokeColor = None
        chart.groupSpacing, chart.barSpacing = 8, 1
        drawing.add(chart)
        legend = Legend()
        legend.x, legend.y = 40, height - 6
        legend.fontName, legend.fontSize = self.font, 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.dx = legend.dy = 7
        legend.deltax = 70
        legend.colorNamePairs = [(TODAY_BAR, translate("DailyReport", "Today", lang)),
                                 (WEEK_BAR, translate("DailyReport", "This week", lang))]
        drawing.add(legend)
        return drawing

    def drawing(self, width: float, height: float) -> Drawing:
        drawing = Drawing(width, height)
        drawing.initialFontName = self.font  # else renderPDF selects an unembedded Helvetica
        return drawing

    def style_axes(self, chart: VerticalBarChart | HorizontalBarChart, highest: int) -> None:
        step = _nice_step(highest)
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = max(step, (highest // step + 1) * step)
        chart.valueAxis.valueStep = step
        chart.valueAxis.labels.fontName = self.font
        chart.valueAxis.labels.fontSize = 7.5
        chart.valueAxis.strokeColor = RULE
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.gridStrokeColor = colors.HexColor("#E3E7ED")
        chart.categoryAxis.labels.fontName = self.font
        chart.categoryAxis.labels.fontSize = 8
        chart.categoryAxis.strokeColor = RULE

    def days_section(self) -> list[Flowable]:
        stats, lang = self.stats, self.lang
        heading = self.para(translate("DailyReport", "Registrations per day this week", lang),
                            self.heading)
        days = list(stats.per_day_week)
        if not days:
            return [heading, self.para(translate("DailyReport", "No figures for this week.", lang),
                                       self.note)]
        height = 140
        drawing = self.drawing(CONTENT_WIDTH, height)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 40, 30, CONTENT_WIDTH - 50, height - 44
        chart.data = [[count for _, count in days]]
        chart.categoryAxis.categoryNames = [
            f"{day.strftime('%m-%d')} {self.weekday(day)}" for day, _ in days]
        self.style_axes(chart, max(count for _, count in days))
        chart.bars[0].fillColor = TODAY_BAR
        chart.bars.strokeColor = None
        chart.barLabelFormat = "%d"
        chart.barLabels.fontName = self.font
        chart.barLabels.fontSize = 8
        chart.barLabels.nudge = 7
        drawing.add(chart)
        return [KeepTogether([heading, drawing])]

    def clerks_section(self) -> list[Flowable]:
        stats, lang = self.stats, self.lang
        heading = self.para(translate("DailyReport", "Registrations per clerk today", lang), self.heading)
        if not stats.per_clerk_today:
            return [heading, self.para(translate("DailyReport", "No registrations today.", lang),
                                       self.note)]
        total = sum(stats.per_clerk_today.values()) or 1
        rows = [[translate("DailyReport", "Clerk", lang), translate("DailyReport", "Registrations", lang),
                 translate("DailyReport", "Share", lang)]]
        for clerk, count in sorted(stats.per_clerk_today.items(), key=lambda item: (-item[1], item[0])):
            rows.append([clerk, str(count), f"{count / total * 100:.0f}%"])
        return [heading, self.table(rows, [200, 80, 60])]

    def flags_section(self) -> list[Flowable]:
        stats, lang = self.stats, self.lang
        heading = self.para(translate("DailyReport", "Review flags by reason (today)", lang),
                            self.heading)
        summary = self.para(translate(
            "DailyReport", "{rate} of today's registrations were flagged for review; {overdue} "
            "review(s) are past their due time.", lang).format(
                rate=f"{stats.flag_rate * 100:.1f}%", overdue=stats.overdue), self.note)
        if not stats.flags_by_reason:
            return [heading, summary,
                    self.para(translate("DailyReport", "No review flags today.", lang), self.note)]
        registrations = sum(stats.per_kind_today.values())
        reasons = sorted(stats.flags_by_reason.items(), key=lambda item: (-item[1], item[0]))
        rows = [[translate("DailyReport", "Reason", lang), translate("DailyReport", "Cases", lang),
                 translate("DailyReport", "Rate", lang)]]
        for reason, count in reasons:
            rate = f"{count / registrations * 100:.1f}%" if registrations else "—"
            rows.append([reason, str(count), rate])
        table = self.table(rows, [CONTENT_WIDTH - 130, 60, 70])

        charted = reasons[:MAX_CHARTED_REASONS]
        others = sum(count for _, count in reasons[MAX_CHARTED_REASONS:])
        if others:
            charted = [*charted, (translate("DailyReport", "Other reasons", lang), others)]
        bar_height = 18
        height = 30 + bar_height * len(charted)
        drawing = self.drawing(CONTENT_WIDTH, height)
        chart = HorizontalBarChart()
        chart.x, chart.y = 170, 20
        chart.width, chart.height = CONTENT_WIDTH - 190, height - 28
        chart.data = [[count for _, count in reversed(charted)]]  # largest on top
        chart.categoryAxis.categoryNames = [_fit(reason, self.font, 8, chart.x - 12)
                                            for reason, _ in reversed(charted)]
        self.style_axes(chart, max(count for _, count in charted))
        chart.bars[0].fillColor = FLAG_BAR
        chart.bars.strokeColor = None
        chart.barLabelFormat = "%d"
        chart.barLabels.fontName = self.font
        chart.barLabels.fontSize = 8
        chart.barLabels.nudge = 7
        drawing.add(chart)
        return [KeepTogether([heading, summary, Spacer(1, 6), drawing]), Spacer(1, 6), table]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis to fit ``width`` points (chart labels; tables wrap)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def short_kind_label(kind: str, language: str) -> str:
    labels = {
        "individual": translate("DailyReport", "Individual", language),
        "organisation": translate("DailyReport", "Organisation", language),
        "elicence_photo": translate("DailyReport", "E-licence photo", language),
        "manual_review": translate("DailyReport", "Manual review", language),
    }
    return labels.get(kind, kind_label(kind, language))


def _nice_step(highest: int) -> int:
    """An axis step giving about five gridlines: 1, 2, 5, 10, 20, 50 ..."""
    target = max(1, highest) / 5
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= target:
                return factor * magnitude
        magnitude *= 10


class _Tile(Flowable):
    """A key figure: small label above a large number."""

    def __init__(self, label: str, value: str, color: colors.Color, font: str) -> None:
        super().__init__()
        self.label, self.value, self.color, self.font = label, value, color, font

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, 54
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(HEAD_BG)
        canvas.roundRect(0, 0, self.width, self.height, 4, stroke=0, fill=1)
        canvas.setFillColor(MUTED)
        canvas.setFont(self.font, 8.5)
        canvas.drawCentredString(self.width / 2, self.height - 16, _short(self.label, 22))
        canvas.setFillColor(self.color)
        canvas.setFont(self.font, 18)
        canvas.drawCentredString(self.width / 2, 12, self.value)

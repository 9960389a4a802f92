"""The registration receipt as an A4 PDF (reportlab): header with QR code, fields, photo,
outcome and next steps, signature, and a footer with station, clerk, time and privacy note.

Page furniture (header, footer) is drawn on the canvas; the body flows through platypus so a
long list of review reasons continues on a second page instead of overflowing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

import segno
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
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

from station.beijing import beijing_text
from station.i18n import LANGUAGES, translate
from station.receipts.fonts import FONT_NAME, register_cjk_font
from station.receipts.images import decode_image
from station.receipts.labels import (
    document_type_label,
    kind_label,
    receipt_title,
    scanned_document_label,
)
from station.receipts.masking import mask_id_number, mask_phone
from station.receipts.model import RECEIPT_KINDS, ReceiptData
from station.receipts.pages import counting_canvas

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 40.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
HEADER_HEIGHT = 122.0
FOOTER_HEIGHT = 92.0
QR_SIZE = 74.0
PHOTO_WIDTH, PHOTO_HEIGHT = 26 * mm, 26 * mm * 378 / 260  # the e-licence photo's proportions
SIGNATURE_WIDTH, SIGNATURE_HEIGHT = 230.0, 82.0

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5F6670")
ACCENT = colors.HexColor("#1F3A6B")  # police blue
RULE = colors.HexColor("#B8C2D1")
LABEL_BG = colors.HexColor("#EEF2F7")
DONE_GREEN = colors.HexColor("#1E7B45")
REVIEW_AMBER = colors.HexColor("#B25E00")
REFUSED_RED = colors.HexColor("#A61B1B")
NOTE_BG = colors.HexColor("#F7F8FA")
PLACEHOLDER_BG = colors.HexColor("#F1F1F1")


class ReceiptError(ValueError):
    """The receipt data cannot be printed (unknown kind or language)."""


@dataclass
class RenderedReceipt:
    """The PDF and where things landed on page 1 (points, origin bottom-left), for checks."""

    pdf: bytes
    boxes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)


def render_receipt(data: ReceiptData) -> bytes:
    """The receipt of one case as PDF bytes, in ``data.language`` (zh_CN or en)."""
    return render_receipt_with_layout(data).pdf


def render_receipt_with_layout(data: ReceiptData) -> RenderedReceipt:
    if data.kind not in RECEIPT_KINDS:
        raise ReceiptError(f"unknown receipt kind {data.kind!r}; expected one of {RECEIPT_KINDS}")
    if data.language not in LANGUAGES:
        raise ReceiptError(f"unsupported receipt language {data.language!r}; expected {LANGUAGES}")
    font = register_cjk_font()
    result = RenderedReceipt(pdf=b"")
    styles = _Styles(font)
    buffer = io.BytesIO()
    lang = data.language
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=receipt_title(data.kind, lang),
        subject=f"{kind_label(data.kind, lang)} {data.case_number}",
        author=data.office,
        creator="Counter Station",
        initialFontName=font,  # no unembedded Helvetica in the font resources
        invariant=True,  # same data, same bytes: receipts can be compared and re-printed
        lang="zh-CN" if lang == "zh_CN" else "en",
    )
    story = _body(data, styles, result)

    def furniture(canvas: Canvas, document: BaseDocTemplate) -> None:
        _draw_header(canvas, data, font, result, first_page=document.page == 1)
        _draw_footer(canvas, data, styles)

    body = Frame(MARGIN_X, FOOTER_HEIGHT, CONTENT_WIDTH, PAGE_HEIGHT - HEADER_HEIGHT - FOOTER_HEIGHT,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="receipt", frames=[body], onPage=furniture)])
    doc.build(story, canvasmaker=counting_canvas(
        lambda canvas, page, total: _draw_page_number(canvas, lang, font, page, total)))
    result.pdf = buffer.getvalue()
    return result


# ---------------------------------------------------------------------------------------------
# styles and small helpers


class _Styles:
    def __init__(self, font: str) -> None:
        base = {"fontName": font, "textColor": INK, "wordWrap": "CJK"}
        self.font = font
        self.label = ParagraphStyle("label", fontSize=9.5, leading=12, textColor=MUTED,
                                    **{k: v for k, v in base.items() if k != "textColor"})
        self.value = ParagraphStyle("value", fontSize=10.5, leading=13.5, **base)
        self.value_latin = ParagraphStyle("value_latin", parent=self.value, wordWrap=None)
        self.case = ParagraphStyle("case", fontSize=13, leading=16, textColor=ACCENT,
                                   fontName=font)
        self.heading = ParagraphStyle("heading", fontSize=11.5, leading=15, textColor=ACCENT,
                                      fontName=font, spaceBefore=4, spaceAfter=4)
        self.body = ParagraphStyle("body", fontSize=10, leading=14.5, **base)
        self.body_latin = ParagraphStyle("body_latin", parent=self.body, wordWrap=None)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=14, bulletIndent=4,
                                     bulletFontName=font, bulletFontSize=6.5)
        self.bullet_latin = ParagraphStyle("bullet_latin", parent=self.bullet, wordWrap=None)
        self.small = ParagraphStyle("small", fontSize=7.5, leading=10, textColor=MUTED,
                                    fontName=font, wordWrap="CJK")
        self.small_latin = ParagraphStyle("small_latin", parent=self.small, wordWrap=None)

    def pick(self, style: ParagraphStyle, text: str) -> ParagraphStyle:
        """Chinese text breaks between any two characters; Latin text only at spaces."""
        if _has_cjk(text):
            return style
        latin = getattr(self, f"{style.name}_latin", None)
        return latin if isinstance(latin, ParagraphStyle) else style

    def para(self, text: str, style: ParagraphStyle, **kwargs: str) -> Paragraph:
        return Paragraph(escape(text), self.pick(style, text), **kwargs)


def _has_cjk(text: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def format_time(moment: datetime | None) -> str:
    """``2026-11-24 15:03`` in Beijing time, whatever zone the moment was given in (the
    database hands back UTC; the applicant reads the office's clock)."""
    return beijing_text(moment)


def _bold_text(canvas: Canvas, x: float, y: float, text: str, font: str, size: float,
               color: colors.Color, anchor: str = "left") -> None:
    """Heavier strokes for titles: the embedded CJK font has no bold face, so fill + stroke."""
    text_object = canvas.beginText()
    text_object.setFont(font, size)
    text_object.setTextRenderMode(2)
    width = canvas.stringWidth(text, font, size)
    start = x - width if anchor == "right" else x - width / 2 if anchor == "centre" else x
    text_object.setTextOrigin(start, y)
    canvas.saveState()
    canvas.setFillColor(color)
    canvas.setStrokeColor(color)
    canvas.setLineWidth(size / 40)
    text_object.textOut(text)
    canvas.drawText(text_object)
    canvas.restoreState()


# ---------------------------------------------------------------------------------------------
# page furniture


def _draw_header(canvas: Canvas, data: ReceiptData, font: str, result: RenderedReceipt,
                 first_page: bool) -> None:
    lang = data.language
    top = PAGE_HEIGHT
    canvas.saveState()
    canvas.setFillColor(ACCENT)
    canvas.rect(0, top - 10, PAGE_WIDTH, 10, stroke=0, fill=1)
    _bold_text(canvas, MARGIN_X, top - 48, receipt_title(data.kind, lang), font, 19, ACCENT)
    canvas.setFont(font, 10.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, top - 69, data.office)
    canvas.setFillColor(INK)
    canvas.drawString(MARGIN_X, top - 86, translate("Receipt", "Business: {kind}", lang).format(
        kind=kind_label(data.kind, lang)))

    if not first_page:  # the case band is on page 1 only; keep the number on every page
        canvas.setFillColor(ACCENT)
        canvas.drawString(MARGIN_X, top - 103, translate(
            "Receipt", "Case number {number} (continued)", lang).format(number=data.case_number))
    qr_x, qr_y = PAGE_WIDTH - MARGIN_X - QR_SIZE, top - 20 - QR_SIZE
    _draw_qr(canvas, data.status_url or data.case_number, qr_x, qr_y, QR_SIZE)
    if first_page:
        result.boxes["qr"] = (qr_x, qr_y, QR_SIZE, QR_SIZE)
    canvas.setFont(font, 7)
    canvas.setFillColor(MUTED)
    canvas.drawCentredString(qr_x + QR_SIZE / 2, qr_y - 9,
                             translate("Receipt", "Scan to check progress", lang))
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN_X, top - HEADER_HEIGHT + 14, PAGE_WIDTH - MARGIN_X, top - HEADER_HEIGHT + 14)
    canvas.restoreState()


def _draw_qr(canvas: Canvas, content: str, x: float, y: float, size: float) -> None:
    """Vector QR code (crisp at any printer resolution), quiet zone included in ``size``."""
    qr = segno.make(content, error="m", micro=False)
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=4)]
    module = size / len(rows)
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for row_index, row in enumerate(rows):
        top = y + size - row_index * module
        column = 0
        while column < len(row):
            if row[column]:
                run = column
                while run < len(row) and row[run]:
                    run += 1
                # overlap runs by a hair so rasterisers leave no seams between modules
                path.rect(x + column * module, top - module - 0.05, (run - column) * module,
                          module + 0.05)
                column = run
            else:
                column += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _draw_page_number(canvas: Canvas, language: str, font: str, page: int, total: int) -> None:
    canvas.saveState()
    canvas.setFont(font, 8.5)
    canvas.setFillColor(INK)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, FOOTER_HEIGHT - 27, translate(
        "Receipt", "Page {page} of {total}", language).format(page=page, total=total))
    canvas.restoreState()


def _draw_footer(canvas: Canvas, data: ReceiptData, styles: _Styles) -> None:
    lang = data.language
    canvas.saveState()
    rule_y = FOOTER_HEIGHT - 14
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN_X, rule_y, PAGE_WIDTH - MARGIN_X, rule_y)
    canvas.setFont(styles.font, 8.5)
    canvas.setFillColor(INK)
    station = translate("Receipt", "Station: {station} ({code})", lang).format(
        station=data.station_name, code=data.station_code)
    clerk = translate("Receipt", "Clerk: {clerk}", lang).format(clerk=data.clerk_name)
    if data.reprinted_at is not None:
        issued = translate("Receipt", "Reprinted: {time}", lang).format(
            time=format_time(data.reprinted_at))
    else:
        issued = translate("Receipt", "Issued: {time}", lang).format(
            time=format_time(data.committed_at))
    canvas.drawString(MARGIN_X, rule_y - 13, f"{station}    {clerk}    {issued}")
    note = translate(
        "Receipt",
        "Privacy: identity and phone numbers on this receipt are partly hidden. It still contains "
        "personal data: keep it safe and do not throw it away carelessly. Your information is used "
        "only for traffic-management services and is protected by law.",
        lang,
    )
    paragraph = styles.para(note, styles.small)
    _, height = paragraph.wrap(CONTENT_WIDTH, 40)
    paragraph.drawOn(canvas, MARGIN_X, rule_y - 20 - height)
    canvas.restoreState()


# ---------------------------------------------------------------------------------------------
# body


def _body(data: ReceiptData, styles: _Styles, result: RenderedReceipt) -> list[Flowable]:
    lang = data.language
    story: list[Flowable] = [_case_band(data, styles), Spacer(1, 10)]

    photo = _ImageBox(
        decode_image(data.photo_jpeg, "photo"), PHOTO_WIDTH, PHOTO_HEIGHT,
        caption=(translate("Receipt", "E-licence photo", lang) if data.kind == "elicence_photo"
                 else translate("Receipt", "Live photo", lang)),
        missing=translate("Receipt", "No photo", lang),
        unreadable=translate("Receipt", "Photo could not be read", lang),
        present=bool(data.photo_jpeg), font=styles.font,
        on_draw=lambda box: result.boxes.setdefault("photo", box), as_jpeg=True,
    )
    fields = _fields_table(data, styles, CONTENT_WIDTH - PHOTO_WIDTH - 18)
    main = Table([[fields, photo]], colWidths=[CONTENT_WIDTH - PHOTO_WIDTH - 12, PHOTO_WIDTH + 12])
    main.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("ALIGN", (1, 0), (1, 0), "RIGHT"),
    ]))
    story += [main, Spacer(1, 14)]
    story += _next_steps(data, styles)
    if _signed(data):  # F3 and F4 take no signature: print no signature block at all
        story += [Spacer(1, 14), _signature_block(data, styles, result)]
    return story


def _signed(data: ReceiptData) -> bool:
    return data.signature_png is not None or data.agreement_kind is not None


def _awaiting_review(data: ReceiptData) -> bool:
    return (data.review_required or data.kind == "manual_review") and data.decision is None


def _case_band(data: ReceiptData, styles: _Styles) -> Table:
    lang = data.language
    label = translate("Receipt", "Case number", lang)
    case = Paragraph(
        f'<font size="9.5" color="#5F6670">{escape(label)}</font>&nbsp;&nbsp;'
        f"{escape(data.case_number)}",
        styles.case,
    )
    if data.decision == "approved":
        badge = _Badge(translate("Receipt", "Approved after review", lang), DONE_GREEN, styles.font)
    elif data.decision == "rejected":
        badge = _Badge(translate("Receipt", "Not approved", lang), REFUSED_RED, styles.font)
    elif data.decision == "returned":
        badge = _Badge(translate("Receipt", "More information needed", lang), REVIEW_AMBER,
                       styles.font)
    elif _awaiting_review(data):
        badge = _Badge(translate("Receipt", "Awaiting manual review", lang), REVIEW_AMBER, styles.font)
    elif data.kind == "elicence_photo":
        badge = _Badge(translate("Receipt", "Photo accepted", lang), DONE_GREEN, styles.font)
    else:
        badge = _Badge(translate("Receipt", "Registration complete", lang), DONE_GREEN, styles.font)
    band = Table([[case, badge]], colWidths=[CONTENT_WIDTH - 170, 170], rowHeights=[30])
    band.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("BACKGROUND", (0, 0), (-1, -1), LABEL_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (0, 0), 10),
        ("RIGHTPADDING", (1, 0), (1, 0), 8),
    ]))
    return band


def _field_rows(data: ReceiptData) -> list[tuple[str, str]]:
    lang = data.language
    rows: list[tuple[str, str]] = []
    if data.kind == "organisation":
        rows += [
            (translate("Receipt", "Organisation name", lang), data.organisation_name or "—"),
            (translate("Receipt", "Unified social credit code", lang), data.credit_code or "—"),
        ]
        if data.legal_representative:
            rows.append((translate("Receipt", "Legal representative", lang),
                         data.legal_representative))
        rows.append((translate("Receipt", "Agent", lang), data.applicant_name))
    else:
        rows.append((translate("Receipt", "Applicant", lang), data.applicant_name))
    rows += [
        (translate("Receipt", "Identity document", lang),
         document_type_label(data.document_type, lang)),
        (translate("Receipt", "Document number", lang), mask_id_number(data.id_number)),
        (translate("Receipt", "Mobile phone", lang), mask_phone(data.phone) or "—"),
    ]
    if data.face_match_score is not None:
        score = max(0.0, min(100.0, data.face_match_score))
        rows.append((translate("Receipt", "Face match with ID photo", lang),
                     translate("Receipt", "{score} / 100", lang).format(score=f"{score:.1f}")))
    if data.documents:
        names = [scanned_document_label(kind, lang) for kind in data.documents]
        rows.append((translate("Receipt", "Documents scanned", lang),
                     ("、" if lang == "zh_CN" else ", ").join(names)))
    if data.agreement_version:
        label = (translate("Receipt", "Power of attorney version", lang)
                 if data.agreement_kind == "power_of_attorney"
                 else translate("Receipt", "Agreement version", lang))
        rows.append((label, data.agreement_version))
    rows.append((translate("Receipt", "Accepted at", lang), format_time(data.created_at)))
    if _awaiting_review(data) or data.decision is not None:
        # not complete while a supervisor has it: the time it was handed in, then the decision
        rows.append((translate("Receipt", "Submitted at", lang), format_time(data.committed_at)))
        if data.decision is not None:
            rows.append((translate("Receipt", "Review decided at", lang),
                         format_time(data.decided_at)))
    else:
        rows.append((translate("Receipt", "Completed at", lang), format_time(data.committed_at)))
    return rows


def _fields_table(data: ReceiptData, styles: _Styles, width: float) -> Table:
    label_width = 118 if data.language == "en" else 100
    cells = [[styles.para(label, styles.label), styles.para(value, styles.value)]
             for label, value in _field_rows(data)]
    table = Table(cells, colWidths=[label_width, width - label_width])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
    ]))
    return table


def _next_steps(data: ReceiptData, styles: _Styles) -> list[Flowable]:
    lang = data.language
    lines: list[Flowable] = []
    review = _awaiting_review(data)
    if data.decision is not None:
        lines.append(styles.para(_decision_text(data), styles.body))
    elif review:
        lines.append(styles.para(translate(
            "Receipt",
            "Your application has been submitted and will be reviewed by the traffic-management "
            "office. You do not need to submit it again.", lang), styles.body))
        if data.review_reasons:
            lines.append(styles.para(translate("Receipt", "Reasons for review:", lang), styles.body))
            lines += [styles.para(reason, styles.bullet, bulletText="●") for reason in data.review_reasons]
        if data.due_at is not None:
            lines.append(styles.para(
                translate("Receipt", "Expected decision by: {due}", lang).format(
                    due=format_time(data.due_at)), styles.body))
        if data.phone:
            lines.append(styles.para(translate(
                "Receipt", "The result will be sent by text message to {phone}.", lang
            ).format(phone=mask_phone(data.phone)), styles.body))
        else:
            lines.append(styles.para(translate(
                "Receipt", "Ask at the counter or in the 12123 app for the result, quoting the "
                "case number.", lang), styles.body))
    elif data.kind == "organisation":
        lines.append(styles.para(translate(
            "Receipt", "The organisation's registration is complete. The agent can now sign in to "
            "the 12123 app with the mobile number above to handle the organisation's business.",
            lang), styles.body))
    elif data.kind == "elicence_photo":
        lines.append(styles.para(translate(
            "Receipt", "Your photo has been taken and accepted. It will be used for your electronic "
            "driving licence, which you can view in the 12123 app.", lang), styles.body))
    else:
        lines.append(styles.para(translate(
            "Receipt", "Your registration is complete. You can now sign in to the 12123 app with "
            "the mobile number above and use its online services.", lang), styles.body))
    lines.append(styles.para(translate(
        "Receipt", "Keep this receipt. Quote the case number when you contact us.", lang),
        styles.body))
    # one row per line, so a long list of reasons splits across pages between rows
    box = Table([[line] for line in lines], colWidths=[CONTENT_WIDTH], repeatRows=0)
    box.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("BACKGROUND", (0, 0), (-1, -1), NOTE_BG),
        ("LINEBEFORE", (0, 0), (0, -1), 3, _outcome_colour(data)),
        ("LEFTPADDING", (0, 0), (-1, -1), 12),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, 0), 8),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]))
    heading = styles.para(translate("Receipt", "Outcome and next steps", lang), styles.heading)
    return [heading, box]


def _outcome_colour(data: ReceiptData) -> colors.Color:
    if data.decision == "rejected":
        return REFUSED_RED
    if data.decision == "returned" or _awaiting_review(data):
        return REVIEW_AMBER
    return DONE_GREEN


def _decision_text(data: ReceiptData) -> str:
    lang = data.language
    texts = {
        "approved": translate(
            "Receipt", "The traffic-management office reviewed and approved the application.",
            lang),
        "rejected": translate(
            "Receipt", "The traffic-management office reviewed the application and did not "
            "approve it. Ask at the counter for the reason.", lang),
        "returned": translate(
            "Receipt", "The traffic-management office needs more information. Come back to the "
            "counter with what was asked for; the case number stays the same reference.", lang),
    }
    return texts.get(data.decision or "", "")


def _signature_block(data: ReceiptData, styles: _Styles, result: RenderedReceipt) -> Flowable:
    lang = data.language
    attorney = data.agreement_kind == "power_of_attorney"
    signature = _ImageBox(
        decode_image(data.signature_png, "signature"), SIGNATURE_WIDTH, SIGNATURE_HEIGHT,
        caption=(translate("Receipt", "Agent's signature", lang) if attorney
                 else translate("Receipt", "Applicant's signature", lang)),
        missing=translate("Receipt", "No signature", lang),
        unreadable=translate("Receipt", "Signature could not be read", lang),
        present=bool(data.signature_png), font=styles.font,
        on_draw=lambda box: result.boxes.setdefault("signature", box),
        caption_above=True,
    )
    if attorney:
        declaration = translate(
            "Receipt", "I, the agent, confirm that the information above is true and have signed "
            "the power of attorney of {organisation} (version {version}).", lang
        ).format(organisation=data.organisation_name or "—",
                 version=data.agreement_version or "—")
    elif data.agreement_version:
        declaration = translate(
            "Receipt", "I confirm that the information above is true and that I have read and "
            "accept the 12123 user agreement (version {version}).", lang
        ).format(version=data.agreement_version)
    else:
        declaration = translate(
            "Receipt", "I confirm that the information above is true.", lang)
    right = [
        styles.para(declaration, styles.body),
        Spacer(1, 8),
        styles.para(translate("Receipt", "Signed at: {time}", lang).format(
            time=format_time(data.signed_at or data.committed_at)), styles.body),
    ]
    block = Table([[signature, right]],
                  colWidths=[SIGNATURE_WIDTH + 16, CONTENT_WIDTH - SIGNATURE_WIDTH - 16])
    block.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("TOPPADDING", (1, 0), (1, 0), 18),
    ]))
    heading = styles.para(translate("Receipt", "Agent's confirmation", lang) if attorney
                          else translate("Receipt", "Applicant's confirmation", lang),
                          styles.heading)
    return KeepTogether([heading, block])


# ---------------------------------------------------------------------------------------------
# flowables


PRINT_DPI = 300


def _downscale(image: Image.Image, width: float, height: float) -> Image.Image:
    """No more pixels than a 300 dpi printer can use: keeps receipts small (a camera frame
    would otherwise make every PDF megabytes)."""
    limit = (max(1, round(width / 72 * PRINT_DPI)), max(1, round(height / 72 * PRINT_DPI)))
    if image.width <= limit[0] and image.height <= limit[1]:
        return image
    smaller = image.copy()
    smaller.thumbnail(limit, Image.Resampling.LANCZOS)
    return smaller


def _jpeg_reader(image: Image.Image) -> ImageReader:
    """Photos go in as JPEG (DCT passthrough): a fifth of the size of raw deflated pixels."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    buffer.seek(0)
    return ImageReader(buffer)


class _Badge(Flowable):
    """A rounded status label ("Registration complete", "Awaiting manual review")."""

    def __init__(self, text: str, color: colors.Color, font: str, size: float = 10.5) -> None:
        super().__init__()
        self.text, self.color, self.font, self.size = text, color, font, size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = min(available_width, self.canv_string_width() + 20)
        self.height = self.size + 10
        return self.width, self.height

    def canv_string_width(self) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(self.text, self.font, self.size)

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(self.color)
        canvas.roundRect(0, 0, self.width, self.height, 4, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(self.font, self.size)
        canvas.drawCentredString(self.width / 2, 5.5, self.text)


class _ImageBox(Flowable):
    """A framed image scaled to fit (never stretched or cropped: it is evidence), with a
    caption; absent or unreadable images leave a grey box saying so."""

    CAPTION_HEIGHT = 14.0

    def __init__(
        self,
        image: Image.Image | None,
        width: float,
        height: float,
        *,
        caption: str,
        missing: str,
        unreadable: str,
        present: bool,
        font: str,
        on_draw: Callable[[tuple[float, float, float, float]], object],
        caption_above: bool = False,
        as_jpeg: bool = False,
    ) -> None:
        super().__init__()
        self.source: ImageReader | None = None
        if image is not None:
            image = _downscale(image, width, height)
            self.source = _jpeg_reader(image) if as_jpeg else ImageReader(image)
        self.image, self.box_width, self.box_height = image, width, height
        self.caption, self.font, self.on_draw = caption, font, on_draw
        self.note = None if image is not None else (unreadable if present else missing)
        self.caption_above = caption_above
        self.width, self.height = width, height + self.CAPTION_HEIGHT

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        box_y = 0.0 if self.caption_above else self.CAPTION_HEIGHT
        caption_y = self.box_height + 4 if self.caption_above else 3
        x0, y0 = canvas.absolutePosition(0, box_y)
        self.on_draw((x0, y0, self.box_width, self.box_height))
        canvas.setFont(self.font, 8.5)
        canvas.setFillColor(MUTED)
        if self.caption_above:
            canvas.drawString(0, caption_y, self.caption)
        else:
            canvas.drawCentredString(self.box_width / 2, caption_y, self.caption)
        if self.image is None:
            canvas.setFillColor(PLACEHOLDER_BG)
            canvas.setStrokeColor(RULE)
            canvas.setDash(3, 2)
            canvas.rect(0, box_y, self.box_width, self.box_height, stroke=1, fill=1)
            canvas.setDash()
            canvas.setFillColor(MUTED)
            canvas.setFont(self.font, 9)
            canvas.drawCentredString(self.box_width / 2, box_y + self.box_height / 2 - 3,
                                     self.note or "")
            return
        pad = 2.0
        inner_w, inner_h = self.box_width - 2 * pad, self.box_height - 2 * pad
        scale = min(inner_w / self.image.width, inner_h / self.image.height)
        draw_w, draw_h = self.image.width * scale, self.image.height * scale
        canvas.drawImage(
            self.source,
            pad + (inner_w - draw_w) / 2, box_y + pad + (inner_h - draw_h) / 2, draw_w, draw_h,
        )
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.rect(0, box_y, self.box_width, self.box_height, stroke=1, fill=0)

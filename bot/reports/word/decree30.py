"""The fixed parts and wording of an administrative report under Decree 30/2020/NĐ-CP: the
header block (issuing body, national motto, number, place and date), the document type with its
summary line, headings, "Nơi nhận:" with the signature block, the appendix heading, and how
periods and dates are written."""

from __future__ import annotations

import re
from datetime import date

from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Length, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from bot.reports.word.layout import (
    BODY_NAME_SIZE,
    BODY_SIZE,
    HEADER_SIZE,
    TEXT_WIDTH,
    Styles,
    page,
)
from bot.reports.word.ooxml import borderless_table, clean, keep_on_one_page, line, rule
from handlers.i18n import _
from handlers.reporting.letterhead import FILING, Letterhead
from handlers.reporting.spans import BadSpan, SpanKind, parse_span

_PLACE_PREFIX = re.compile(r"^\s*(?:phường|xã|thị trấn)\s+", re.IGNORECASE)
_ROMAN = ("I", "II", "III", "IV")


def period_words(label: str) -> str:
    """ "tháng 11/2026" for "2026-11", "quý IV/2026", "6 tháng cuối năm 2026", "năm 2026";
    the label itself for a period of another shape."""
    try:
        span = parse_span(label)
    except BadSpan:
        return _("kỳ {period}").format(period=label)
    if span.kind is SpanKind.MONTH:
        return _("tháng {month}/{year}").format(month=f"{span.index:02d}", year=span.year)
    if span.kind is SpanKind.QUARTER:
        return _("quý {quarter}/{year}").format(quarter=_ROMAN[span.index - 1], year=span.year)
    if span.kind is SpanKind.HALF_YEAR:
        if span.index == 1:
            return _("6 tháng đầu năm {year}").format(year=span.year)
        return _("6 tháng cuối năm {year}").format(year=span.year)
    return _("năm {year}").format(year=span.year)


def date_words(day: date) -> str:
    """ "ngày 05 tháng 01 năm 2027": Decree 30 writes a day below 10 and the months 1 and 2
    with a leading zero."""
    return _("ngày {day} tháng {month} năm {year}").format(
        day=f"{day.day:02d}",
        month=f"{day.month:02d}" if day.month < 3 else str(day.month),
        year=day.year,
    )


def place_name(ward: str) -> str:
    """The place name of the date line: the ward's name without "Phường"/"Xã"."""
    return _PLACE_PREFIX.sub("", ward).strip() or ward


def ward_in_sentence(ward: str) -> str:
    """ "phường Hồng Bàng" inside a sentence; a name without its kind stays as it is."""
    return ward[:1].lower() + ward[1:] if _PLACE_PREFIX.match(ward) else ward


def number_reference(number: str | None, symbol: str) -> str:
    """ "125/BC-UBND", a whole number as given ("7/BC-VHXH"), or a blank for the office to
    fill in at signing ("     /BC-UBND")."""
    number = clean(number)
    if "/" in number:
        return number
    return f"{number or ' ' * 5}/{clean(symbol)}"


def _centred(
    container: _Cell | DocumentObject,
    styles: Styles,
    text: str,
    size: Length,
    *,
    bold: bool = False,
    italic: bool = False,
    first: bool = False,
) -> Paragraph:
    """A centred line of the header, title, signature or appendix heading."""
    return line(
        container,
        text,
        style=styles.table,
        bold=bold,
        italic=italic,
        size=size,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        first=first,
    )


def header_block(
    document: DocumentObject,
    styles: Styles,
    head: Letterhead,
    number: str | None,
    place: str,
    day: date,
) -> None:
    """The issuing body (under its superior, when set) over the document number on the left,
    the national motto over the place and date on the right; a short rule under the issuing
    body and under the motto."""
    left_width, right_width = Mm(72), Length(TEXT_WIDTH - Mm(72))
    # Two rows, so that the number and the place-and-date line stand on one line.
    table = borderless_table(document, (left_width, right_width), rows=2)
    left, right = table.rows[0].cells
    number_cell, date_cell = table.rows[1].cells
    first = True
    for text in _upper_lines(head.superior):
        _centred(left, styles, text, BODY_NAME_SIZE, first=first)
        first = False
    for text in _upper_lines(head.issuing_body) or [""]:
        _centred(left, styles, text, BODY_NAME_SIZE, bold=True, first=first)
        first = False
    rule(left, styles.rule, Mm(22), left_width)
    _centred(
        number_cell,
        styles,
        _("Số: {number}").format(number=number_reference(number, head.number_symbol)),
        HEADER_SIZE,
        first=True,
    ).paragraph_format.space_before = Pt(6)
    _centred(right, styles, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), Pt(12), bold=True, first=True)
    _centred(right, styles, _("Độc lập - Tự do - Hạnh phúc"), HEADER_SIZE, bold=True)
    rule(right, styles.rule, Mm(58), right_width)
    _centred(
        date_cell,
        styles,
        _("{place}, {date}").format(place=place, date=date_words(day)),
        HEADER_SIZE,
        italic=True,
        first=True,
    ).paragraph_format.space_before = Pt(6)


def _upper_lines(text: str | None) -> list[str]:
    return [line.strip() for line in clean(text).upper().splitlines() if line.strip()]


def title(
    document: DocumentObject, styles: Styles, plan: str | None, period: str, as_of: date | None
) -> None:
    """ "BÁO CÁO", its summary line (what the report is about), for a period still running
    the day its figures stand at, and the rule under them."""
    _centred(
        document, styles, _("BÁO CÁO"), BODY_SIZE, bold=True
    ).paragraph_format.space_before = Pt(18)
    summary_line = _("Kết quả thực hiện Kế hoạch {plan} {period}").format(
        plan=clean(plan) if plan else _("triển khai Nghị quyết số 57-NQ/TW"),
        # Kept on one line: "tháng" never ends a line with its number on the next.
        period=period_words(period).replace(" ", "\u00a0"),
    )
    _centred(document, styles, summary_line, BODY_SIZE, bold=True)
    if as_of is not None:
        _centred(
            document,
            styles,
            _("(Số liệu đến ngày {day})").format(day=as_of.strftime("%d/%m/%Y")),
            BODY_SIZE,
            italic=True,
        )
    rule(document, styles.rule, Mm(40), TEXT_WIDTH).paragraph_format.space_after = Pt(12)


def heading(document: DocumentObject, styles: Styles, text: str) -> Paragraph:
    """A part's heading ("I. KẾT QUẢ THỰC HIỆN"), kept with what follows it."""
    paragraph = line(document, text, style=styles.body, bold=True)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(12)
    return paragraph


def sub_heading(document: DocumentObject, styles: Styles, text: str) -> Paragraph:
    """A numbered heading inside a part ("1. Nhiệm vụ trọng tâm"), kept with what follows."""
    paragraph = line(document, text, style=styles.body, bold=True, italic=True)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def closing(document: DocumentObject, styles: Styles, head: Letterhead) -> None:
    """ "Nơi nhận:" with the recipients and the filing line on the left, the signature block
    ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH" for a vice-chair, the signer's title, room to sign
    and seal, the name) on the right."""
    spacer = document.add_paragraph(style=styles.table)
    spacer.paragraph_format.space_before = Pt(6)
    left_width = Mm(80)
    table = borderless_table(document, (left_width, Length(TEXT_WIDTH - left_width)))
    left, right = table.rows[0].cells
    line(left, _("Nơi nhận:"), style=styles.table, bold=True, italic=True, first=True)
    for recipient in head.recipients:
        text = clean(recipient).rstrip(";. ")
        if text:
            line(left, f"- {text};", style=styles.table, size=Pt(11))
    line(left, _("- Lưu: {filing}.").format(filing=FILING), style=styles.table, size=Pt(11))
    for index, text in enumerate(head.signature):
        _centred(right, styles, clean(text), BODY_SIZE, bold=True, first=not index)
    for _blank in range(4):
        line(right, "", style=styles.table, size=BODY_SIZE)
    if head.signer_name:
        _centred(right, styles, clean(head.signer_name), BODY_SIZE, bold=True)
    # The signature block stays on one page with the end of the text.
    keep_on_one_page(table.rows[0])


def appendix_heading(
    document: DocumentObject,
    styles: Styles,
    period: str,
    reference: str,
    ward: str,
    day: date,
) -> None:
    """A new landscape section headed "PHỤ LỤC", its title and the line naming the report it
    goes with ("Kèm theo Báo cáo số … ngày …"), as Decree 30 heads an appendix."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    page(section, landscape=True)
    section.different_first_page_header_footer = False
    _centred(document, styles, _("PHỤ LỤC"), BODY_SIZE, bold=True)
    _centred(
        document,
        styles,
        _("CHI TIẾT BÁO CÁO CỦA CÁC ĐƠN VỊ {period}").format(period=period_words(period).upper()),
        BODY_SIZE,
        bold=True,
    )
    _centred(
        document,
        styles,
        _("(Kèm theo Báo cáo số {number} {date} của Ủy ban nhân dân {ward})").format(
            number=reference, date=date_words(day), ward=ward_in_sentence(clean(ward))
        ),
        BODY_SIZE,
        italic=True,
    ).paragraph_format.space_after = Pt(12)

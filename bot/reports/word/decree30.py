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

# "Lưu:" names the office file copy and the drafting office.
FILING = "VT, VHXH"
_PLACE_PREFIX = re.compile(r"^\s*(?:phường|xã|thị trấn)\s+", re.IGNORECASE)
_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{1,2})$")
_HALF_LABEL = re.compile(r"^(\d{4})-(?:H|6T)([12])$", re.IGNORECASE)


def period_words(label: str) -> str:
    """ "tháng 11/2026" for "2026-11"; the label itself for a period of another shape."""
    month = _MONTH_LABEL.match(label)
    if month:
        return _("tháng {month}/{year}").format(month=f"{int(month[2]):02d}", year=month[1])
    half = _HALF_LABEL.match(label)
    if half:
        if half[2] == "1":
            return _("6 tháng đầu năm {year}").format(year=half[1])
        return _("6 tháng cuối năm {year}").format(year=half[1])
    return _("kỳ {period}").format(period=label)


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


def _number_text(number: str | None) -> str:
    if number and "/" in number:
        return _("Số: {number}").format(number=clean(number))
    return _("Số: {number}/BC-UBND").format(number=clean(number) or " " * 5)


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
    issuing_body: str,
    number: str | None,
    place: str,
    day: date,
) -> None:
    """The issuing body over the document number on the left, the national motto over the place
    and date on the right; a short rule under the issuing body and under the motto."""
    left_width, right_width = Mm(72), Length(TEXT_WIDTH - Mm(72))
    # Two rows, so that the number and the place-and-date line stand on one line.
    table = borderless_table(document, (left_width, right_width), rows=2)
    left, right = table.rows[0].cells
    number_cell, date_cell = table.rows[1].cells
    lines = [text.strip() for text in clean(issuing_body).upper().splitlines() if text.strip()]
    for index, text in enumerate(lines or [""]):
        _centred(left, styles, text, BODY_NAME_SIZE, bold=True, first=not index)
    rule(left, styles.rule, Mm(22), left_width)
    _centred(
        number_cell, styles, _number_text(number), HEADER_SIZE, first=True
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


def title(document: DocumentObject, styles: Styles, plan: str | None, period: str) -> None:
    """ "BÁO CÁO", its summary line (what the report is about) and the rule under them."""
    _centred(
        document, styles, _("BÁO CÁO"), BODY_SIZE, bold=True
    ).paragraph_format.space_before = Pt(18)
    summary_line = _("Kết quả thực hiện Kế hoạch {plan} {period}").format(
        plan=clean(plan) if plan else _("triển khai Nghị quyết số 57-NQ/TW"),
        # Kept on one line: "tháng" never ends a line with its number on the next.
        period=period_words(period).replace(" ", "\u00a0"),
    )
    _centred(document, styles, summary_line, BODY_SIZE, bold=True)
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


def closing(
    document: DocumentObject,
    styles: Styles,
    signer_title: str,
    signer_name: str | None,
    recipients: tuple[str, ...],
) -> None:
    """ "Nơi nhận:" with the recipients and the filing line on the left, the signature block
    ("TM. ỦY BAN NHÂN DÂN", the signer's title, room to sign, the name) on the right."""
    spacer = document.add_paragraph(style=styles.table)
    spacer.paragraph_format.space_before = Pt(6)
    left_width = Mm(80)
    table = borderless_table(document, (left_width, Length(TEXT_WIDTH - left_width)))
    left, right = table.rows[0].cells
    line(left, _("Nơi nhận:"), style=styles.table, bold=True, italic=True, first=True)
    for recipient in recipients:
        text = clean(recipient).rstrip(";. ")
        if text:
            line(left, f"- {text};", style=styles.table, size=Pt(11))
    line(left, _("- Lưu: {filing}.").format(filing=FILING), style=styles.table, size=Pt(11))
    _centred(right, styles, _("TM. ỦY BAN NHÂN DÂN"), BODY_SIZE, bold=True, first=True)
    _centred(right, styles, clean(signer_title).upper(), BODY_SIZE, bold=True)
    for _blank in range(4):
        line(right, "", style=styles.table, size=BODY_SIZE)
    if signer_name:
        _centred(right, styles, clean(signer_name), BODY_SIZE, bold=True)
    # The signature block stays on one page with the end of the text.
    keep_on_one_page(table.rows[0])


def appendix_heading(
    document: DocumentObject,
    styles: Styles,
    period: str,
    number: str | None,
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
    number = clean(number)
    reference = number if "/" in number else f"{number or ' ' * 5}/BC-UBND"
    _centred(
        document,
        styles,
        _("(Kèm theo Báo cáo số {number} {date} của Ủy ban nhân dân {ward})").format(
            number=reference, date=date_words(day), ward=ward_in_sentence(clean(ward))
        ),
        BODY_SIZE,
        italic=True,
    ).paragraph_format.space_after = Pt(12)

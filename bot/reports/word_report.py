"""The ward's report of a period as a Word file, in the administrative layout of Decree
30/2020/NĐ-CP (Phụ lục I): A4, Times New Roman, the header block with the issuing body and the
national motto, "BÁO CÁO" and its summary line, sections I–V, "Nơi nhận:", the signature block,
page numbers from page 2, and a landscape appendix with every unit's answer.

Everything printed comes from the `PeriodSummary` and its `report_counts`, so the report agrees
with the chat digest and the workbook number for number.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from handlers.i18n import _, format_moment, format_number
from handlers.reporting.summary import (
    KpiLine,
    PeriodSummary,
    Proposal,
    ReportCounts,
    TaskLine,
    report_counts,
)
from handlers.reporting.timing import Timing
from handlers.reporting.words import (
    comparator_word,
    count_lines,
    number_text,
    shorten,
    status_timing_text,
)
from storage.vocabulary import TaskStatus

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
HEADER_SIZE = Pt(13)
BODY_NAME_SIZE = Pt(12)  # the issuing body: capitals, 12–13 pt
TABLE_SIZE = Pt(12)
APPENDIX_SIZE = Pt(11)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP = MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT, MARGIN_RIGHT = Mm(30), Mm(15)
TEXT_WIDTH = Length(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)  # 165 mm
LANDSCAPE_TEXT_WIDTH = Length(PAGE_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT)  # 252 mm
ZERO = Pt(0)
# A task's results in the body table: a few units, each in short; the appendix has them all.
RESULTS_SHOWN = 5
RESULT_CHARS = 300
FILING = "VT, VHXH"

# Characters XML 1.0 cannot hold (control characters pasted from other programs).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ROMAN_PREFIX = re.compile(r"^(?:[IVXLC]+|[A-HĐ])\.\s+")
_PLACE_PREFIX = re.compile(r"^\s*(?:phường|xã|thị trấn)\s+", re.IGNORECASE)
_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{1,2})$")
_HALF_LABEL = re.compile(r"^(\d{4})-(?:H|6T)([12])$", re.IGNORECASE)


# --- words -----------------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "").strip()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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


def _place(ward: str) -> str:
    return _PLACE_PREFIX.sub("", ward).strip() or ward


def _ward_in_sentence(ward: str) -> str:
    """ "phường Hồng Bàng" inside a sentence; a name without its kind stays as it is."""
    return ward[:1].lower() + ward[1:] if _PLACE_PREFIX.match(ward) else ward


def _section_title(section: str) -> str:
    return _ROMAN_PREFIX.sub("", section).strip() or section


def _units_text(units: Sequence[str], all_units: frozenset[str]) -> str:
    if len(units) > 2 and frozenset(units) == all_units:
        return _("Các phòng, đơn vị thuộc phường")
    return ", ".join(units)


def _kpi_unit(kpi: KpiLine) -> str:
    return "%" if kpi.unit == "%" else (f" {kpi.unit}" if kpi.unit else "")


def _counts_text(counts: Mapping[tuple[TaskStatus | None, Timing | None], int]) -> list[str]:
    return [f"{label}: {format_number(count)}" for label, count in count_lines(counts)]


# --- document building ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    table: ParagraphStyle
    table_head: ParagraphStyle
    appendix: ParagraphStyle
    appendix_head: ParagraphStyle
    rule: ParagraphStyle


def _set_fonts(element_rpr: object, size: Length | None = None) -> None:
    """Times New Roman for every script, overriding the template's theme fonts."""
    rpr = element_rpr
    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), FONT)
    lang = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # type: ignore[attr-defined]
    lang.set(qn("w:val"), "vi-VN")
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))  # type: ignore[attr-defined]
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)  # type: ignore[attr-defined]
            element.set(qn("w:val"), str(int(size.pt * 2)))


def _paragraph_style(
    document: DocumentObject,
    name: str,
    size: Length,
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    before: Length = ZERO,
    after: Length = ZERO,
) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = size
    style.font.bold = bold
    style.paragraph_format.alignment = align
    style.paragraph_format.first_line_indent = Mm(0)
    style.paragraph_format.space_before = before
    style.paragraph_format.space_after = after
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return style


def _styles(document: DocumentObject) -> _Styles:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr, BODY_SIZE)
    normal = document.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    body = _paragraph_style(
        document, "Báo cáo - Nội dung", BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=Pt(6)
    )
    body.paragraph_format.first_line_indent = Mm(12.7)
    body.paragraph_format.widow_control = True
    rule = _paragraph_style(document, "Báo cáo - Gạch ngang", Pt(2))
    rule.paragraph_format.line_spacing = Pt(2)
    return _Styles(
        body=body,
        table=_paragraph_style(document, "Báo cáo - Bảng", TABLE_SIZE, after=Pt(2)),
        table_head=_paragraph_style(
            document, "Báo cáo - Đầu bảng", TABLE_SIZE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
        ),
        appendix=_paragraph_style(document, "Báo cáo - Phụ lục", APPENDIX_SIZE, after=Pt(2)),
        appendix_head=_paragraph_style(
            document,
            "Báo cáo - Đầu bảng phụ lục",
            APPENDIX_SIZE,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        ),
        rule=rule,
    )


def _page(section: Section, *, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    )
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = Mm(10)


def _page_number(section: Section) -> None:
    """The page number centred in the header, on every page but the first."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2")):
        run = paragraph.add_run()
        if kind is not None:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text or ""
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _rule(
    container: _Cell | DocumentObject, style: ParagraphStyle, width: Length, area: Length
) -> Paragraph:
    """A short horizontal line centred in `area` (the text width): an empty paragraph with a
    bottom border, as wide as its indents leave it."""
    paragraph = container.add_paragraph(style=style)
    side = max(int((area - width) / 2), 0)
    paragraph.paragraph_format.left_indent = Length(side)
    paragraph.paragraph_format.right_indent = Length(side)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.insert_element_before(
        borders,
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:jc",
        "w:rPr",
    )
    return paragraph


def _line(
    container: _Cell | DocumentObject,
    text: str,
    *,
    style: ParagraphStyle | None = None,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first: bool = False,
) -> Paragraph:
    """A paragraph of one run; `first` fills a table cell's existing empty paragraph."""
    if first and isinstance(container, _Cell):
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    if style is not None:
        # By id: python-docx's style setter looks the default style up each time (slow).
        paragraph._p.style = style.style_id
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size is not None:
        run.font.size = size
    return paragraph


def _repeat_header(table: Table) -> None:
    trpr = table.rows[0]._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        trpr.append(element)


_W = {
    tag: qn(f"w:{tag}")
    for tag in ("p", "pPr", "pStyle", "jc", "r", "rPr", "i", "t", "br", "val", "w", "type")
}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
Cell = str | Sequence[tuple[str, bool]]


def _fill(tc: BaseOxmlElement, value: Cell, style_id: str, centre: bool) -> None:
    """A table cell's paragraphs written straight into its XML: a text, or (text, italic)
    paragraphs; line breaks inside a text stay line breaks."""
    paragraph = tc[-1]  # the empty paragraph python-docx puts in every new cell
    parts = [(value, False)] if isinstance(value, str) else list(value) or [("", False)]
    for index, (text, italic) in enumerate(parts):
        if index:
            paragraph = etree.SubElement(tc, _W["p"])
        properties = etree.SubElement(paragraph, _W["pPr"])
        etree.SubElement(properties, _W["pStyle"]).set(_W["val"], style_id)
        if centre:
            etree.SubElement(properties, _W["jc"]).set(_W["val"], "center")
        if not text:
            continue
        run = etree.SubElement(paragraph, _W["r"])
        if italic:
            etree.SubElement(etree.SubElement(run, _W["rPr"]), _W["i"])
        for number, piece in enumerate(text.replace("\t", " ").split("\n")):
            if number:
                etree.SubElement(run, _W["br"])
            if piece:
                element = etree.SubElement(run, _W["t"])
                element.text = piece
                element.set(_XML_SPACE, "preserve")


def _grid_table(
    document: DocumentObject,
    headings: Sequence[str],
    widths: Sequence[Length],
    rows: Sequence[Sequence[Cell]],
    text_style: ParagraphStyle,
    head_style: ParagraphStyle,
    centred: Iterable[int] = (),
) -> Table:
    """A bordered table with its bold header row repeated on every page.

    All rows are made at once and filled through lxml: python-docx's cell and style objects
    cost a millisecond a cell, too slow for an appendix of a few thousand cells.
    """
    table = document.add_table(rows=len(rows) + 1, cols=len(headings), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    twips = [str(int(width.twips)) for width in widths]
    centre = set(centred)
    for row_index, (tr, values) in enumerate(
        zip(table._tbl.tr_lst, [list(headings), *rows], strict=True)
    ):
        style_id = head_style.style_id if row_index == 0 else text_style.style_id
        for index, (tc, value) in enumerate(zip(tr.tc_lst, values, strict=True)):
            width = tc.tcPr.tcW
            width.set(_W["w"], twips[index])
            width.set(_W["type"], "dxa")
            _fill(tc, value, style_id, bool(row_index) and index in centre)
    _repeat_header(table)
    return table


def _borderless(document: DocumentObject, widths: Sequence[Length], rows: int = 1) -> Table:
    table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    # No cell padding: the header lines are as wide as the column allows.
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption")
    return table


# --- the report --------------------------------------------------------------------------------


def _issued_on(summary: PeriodSummary, issued_on: date | None) -> date:
    if issued_on is not None:
        return issued_on
    return datetime.now(ZoneInfo(summary.timezone)).date()


def _number_text(number: str | None) -> str:
    if number and "/" in number:
        return _("Số: {number}").format(number=_clean(number))
    return _("Số: {number}/BC-UBND").format(number=_clean(number) or " " * 5)


def _header_block(
    document: DocumentObject,
    styles: _Styles,
    issuing_body: str,
    number: str | None,
    place: str,
    day: date,
) -> None:
    left_width, right_width = Mm(72), Length(TEXT_WIDTH - Mm(72))
    # Two rows, so that the number and the place-and-date line stand on one line.
    table = _borderless(document, (left_width, right_width), rows=2)
    left, right = table.rows[0].cells
    number_cell, date_cell = table.rows[1].cells
    centre = WD_ALIGN_PARAGRAPH.CENTER
    lines = [line.strip() for line in _clean(issuing_body).upper().splitlines() if line.strip()]
    for index, line in enumerate(lines or [""]):
        _line(
            left,
            line,
            style=styles.table,
            bold=True,
            size=BODY_NAME_SIZE,
            align=centre,
            first=not index,
        )
    _rule(left, styles.rule, Mm(22), left_width)
    _line(
        number_cell,
        _number_text(number),
        style=styles.table,
        size=HEADER_SIZE,
        align=centre,
        first=True,
    ).paragraph_format.space_before = Pt(6)
    _line(
        right,
        _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        style=styles.table,
        bold=True,
        size=Pt(12),
        align=centre,
        first=True,
    )
    _line(
        right,
        _("Độc lập - Tự do - Hạnh phúc"),
        style=styles.table,
        bold=True,
        size=HEADER_SIZE,
        align=centre,
    )
    _rule(right, styles.rule, Mm(58), right_width)
    _line(
        date_cell,
        _("{place}, {date}").format(place=place, date=date_words(day)),
        style=styles.table,
        italic=True,
        size=HEADER_SIZE,
        align=centre,
        first=True,
    ).paragraph_format.space_before = Pt(6)


def _heading(document: DocumentObject, styles: _Styles, text: str) -> Paragraph:
    paragraph = _line(document, text, style=styles.body, bold=True)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(12)
    return paragraph


def _sub_heading(document: DocumentObject, styles: _Styles, text: str) -> Paragraph:
    paragraph = _line(document, text, style=styles.body, bold=True, italic=True)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _task_rows(tasks: Sequence[TaskLine], all_units: frozenset[str]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for task in tasks:
        described: list[tuple[str, bool]] = [(_clean(task.content), False)]
        details = []
        if task.output:
            details.append(_("Sản phẩm: {output}").format(output=_clean(task.output)))
        if task.deadline:
            details.append(_("Thời hạn: {deadline}").format(deadline=_clean(task.deadline)))
        if details:
            described.append(("; ".join(details), True))
        results: list[tuple[str, bool]] = [
            (shorten(_clean(result), RESULT_CHARS), False)
            for result in task.results[:RESULTS_SHOWN]
        ]
        if len(task.results) > RESULTS_SHOWN:
            results.append(
                (
                    _("… và {count} đơn vị khác (xem Phụ lục)").format(
                        count=format_number(len(task.results) - RESULTS_SHOWN)
                    ),
                    True,
                )
            )
        rows.append(
            [
                _clean(task.code),
                described,
                _units_text([_clean(u) for u in task.lead_units], all_units),
                status_timing_text(task.status, task.timing),
                results or "",
            ]
        )
    return rows


def _results_part(
    document: DocumentObject, styles: _Styles, summary: PeriodSummary, counts: ReportCounts
) -> None:
    _heading(document, styles, _("I. KẾT QUẢ THỰC HIỆN"))
    _line(
        document,
        _("Kỳ báo cáo {period}, hạn gửi báo cáo trước {moment}.").format(
            period=period_words(summary.period),
            moment=format_moment(summary.due_at, summary.timezone),
        ),
        style=styles.body,
    )
    _line(
        document,
        _("Đã có {submitted}/{total} đơn vị gửi báo cáo.").format(
            submitted=format_number(counts.submitted), total=format_number(counts.units)
        ),
        style=styles.body,
    )
    if summary.late_units:
        _line(
            document,
            _("Đơn vị gửi muộn hoặc chưa gửi ({count}): {units}.").format(
                count=format_number(counts.late_units),
                units=", ".join(_clean(u) for u in summary.late_units),
            ),
            style=styles.body,
        )
    _line(
        document,
        _("Tổng số nhiệm vụ theo dõi: {count}, trong đó:").format(
            count=format_number(counts.tasks)
        ),
        style=styles.body,
    )
    lines = _counts_text(counts.statuses)
    for index, line in enumerate(lines):
        _line(document, f"- {line}{'.' if index == len(lines) - 1 else ';'}", style=styles.body)
    all_units = frozenset(_clean(u.unit) for u in summary.units)
    sections = summary.sections
    headings = [
        _("STT"),
        _("Nhiệm vụ"),
        _("Đơn vị chủ trì"),
        _("Tình trạng"),
        _("Kết quả / sản phẩm"),
    ]
    widths = [Mm(14), Mm(57), Mm(30), Mm(24), Mm(40)]
    for number, section in enumerate(sections, start=1):
        tasks = summary.section_tasks(section)
        if len(sections) > 1 or section is not None:
            title = _section_title(_clean(section)) if section else _("Nhiệm vụ khác")
            _sub_heading(document, styles, f"{number}. {title}")
            _line(
                document,
                _("Số nhiệm vụ: {count}; {counts}.").format(
                    count=format_number(len(tasks)),
                    counts="; ".join(_counts_text(summary.status_counts(tasks))).lower(),
                ),
                style=styles.body,
            ).paragraph_format.keep_with_next = True
        _grid_table(
            document,
            headings,
            widths,
            _task_rows(tasks, all_units),
            styles.table,
            styles.table_head,
            centred=(0,),
        )


def _kpi_part(
    document: DocumentObject, styles: _Styles, summary: PeriodSummary, counts: ReportCounts
) -> None:
    _heading(document, styles, _("II. CÁC CHỈ TIÊU"))
    if not summary.kpis:
        _line(document, _("Kỳ này không có nhiệm vụ có chỉ tiêu định lượng."), style=styles.body)
        return
    _line(
        document,
        _(
            "Có {count} chỉ tiêu định lượng: đạt {met}, chưa đạt {not_met}, "
            "chưa có số liệu {no_data}."
        ).format(
            count=format_number(counts.kpis),
            met=format_number(counts.kpis_met),
            not_met=format_number(counts.kpis_not_met),
            no_data=format_number(counts.kpis_no_data),
        ),
        style=styles.body,
    )
    rows: list[list[Cell]] = []
    for kpi in summary.kpis:
        unit = _kpi_unit(kpi)
        value = "" if kpi.value is None else f"{number_text(kpi.value)}{unit}"
        if kpi.met is None:
            state = _("Chưa có số liệu")
        else:
            state = _capital(_("đạt")) if kpi.met else _capital(_("chưa đạt"))
        rows.append(
            [
                _clean(kpi.code),
                shorten(_clean(kpi.content), 400),
                f"{comparator_word(kpi.comparator)} {number_text(kpi.target)}{unit}",
                value,
                state,
            ]
        )
    _grid_table(
        document,
        [_("Mã"), _("Chỉ tiêu"), _("Mục tiêu"), _("Giá trị đạt"), _("Đánh giá")],
        [Mm(16), Mm(72), Mm(27), Mm(25), Mm(25)],
        rows,
        styles.table,
        styles.table_head,
        centred=(0, 2, 3, 4),
    )


def _by_unit(document: DocumentObject, styles: _Styles, items: Sequence[Proposal]) -> None:
    current = None
    for item in items:
        if item.unit != current:
            current = item.unit
            _line(
                document, f"{_clean(item.unit)}:", style=styles.body, italic=True
            ).paragraph_format.keep_with_next = True
        _line(document, f"- {_clean(item.code)}: {_clean(item.text)}", style=styles.body)


def _difficulties_part(
    document: DocumentObject, styles: _Styles, summary: PeriodSummary, counts: ReportCounts
) -> None:
    _heading(document, styles, _("III. KHÓ KHĂN, VƯỚNG MẮC"))
    if not summary.difficulties and not summary.blockers:
        _line(document, _("Trong kỳ, các đơn vị không nêu khó khăn, vướng mắc."), style=styles.body)
        return
    _line(
        document,
        _("Các đơn vị nêu {count} khó khăn, vướng mắc trong báo cáo:").format(
            count=format_number(counts.difficulties)
        ),
        style=styles.body,
    ).paragraph_format.keep_with_next = True
    _by_unit(document, styles, summary.difficulties)
    _line(
        document,
        _("Vướng mắc đang chờ giải quyết: {count} (quá hạn trả lời: {overdue}).").format(
            count=format_number(counts.blockers), overdue=format_number(counts.blockers_overdue)
        ),
        style=styles.body,
    )
    for blocker in summary.blockers:
        due = format_moment(blocker.due_at, summary.timezone)
        when = (
            _("đã quá hạn trả lời {moment}") if blocker.overdue else _("hạn trả lời {moment}")
        ).format(moment=due)
        _line(
            document,
            f"- {_clean(blocker.unit)}: {_clean(blocker.description)} ({when}).",
            style=styles.body,
        )


def _proposals_part(
    document: DocumentObject, styles: _Styles, summary: PeriodSummary, counts: ReportCounts
) -> None:
    _heading(document, styles, _("IV. KIẾN NGHỊ, ĐỀ XUẤT"))
    if not summary.proposals:
        _line(document, _("Trong kỳ, các đơn vị không có kiến nghị, đề xuất."), style=styles.body)
        return
    _line(
        document,
        _("Các đơn vị có {count} kiến nghị, đề xuất:").format(
            count=format_number(counts.proposals)
        ),
        style=styles.body,
    ).paragraph_format.keep_with_next = True
    _by_unit(document, styles, summary.proposals)


def _next_part(
    document: DocumentObject, styles: _Styles, summary: PeriodSummary, counts: ReportCounts
) -> None:
    _heading(document, styles, _("V. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"))
    pending = summary.next_tasks
    if not pending:
        _line(document, _("Các nhiệm vụ trong kỳ đã hoàn thành."), style=styles.body)
        return
    _line(
        document,
        _(
            "Tiếp tục thực hiện {count} nhiệm vụ chưa hoàn thành, trong đó {overdue} nhiệm vụ "
            "đã trễ hạn cần ưu tiên:"
        ).format(
            count=format_number(counts.next_tasks), overdue=format_number(counts.next_overdue)
        ),
        style=styles.body,
    ).paragraph_format.keep_with_next = True
    all_units = frozenset(_clean(u.unit) for u in summary.units)
    for task in pending:
        details = [status_timing_text(task.status, task.timing)]
        if task.lead_units:
            details.append(_units_text([_clean(u) for u in task.lead_units], all_units))
        if task.deadline:
            details.append(_("thời hạn: {deadline}").format(deadline=_clean(task.deadline)))
        _line(
            document,
            f"- {_clean(task.code)}: {shorten(_clean(task.content), 240)} ({'; '.join(details)}).",
            style=styles.body,
        )


def _closing(
    document: DocumentObject,
    styles: _Styles,
    signer_title: str,
    signer_name: str | None,
    recipients: tuple[str, ...],
) -> None:
    spacer = document.add_paragraph(style=styles.table)
    spacer.paragraph_format.space_before = Pt(6)
    left_width = Mm(80)
    table = _borderless(document, (left_width, Length(TEXT_WIDTH - left_width)))
    left, right = table.rows[0].cells
    _line(left, _("Nơi nhận:"), style=styles.table, bold=True, italic=True, first=True)
    for recipient in recipients:
        text = _clean(recipient).rstrip(";. ")
        if text:
            _line(left, f"- {text};", style=styles.table, size=Pt(11))
    _line(left, _("- Lưu: {filing}.").format(filing=FILING), style=styles.table, size=Pt(11))
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _line(
        right,
        _("TM. ỦY BAN NHÂN DÂN"),
        style=styles.table,
        bold=True,
        size=BODY_SIZE,
        align=centre,
        first=True,
    )
    _line(
        right,
        _clean(signer_title).upper(),
        style=styles.table,
        bold=True,
        size=BODY_SIZE,
        align=centre,
    )
    for _blank in range(4):
        _line(right, "", style=styles.table, size=BODY_SIZE)
    if signer_name:
        _line(
            right, _clean(signer_name), style=styles.table, bold=True, size=BODY_SIZE, align=centre
        )
    # The signature block stays on one page with the end of the text.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _appendix(
    document: DocumentObject,
    styles: _Styles,
    summary: PeriodSummary,
    number: str | None,
    day: date,
) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    section.different_first_page_header_footer = False
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _line(document, _("PHỤ LỤC"), style=styles.table, bold=True, size=BODY_SIZE, align=centre)
    _line(
        document,
        _("CHI TIẾT BÁO CÁO CỦA CÁC ĐƠN VỊ {period}").format(
            period=period_words(summary.period).upper()
        ),
        style=styles.table,
        bold=True,
        size=BODY_SIZE,
        align=centre,
    )
    number = _clean(number)
    reference = number if "/" in number else f"{number or ' ' * 5}/BC-UBND"
    _line(
        document,
        _("(Kèm theo Báo cáo số {number} {date} của Ủy ban nhân dân {ward})").format(
            number=reference, date=date_words(day), ward=_ward_in_sentence(_clean(summary.ward))
        ),
        style=styles.table,
        italic=True,
        size=BODY_SIZE,
        align=centre,
    ).paragraph_format.space_after = Pt(12)
    if not summary.answers:
        _line(document, _("Chưa có đơn vị nào gửi báo cáo trong kỳ."), style=styles.body)
        return
    rows: list[list[Cell]] = []
    for index, answer in enumerate(summary.answers, start=1):
        rows.append(
            [
                format_number(index),
                _clean(answer.unit),
                _clean(answer.code),
                status_timing_text(answer.status, answer.timing),
                "" if answer.progress_percent is None else f"{answer.progress_percent}%",
                "" if answer.kpi_value is None else number_text(answer.kpi_value),
                _clean(answer.result),
                _clean(answer.difficulties),
                _clean(answer.proposals),
            ]
        )
    _grid_table(
        document,
        [
            _("STT"),
            _("Đơn vị"),
            _("Mã NV"),
            _("Tình trạng"),
            _("Tiến độ"),
            _("Chỉ tiêu đạt"),
            _("Kết quả / sản phẩm"),
            _("Khó khăn, vướng mắc"),
            _("Kiến nghị, đề xuất"),
        ],
        [Mm(13), Mm(32), Mm(15), Mm(26), Mm(16), Mm(18), Mm(54), Mm(39), Mm(39)],
        rows,
        styles.appendix,
        styles.appendix_head,
        centred=(0, 2, 4, 5),
    )


def render_word_report(
    summary: PeriodSummary,
    *,
    issuing_body: str,
    number: str | None = None,
    place: str | None = None,
    signer_title: str = "CHỦ TỊCH",
    recipients: tuple[str, ...] = (),
    signer_name: str | None = None,
    issued_on: date | None = None,
    plan: str | None = None,
) -> bytes:
    """The ward's report of the period as .docx bytes, ready to sign.

    `issuing_body` heads the page ("UBND phường Hồng Bàng"; a line break makes two lines);
    `number` is the document number ("125", or a whole "125/BC-UBND"), left blank to be
    filled in by the office when None; `place` defaults to the ward's name without "Phường";
    `issued_on` (the date line) defaults to today in the ward's time zone; `plan` names the
    plan in the summary line ("số 54/KH-UBND ngày 10/3/2026").
    """
    document = Document()
    styles = _styles(document)
    section = document.sections[0]
    _page(section)
    _page_number(section)
    counts = report_counts(summary)
    day = _issued_on(summary, issued_on)
    _header_block(
        document,
        styles,
        issuing_body,
        number,
        _clean(place) if place else _place(_clean(summary.ward)),
        day,
    )
    title = _line(document, _("BÁO CÁO"), style=styles.table, bold=True, size=BODY_SIZE)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(18)
    _line(
        document,
        _("Kết quả thực hiện Kế hoạch {plan} {period}").format(
            plan=_clean(plan) if plan else _("triển khai Nghị quyết số 57-NQ/TW"),
            # Kept on one line: "tháng" never ends a line with its number on the next.
            period=period_words(summary.period).replace(" ", "\u00a0"),
        ),
        style=styles.table,
        bold=True,
        size=BODY_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _rule(document, styles.rule, Mm(40), TEXT_WIDTH).paragraph_format.space_after = Pt(12)
    _line(
        document,
        _("Ủy ban nhân dân {ward} báo cáo kết quả thực hiện {period} như sau:").format(
            ward=_ward_in_sentence(_clean(summary.ward)), period=period_words(summary.period)
        ),
        style=styles.body,
    )
    _results_part(document, styles, summary, counts)
    _kpi_part(document, styles, summary, counts)
    _difficulties_part(document, styles, summary, counts)
    _proposals_part(document, styles, summary, counts)
    _next_part(document, styles, summary, counts)
    _closing(document, styles, signer_title, signer_name, recipients)
    _appendix(document, styles, summary, number, day)
    document.core_properties.title = _("Báo cáo {period}").format(
        period=period_words(summary.period)
    )
    document.core_properties.language = "vi-VN"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""The page and the type of Decree 30/2020/NĐ-CP (Phụ lục I): A4 with its margins, Times New
Roman at the sizes it prescribes, the paragraph styles of the report, and page numbers from
page 2."""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle

from bot.reports.word.ooxml import add_field, set_fonts

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
BODY_SIZE = Pt(14)
HEADER_SIZE = Pt(13)
BODY_NAME_SIZE = Pt(12)  # the issuing body: capitals, 12–13 pt
TABLE_SIZE = Pt(12)
APPENDIX_SIZE = Pt(11)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP = MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT, MARGIN_RIGHT = Mm(30), Mm(15)
TEXT_WIDTH = Length(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)  # 165 mm
ZERO = Pt(0)


@dataclass(frozen=True)
class Styles:
    """The report's paragraph styles."""

    body: ParagraphStyle
    table: ParagraphStyle
    table_head: ParagraphStyle
    appendix: ParagraphStyle
    appendix_head: ParagraphStyle
    rule: ParagraphStyle


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


def add_styles(document: DocumentObject) -> Styles:
    """The document's defaults set to Times New Roman 14 pt, single spaced, and the report's
    paragraph styles added to it."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            set_fonts(rpr, FONT, LANGUAGE, BODY_SIZE)
    normal = document.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    set_fonts(normal.element.get_or_add_rPr(), FONT, LANGUAGE)
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
    return Styles(
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


def page(section: Section, *, landscape: bool = False) -> None:
    """An A4 page, upright or (for the appendix) landscape, with Decree 30's margins."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    )
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = Mm(10)


def page_numbers(section: Section) -> None:
    """The page number centred in the header, on every page but the first."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The first page shows no number, so the first number shown is 2.
    add_field(paragraph, "PAGE", "2")

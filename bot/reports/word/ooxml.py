"""A small Word XML toolkit: what python-docx has no API for (theme fonts, paragraph borders,
fields, header rows, cell margins), and tables filled straight through lxml for speed.

Nothing here knows the administrative layout; the fonts, sizes and widths come from the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from lxml import etree

# Characters XML 1.0 cannot hold (control characters pasted from other programs).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_W = {
    tag: qn(f"w:{tag}")
    for tag in ("p", "pPr", "pStyle", "jc", "r", "rPr", "i", "t", "br", "val", "w", "type")
}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# A table cell: a text, or paragraphs of (text, italic).
Cell = str | Sequence[tuple[str, bool]]


def clean(text: str | None) -> str:
    """`text` without the characters XML 1.0 cannot hold, stripped; "" for None. A document
    with one such character would not open."""
    return _NOT_XML.sub("", text or "").strip()


def set_fonts(element_rpr: object, font: str, language: str, size: Length | None = None) -> None:
    """`font` for every script and `language` in run properties, overriding the template's
    theme fonts (which Word would otherwise prefer for East Asian and complex scripts)."""
    rpr = element_rpr
    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), font)
    lang = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # type: ignore[attr-defined]
    lang.set(qn("w:val"), language)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))  # type: ignore[attr-defined]
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)  # type: ignore[attr-defined]
            element.set(qn("w:val"), str(int(size.pt * 2)))


def _field_char(paragraph: Paragraph, kind: str) -> None:
    character = OxmlElement("w:fldChar")
    character.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(character)


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field ("PAGE") at the end of `paragraph`, showing `shown` until Word updates it
    (a viewer that never updates fields shows `shown`)."""
    _field_char(paragraph, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    _field_char(paragraph, "separate")
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def rule(
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
    # The schema fixes the order of a paragraph's properties: the border goes before these.
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


def line(
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


def keep_on_one_page(row: _Row) -> None:
    """Word never breaks `row` across pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(table: Table) -> None:
    trpr = table.rows[0]._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        trpr.append(element)


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


def grid_table(
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


def borderless_table(document: DocumentObject, widths: Sequence[Length], rows: int = 1) -> Table:
    """A table without borders or side padding, for laying blocks side by side."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    # No cell padding: the lines in it are as wide as the column allows.
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption")
    return table

"""Turning an appendix file into plain rows of cell texts, whatever the file format.

Merged cells are filled with their value in every cell they cover: a lead unit merged down
over three tasks leads all three, and a section row merged across reads the same in each cell.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from storage.names import clean_spaces


class UnreadableAppendix(Exception):
    """The file cannot be read as an appendix; `reason` names what was expected."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


@dataclass
class Sheet:
    """One table of an appendix file, plus the loose text (titles) found before it."""

    name: str
    rows: list[list[str]]
    preamble: list[str] = field(default_factory=list)
    # Rows whose every text is bold: a title in bold is how many wards mark a section.
    bold_rows: set[int] = field(default_factory=set)
    # The bold part of cells written partly in bold, by (row, column): the lead unit, when
    # one "Đơn vị thực hiện" cell names the lead in bold and the coordinating units plain.
    bold_parts: dict[tuple[int, int], str] = field(default_factory=dict)
    # "sheet" (a worksheet, named), "table" (a Word table, numbered) or "csv": how the
    # coordinator is told where a row is.
    kind: str = "sheet"


SUPPORTED_SUFFIXES = (".xlsx", ".docx", ".csv")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(clean_spaces(line) for line in text.split("\n") if line.strip())


def _partly_bold(pieces: list[tuple[str, bool]]) -> str | None:
    """The bold text of a cell written partly in bold, or None when all or none of it is."""
    bold = [text for text, is_bold in pieces if is_bold and text.strip()]
    plain = [text for text, is_bold in pieces if not is_bold and text.strip()]
    return _cell_text("".join(bold)) if bold and plain else None


def read_xlsx(data: bytes) -> list[Sheet]:
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, rich_text=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableAppendix("not_xlsx", str(error)) from error
    sheets = []
    for worksheet in workbook.worksheets:
        rows: list[list[str]] = []
        bold_rows: set[int] = set()
        bold_parts: dict[tuple[int, int], str] = {}
        for index, cells in enumerate(worksheet.iter_rows()):
            rows.append([_cell_text(cell.value) for cell in cells])
            for column, cell in enumerate(cells):
                if isinstance(cell.value, CellRichText):
                    part = _partly_bold(
                        [(str(b), isinstance(b, TextBlock) and bool(b.font.b)) for b in cell.value]
                    )
                    if part:
                        bold_parts[index, column] = part
            written = [cell for cell in cells if cell.value is not None and str(cell.value).strip()]
            font = [getattr(getattr(cell, "font", None), "b", False) for cell in written]
            if written and all(font):
                bold_rows.add(index)
        for merged in worksheet.merged_cells.ranges:
            top_left = rows[merged.min_row - 1][merged.min_col - 1] if rows else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = top_left
        sheets.append(Sheet(worksheet.title, rows, bold_rows=bold_rows, bold_parts=bold_parts))
    return sheets


def read_docx(data: bytes) -> list[Sheet]:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableAppendix("not_docx", str(error)) from error
    sheets: list[Sheet] = []
    preamble: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = clean_spaces("".join(t.text or "" for t in child.iter(qn("w:t"))))
            if text:
                preamble.append(text)
        elif child.tag == qn("w:tbl"):
            rows, bold_rows, bold_parts = _docx_table_rows(child)
            sheets.append(
                Sheet(str(len(sheets) + 1), rows, preamble, bold_rows, bold_parts, kind="table")
            )
            preamble = []
    return sheets


def _bold(run: Any) -> bool:
    from docx.oxml.ns import qn

    properties = run.find(qn("w:rPr"))
    mark = properties.find(qn("w:b")) if properties is not None else None
    return mark is not None and mark.get(qn("w:val"), "true") not in ("0", "false")


def _run_pieces(tc: Any) -> list[tuple[str, bool]]:
    """A Word cell's runs as (text, bold), each paragraph ending its last run with a newline."""
    from docx.oxml.ns import qn

    pieces: list[tuple[str, bool]] = []
    for paragraph in tc.iterchildren(qn("w:p")):
        runs = [
            ("".join(t.text or "" for t in r.iter(qn("w:t"))), _bold(r))
            for r in paragraph.iter(qn("w:r"))
        ]
        if runs:
            text, bold = runs[-1]
            runs[-1] = (text + "\n", bold)
        pieces.extend(runs)
    return pieces


def _docx_table_rows(
    table: Any,
) -> tuple[list[list[str]], set[int], dict[tuple[int, int], str]]:
    """Rows of a Word table with horizontal (gridSpan) and vertical (vMerge) merges filled,
    and which rows are all in bold."""
    from docx.oxml.ns import qn

    rows: list[list[str]] = []
    bold_rows: set[int] = set()
    bold_parts: dict[tuple[int, int], str] = {}
    for tr in table.iter(qn("w:tr")):
        runs = [
            r
            for r in tr.iter(qn("w:r"))
            if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()
        ]
        if runs and all(_bold(run) for run in runs):
            bold_rows.add(len(rows))
        row: list[str] = []
        for tc in tr.iterchildren(qn("w:tc")):
            paragraphs = [
                clean_spaces("".join(t.text or "" for t in p.iter(qn("w:t"))))
                for p in tc.iterchildren(qn("w:p"))
            ]
            text = "\n".join(p for p in paragraphs if p)
            properties = tc.find(qn("w:tcPr"))
            span, continues_above = 1, False
            if properties is not None:
                grid_span = properties.find(qn("w:gridSpan"))
                if grid_span is not None:
                    span = int(grid_span.get(qn("w:val"), "1"))
                v_merge = properties.find(qn("w:vMerge"))
                if v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue":
                    continues_above = True
            column = len(row)
            if continues_above and rows and column < len(rows[-1]):
                text = rows[-1][column]
            part = _partly_bold(_run_pieces(tc))
            for spanned in range(column, column + span):
                if part:
                    bold_parts[len(rows), spanned] = part
            row.extend([text] * span)
        rows.append(row)
    return rows, bold_rows, bold_parts


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise UnreadableAppendix("not_text")


def read_csv(data: bytes) -> list[Sheet]:
    text = _decode_text(data)
    if not text.strip():
        raise UnreadableAppendix("empty")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [[_cell_text(cell) for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    return [Sheet("", rows, kind="csv")]


def read_appendix(path: Path) -> list[Sheet]:
    """Read every table of an appendix file; raises UnreadableAppendix with a reason code."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableAppendix("wrong_extension", suffix or path.name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableAppendix("cannot_open", error.strerror or str(error)) from error
    if not data.strip():
        raise UnreadableAppendix("empty")
    readers = {".xlsx": read_xlsx, ".docx": read_docx, ".csv": read_csv}
    return readers[suffix](data)

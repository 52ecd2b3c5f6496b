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

from bot.os_errors import os_reason
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


def read_xlsx(data: bytes) -> list[Sheet]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableAppendix("not_xlsx", str(error)) from error
    sheets = []
    for worksheet in workbook.worksheets:
        rows = [
            [_cell_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)
        ]
        for merged in worksheet.merged_cells.ranges:
            top_left = rows[merged.min_row - 1][merged.min_col - 1] if rows else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = top_left
        sheets.append(Sheet(worksheet.title, rows))
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
            sheets.append(Sheet(f"table {len(sheets) + 1}", _docx_table_rows(child), preamble))
            preamble = []
    return sheets


def _docx_table_rows(table: object) -> list[list[str]]:
    """Rows of a Word table with horizontal (gridSpan) and vertical (vMerge) merges filled."""
    from docx.oxml.ns import qn

    rows: list[list[str]] = []
    for tr in table.iter(qn("w:tr")):  # type: ignore[attr-defined]
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
            row.extend([text] * span)
        rows.append(row)
    return rows


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
    return [Sheet("csv", rows)]


def read_appendix(path: Path) -> list[Sheet]:
    """Read every table of an appendix file; raises UnreadableAppendix with a reason code."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableAppendix("wrong_extension", suffix or path.name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableAppendix("cannot_open", os_reason(error)) from error
    if not data.strip():
        raise UnreadableAppendix("empty")
    readers = {".xlsx": read_xlsx, ".docx": read_docx, ".csv": read_csv}
    return readers[suffix](data)

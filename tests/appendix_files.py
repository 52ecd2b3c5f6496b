"""Writing appendices the way wards keep them (.xlsx, .docx, .csv), for tests and benchmarks.

A layout is a list of rows; a row that holds a single text is written merged across the table
(a title or section row), and `merges` adds explicit ranges such as a two-row header.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
import openpyxl.styles
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

# Copies of ../shared/plans/hong-bang-2026-phu-luc.*, so the tests stand on their own.
PLANS_DIR = Path(__file__).parent / "data"


def plan_file(name: str) -> Path:
    return PLANS_DIR / name


@dataclass
class Layout:
    width: int
    rows: list[list[str]]
    # (row, first column, last row, last column), 0-based and inclusive.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    # Rows written in bold (0-based), as wards mark section titles.
    bold: set[int] = field(default_factory=set)
    # Cells whose first line is bold and the rest plain, by (row, column): the lead unit in
    # bold above the coordinating ones.
    bold_first_line: set[tuple[int, int]] = field(default_factory=set)

    def full_rows(self) -> list[list[str]]:
        return [row + [""] * (self.width - len(row)) for row in self.rows]

    def all_merges(self) -> list[tuple[int, int, int, int]]:
        automatic = [
            (index, 0, index, self.width - 1)
            for index, row in enumerate(self.rows)
            if len(row) == 1 and self.width > 1
        ]
        return automatic + self.merges


def write_xlsx(layout: Layout, path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in layout.full_rows():
        sheet.append([int(c) if c.isdigit() and len(c) < 4 else (c or None) for c in row])
    for index in layout.bold:
        for cell in sheet[index + 1]:
            cell.font = openpyxl.styles.Font(bold=True)
    for row, column in layout.bold_first_line:
        first, _, rest = layout.rows[row][column].partition("\n")
        sheet.cell(row + 1, column + 1).value = CellRichText(
            [TextBlock(InlineFont(b=True), first), "\n" + rest]
        )
    for top, left, bottom, right in layout.all_merges():
        sheet.merge_cells(
            start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1
        )
    workbook.save(path)
    return path


def write_docx(layout: Layout, path: Path, *, title_paragraphs: list[str] | None = None) -> Path:
    document = docx.Document()
    for text in title_paragraphs or []:
        document.add_paragraph(text)
    rows = layout.full_rows()
    table = document.add_table(rows=0, cols=layout.width)
    # Cells are reached through each row (table.cell() rescans the whole table every call).
    row_cells = []
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
        row_cells.append(cells)
    for top, left, bottom, right in layout.all_merges():
        keep = row_cells[top][left].text
        merged = row_cells[top][left].merge(row_cells[bottom][right])
        merged.text = keep
    for row, column in layout.bold_first_line:
        cell = row_cells[row][column]
        first, _, rest = layout.rows[row][column].partition("\n")
        cell.text = ""
        cell.paragraphs[0].add_run(first).bold = True
        for line in rest.split("\n"):
            cell.add_paragraph(line)
    for index in layout.bold:
        for cell in table.rows[index].cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True
    document.save(path)
    return path


def write_csv(layout: Layout, path: Path, *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(layout.full_rows())
    return path


UNITS = (
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND phường",
    "Trung tâm Phục vụ Hành chính công",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Công an phường",
    "Ban Chỉ huy Quân sự phường",
)
DEADLINES = ("Tháng 12/2026", "Quý II/2026", "Thường xuyên", "9/2026", "Hằng năm", "Năm 2026")
CONTENTS = (
    "Tối thiểu {n}% hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình",
    "Tổ chức tuyên truyền về chuyển đổi số đợt {n} cho người dân trên địa bàn",
    "Bảo đảm ít nhất {n} lớp bồi dưỡng kỹ năng số cho cán bộ, công chức",
    "Duy trì vận hành hệ thống thông tin số {n} an toàn theo cấp độ",
)


def roman(number: int) -> str:
    numerals = ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    result = ""
    for value, letters in numerals:
        while number >= value:
            result += letters
            number -= value
    return result


def generated_layout(task_count: int, section_size: int = 50) -> Layout:
    """A large appendix in the usual shape: title rows, a header, Roman sections, tasks."""
    rows: list[list[str]] = [
        ["PHỤ LỤC"],
        ["Phân công nhiệm vụ thực hiện Kế hoạch số 54/KH-UBND ngày 06/02/2026"],
        ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời gian"],
    ]
    for index in range(task_count):
        if index % section_size == 0:
            section = index // section_size + 1
            rows.append([f"{roman(section)}. NHÓM NHIỆM VỤ {section}"])
        n = index % section_size + 1
        rows.append(
            [
                str(n),
                CONTENTS[index % len(CONTENTS)].format(n=(index % 90) + 10),
                UNITS[index % len(UNITS)],
                "Các phòng, đơn vị thuộc phường" if index % 3 else UNITS[(index + 1) % len(UNITS)],
                "Báo cáo",
                DEADLINES[index % len(DEADLINES)],
            ]
        )
    return Layout(6, rows)

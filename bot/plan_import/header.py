"""Finding the header row of an appendix table whatever its wording, over one or two rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from storage.names import fold


class Column(StrEnum):
    NUMBER = "number"
    SECTION = "section"
    CONTENT = "content"
    LEAD = "lead"
    COORDINATE = "coordinate"
    OUTPUT = "output"
    DEADLINE = "deadline"
    NOTES = "notes"
    # A KPI target in columns of its own: the target ("Chỉ tiêu", "Năm 2026") and its unit.
    KPI_TARGET = "kpi_target"
    KPI_UNIT = "kpi_unit"
    # What a progress report has and an appendix has not ("Tình trạng", "Kết quả thực hiện").
    STATUS = "status"


_NUMBER_WORDS = r"(?:stt|tt|so tt|so thu tu|thu tu|ma|ma so|ma nv|ma nhiem vu|so)"
# "STT" over "TT" and "Chi tiết" (the running number and the number within the section).
_NUMBER_HEADER = re.compile(
    rf"^{_NUMBER_WORDS}(?:\s+(?:{_NUMBER_WORDS}|chi tiet|cap \d|muc|nhom|phan|trong muc))?$"
)
_PUNCTUATION = re.compile(r"[^\w\s]")
_YEAR_TARGET = re.compile(r"^(?:chi tieu |muc tieu |ke hoach )?(?:nam )?(?:19|20)\d{2}$")
_STATUS_TERMS = (
    "tinh trang",
    "trang thai",
    "ket qua thuc hien",
    "muc do hoan thanh",
    "gia tri dat",
    "ty le hoan thanh",
)
_SECONDARY = (Column.LEAD, Column.COORDINATE, Column.OUTPUT, Column.DEADLINE, Column.NUMBER)
HEADER_SEARCH_ROWS = 40


def classify_header(text: str) -> Column | None:
    """The column a header cell names, judged on words ("Đơn vị chủ trì", "Cơ quan thực hiện")."""
    words = " ".join(_PUNCTUATION.sub(" ", fold(text)).split())
    if not words:
        return None
    if _NUMBER_HEADER.match(words):
        return Column.NUMBER
    if "ghi chu" in words:
        return Column.NOTES
    if words in ("don vi tinh", "dvt", "don vi do"):
        return Column.KPI_UNIT
    if words in ("chi tieu", "muc tieu", "chi tieu nam", "gia tri muc tieu") or _YEAR_TARGET.match(
        words
    ):
        return Column.KPI_TARGET
    if any(term in words for term in _STATUS_TERMS):
        return Column.STATUS
    if words.startswith(("nhom", "linh vuc")) or words in ("muc", "phan", "chuong trinh"):
        return Column.SECTION
    if "phoi hop" in words and "chu tri" not in words:
        return Column.COORDINATE
    has_body = any(body in words for body in ("don vi", "co quan", "bo phan", "to chuc"))
    if (
        "chu tri" in words
        or "phu trach" in words
        or "trach nhiem" in words
        or "phan cong" in words
        or (has_body and "thoi gian" not in words)
    ):
        return Column.LEAD
    if any(term in words for term in ("thoi gian", "thoi han", "tien do", "han hoan thanh", "moc")):
        return Column.DEADLINE
    if any(term in words for term in ("san pham", "ket qua", "dau ra")):
        return Column.OUTPUT
    if any(
        term in words
        for term in (
            "nhiem vu",
            "noi dung",
            "cong viec",
            "giai phap",
            "hoat dong",
            "chi tieu",
            "du an",
            "de an",
            "cong trinh",
            "bai toan",
        )
    ):
        return Column.CONTENT
    return None


@dataclass(frozen=True)
class Header:
    """Where the table's header is and which column holds what."""

    first_row: int
    row_count: int
    columns: dict[int, Column]

    @property
    def data_start(self) -> int:
        return self.first_row + self.row_count

    def indexes(self, column: Column) -> list[int]:
        return [index for index, role in self.columns.items() if role is column]


def _map_columns(texts: list[str]) -> dict[int, Column]:
    columns: dict[int, Column] = {}
    taken: set[Column] = set()
    for index, text in enumerate(texts):
        role = classify_header(text)
        if role is None:
            continue
        # Numbering may be split over several columns ("TT" over "I" and "1"); every other role
        # belongs to its first column, so a header merged across two columns is read once.
        if role in taken and role not in (Column.NUMBER, Column.KPI_TARGET):
            continue
        columns[index] = role
        taken.add(role)
    if Column.CONTENT not in taken and Column.KPI_TARGET in taken:
        # "STT | Chỉ tiêu | Đơn vị chủ trì | …": the targets are the tasks.
        first = min(i for i, role in columns.items() if role is Column.KPI_TARGET)
        columns[first] = Column.CONTENT
    return columns


def _score(columns: dict[int, Column]) -> int:
    """How much a row looks like an appendix header: task content, a responsible body and
    more; a report's table (with a status column) is not one."""
    roles = set(columns.values())
    if Column.CONTENT not in roles or Column.STATUS in roles:
        return 0
    if Column.LEAD not in roles or len(roles & set(_SECONDARY)) < 2:
        return 0
    return len(roles)


def header_kind(rows: list[list[str]]) -> Column | None:
    """For a table without an appendix header: STATUS when it is a progress report's table,
    KPI_TARGET when it lists content without a responsible body, else None."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [row, _combined(row, rows[index + 1])] if index + 1 < len(rows) else [row]
        for candidate in texts:
            roles = set(_map_columns(candidate).values())
            if Column.STATUS in roles and roles & {Column.CONTENT, Column.LEAD}:
                return Column.STATUS
            if Column.CONTENT in roles and Column.LEAD not in roles and len(roles) >= 3:
                return Column.KPI_TARGET
    return None


def _combined(upper: list[str], lower: list[str]) -> list[str]:
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    return [a if not b or b == a else f"{a} {b}".strip() for a, b in zip(upper, lower, strict=True)]


def find_header(rows: list[list[str]]) -> Header | None:
    """The best header among the first rows: one row, or two when the second refines the first.

    The earliest best wins, so task rows whose words happen to look like headings do not.
    """
    best: Header | None = None
    best_score = 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        single = _map_columns(row)
        candidates = [(Header(index, 1, single), _score(single))]
        if index + 1 < len(rows):
            double = _map_columns(_combined(row, rows[index + 1]))
            candidates.append((Header(index, 2, double), _score(double)))
        for header, score in candidates:
            if score > best_score:
                best, best_score = header, score
    return best


_SHORT_NUMBER = re.compile(r"^(?:\d{1,3}|[a-zđ])[.)]?$", re.IGNORECASE)


def with_split_numbering(header: Header, rows: list[list[str]]) -> Header:
    """Count an unlabelled column beside the numbering as numbering too when it holds numbers.

    A "TT" header merged over two columns loses its merge in a CSV export, leaving the second
    column (1, 2, a, b…) without a heading.
    """
    numbering = header.indexes(Column.NUMBER)
    if not numbering:
        return header
    columns = dict(header.columns)
    candidate = max(numbering) + 1
    while candidate not in columns:
        cells = [row[candidate] for row in rows if candidate < len(row) and row[candidate]]
        numbers = [cell for cell in cells if _SHORT_NUMBER.match(cell)]
        if not cells or len(numbers) * 2 < len(cells):
            break
        columns[candidate] = Column.NUMBER
        candidate += 1
    return Header(header.first_row, header.row_count, columns)

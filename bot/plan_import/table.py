"""Reading the rows under an appendix header into sections and tasks.

Handles what real appendices contain: title rows, section rows ("I. NHIỆM VỤ TRỌNG TÂM", merged
or in their own column), a row of column numbers "(1) (2) (3)", the header repeated after a page
break, rows wrapped onto an unnumbered continuation row, and lettered sub-tasks under a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.plan_import.header import (
    Column,
    Header,
    classify_header,
    find_header,
    with_split_numbering,
)
from bot.plan_import.readers import Sheet, UnreadableAppendix
from storage.names import clean_spaces, fold

_ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_SECTION_PREFIX = re.compile(
    rf"^\s*(?:(?:phần|phan|mục|muc|chương|chuong)\s+)?({_ROMAN}|[A-HĐ])\s*[.)/:\-–]\s*(.+)$",
    re.IGNORECASE | re.DOTALL,
)
_ROMAN_ONLY = re.compile(rf"^(?:{_ROMAN})$", re.IGNORECASE)
# What a section row puts in the numbering column: "II", "II.", "A", "B." (upper case; lower
# case letters number sub-tasks).
_SECTION_NUMBER = re.compile(rf"^(?:(?=[IVXLC])(?:{_ROMAN})|[A-HĐ])\.?$")
_ARABIC = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_LETTER = re.compile(r"^([a-zđ])[.)]?$", re.IGNORECASE)
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_BULLET_NUMBER = re.compile(r"^[-–+*•]$")


@dataclass
class ParsedTask:
    code: str
    number: str
    section_code: str | None
    section_title: str | None
    content: str
    lead: str = ""
    coordinate: str = ""
    output: str = ""
    deadline: str = ""
    notes: str = ""
    source_rows: list[str] = field(default_factory=list)

    @property
    def source_text(self) -> str:
        return "\n".join(self.source_rows)


@dataclass(frozen=True)
class Section:
    code: str | None
    title: str | None


@dataclass
class ParsedTable:
    tasks: list[ParsedTask]
    preamble: list[str]
    duplicate_codes: list[str] = field(default_factory=list)


def _joined(row: list[str], indexes: list[int]) -> str:
    """The text of one role; merged cells repeating the same text count once."""
    parts: list[str] = []
    for index in indexes:
        value = row[index] if index < len(row) else ""
        if value and value not in parts:
            parts.append(value)
    return " ".join(parts)


def _section_from_text(text: str) -> Section:
    text = clean_spaces(text)
    match = _SECTION_PREFIX.match(text)
    if match and match.group(1):
        return Section(match.group(1).upper(), clean_spaces(match.group(2)).rstrip(":"))
    return Section(None, text.rstrip(":"))


def _looks_like_section(text: str) -> bool:
    match = _SECTION_PREFIX.match(text)
    if match and match.group(1) and _ROMAN_ONLY.match(match.group(1)):
        return True
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 8 and all(ch.isupper() for ch in letters)


class _TableReader:
    def __init__(self, header: Header) -> None:
        self.header = header
        self.columns = {role: header.indexes(role) for role in Column}
        self.tasks: list[ParsedTask] = []
        self.section = Section(None, None)
        self.parent: ParsedTask | None = None
        self.header_roles = set(header.columns.values())

    def value(self, row: list[str], role: Column) -> str:
        return _joined(row, self.columns[role])

    def is_repeated_header(self, row: list[str]) -> bool:
        # Cheap test first: a repeated header has no numbered task in it.
        if _ARABIC.match(self.value(row, Column.NUMBER)):
            return False
        roles = [role for text in row if (role := classify_header(text)) is not None]
        return len(roles) >= 3 and set(roles) == set(self.header_roles)

    @staticmethod
    def is_column_numbering(row: list[str]) -> bool:
        filled = [cell for cell in row if cell]
        return len(filled) >= 3 and all(_COLUMN_NUMBER.match(cell) for cell in filled)

    def read(self, rows: list[list[str]]) -> None:
        for row in rows:
            if not any(row) or self.is_column_numbering(row) or self.is_repeated_header(row):
                continue
            self.read_row(row)

    def read_row(self, row: list[str]) -> None:
        number = self.value(row, Column.NUMBER)
        content = self.value(row, Column.CONTENT)
        fields = {
            "lead": self.value(row, Column.LEAD),
            "coordinate": self.value(row, Column.COORDINATE),
            "output": self.value(row, Column.OUTPUT),
            "deadline": self.value(row, Column.DEADLINE),
            "notes": self.value(row, Column.NOTES),
        }
        source = " | ".join(cell for i, cell in enumerate(row) if cell and cell not in row[:i])
        section_cell = self.value(row, Column.SECTION)
        if section_cell:
            section = _section_from_text(section_cell)
            if section != self.section:
                self.section, self.parent = section, None
        distinct = {cell for cell in row if cell}
        if len(distinct) == 1 and not section_cell:
            # One text alone on its row: a merged section heading, a title-like line, or the
            # wrapped tail of the task above.
            text = next(iter(distinct))
            if _looks_like_section(text) or len([c for c in row if c]) > 1 or not self.tasks:
                self.section, self.parent = _section_from_text(text), None
                return
        task_fields = any(fields[name] for name in ("lead", "coordinate", "output", "deadline"))
        if number and _SECTION_NUMBER.match(number) and not task_fields:
            self.section, self.parent = Section(number.rstrip("."), content or None), None
            return
        if not number and content and not task_fields and _looks_like_section(content):
            self.section, self.parent = _section_from_text(content), None
            return
        if number and (_ARABIC.match(number) or not self.tasks):
            self.start_task(number.rstrip("."), content, fields, source)
        elif number and (_LETTER.match(number) or _BULLET_NUMBER.match(number)) and self.tasks:
            self.start_subtask(number, content, fields, source)
        elif not number and (fields["lead"] or fields["deadline"]) and content:
            self.start_task(str(self.count_in_section() + 1), content, fields, source)
        elif self.tasks:
            self.continue_task(content, fields, source)

    def count_in_section(self) -> int:
        return sum(1 for task in self.tasks if task.section_code == self.section.code)

    def start_task(self, number: str, content: str, fields: dict[str, str], source: str) -> None:
        code = f"{self.section.code}.{number}" if self.section.code else number
        task = ParsedTask(
            code=code,
            number=number,
            section_code=self.section.code,
            section_title=self.section.title,
            content=content,
            source_rows=[source],
            **fields,
        )
        self.tasks.append(task)
        self.parent = task

    def start_subtask(self, number: str, content: str, fields: dict[str, str], source: str) -> None:
        parent = self.parent
        if parent is None:
            self.continue_task(content, fields, source)
            return
        # A heading row with lettered items under it: the items are the tasks, each carrying
        # the heading's text and whatever the heading row said for all of them.
        letter = _LETTER.match(number)
        suffix = (
            letter.group(1).lower()
            if letter
            else str(sum(1 for t in self.tasks if t.code.startswith(parent.code + ".")) + 1)
        )
        heading_only = parent in self.tasks and not any(
            (parent.lead, parent.coordinate, parent.deadline)
        )
        if heading_only:
            self.tasks.remove(parent)
        inherited = {
            name: fields[name] or getattr(parent, name)
            for name in ("lead", "coordinate", "output", "deadline", "notes")
        }
        self.tasks.append(
            ParsedTask(
                code=f"{parent.code}.{suffix}",
                number=f"{parent.number}.{suffix}",
                section_code=parent.section_code,
                section_title=parent.section_title,
                content=f"{parent.content.rstrip(' :')}: {content}" if heading_only else content,
                source_rows=[*parent.source_rows, source] if heading_only else [source],
                **inherited,
            )
        )

    def continue_task(self, content: str, fields: dict[str, str], source: str) -> None:
        task = self.tasks[-1]
        if content and content not in task.content:
            task.content = f"{task.content} {content}".strip()
        for name in ("lead", "coordinate"):
            if fields[name] and fields[name] not in getattr(task, name):
                setattr(task, name, f"{getattr(task, name)}\n{fields[name]}".strip())
        for name in ("output", "deadline", "notes"):
            if fields[name] and fields[name] not in getattr(task, name):
                setattr(task, name, f"{getattr(task, name)} {fields[name]}".strip())
        task.source_rows.append(source)


def _deduplicate_codes(tasks: list[ParsedTask]) -> list[str]:
    seen: dict[str, int] = {}
    duplicates: list[str] = []
    for task in tasks:
        if task.code in seen:
            seen[task.code] += 1
            duplicates.append(task.code)
            task.code = f"{task.code}-{seen[task.code]}"
        else:
            seen[task.code] = 1
    return duplicates


def parse_tables(sheets: list[Sheet]) -> ParsedTable:
    """Tasks from every table that has a recognisable header.

    A table right after another, with the same header or none and the same width, continues
    it (Word splits long appendices into several tables at page breaks).
    """
    reader: _TableReader | None = None
    width = 0
    tasks: list[ParsedTask] = []
    preamble: list[str] = []
    found_header = False
    for sheet in sheets:
        header = find_header(sheet.rows)
        if header is not None and reader is not None and header.columns == reader.header.columns:
            # The same header again: Word repeats it on the table's next part.
            reader.read(sheet.rows[header.data_start :])
        elif header is not None:
            header = with_split_numbering(header, sheet.rows[header.data_start :])
            found_header = True
            preamble.extend(sheet.preamble)
            preamble.extend(
                cell
                for row in sheet.rows[: header.first_row]
                for cell in dict.fromkeys(row)
                if cell
            )
            reader = _TableReader(header)
            width = max(len(row) for row in sheet.rows)
            reader.read(sheet.rows[header.data_start :])
            tasks.extend(reader.tasks)
            reader.tasks = tasks
        elif reader is not None and sheet.rows and max(len(r) for r in sheet.rows) == width:
            reader.read(sheet.rows)
    if not found_header:
        raise UnreadableAppendix("no_header")
    tasks = [task for task in tasks if fold(task.content)]
    if not tasks:
        raise UnreadableAppendix("no_tasks")
    duplicates = _deduplicate_codes(tasks)
    return ParsedTable(tasks, preamble, duplicates)

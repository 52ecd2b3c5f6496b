"""Reading the rows under an appendix header into sections and tasks.

Handles what real appendices contain: title rows; section rows in every form (a numeral with
its title merged across the row, a title alone in bold or capitals, "Phần A", Roman, Arabic or
lettered numerals, a section column); a row of column numbers "(1) (2) (3)"; the header
repeated after a page break; rows wrapped onto an unnumbered continuation row; lettered or
dotted sub-tasks under a heading; and numbering over two columns (the running number through
the appendix beside the number within the section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.plan_import.header import (
    Column,
    Header,
    classify_header,
    find_header,
    header_kind,
    with_split_numbering,
)
from bot.plan_import.readers import Sheet, UnreadableAppendix
from storage.names import clean_spaces, fold

_ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_SECTION_PREFIX = re.compile(
    rf"^\s*(?:(?:phần|phan|mục|muc|chương|chuong)\s+)?({_ROMAN}|[A-HĐ]|\d{{1,2}})\s*[.)/:\-–]\s*(.+)$",
    re.IGNORECASE | re.DOTALL,
)
_PART = re.compile(rf"^\s*(?:phần|phan)\s+({_ROMAN}|[A-HĐ]|\d{{1,2}})\b", re.IGNORECASE)
_ROMAN_ONLY = re.compile(rf"^(?:{_ROMAN})$", re.IGNORECASE)
# What a section row puts in the numbering column: "II", "II.", "A", "B." (upper case; lower
# case letters number sub-tasks).
_SECTION_NUMBER = re.compile(rf"^(?:(?=[IVXLC])(?:{_ROMAN})|[A-HĐ])\.?$")
_ARABIC = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_LETTER = re.compile(r"^([a-zđ])[.)]?$", re.IGNORECASE)
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_BULLET_NUMBER = re.compile(r"^[-–+*•]$")
_NUMERAL = re.compile(r"^[\w.)\-–+*•]{1,8}$")
_FIELDS = ("lead", "coordinate", "output", "deadline", "notes", "kpi_target", "kpi_unit")
_TASK_FIELDS = ("lead", "coordinate", "output", "deadline")


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
    kpi_target: str = ""
    kpi_unit: str = ""
    source_rows: list[str] = field(default_factory=list)
    # Where the task is in the file (sheet or table, 1-based row), for the coordinator.
    sheet: str = ""
    sheet_kind: str = "sheet"
    row_number: int = 0
    # Every Arabic number the numbering columns gave the row, in column order.
    numbers: tuple[str, ...] = ()
    # A lettered or dotted sub-task: the heading or task it belongs to, and its letter.
    parent: ParsedTask | None = field(default=None, repr=False)
    suffix: str | None = None

    @property
    def source_text(self) -> str:
        return "\n".join(self.source_rows)


class _Place(NamedTuple):
    sheet: str
    kind: str
    row_number: int
    numbers: tuple[str, ...]


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


def _section_from_text(text: str) -> tuple[str, Section]:
    """A heading's level ("part", "roman", "letter", "arabic", "title") and its section."""
    text = clean_spaces(text)
    part = _PART.match(text)
    match = _SECTION_PREFIX.match(text)
    if match and match.group(1):
        code = match.group(1).upper()
        title = clean_spaces(match.group(2)).rstrip(":")
        return ("part" if part else _numeral_level(code)), Section(code, title)
    if part:
        return "part", Section(part.group(1).upper(), None)
    return "title", Section(None, text.rstrip(":"))


def _numeral_level(code: str) -> str:
    code = code.rstrip(".")
    if _ROMAN_ONLY.match(code) and code.isupper():
        return "roman"
    if _ARABIC.match(code):
        return "arabic"
    return "letter"


def _looks_like_section(text: str) -> bool:
    match = _SECTION_PREFIX.match(text)
    if match and match.group(1) and _ROMAN_ONLY.match(match.group(1)):
        return True
    if _PART.match(text):
        return True
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 8 and all(ch.isupper() for ch in letters)


class _Sections:
    """The headings above the current row, outermost first ("Phần A" › "I" › "1").

    A heading of a kind already open closes it and everything under it, so the levels follow
    the order the appendix introduces them in, whatever numerals it uses for each.
    """

    def __init__(self) -> None:
        self.stack: list[tuple[str, Section]] = []

    def enter(self, level: str, section: Section) -> None:
        levels = [name for name, _ in self.stack]
        if level in levels:
            del self.stack[levels.index(level) :]
        self.stack.append((level, section))

    @property
    def current(self) -> Section:
        if not self.stack:
            return Section(None, None)
        codes = [section.code for _, section in self.stack if section.code]
        titles = [section.title for _, section in self.stack if section.title]
        return Section(".".join(codes) or None, titles[-1] if titles else None)


class _TableReader:
    def __init__(self, header: Header) -> None:
        self.header = header
        self.columns = {role: header.indexes(role) for role in Column}
        self.tasks: list[ParsedTask] = []
        self.sections = _Sections()
        self.parent: ParsedTask | None = None
        self.header_roles = set(header.columns.values())

    @property
    def section(self) -> Section:
        return self.sections.current

    def enter(self, level: str, section: Section) -> None:
        self.sections.enter(level, section)
        self.parent = None

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

    def read(self, sheet: Sheet, start: int) -> None:
        for index in range(start, len(sheet.rows)):
            row = sheet.rows[index]
            if not any(row) or self.is_column_numbering(row) or self.is_repeated_header(row):
                continue
            self.read_row(row, sheet, index + 1, index in sheet.bold_rows)

    def numbering(self, row: list[str]) -> tuple[list[str], str | None]:
        """The numerals of the row's numbering columns in column order, and a part heading
        written there ("Phần A"); longer text is a title merged over the numbering too."""
        values: list[str] = []
        part: str | None = None
        for index in self.columns[Column.NUMBER]:
            value = row[index].strip() if index < len(row) else ""
            if _PART.match(value):
                part = value
            elif value and _NUMERAL.match(value):
                values.append(value)
        return values, part

    def heading(
        self, row: list[str], numbers: list[str], fields: dict[str, str], bold: bool
    ) -> bool:
        """Enter the section this row heads, if it is a heading row; True when it was."""
        number_columns = set(self.columns[Column.NUMBER])
        others = [cell for i, cell in enumerate(row) if cell and i not in number_columns]
        if not others:
            # A title typed in the numbering column (a flat export of a merged row).
            others = [
                cell
                for i, cell in enumerate(row)
                if cell and i in number_columns and not _NUMERAL.match(cell)
            ]
        task_fields = any(fields[name] for name in _TASK_FIELDS)
        if len(set(others)) == 1:
            text = others[0]
            # One text over several columns: a title merged across the row. In a Word table
            # every merged cell repeats it, so it also fills the deadline or unit columns.
            merged = len(others) > 1
            if numbers:
                numeral = numbers[0].rstrip(".")
                if _SECTION_NUMBER.match(numbers[0]) and (merged or not task_fields):
                    self.enter(_numeral_level(numeral), Section(numeral, text.rstrip(":")))
                    return True
                if merged and _ARABIC.match(numbers[0]):
                    self.enter("arabic", Section(numeral, text.rstrip(":")))
                    return True
                return False
            if merged or bold or _looks_like_section(text) or not self.tasks:
                self.enter(*_section_from_text(text))
                return True
            return False
        number = numbers[-1] if numbers else ""
        content = fields["content"]
        if number and _SECTION_NUMBER.match(number) and not task_fields:
            self.enter(
                _numeral_level(number.rstrip(".")), Section(number.rstrip("."), content or None)
            )
            return True
        if not number and content and not task_fields and _looks_like_section(content):
            self.enter(*_section_from_text(content))
            return True
        return False

    def read_row(self, row: list[str], sheet: Sheet, row_number: int, bold: bool) -> None:
        numbers, part = self.numbering(row)
        number = numbers[-1] if numbers else ""
        fields = {name: self.value(row, Column(name)) for name in _FIELDS}
        fields["content"] = self.value(row, Column.CONTENT)
        self.split_bold_lead(sheet, row_number - 1, fields)
        if part is not None:
            level, section = _section_from_text(part)
            title = fields["content"] or section.title
            self.enter(level, Section(section.code, title.rstrip(":") if title else None))
            return
        source = " | ".join(cell for i, cell in enumerate(row) if cell and cell not in row[:i])
        section_cell = self.value(row, Column.SECTION)
        if section_cell:
            _, section = _section_from_text(section_cell)
            if section != self.section:
                self.enter("column", section)
        elif self.heading(row, numbers, fields, bold):
            return
        content = fields.pop("content")
        arabic = tuple(n.rstrip(".") for n in numbers if _ARABIC.match(n))
        place = _Place(sheet.name, sheet.kind, row_number, arabic)
        if number and (_ARABIC.match(number) or not self.tasks):
            self.start_task(number.rstrip("."), content, fields, source, place)
        elif number and (_LETTER.match(number) or _BULLET_NUMBER.match(number)) and self.tasks:
            self.start_subtask(number, content, fields, source, place)
        elif not number and (fields["lead"] or fields["deadline"]) and content:
            self.start_task(str(self.count_in_section() + 1), content, fields, source, place)
        elif self.tasks:
            self.continue_task(content, fields, source)

    def split_bold_lead(self, sheet: Sheet, index: int, fields: dict[str, str]) -> None:
        """One unit column, the lead in bold and the coordinating units plain: split them."""
        if self.columns[Column.COORDINATE] or not self.columns[Column.LEAD]:
            return
        bold = sheet.bold_parts.get((index, self.columns[Column.LEAD][0]))
        if bold and bold in fields["lead"]:
            rest = fields["lead"].replace(bold, "", 1).strip(" \n;,.-–:")
            fields["lead"], fields["coordinate"] = bold, rest

    def count_in_section(self) -> int:
        return sum(1 for task in self.tasks if task.section_code == self.section.code)

    def start_task(
        self, number: str, content: str, fields: dict[str, str], source: str, place: _Place
    ) -> None:
        parent = self.parent
        opened = self.sections.stack[-1] if self.sections.stack else None
        if opened and opened[0] == "heading" and not number.startswith(f"{opened[1].code}."):
            self.sections.stack.pop()
        if (
            parent is not None
            and number.startswith(parent.number + ".")
            and parent in self.tasks
            and not any(getattr(parent, name) for name in _TASK_FIELDS)
        ):
            # "1.1" under "1": the row above was the heading of these tasks, not a task.
            self.tasks.remove(parent)
            self.sections.enter("heading", Section(parent.number, parent.content))
        section = self.section
        task = ParsedTask(
            code="",
            number=number,
            section_code=section.code,
            section_title=section.title,
            content=content,
            source_rows=[source],
            sheet=place.sheet,
            sheet_kind=place.kind,
            row_number=place.row_number,
            numbers=place.numbers,
        )
        for name in _FIELDS:
            setattr(task, name, fields[name])
        self.tasks.append(task)
        if "." not in number:
            self.parent = task

    def start_subtask(
        self, number: str, content: str, fields: dict[str, str], source: str, place: _Place
    ) -> None:
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
            else str(sum(1 for t in self.tasks if t.parent is parent) + 1)
        )
        # A row ending in ":" introduces its items even when it names the units for them.
        heading_only = parent in self.tasks and (
            not any((parent.lead, parent.coordinate, parent.deadline))
            or parent.content.rstrip().endswith(":")
        )
        if heading_only:
            self.tasks.remove(parent)
        inherited = {name: fields[name] or getattr(parent, name) for name in _FIELDS}
        self.tasks.append(
            ParsedTask(
                code="",
                number=f"{parent.number}.{suffix}",
                section_code=parent.section_code,
                section_title=parent.section_title,
                content=f"{parent.content.rstrip(' :')}: {content}" if heading_only else content,
                source_rows=[*parent.source_rows, source] if heading_only else [source],
                parent=parent,
                suffix=suffix,
                sheet=place.sheet,
                sheet_kind=place.kind,
                row_number=place.row_number,
                numbers=parent.numbers,
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
        for name in ("output", "deadline", "notes", "kpi_target", "kpi_unit"):
            if fields[name] and fields[name] not in getattr(task, name):
                setattr(task, name, f"{getattr(task, name)} {fields[name]}".strip())
        task.source_rows.append(source)


def _prefixed(section_code: str | None, number: str) -> str:
    """section.number; a dotted number that already starts with its heading's numeral
    ("1.2" under "I.1") is not given that numeral twice."""
    if not section_code:
        return number
    segments = section_code.split(".")
    if number.startswith(segments[-1] + "."):
        segments = segments[:-1]
    return ".".join([*segments, number])


def _assign_codes(tasks: list[ParsedTask]) -> None:
    """The code a ward cites: the running number when the appendix has one, else
    section.number; sub-tasks add their letter to their heading's code."""
    tops = list({id(t.parent or t): t.parent or t for t in tasks}.values())
    numbered = [t for t in tops if t.numbers]
    running: int | None = None
    if numbered and sum(len(t.numbers) >= 2 for t in numbered) * 5 >= len(numbered) * 4:
        # Two numbering columns: the one that never repeats runs through the appendix.
        for position in range(min(len(t.numbers) for t in numbered)):
            values = [t.numbers[position] for t in numbered]
            if len(set(values)) == len(values):
                running = position
                break
    sections = {t.section_code for t in tops}
    top_numbers = [t.number for t in tops]
    runs_through = (
        len(sections) > 1
        and len(set(top_numbers)) == len(top_numbers)
        and all("." not in n for n in top_numbers)
    )
    codes: dict[int, str] = {}

    def code_of(task: ParsedTask) -> str:
        if id(task) in codes:
            return codes[id(task)]
        if task.parent is not None:
            code = f"{code_of(task.parent)}.{task.suffix}"
        elif running is not None and len(task.numbers) > running:
            code = task.numbers[running]
        elif runs_through:
            code = task.number
        else:
            code = _prefixed(task.section_code, task.number)
        codes[id(task)] = code
        return code

    for task in tasks:
        task.code = code_of(task)


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


def _refusal(sheets: list[Sheet]) -> UnreadableAppendix:
    """Why no table of the file is an appendix: a progress report, a list without a
    responsible body, or no table like one at all."""
    kinds = {header_kind(sheet.rows) for sheet in sheets}
    if Column.STATUS in kinds:
        return UnreadableAppendix("report")
    if Column.KPI_TARGET in kinds:
        return UnreadableAppendix("no_units")
    return UnreadableAppendix("no_header")


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
            reader.read(sheet, header.data_start)
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
            reader.read(sheet, header.data_start)
            tasks.extend(reader.tasks)
            reader.tasks = tasks
        elif reader is not None and sheet.rows and max(len(r) for r in sheet.rows) == width:
            reader.read(sheet, 0)
    if not found_header:
        raise _refusal(sheets)
    tasks = [task for task in tasks if fold(task.content)]
    if not tasks:
        refusal = _refusal(sheets)
        raise refusal if refusal.reason == "report" else UnreadableAppendix("no_tasks")
    _assign_codes(tasks)
    duplicates = _deduplicate_codes(tasks)
    return ParsedTable(tasks, preamble, duplicates)

"""An appendix file read and understood, before anything is stored."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.plan_import.deadline import Deadline, parse_deadline
from bot.plan_import.kpi import KpiTarget, kpi_from_columns, parse_kpi
from bot.plan_import.readers import UnreadableAppendix, read_appendix
from bot.plan_import.table import ParsedTask, parse_tables
from bot.plan_import.unit_names import UnitCell, parse_unit_cell, split_roles
from storage.folding import fold_text
from storage.names import UNIT_HEADS, clean_spaces, fold

_PLAN_NUMBER = re.compile(r"\bs[oố]\s*:?\s*(\d{1,4}\s*/\s*[A-ZĐ][\w\-Đ/]*)", re.IGNORECASE)
_ISSUE_DATE = re.compile(r"\bng[aà]y\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d{2})")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_APPENDIX_LABEL = re.compile(r"\bphu luc\s+(?:so\s+)?(\d{1,2}|[ivx]{1,4})\b")
_ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}
_UNIT_START = re.compile(r"^(?:" + "|".join(re.escape(head) for head in UNIT_HEADS) + r")\b")


@dataclass(frozen=True)
class AppendixTask:
    position: int
    parsed: ParsedTask
    lead: UnitCell
    coordinate: UnitCell
    deadline: Deadline
    kpi: KpiTarget | None

    @property
    def bad_reason(self) -> str | None:
        """Why this row cannot be imported as a task: no responsible body, or what stands in
        the unit column is not a body ("Đ/c Nguyễn Văn A", a sentence)."""
        if self.lead.all_units or self.lead.relevant_units:
            return None
        if not self.lead.names:
            return "not_a_unit" if self.lead.sentences else "no_lead"
        if not any(_UNIT_START.match(fold(name)) for name in self.lead.names):
            return "not_a_unit"
        return None


@dataclass(frozen=True)
class Appendix:
    tasks: list[AppendixTask]
    number: str | None
    title: str | None
    issued_on: date | None
    reference_year: int
    duplicate_codes: list[str]
    # "01", "02"… when the file says which appendix of the plan it is ("PHỤ LỤC 02").
    label: str | None = None

    @property
    def good_tasks(self) -> list[AppendixTask]:
        return [task for task in self.tasks if task.bad_reason is None]

    @property
    def bad_rows(self) -> list[AppendixTask]:
        return [task for task in self.tasks if task.bad_reason is not None]


def _plan_number(preamble: list[str]) -> str | None:
    for line in preamble:
        if "ke hoach" not in fold_text(line):
            continue
        match = _PLAN_NUMBER.search(line)
        if match:
            return re.sub(r"\s+", "", match.group(1))
    return None


def _issue_date(preamble: list[str]) -> date | None:
    for line in preamble:
        match = _ISSUE_DATE.search(line)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def appendix_label(text: str) -> str | None:
    """ "Phụ lục 02", "PHỤ LỤC SỐ 2", "Phụ lục II" → "02"; None when the text names none."""
    match = _APPENDIX_LABEL.search(fold(text))
    if match is None:
        return None
    raw = match.group(1)
    value = int(raw) if raw.isdigit() else _ROMAN_VALUES.get(raw)
    return f"{value:02d}" if value else None


def _label(preamble: list[str]) -> str | None:
    for line in preamble:
        label = appendix_label(line)
        if label is not None:
            return label
    return None


def _cells(task: ParsedTask) -> tuple[UnitCell, UnitCell]:
    """The lead and coordinating units; one "Đơn vị thực hiện" column may hold both."""
    lead, coordinate = task.lead, task.coordinate
    roles = split_roles(lead) if not coordinate else None
    if roles is not None:
        lead, coordinate = roles
    return parse_unit_cell(lead), parse_unit_cell(coordinate)


def _kpi(task: ParsedTask) -> KpiTarget | None:
    if task.kpi_target:
        return kpi_from_columns(task.kpi_target, task.kpi_unit)
    return parse_kpi(task.content) or parse_kpi(task.output)


def _title(preamble: list[str]) -> str | None:
    lines = [clean_spaces(line) for line in preamble if line.strip()]
    meaningful = [line for line in lines if fold_text(line).strip() != "phu luc"]
    return meaningful[0] if meaningful else None


def _reference_year(preamble: list[str], tasks: list[ParsedTask], fallback: int) -> int:
    """The plan's year: from its title rows, else the year its deadlines name most."""
    for line in preamble:
        years = _ANY_YEAR.findall(line)
        if years:
            return int(years[-1])
    counted = Counter(int(y) for task in tasks for y in _ANY_YEAR.findall(task.deadline))
    return counted.most_common(1)[0][0] if counted else fallback


def understand_appendix(path: Path, *, fallback_year: int) -> Appendix:
    """Read and parse an appendix file; raises UnreadableAppendix when it is not one."""
    table = parse_tables(read_appendix(path))
    year = _reference_year(table.preamble, table.tasks, fallback_year)
    tasks = [
        AppendixTask(
            position,
            task,
            *_cells(task),
            deadline=parse_deadline(task.deadline, year),
            kpi=_kpi(task),
        )
        for position, task in enumerate(table.tasks, start=1)
    ]
    bad = sum(1 for task in tasks if task.bad_reason is not None)
    if bad * 2 > len(tasks):
        # Most rows name no responsible body: a list, a timetable, not a task assignment.
        raise UnreadableAppendix("no_units")
    return Appendix(
        tasks=tasks,
        number=_plan_number(table.preamble),
        title=_title(table.preamble),
        issued_on=_issue_date(table.preamble),
        reference_year=year,
        duplicate_codes=table.duplicate_codes,
        label=_label(table.preamble),
    )

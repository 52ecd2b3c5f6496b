"""An appendix file read and understood, before anything is stored."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.plan_import.deadline import Deadline, parse_deadline
from bot.plan_import.kpi import KpiTarget, parse_kpi
from bot.plan_import.readers import read_appendix
from bot.plan_import.table import ParsedTask, parse_tables
from bot.plan_import.unit_names import UnitCell, parse_unit_cell
from storage.folding import fold_text
from storage.names import clean_spaces

_PLAN_NUMBER = re.compile(r"\bs[oố]\s*:?\s*(\d{1,4}\s*/\s*[A-ZĐ][\w\-Đ/]*)", re.IGNORECASE)
_ISSUE_DATE = re.compile(r"\bng[aà]y\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d{2})")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class AppendixTask:
    position: int
    parsed: ParsedTask
    lead: UnitCell
    coordinate: UnitCell
    deadline: Deadline
    kpi: KpiTarget | None


@dataclass(frozen=True)
class Appendix:
    tasks: list[AppendixTask]
    number: str | None
    title: str | None
    issued_on: date | None
    reference_year: int
    duplicate_codes: list[str]


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
            position=position,
            parsed=task,
            lead=parse_unit_cell(task.lead),
            coordinate=parse_unit_cell(task.coordinate),
            deadline=parse_deadline(task.deadline, year),
            kpi=parse_kpi(task.content) or parse_kpi(task.output),
        )
        for position, task in enumerate(table.tasks, start=1)
    ]
    return Appendix(
        tasks=tasks,
        number=_plan_number(table.preamble),
        title=_title(table.preamble),
        issued_on=_issue_date(table.preamble),
        reference_year=year,
        duplicate_codes=table.duplicate_codes,
    )

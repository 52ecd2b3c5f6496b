"""Storing an understood appendix: one transaction, updates in place, a summary of changes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.plan_import.appendix import Appendix, AppendixTask, understand_appendix
from bot.plan_import.unit_names import UnitCell
from storage.models import Plan, Task, TaskUnit, Unit, Ward
from storage.names import clean_spaces, unit_key
from storage.repositories import Repositories, WardRepositories
from storage.repositories.plans import PlanRepository
from storage.repositories.units import match_keys
from storage.vocabulary import DeadlineKind, UnitLink

TRACKED_FIELDS = (
    "section_code",
    "section_title",
    "content",
    "output",
    "notes",
    "lead_units",
    "coordinating_units",
    "deadline_text",
    "deadline_kind",
    "deadline_due",
    "kpi",
)


@dataclass(frozen=True)
class ImportWarning:
    """Something the coordinator should look at; `code` selects the translated sentence."""

    code: str
    task: str | None = None
    text: str | None = None


class BadRows(Exception):
    """Rows that cannot be tasks (no responsible body): nothing is imported until the
    coordinator accepts importing the others."""

    def __init__(self, rows: list[AppendixTask]) -> None:
        super().__init__(len(rows))
        self.rows = rows


# The appendix a plan's tasks come from when the file does not say: its first.
FIRST_APPENDIX = "01"


@dataclass
class ImportSummary:
    plan_number: str
    plan_title: str
    plan_created: bool
    appendix: str | None
    sections: list[tuple[str | None, str | None, int]]
    units_matched: list[str]
    units_created: list[str]
    deadlines_by_kind: dict[str, int]
    kpis_parsed: int
    added: list[str] = field(default_factory=list)
    updated: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[ImportWarning] = field(default_factory=list)

    @property
    def task_count(self) -> int:
        return sum(count for _, _, count in self.sections)


class _UnitResolver:
    """Matches the names in a cell to the ward's units, creating the unknown ones."""

    def __init__(self, repositories: WardRepositories, units: list[Unit]) -> None:
        self._repositories = repositories
        # Active units first, so a spelling shared with a removed unit finds the live one.
        ordered = sorted(units, key=lambda unit: not unit.active)
        self._by_key: dict[str, Unit] = {}
        for unit in ordered:
            for key in match_keys(unit):
                self._by_key.setdefault(key, unit)
        self.matched: dict[str, str] = {}
        self.created: list[str] = []
        self.reactivated: list[str] = []

    async def resolve(self, name: str) -> Unit:
        unit = self._by_key.get(unit_key(name))
        if unit is None:
            unit = await self._repositories.units.add(name)
            self.created.append(unit.name)
        elif unit.name not in self.created:
            if not unit.active:
                # The appendix names a unit the coordinator had removed: it reports again.
                unit.active = True
                self.reactivated.append(unit.name)
            self.matched.setdefault(unit.name, name)
            if clean_spaces(name) != unit.name:
                self._repositories.units.add_alias(unit, name)
        for key in match_keys(unit):
            self._by_key.setdefault(key, unit)
        return unit

    async def resolve_cell(self, cell: UnitCell) -> list[Unit]:
        return [await self.resolve(name) for name in cell.names]


def _kpi_snapshot(value: Decimal | None, unit: str | None, comparator: object) -> list[Any] | None:
    if value is None:
        return None
    return [format(value.normalize(), "f"), unit, str(comparator)]


def _task_snapshot(task: Task) -> dict[str, Any]:
    leads = [link.unit.name for link in task.unit_links if link.link is UnitLink.LEAD]
    coordinating = [link.unit.name for link in task.unit_links if link.link is UnitLink.COORDINATE]
    return {
        "section_code": task.section_code,
        "section_title": task.section_title,
        "content": task.content,
        "output": task.output,
        "notes": task.notes,
        "lead_units": (["*"] if task.lead_all_units else []) + leads,
        "coordinating_units": (["*"] if task.coordinate_all_units else []) + coordinating,
        "deadline_text": task.deadline_text,
        "deadline_kind": str(task.deadline_kind),
        "deadline_due": task.deadline_due.isoformat() if task.deadline_due else None,
        "kpi": _kpi_snapshot(task.kpi_value, task.kpi_unit, task.kpi_comparator),
    }


def _apply(task: Task, item: AppendixTask, leads: list[Unit], coordinating: list[Unit]) -> None:
    parsed = item.parsed
    task.position = item.position
    task.section_code = parsed.section_code
    task.section_title = parsed.section_title
    task.content = parsed.content
    task.output = parsed.output or None
    task.notes = parsed.notes or None
    task.lead_all_units = item.lead.all_units
    task.coordinate_all_units = item.coordinate.all_units
    task.deadline_kind = item.deadline.kind
    task.deadline_due = item.deadline.due
    task.deadline_text = item.deadline.text
    task.kpi_value = item.kpi.value if item.kpi else None
    task.kpi_unit = item.kpi.unit if item.kpi else None
    task.kpi_comparator = item.kpi.comparator if item.kpi else None
    task.source_text = parsed.source_text
    task.active = True
    wanted = [(unit, UnitLink.LEAD) for unit in leads] + [
        (unit, UnitLink.COORDINATE) for unit in coordinating if unit not in leads
    ]
    current = {(link.unit_id, link.link): link for link in task.unit_links}
    links = []
    for position, (unit, link_kind) in enumerate(wanted):
        link = current.get((unit.id, link_kind)) or TaskUnit(unit=unit, link=link_kind)
        link.position = position
        links.append(link)
    task.unit_links = links


def _warnings(appendix: Appendix, number_found: bool) -> list[ImportWarning]:
    warnings: list[ImportWarning] = []
    if not number_found:
        warnings.append(ImportWarning("no_plan_number"))
    for code in appendix.duplicate_codes:
        warnings.append(ImportWarning("duplicate_code", task=code))
    for item in appendix.bad_rows:
        warnings.append(
            ImportWarning("bad_row_skipped", task=row_place(item), text=item.parsed.lead)
        )
    for item in appendix.good_tasks:
        code = item.parsed.code
        if item.deadline.kind is DeadlineKind.UNKNOWN:
            warnings.append(ImportWarning("unknown_deadline", task=code, text=item.deadline.text))
        if item.parsed.kpi_target and item.kpi is None:
            warnings.append(ImportWarning("unknown_kpi", task=code, text=item.parsed.kpi_target))
        for cell in (item.lead, item.coordinate):
            if cell.relevant_units:
                warnings.append(ImportWarning("relevant_units", task=code))
            for sentence in cell.sentences:
                warnings.append(ImportWarning("sentence_unit", task=code, text=sentence))
    return warnings


def row_place(item: AppendixTask) -> str:
    """Where a row is in the file, as "kind:sheet:row" for the message that names it."""
    parsed = item.parsed
    return f"{parsed.sheet_kind}:{parsed.sheet}:{parsed.row_number}"


async def _find_plan(plans: PlanRepository, number: str | None, path: Path) -> Plan | None:
    """The plan a re-import updates: by its number, else the plan last read from a file of
    the same name (a CSV export carries no number)."""
    if number is not None:
        return await plans.by_number(number)
    for plan in await plans.all():
        if plan.source_file == path.name:
            return plan
    return None


def _task_code(appendix: str, code: str) -> str:
    """Codes stay unique in a plan: tasks of a plan's later appendices are prefixed "PL02."."""
    return code if appendix == FIRST_APPENDIX else f"PL{appendix}.{code}"


async def import_appendix(
    repositories: Repositories,
    ward: Ward,
    path: Path,
    *,
    number: str | None = None,
    title: str | None = None,
    appendix_label: str | None = None,
    accept_warnings: bool = False,
    actor: str = "cli",
) -> ImportSummary:
    """Import (or re-import) a plan appendix into the ward, inside the caller's transaction.

    Raises UnreadableAppendix before anything is written when the file is not an appendix, and
    BadRows when some rows name no responsible body, unless `accept_warnings`. A re-import keeps
    the plan's number and title unless new ones are given; each appendix of a plan ("Phụ lục
    01", "02"…) is updated on its own.
    """
    appendix = understand_appendix(path, fallback_year=repositories.clock.now().year)
    if appendix.bad_rows and not accept_warnings:
        raise BadRows(appendix.bad_rows)
    ward_repositories = repositories.for_ward(ward.id)
    given_number = clean_spaces(number) if number else None
    plan = await _find_plan(ward_repositories.plans, given_number or appendix.number, path)
    plan_created = plan is None
    if plan is None:
        plan_number = given_number or appendix.number or clean_spaces(path.stem)
        plan = await ward_repositories.plans.add(
            plan_number, clean_spaces(title or appendix.title or path.stem)
        )
        repositories.audit.record(
            actor=actor,
            action="create",
            entity="plan",
            entity_id=plan.id,
            ward_id=ward.id,
            changes={"number": [None, plan.number], "title": [None, plan.title]},
        )
    await _update_plan(
        repositories, plan, clean_spaces(title) if title else None, appendix.issued_on, path, actor
    )
    label = appendix_label or appendix.label
    which = label or FIRST_APPENDIX
    resolver = _UnitResolver(
        ward_repositories, await ward_repositories.units.all(include_inactive=True)
    )
    existing = {
        task.code: task
        for task in await ward_repositories.plans.tasks(plan, include_inactive=True)
        if (task.appendix or FIRST_APPENDIX) == which
    }
    good = appendix.good_tasks
    summary = ImportSummary(
        plan_number=plan.number,
        plan_title=plan.title,
        plan_created=plan_created,
        appendix=label,
        sections=[],
        units_matched=[],
        units_created=[],
        deadlines_by_kind=dict(Counter(str(item.deadline.kind) for item in good)),
        kpis_parsed=sum(1 for item in good if item.kpi is not None),
        warnings=_warnings(appendix, given_number is not None or appendix.number is not None),
    )
    for item in good:
        leads = await resolver.resolve_cell(item.lead)
        coordinating = await resolver.resolve_cell(item.coordinate)
        code = _task_code(which, item.parsed.code)
        task = existing.pop(code, None)
        before = _task_snapshot(task) if task is not None and task.active else None
        if task is None:
            task = Task(plan_id=plan.id, code=code, unit_links=[])
            ward_repositories.plans.add_task(task)
        task.appendix = label
        _apply(task, item, leads, coordinating)
        after = _task_snapshot(task)
        if before is None:
            # New tasks are audited together below: the row itself holds what they say.
            summary.added.append(code)
        elif before != after:
            changes = {
                name: [before[name], after[name]]
                for name in TRACKED_FIELDS
                if before[name] != after[name]
            }
            summary.updated[code] = changes
            repositories.audit.record(
                actor=actor,
                action="update",
                entity="task",
                entity_id=code,
                ward_id=ward.id,
                changes=changes,
            )
        else:
            summary.unchanged += 1
    for code, task in existing.items():
        if task.active:
            # Kept, not deleted: reports may already point at it.
            task.active = False
            summary.removed.append(code)
            repositories.audit.record(
                actor=actor,
                action="deactivate",
                entity="task",
                entity_id=code,
                ward_id=ward.id,
                changes={"active": [True, False]},
            )
    for name in resolver.created:
        summary.warnings.append(ImportWarning("unit_created", text=name))
        repositories.audit.record(
            actor=actor,
            action="create",
            entity="unit",
            ward_id=ward.id,
            changes={"name": [None, name]},
        )
    if summary.added:
        repositories.audit.record(
            actor=actor,
            action="add_tasks",
            entity="plan",
            entity_id=plan.id,
            ward_id=ward.id,
            changes={"tasks": [None, summary.added], "file": [None, path.name]},
        )
    for name in resolver.reactivated:
        summary.warnings.append(ImportWarning("unit_reactivated", text=name))
    summary.units_matched = sorted(resolver.matched)
    summary.units_created = resolver.created
    summary.sections = _section_counts(appendix)
    await repositories.session.flush()
    return summary


async def _update_plan(
    repositories: Repositories,
    plan: Plan,
    title: str | None,
    issued_on: date | None,
    path: Path,
    actor: str,
) -> None:
    ward_id = plan.ward_id
    changes: dict[str, list[Any]] = {}
    if title is not None and plan.title != title:
        changes["title"] = [plan.title, title]
        plan.title = title
    if issued_on is not None and plan.issued_on != issued_on:
        changes["issued_on"] = [
            plan.issued_on.isoformat() if plan.issued_on else None,
            issued_on.isoformat(),
        ]
        plan.issued_on = issued_on
    plan.source_file = path.name
    repositories.for_ward(ward_id).plans.touch(plan)
    if changes:
        repositories.audit.record(
            actor=actor,
            action="update",
            entity="plan",
            entity_id=plan.id,
            ward_id=ward_id,
            changes=changes,
        )


def _section_counts(appendix: Appendix) -> list[tuple[str | None, str | None, int]]:
    counts: dict[tuple[str | None, str | None], int] = {}
    for item in appendix.good_tasks:
        key = (item.parsed.section_code, item.parsed.section_title)
        counts[key] = counts.get(key, 0) + 1
    return [(code, title, count) for (code, title), count in counts.items()]

"""One computed summary of a ward's period, from which every output is rendered.

The chat digest, the Word report, the workbook and the chart read only this, so they agree
number for number; `report_counts` is the one place their counts are made.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from handlers.guidance.stats import QuestionStats, summarize_questions
from handlers.reporting.timing import Timing, timing
from handlers.reporting.words import COUNT_ORDER
from storage.models import Blocker, Period, Task, Unit, Ward
from storage.repositories import Repositories
from storage.repositories.reports import Answer
from storage.vocabulary import BlockerState, Comparator, SubmissionState, TaskStatus


@dataclass(frozen=True)
class UnitProgress:
    unit: str
    state: SubmissionState
    submitted_late: bool
    answered: int
    total: int

    @property
    def submitted(self) -> bool:
        return self.state in (SubmissionState.SUBMITTED, SubmissionState.ACCEPTED)


@dataclass(frozen=True)
class TaskLine:
    """A task's consolidated state in the period, over every unit that reports on it."""

    code: str
    section: str | None
    content: str
    status: TaskStatus | None
    timing: Timing | None
    lead_units: tuple[str, ...] = ()
    output: str | None = None
    deadline: str = ""
    results: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitAnswer:
    """One unit's answer for one task: a row of the workbook for the monitoring system."""

    unit: str
    code: str
    status: TaskStatus | None
    timing: Timing | None
    progress_percent: int | None
    kpi_value: Decimal | None
    result: str | None
    difficulties: str | None
    proposals: str | None
    evidence: int
    changed_after_due: bool


@dataclass(frozen=True)
class KpiLine:
    code: str
    content: str
    target: Decimal
    unit: str
    comparator: Comparator
    value: Decimal | None
    met: bool | None


@dataclass(frozen=True)
class Proposal:
    unit: str
    code: str
    text: str


@dataclass(frozen=True)
class OpenBlocker:
    id: int
    unit: str
    description: str
    due_at: datetime
    overdue: bool


@dataclass(frozen=True)
class PeriodSummary:
    ward: str
    timezone: str
    period: str
    due_at: datetime
    units: tuple[UnitProgress, ...]
    tasks: tuple[TaskLine, ...]
    kpis: tuple[KpiLine, ...]
    blockers: tuple[OpenBlocker, ...]
    proposals: tuple[Proposal, ...]
    newly_done: tuple[str, ...]
    newly_overdue: tuple[str, ...]
    past_due: bool
    answers: tuple[UnitAnswer, ...] = ()
    difficulties: tuple[Proposal, ...] = ()
    generated_on: date | None = None
    # Community digital support is itself a plan target: citizens' questions in the period.
    questions: QuestionStats | None = None

    @property
    def submitted(self) -> int:
        return sum(unit.submitted for unit in self.units)

    @property
    def late_units(self) -> tuple[str, ...]:
        """Units that submitted after the due moment, or have not submitted once it passed."""
        return tuple(
            u.unit for u in self.units if u.submitted_late or (self.past_due and not u.submitted)
        )

    def status_counts(
        self, tasks: tuple[TaskLine, ...] | None = None
    ) -> Counter[tuple[TaskStatus | None, Timing | None]]:
        """Tasks by (status, timing): of the whole ward, or of the tasks given (a section)."""
        return Counter(
            (task.status, task.timing) for task in (self.tasks if tasks is None else tasks)
        )

    def section_tasks(self, section: str | None) -> tuple[TaskLine, ...]:
        return tuple(task for task in self.tasks if task.section == section)

    @property
    def sections(self) -> tuple[str | None, ...]:
        return tuple(dict.fromkeys(task.section for task in self.tasks))

    @property
    def next_tasks(self) -> tuple[TaskLine, ...]:
        """Tasks still to do next period: not done (and not "nothing this period"), overdue
        ones first, each group in plan order."""
        pending = [
            task
            for task in self.tasks
            if task.status not in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)
        ]
        return tuple(sorted(pending, key=lambda task: task.timing is not Timing.OVERDUE))


@dataclass(frozen=True)
class ReportCounts:
    """Every count a report of the period prints, made once from the summary."""

    units: int
    submitted: int
    late_units: int
    tasks: int
    statuses: dict[tuple[TaskStatus | None, Timing | None], int]
    kpis: int
    kpis_met: int
    kpis_not_met: int
    kpis_no_data: int
    difficulties: int
    blockers: int
    blockers_overdue: int
    proposals: int
    next_tasks: int
    next_overdue: int


def report_counts(summary: PeriodSummary) -> ReportCounts:
    """The counts of `summary`, made in this one place so that no report counts on its own;
    `statuses` holds the non-zero (status, timing) counts in the order reports list them."""
    counts = summary.status_counts()
    pending = summary.next_tasks
    return ReportCounts(
        units=len(summary.units),
        submitted=summary.submitted,
        late_units=len(summary.late_units),
        tasks=len(summary.tasks),
        statuses={key: counts[key] for key in COUNT_ORDER if counts[key]},
        kpis=len(summary.kpis),
        kpis_met=sum(1 for kpi in summary.kpis if kpi.met is True),
        kpis_not_met=sum(1 for kpi in summary.kpis if kpi.met is False),
        kpis_no_data=sum(1 for kpi in summary.kpis if kpi.met is None),
        difficulties=len(summary.difficulties),
        blockers=len(summary.blockers),
        blockers_overdue=sum(1 for blocker in summary.blockers if blocker.overdue),
        proposals=len(summary.proposals),
        next_tasks=len(pending),
        next_overdue=sum(1 for task in pending if task.timing is Timing.OVERDUE),
    )


def consolidated_status(statuses: list[TaskStatus], unanswered: int = 0) -> TaskStatus | None:
    """A task several units report on is done when every unit it concerns is done (units yet
    to answer keep it in progress), not started while none has started, in progress
    otherwise; "nothing this period" from every unit stays that."""
    relevant = [s for s in statuses if s is not TaskStatus.NOT_APPLICABLE]
    if not statuses:
        return None
    if not relevant:
        return TaskStatus.NOT_APPLICABLE if not unanswered else None
    if all(s is TaskStatus.DONE for s in relevant):
        return TaskStatus.DONE if not unanswered else TaskStatus.IN_PROGRESS
    if all(s is TaskStatus.NOT_STARTED for s in relevant):
        return TaskStatus.NOT_STARTED
    return TaskStatus.IN_PROGRESS


def kpi_met(value: Decimal, target: Decimal, comparator: Comparator) -> bool:
    checks = {
        Comparator.AT_LEAST: value >= target,
        Comparator.MORE_THAN: value > target,
        Comparator.EXACTLY: value == target,
        Comparator.AT_MOST: value <= target,
        Comparator.LESS_THAN: value < target,
    }
    return checks[comparator]


def _section(task: Task) -> str | None:
    if task.section_code and task.section_title:
        return f"{task.section_code}. {task.section_title}"
    return task.section_title or task.section_code


async def _tasks_and_reporting_units(
    repositories: Repositories, ward: Ward
) -> tuple[list[Task], dict[int, tuple[Unit, tuple[Task, ...]]]]:
    ward_repositories = repositories.for_ward(ward.id)
    units = await ward_repositories.units.all()
    tasks, shares = await ward_repositories.plans.tasks_by_unit([unit.id for unit in units])
    reporting = {
        unit.id: (unit, shares[unit.id].reporting) for unit in units if shares[unit.id].reporting
    }
    return tasks, reporting


def _task_lines(
    tasks: list[Task],
    reports: list[Answer],
    reporting: dict[int, tuple[Unit, tuple[Task, ...]]],
    period: Period,
    zone: ZoneInfo,
) -> dict[int, TaskLine]:
    concerned: dict[int, set[int]] = {}
    for unit_id, (_unit, unit_tasks) in reporting.items():
        for task in unit_tasks:
            concerned.setdefault(task.id, set()).add(unit_id)
    by_task: dict[int, list[Answer]] = {}
    for report in reports:
        if report.status is not None and report.unit_id in concerned.get(report.task_id, ()):
            by_task.setdefault(report.task_id, []).append(report)
    unit_names = {unit_id: unit.name for unit_id, (unit, _tasks) in reporting.items()}
    lines = {}
    for task in tasks:
        answers = by_task.get(task.id, [])
        unanswered = len(concerned.get(task.id, ())) - len(answers)
        status = consolidated_status(
            [a.status for a in answers if a.status is not None], unanswered
        )
        answered_on = max((a.updated_at for a in answers), default=None)
        when = (
            timing(status, task.deadline_due, answered_on.astimezone(zone).date(), period.ends_on)
            if answered_on
            else None
        )
        leads = tuple(unit_names[u] for u in sorted(concerned.get(task.id, ())) if u in unit_names)
        results = tuple(f"{unit_names[a.unit_id]}: {a.result}" for a in answers if a.result)
        lines[task.id] = TaskLine(
            task.code,
            _section(task),
            task.content,
            status,
            when,
            lead_units=leads,
            output=task.output,
            deadline=task.deadline_text,
            results=results,
        )
    return lines


async def summarize(repositories: Repositories, ward: Ward, period: Period) -> PeriodSummary:
    """Everything the digest and the exports show for `period`, computed once."""
    ward_repositories = repositories.for_ward(ward.id)
    zone = ZoneInfo(ward.timezone)
    tasks, reporting = await _tasks_and_reporting_units(repositories, ward)
    reports = await ward_repositories.reports.for_period(period)
    submissions = await ward_repositories.reports.submissions(period)
    task_ids = {task.id for task in tasks}
    answered_by_unit = Counter((r.unit_id, r.task_id) for r in reports if r.status is not None)
    units = []
    for unit_id, (unit, unit_tasks) in reporting.items():
        submission = submissions.get(unit_id)
        answered = sum(answered_by_unit[(unit_id, task.id)] for task in unit_tasks)
        units.append(
            UnitProgress(
                unit.name,
                submission.state if submission else SubmissionState.DRAFT,
                bool(submission and submission.submitted_late),
                answered,
                len(unit_tasks),
            )
        )
    lines = _task_lines(tasks, reports, reporting, period, zone)
    previous_period = await ward_repositories.periods.previous(period)
    previous_lines = (
        _task_lines(
            tasks,
            await ward_repositories.reports.for_period(previous_period),
            reporting,
            previous_period,
            zone,
        )
        if previous_period
        else {}
    )
    unit_names = {unit_id: unit.name for unit_id, (unit, _) in reporting.items()}
    kpi_values: dict[int, list[Decimal]] = {}
    for report in reports:
        if report.kpi_value is not None:
            kpi_values.setdefault(report.task_id, []).append(report.kpi_value)
    kpis = tuple(
        _kpi_line(task, kpi_values.get(task.id, []))
        for task in tasks
        if task.kpi_value is not None and task.kpi_comparator is not None
    )
    codes = {task.id: task.code for task in tasks}
    ordered = sorted(
        (r for r in reports if r.task_id in task_ids and r.unit_id in unit_names),
        key=lambda r: (unit_names[r.unit_id], r.task_id),
    )
    proposals = tuple(
        Proposal(unit_names[r.unit_id], codes[r.task_id], r.proposals)
        for r in ordered
        if r.proposals
    )
    difficulties = tuple(
        Proposal(unit_names[r.unit_id], codes[r.task_id], r.difficulties)
        for r in ordered
        if r.difficulties
    )
    due_by_task = {task.id: task.deadline_due for task in tasks}
    answers = tuple(
        UnitAnswer(
            unit=unit_names[r.unit_id],
            code=codes[r.task_id],
            status=r.status,
            timing=timing(
                r.status,
                due_by_task[r.task_id],
                r.updated_at.astimezone(zone).date(),
                period.ends_on,
            ),
            progress_percent=r.progress_percent,
            kpi_value=r.kpi_value,
            result=r.result,
            difficulties=r.difficulties,
            proposals=r.proposals,
            evidence=len(r.evidence),
            changed_after_due=r.changed_after_due,
        )
        for r in ordered
        if r.status is not None
    )
    now = repositories.clock.now()
    blockers = tuple(
        _open_blocker(b, unit_names, now) for b in await ward_repositories.blockers.open()
    )
    newly_done = tuple(
        line.code
        for task_id, line in lines.items()
        if line.status is TaskStatus.DONE
        and (
            previous_lines.get(task_id) is None
            or previous_lines[task_id].status is not TaskStatus.DONE
        )
        and previous_period is not None
    )
    newly_overdue = tuple(
        line.code
        for task_id, line in lines.items()
        if line.timing is Timing.OVERDUE
        and (
            previous_lines.get(task_id) is None
            or previous_lines[task_id].timing is not Timing.OVERDUE
        )
    )
    return PeriodSummary(
        ward=ward.name,
        timezone=ward.timezone,
        period=period.label,
        due_at=period.due_at,
        units=tuple(units),
        tasks=tuple(lines[task.id] for task in tasks),
        kpis=kpis,
        blockers=blockers,
        proposals=proposals,
        newly_done=newly_done,
        newly_overdue=newly_overdue,
        past_due=now > period.due_at,
        answers=answers,
        difficulties=difficulties,
        generated_on=now.astimezone(zone).date(),
        questions=summarize_questions(
            (q.masked_text, q.outcome)
            for q in await repositories.questions.between(
                ward.id,
                datetime.combine(period.starts_on, time(), zone),
                datetime.combine(period.ends_on + timedelta(days=1), time(), zone),
            )
        ),
    )


def _kpi_line(task: Task, values: list[Decimal]) -> KpiLine:
    """The weakest reported value decides: a ward target is met when every unit meets it."""
    assert task.kpi_value is not None and task.kpi_comparator is not None
    value = min(values) if values else None
    met = kpi_met(value, task.kpi_value, task.kpi_comparator) if value is not None else None
    return KpiLine(
        task.code,
        task.content,
        task.kpi_value,
        task.kpi_unit or "",
        task.kpi_comparator,
        value,
        met,
    )


def _open_blocker(blocker: Blocker, unit_names: dict[int, str], now: datetime) -> OpenBlocker:
    assert blocker.state is BlockerState.OPEN
    return OpenBlocker(
        blocker.id,
        unit_names.get(blocker.unit_id, ""),
        blocker.description,
        blocker.answer_due_at,
        now > blocker.answer_due_at,
    )

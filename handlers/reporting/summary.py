"""One computed summary of what a ward reports on, from which every output is rendered.

The chat digest, the Word report, the workbook and the chart read only this, so they agree
number for number; `report_counts` is the one place their counts are made, and each task's
category comes from the one rule in `standing.py`. A summary covers one stored period (a
month, or a half-year round) or a quarter, half-year or year made from its months.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from handlers.guidance.stats import QuestionStats, period_questions
from handlers.reporting.letterhead import Letterhead, letterhead
from handlers.reporting.spans import ReportSpan, parse_span
from handlers.reporting.standing import (
    DONE,
    STANDING_ORDER,
    Reply,
    Standing,
    TaskStanding,
    answer_standing,
    task_standing,
)
from storage.models import Blocker, Period, Task, Unit, Ward
from storage.repositories import Repositories
from storage.repositories.reports import Answer
from storage.vocabulary import (
    SUBMITTED_STATES,
    BlockerState,
    Comparator,
    SubmissionState,
    TaskStatus,
)


@dataclass(frozen=True)
class UnitProgress:
    unit: str
    state: SubmissionState
    submitted_late: bool
    answered: int
    total: int

    @property
    def submitted(self) -> bool:
        return self.state in SUBMITTED_STATES


@dataclass(frozen=True)
class MonthNote:
    """What a unit wrote for a task in one month of a quarter's (half-year's, year's) report."""

    period: str
    status: TaskStatus
    progress_percent: int | None
    result: str | None
    difficulties: str | None


@dataclass(frozen=True)
class UnitAnswer:
    """One unit's answer for one task (in a roll-up, its latest): a row of the workbook for
    the monitoring system. `standing` is the answer judged by the ward's rule."""

    unit: str
    code: str
    status: TaskStatus
    standing: Standing
    progress_percent: int | None
    kpi_value: Decimal | None
    result: str | None
    difficulties: str | None
    proposals: str | None
    evidence: int
    changed_after_due: bool
    # A roll-up's months, oldest first, each with what the unit wrote then.
    history: tuple[MonthNote, ...] = ()


@dataclass(frozen=True)
class TaskLine:
    """A task's consolidated state over every unit that reports on it."""

    code: str
    section: str | None
    content: str
    standing: TaskStanding
    lead_units: tuple[str, ...] = ()
    output: str | None = None
    deadline: str = ""
    due: date | None = None
    # Every answer of the units that report on it, in unit order.
    answers: tuple[UnitAnswer, ...] = ()
    # Blockers raised on this task during the period.
    blockers: tuple[str, ...] = ()

    @property
    def category(self) -> Standing:
        return self.standing.standing


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
class NextFocus:
    """Section V: the overdue tasks and those due by the end of the next period, each in
    plan order; the other unfinished tasks only counted, by plan section."""

    overdue: tuple[TaskLine, ...]
    due_next: tuple[TaskLine, ...]
    others: tuple[tuple[str | None, tuple[TaskLine, ...]], ...]

    @property
    def pending(self) -> int:
        return len(self.overdue) + len(self.due_next) + sum(len(t) for _s, t in self.others)


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
    # The period compared with ("So với kỳ trước"), when there is one.
    previous: str | None = None
    # The day the figures stand at: before the period's last day, the report is interim.
    as_of: date | None = None
    # A quarter's, half-year's or year's report: the months it was made from.
    covers: tuple[str, ...] = ()
    # How the Word report is headed and signed: the ward's settings (None: the defaults).
    letterhead: Letterhead | None = None

    @property
    def span(self) -> ReportSpan:
        return parse_span(self.period)

    @property
    def interim(self) -> bool:
        """The period is still running: the figures are "đến ngày" `as_of`."""
        return self.as_of is not None and self.as_of < self.span.ends_on

    @property
    def submitted(self) -> int:
        return sum(unit.submitted for unit in self.units)

    @property
    def late_units(self) -> tuple[str, ...]:
        """Units that submitted after the due moment, or have not submitted once it passed."""
        return tuple(
            u.unit for u in self.units if u.submitted_late or (self.past_due and not u.submitted)
        )

    def status_counts(self, tasks: tuple[TaskLine, ...] | None = None) -> Counter[Standing]:
        """Tasks by category: of the whole ward, or of the tasks given (a section)."""
        return Counter(task.category for task in (self.tasks if tasks is None else tasks))

    def section_tasks(self, section: str | None) -> tuple[TaskLine, ...]:
        return tuple(task for task in self.tasks if task.section == section)

    @property
    def sections(self) -> tuple[str | None, ...]:
        return tuple(dict.fromkeys(task.section for task in self.tasks))

    @property
    def next_focus(self) -> NextFocus:
        """What section V of the report lists: see `NextFocus`."""
        next_end = self.span.following().ends_on
        pending = [
            task for task in self.tasks if task.category not in (*DONE, Standing.NOT_APPLICABLE)
        ]
        overdue = tuple(task for task in pending if task.standing.past_due)
        due_next = tuple(
            task
            for task in pending
            if not task.standing.past_due and task.due is not None and task.due <= next_end
        )
        listed = {id(task) for task in (*overdue, *due_next)}
        others: dict[str | None, list[TaskLine]] = {}
        for task in pending:
            if id(task) not in listed:
                others.setdefault(task.section, []).append(task)
        return NextFocus(
            overdue, due_next, tuple((section, tuple(tasks)) for section, tasks in others.items())
        )


@dataclass(frozen=True)
class ReportCounts:
    """Every count a report of the period prints, made once from the summary."""

    units: int
    submitted: int
    late_units: int
    tasks: int
    statuses: dict[Standing, int]
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
    next_due: int


def report_counts(summary: PeriodSummary) -> ReportCounts:
    """The counts of `summary`, made in this one place so that no report counts on its own;
    `statuses` holds the non-zero counts by category, in the order reports list them."""
    counts = summary.status_counts()
    focus = summary.next_focus
    return ReportCounts(
        units=len(summary.units),
        submitted=summary.submitted,
        late_units=len(summary.late_units),
        tasks=len(summary.tasks),
        statuses={key: counts[key] for key in STANDING_ORDER if counts[key]},
        kpis=len(summary.kpis),
        kpis_met=sum(1 for kpi in summary.kpis if kpi.met is True),
        kpis_not_met=sum(1 for kpi in summary.kpis if kpi.met is False),
        kpis_no_data=sum(1 for kpi in summary.kpis if kpi.met is None),
        difficulties=len(summary.difficulties),
        blockers=len(summary.blockers),
        blockers_overdue=sum(1 for blocker in summary.blockers if blocker.overdue),
        proposals=len(summary.proposals),
        next_tasks=focus.pending,
        next_overdue=len(focus.overdue),
        next_due=len(focus.due_next),
    )


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


@dataclass(frozen=True)
class _Ward:
    """The ward's tasks and the units that report on each."""

    tasks: list[Task]
    names: dict[int, str]
    unit_tasks: dict[int, tuple[Task, ...]]
    concerned: dict[int, list[int]]


async def _ward_tasks(repositories: Repositories, ward: Ward) -> _Ward:
    ward_repositories = repositories.for_ward(ward.id)
    units: list[Unit] = await ward_repositories.units.all()
    tasks, shares = await ward_repositories.plans.tasks_by_unit([unit.id for unit in units])
    reporting = {unit.id: shares[unit.id].reporting for unit in units if shares[unit.id].reporting}
    concerned: dict[int, list[int]] = {}
    for unit_id, unit_tasks in reporting.items():
        for task in unit_tasks:
            concerned.setdefault(task.id, []).append(unit_id)
    names = {unit.id: unit.name for unit in units if unit.id in reporting}
    return _Ward(tasks, names, reporting, concerned)


@dataclass(frozen=True)
class _Latest:
    """A unit's latest answer for a task over the periods read, and every month's answer."""

    answer: Answer
    history: tuple[tuple[str, Answer], ...]


async def _latest_answers(
    repositories: Repositories, ward: Ward, known: _Ward, periods: Sequence[Period]
) -> dict[tuple[int, int], _Latest]:
    """(unit, task) → the latest answer with a status in `periods`, for the units that
    report on the task."""
    ward_repositories = repositories.for_ward(ward.id)
    found: dict[tuple[int, int], list[tuple[str, Answer]]] = {}
    for period in periods:
        for answer in await ward_repositories.reports.for_period(period):
            if answer.status is not None and answer.unit_id in known.concerned.get(
                answer.task_id, ()
            ):
                found.setdefault((answer.unit_id, answer.task_id), []).append(
                    (period.label, answer)
                )
    return {
        key: _Latest(months[-1][1], tuple(months) if len(periods) > 1 else ())
        for key, months in found.items()
    }


def _unit_answer(name: str, task: Task, latest: _Latest, zone: ZoneInfo, as_of: date) -> UnitAnswer:
    answer = latest.answer
    assert answer.status is not None
    return UnitAnswer(
        unit=name,
        code=task.code,
        status=answer.status,
        standing=answer_standing(
            answer.status, answer.updated_at.astimezone(zone).date(), task.deadline_due, as_of
        ),
        progress_percent=answer.progress_percent,
        kpi_value=answer.kpi_value,
        result=answer.result,
        difficulties=answer.difficulties,
        proposals=answer.proposals,
        evidence=len(answer.evidence),
        changed_after_due=answer.changed_after_due,
        history=tuple(
            MonthNote(label, a.status, a.progress_percent, a.result, a.difficulties)
            for label, a in latest.history
            if a.status is not None
        ),
    )


def _task_lines(
    known: _Ward,
    latest: dict[tuple[int, int], _Latest],
    zone: ZoneInfo,
    as_of: date,
    blockers: Sequence[Blocker] = (),
) -> dict[int, TaskLine]:
    raised: dict[int, list[str]] = {}
    for blocker in blockers:
        if blocker.task_id is not None:
            unit = known.names.get(blocker.unit_id, "")
            raised.setdefault(blocker.task_id, []).append(f"{unit}: {blocker.description}")
    lines = {}
    for task in known.tasks:
        units = sorted(known.concerned.get(task.id, ()), key=lambda u: known.names[u])
        found = [(u, latest[(u, task.id)]) for u in units if (u, task.id) in latest]
        replies = [
            Reply(item.answer.status, item.answer.updated_at.astimezone(zone).date())
            for _u, item in found
            if item.answer.status is not None
        ]
        lines[task.id] = TaskLine(
            task.code,
            _section(task),
            task.content,
            task_standing(replies, len(units), task.deadline_due, as_of),
            lead_units=tuple(known.names[u] for u in units),
            output=task.output,
            deadline=task.deadline_text,
            due=task.deadline_due,
            answers=tuple(
                _unit_answer(known.names[u], task, item, zone, as_of) for u, item in found
            ),
            blockers=tuple(raised.get(task.id, ())),
        )
    return lines


def _unit_progress(
    known: _Ward,
    latest: dict[tuple[int, int], _Latest],
    states: dict[int, tuple[SubmissionState, bool]],
) -> tuple[UnitProgress, ...]:
    return tuple(
        UnitProgress(
            known.names[unit_id],
            *states.get(unit_id, (SubmissionState.DRAFT, False)),
            answered=sum((unit_id, task.id) in latest for task in unit_tasks),
            total=len(unit_tasks),
        )
        for unit_id, unit_tasks in known.unit_tasks.items()
    )


async def _submission_states(
    repositories: Repositories, ward: Ward, periods: Sequence[Period]
) -> dict[int, tuple[SubmissionState, bool]]:
    """Per unit: its submission's state in the last period, and whether it was late in any."""
    ward_repositories = repositories.for_ward(ward.id)
    last: dict[int, SubmissionState] = {}
    late: set[int] = set()
    for period in periods:
        submissions = await ward_repositories.reports.submissions(period)
        late |= {unit for unit, s in submissions.items() if s.submitted_late}
        last = {unit: s.state for unit, s in submissions.items()}
    return {unit: (last.get(unit, SubmissionState.DRAFT), unit in late) for unit in {*last, *late}}


def _as_of(now: datetime, zone: ZoneInfo, ends_on: date) -> date:
    return min(now.astimezone(zone).date(), ends_on)


async def summarize(repositories: Repositories, ward: Ward, period: Period) -> PeriodSummary:
    """Everything the digest and the exports show for `period`, computed once."""
    previous = await repositories.for_ward(ward.id).periods.previous(period)
    return await _summarize(
        repositories,
        ward,
        period.label,
        [period],
        [previous] if previous else [],
        previous.label if previous else None,
    )


async def summarize_span(
    repositories: Repositories, ward: Ward, span: ReportSpan
) -> PeriodSummary | None:
    """The report of `span`: its stored period when there is one (a month, a half-year
    round), else the quarter, half-year or year made from the months it covers; None when
    the ward has no period in it. In a roll-up each task counts every unit's latest answer
    in those months, KPI values are the latest reported, and every month's words are kept."""
    periods = repositories.for_ward(ward.id).periods
    stored = await periods.by_label(span.label)
    if stored is not None:
        return await summarize(repositories, ward, stored)
    months = await periods.months_within(span.starts_on, span.ends_on)
    if not months:
        return None
    before = span.preceding()
    earlier = await periods.months_within(before.starts_on, before.ends_on)
    return await _summarize(
        repositories, ward, span.label, months, earlier, before.label if earlier else None
    )


async def _summarize(
    repositories: Repositories,
    ward: Ward,
    label: str,
    periods: Sequence[Period],
    previous: Sequence[Period],
    previous_label: str | None,
) -> PeriodSummary:
    ward_repositories = repositories.for_ward(ward.id)
    zone = ZoneInfo(ward.timezone)
    now = repositories.clock.now()
    span = parse_span(label)
    ends_on = periods[-1].ends_on if len(periods) == 1 else span.ends_on
    starts_on = periods[0].starts_on
    as_of = _as_of(now, zone, ends_on)
    known = await _ward_tasks(repositories, ward)
    latest = await _latest_answers(repositories, ward, known, periods)
    raised = await ward_repositories.blockers.raised_between(
        datetime.combine(starts_on, time(), zone),
        datetime.combine(ends_on + timedelta(days=1), time(), zone),
    )
    lines = _task_lines(known, latest, zone, as_of, raised)
    previous_lines = (
        _task_lines(
            known,
            await _latest_answers(repositories, ward, known, previous),
            zone,
            previous[-1].ends_on,
        )
        if previous
        else {}
    )
    tasks = tuple(lines[task.id] for task in known.tasks)
    answers = tuple(
        sorted(
            (answer for line in tasks for answer in line.answers),
            key=lambda a: a.unit,
        )
    )
    kpi_values: dict[int, list[Decimal]] = {}
    for (_unit, task_id), item in latest.items():
        if item.answer.kpi_value is not None:
            kpi_values.setdefault(task_id, []).append(item.answer.kpi_value)
    kpis = tuple(
        _kpi_line(task, kpi_values.get(task.id, []))
        for task in known.tasks
        if task.kpi_value is not None and task.kpi_comparator is not None
    )
    blockers = tuple(
        _open_blocker(b, known.names, now) for b in await ward_repositories.blockers.open()
    )
    newly_done, newly_overdue = _changes(lines, previous_lines) if previous else ((), ())
    return PeriodSummary(
        ward=ward.name,
        timezone=ward.timezone,
        period=label,
        due_at=periods[-1].due_at,
        units=_unit_progress(known, latest, await _submission_states(repositories, ward, periods)),
        tasks=tasks,
        kpis=kpis,
        blockers=blockers,
        proposals=tuple(Proposal(a.unit, a.code, a.proposals) for a in answers if a.proposals),
        newly_done=newly_done,
        newly_overdue=newly_overdue,
        past_due=now > periods[-1].due_at,
        answers=answers,
        difficulties=tuple(
            Proposal(a.unit, a.code, a.difficulties) for a in answers if a.difficulties
        ),
        generated_on=now.astimezone(zone).date(),
        questions=await period_questions(
            repositories.questions, ward.id, zone, starts_on, ends_on + timedelta(days=1)
        ),
        previous=previous_label,
        as_of=as_of,
        covers=tuple(p.label for p in periods) if len(periods) > 1 else (),
        letterhead=letterhead(ward.name, await ward_repositories.report_settings.get()),
    )


def _changes(
    lines: dict[int, TaskLine], previous: dict[int, TaskLine]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tasks done, and those overdue, now and not in the previous period."""
    done = tuple(
        line.code
        for task_id, line in lines.items()
        if line.category in DONE
        and (task_id not in previous or previous[task_id].category not in DONE)
    )
    overdue = tuple(
        line.code
        for task_id, line in lines.items()
        if line.standing.past_due
        and (task_id not in previous or not previous[task_id].standing.past_due)
    )
    return done, overdue


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

"""What is done to a period and a unit's report: open and close the period, submit the report,
accept it or return it with a reason. The chat commands and the CLI both call these.

Each action returns what happened, or why nothing did, as a value (`outcomes.py`), which
`action_texts.py` words for people. Everyone concerned is told through the outbox, in the same transaction.
"""

from __future__ import annotations

from handlers.checkin.outcomes import (
    CloseOutcome,
    DueDayOutOfRange,
    NoOpenPeriod,
    NotSubmitted,
    OpenOutcome,
    PeriodClosed,
    PeriodLabelUnreadable,
    PeriodLookup,
    PeriodNotOpen,
    PeriodOpened,
    PeriodOpenedBefore,
    ReportSubmitted,
    ReturnReasonMissing,
    ReviewOutcome,
    SeveralPeriodsOpen,
    SubmissionReviewed,
    SubmitNotAllowed,
    SubmitOutcome,
    TasksUnanswered,
    UnitLookup,
    UnitNotNamed,
    UnitUnknown,
)
from handlers.checkin.periods import BadPeriodLabel, due_moment, parse_period
from handlers.checkin.session import Checkin, answered, may_submit
from handlers.notify import notify
from storage.models import Member, Period, Unit, Ward
from storage.repositories import Repositories, WardRepositories
from storage.repositories.periods import PeriodExists
from storage.vocabulary import Role, SubmissionState


async def open_period(
    repositories: Repositories, ward: Ward, label: str, *, due_day: int | None = None, actor: str
) -> OpenOutcome:
    """Open a month or half-year and queue one message per unit head with what to do."""
    if due_day is not None and not 1 <= due_day <= 31:
        return DueDayOutOfRange(due_day)
    try:
        spec = parse_period(label)
    except BadPeriodLabel:
        return PeriodLabelUnreadable(label)
    ward_repositories = repositories.for_ward(ward.id)
    try:
        period = await ward_repositories.periods.open(
            spec.label, spec.kind, spec.starts_on, spec.ends_on, due_moment(ward, spec, due_day)
        )
    except PeriodExists as exists:
        return PeriodOpenedBefore(exists.period)
    repositories.audit.record(
        actor=actor,
        action="open",
        entity="period",
        entity_id=period.label,
        ward_id=ward.id,
        changes={"due_at": [None, period.due_at.isoformat()]},
    )
    units_told = 0
    for unit in await ward_repositories.units.all():
        heads = await ward_repositories.members.with_role(Role.UNIT_HEAD, unit_id=unit.id)
        units_told += await announce_period(repositories, ward, period, unit, heads)
    return PeriodOpened(period, ward.timezone, units_told)


async def announce_period(
    repositories: Repositories, ward: Ward, period: Period, unit: Unit, heads: list[Member]
) -> bool:
    """Tell a unit's heads the period is open, what is due and by when: once per head (a head
    who registers while it is open is told then). False when the unit reports nothing."""
    tasks = await repositories.for_ward(ward.id).plans.tasks_for_unit(unit.id)
    if not tasks.reporting or not heads:
        return False
    payload = {
        "kind": "period_opened",
        "period": period.label,
        "due_at": period.due_at.isoformat(),
        "timezone": ward.timezone,
        "unit": unit.name,
        "tasks": len(tasks.reporting),
    }
    await notify(
        repositories, ward.id, heads, payload, dedup=f"period-opened:{period.id}:{unit.id}"
    )
    return True


async def current_period(ward_repositories: WardRepositories) -> Period | NoOpenPeriod:
    """The ward's open period, which every action after opening works on."""
    return await ward_repositories.periods.current() or NoOpenPeriod()


async def select_period(ward_repositories: WardRepositories, label: str) -> PeriodLookup:
    """The open period named by ``label`` ("2026-11"), or with no label the only open one;
    when several are open an action must name one."""
    open_periods = await ward_repositories.periods.open_periods()
    if not open_periods:
        return NoOpenPeriod()
    labels = tuple(period.label for period in reversed(open_periods))
    label = label.strip()
    if label:
        try:
            wanted = parse_period(label).label
        except BadPeriodLabel:
            wanted = label
        found = next((period for period in open_periods if period.label == wanted), None)
        return found if found is not None else PeriodNotOpen(label, labels)
    if len(open_periods) > 1:
        return SeveralPeriodsOpen(labels)
    return open_periods[0]


async def close_period(
    repositories: Repositories, ward: Ward, *, actor: str, label: str = ""
) -> CloseOutcome:
    """Close the open period (the one named, when several are open): its answers can no
    longer change."""
    ward_repositories = repositories.for_ward(ward.id)
    period = await select_period(ward_repositories, label)
    if not isinstance(period, Period):
        return period
    ward_repositories.periods.close(period)
    repositories.audit.record(
        actor=actor,
        action="close",
        entity="period",
        entity_id=period.label,
        ward_id=period.ward_id,
        changes={"state": ["open", "closed"]},
    )
    return PeriodClosed(period)


async def named_unit(ward_repositories: WardRepositories, name: str, command: str) -> UnitLookup:
    """The unit a coordinator typed the name of after ``command`` (aliases and short forms
    too)."""
    if not name:
        return UnitNotNamed(command)
    unit = await ward_repositories.units.find(name)
    if unit is None:
        return UnitUnknown(name, tuple(known.name for known in await ward_repositories.units.all()))
    return unit


async def submit_report(
    repositories: Repositories, checkin: Checkin, member: Member, *, actor: str
) -> SubmitOutcome:
    """Submit the unit's report for the period once every task of its own is answered (the
    coordinating ones are optional); the coordinators are told."""
    if not may_submit(member, checkin.unit.id):
        return SubmitNotAllowed()
    missing = tuple(
        task.code
        for task in checkin.tasks
        if task not in checkin.coordinating and not answered(checkin.reports.get(task.id))
    )
    if missing:
        return TasksUnanswered(missing)
    ward_repositories = repositories.for_ward(checkin.unit.ward_id)
    submission = await ward_repositories.reports.submission(checkin.period, checkin.unit.id)
    ward_repositories.reports.submit(submission, checkin.period, member.id)
    repositories.audit.record(
        actor=actor,
        action="submit",
        entity="submission",
        entity_id=submission.id,
        ward_id=checkin.unit.ward_id,
        changes={"late": [None, submission.submitted_late]},
    )
    coordinators = await ward_repositories.members.with_role(Role.COORDINATOR)
    await notify(
        repositories,
        checkin.unit.ward_id,
        coordinators,
        {
            "kind": "submitted",
            "unit": checkin.unit.name,
            "period": checkin.period.label,
            "late": submission.submitted_late,
        },
        dedup=f"submitted:{submission.id}:{submission.submitted_at.isoformat() if submission.submitted_at else ''}",
    )
    return ReportSubmitted(checkin.period, submission.submitted_late)


async def review_report(
    repositories: Repositories,
    ward: Ward,
    unit_name: str,
    *,
    accepted: bool,
    reason: str,
    member: Member,
    actor: str,
) -> ReviewOutcome:
    """Accept the unit's submitted report for the open period, or send it back for correction
    with a reason; the unit's head and staff are told."""
    ward_repositories = repositories.for_ward(ward.id)
    period = await current_period(ward_repositories)
    if isinstance(period, NoOpenPeriod):
        return period
    unit = await named_unit(ward_repositories, unit_name, "duyet" if accepted else "tralai")
    if not isinstance(unit, Unit):
        return unit
    if not accepted and not reason:
        return ReturnReasonMissing()
    submission = await ward_repositories.reports.submission(period, unit.id)
    if submission.state is SubmissionState.DRAFT:
        return NotSubmitted(unit, period)
    before = str(submission.state)
    ward_repositories.reports.review(
        submission, member.id, accepted=accepted, reason=reason or None
    )
    repositories.audit.record(
        actor=actor,
        action="accept" if accepted else "return",
        entity="submission",
        entity_id=submission.id,
        ward_id=period.ward_id,
        changes={"state": [before, str(submission.state)], "reason": [None, reason or None]},
    )
    reporters = await ward_repositories.members.with_role(
        Role.UNIT_HEAD, Role.UNIT_STAFF, unit_id=unit.id
    )
    payload = {
        "kind": "accepted" if accepted else "returned",
        "unit": unit.name,
        "period": period.label,
        "reason": reason,
    }
    await notify(
        repositories,
        period.ward_id,
        reporters,
        payload,
        dedup=f"review:{submission.id}:{submission.reviewed_at.isoformat() if submission.reviewed_at else ''}",
    )
    return SubmissionReviewed(unit, accepted)

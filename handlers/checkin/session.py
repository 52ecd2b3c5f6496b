"""The state a check-in works on, loaded afresh for every event from the persisted ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handlers.checkin.periods import next_period
from handlers.context import FlowContext
from handlers.i18n import _, format_day
from handlers.notify import notify
from handlers.reporting.words import DatedTask
from storage.models import Member, Period, Task, Unit
from storage.repositories import WardRepositories
from storage.repositories.reports import Answer
from storage.vocabulary import Role, SubmissionState


@dataclass
class Checkin:
    """What one event of the flow works on, loaded from the persisted ids."""

    period: Period
    unit: Unit
    timezone: str
    tasks: list[Task]
    coordinating: list[Task]
    reports: dict[int, Answer]
    previous: Mapping[int, Answer]

    def task_at(self, position: int) -> Task:
        return self.tasks[position]

    def dated(self, task: Task) -> DatedTask:
        return DatedTask(task, self.period, self.timezone)


async def no_open_period_text(repositories: WardRepositories) -> str:
    """What a head reads when no period is open: which period comes next, and from when."""
    latest = await repositories.periods.latest()
    if latest is None:
        return _("Chưa có kỳ báo cáo nào đang mở. Phòng Văn hóa - Xã hội sẽ thông báo khi mở kỳ.")
    following = next_period(latest.label)
    return _(
        "Kỳ {closed} đã đóng, chưa có kỳ báo cáo nào đang mở. Kỳ tiếp theo ({next}) mở từ "
        "{opens}; phòng Văn hóa - Xã hội sẽ thông báo khi mở kỳ."
    ).format(closed=latest.label, next=following.label, opens=format_day(following.starts_on))


async def _period_and_previous(
    repositories: WardRepositories, period_id: int | None
) -> tuple[Period | None, Period | None]:
    if period_id is None:
        return await repositories.periods.current_and_previous()
    chosen = next((p for p in await repositories.periods.open_periods() if p.id == period_id), None)
    if chosen is None:
        return None, None
    return chosen, await repositories.periods.previous(chosen)


async def load_checkin(
    context: FlowContext,
    unit_id: int,
    *,
    with_coordinating: bool,
    period_id: int | None = None,
    quiet: bool = False,
) -> Checkin | None:
    """The open period (the one chosen, when several are open), the unit and its tasks; None
    (after saying why, unless `quiet`) when that period is not open or the actor no longer
    holds a role for the unit."""
    ward = context.actor.ward
    if ward is None:
        return None
    repositories = context.repositories.for_ward(ward.id)
    period, previous_period = await _period_and_previous(repositories, period_id)
    if period is None:
        if not quiet:
            context.reply(await no_open_period_text(repositories))
        return None
    # From the member's roles, so a head whose role was taken away stops here.
    unit = context.actor.held_unit(unit_id)
    if unit is None:
        if not quiet:
            context.reply(
                _(
                    "Bạn không còn vai trò báo cáo cho đơn vị này. "
                    "Bạn liên hệ phòng Văn hóa - Xã hội nếu cần."
                )
            )
        return None
    unit_tasks = await repositories.plans.tasks_for_unit(unit.id)
    tasks = list(unit_tasks.reporting) + (
        list(unit_tasks.coordinating) if with_coordinating else []
    )
    answers = await repositories.reports.for_unit(period, unit.id)
    previous_answers = (
        await repositories.reports.kept_for_unit(previous_period, unit.id)
        if previous_period is not None
        else {}
    )
    return Checkin(
        period=period,
        unit=unit,
        timezone=ward.timezone,
        tasks=tasks,
        coordinating=list(unit_tasks.coordinating),
        reports=answers,
        previous=previous_answers,
    )


def may_submit(member: Member, unit_id: int) -> bool:
    """Heads submit their unit's report; staff only when the coordinator allowed it."""
    return any(
        grant.unit_id == unit_id
        and (grant.role is Role.UNIT_HEAD or (grant.role is Role.UNIT_STAFF and grant.may_submit))
        for grant in member.roles
    )


def answered(report: Answer | None) -> bool:
    return report is not None and report.status is not None


async def after_change(context: FlowContext, checkin: Checkin) -> None:
    """An answer changed. A report already submitted or accepted shows as edited after
    submission and the coordinators are told, once per submission or review; an accepted one
    goes back to review."""
    ward_repositories = context.repositories.for_ward(checkin.unit.ward_id)
    submission = await ward_repositories.reports.submitted(checkin.period, checkin.unit.id)
    if submission is None or submission.state is SubmissionState.RETURNED:
        return
    accepted = submission.state is SubmissionState.ACCEPTED
    if accepted:
        ward_repositories.reports.reopen(submission)
    coordinators = await ward_repositories.members.with_role(Role.COORDINATOR)
    round_ = submission.reviewed_at if accepted else submission.submitted_at
    await notify(
        context.repositories,
        checkin.unit.ward_id,
        coordinators,
        {
            "kind": "edited_after_submission",
            "unit": checkin.unit.name,
            "period": checkin.period.label,
            "accepted": accepted,
            "at": context.clock.now().isoformat(),
            "timezone": checkin.timezone,
        },
        dedup=f"edited:{submission.id}:{round_.isoformat() if round_ else ''}",
    )


def kept_values(previous: Answer) -> dict[str, Any]:
    """Last period's answer for a task, to save again ("Giữ như kỳ trước")."""
    return {
        "status": previous.status,
        "progress_percent": previous.progress_percent,
        "kpi_value": previous.kpi_value,
        "result": previous.result,
        "difficulties": previous.difficulties,
        "proposals": previous.proposals,
    }

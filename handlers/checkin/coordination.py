"""The coordinators' and leaders' commands about a period: open and close it, follow progress,
read a unit's answers, accept or return a submission (the actions are in actions.py, shared
with the CLI). Leaders read; they never write."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from handlers.checkin.action_texts import outcome_text
from handlers.checkin.actions import (
    close_period,
    current_period,
    named_unit,
    open_period,
    review_report,
    select_period,
)
from handlers.checkin.outcomes import SeveralPeriodsOpen
from handlers.checkin.session import answered
from handlers.context import FlowContext
from handlers.i18n import _, format_moment, format_number
from handlers.plan_overview import unit_list
from handlers.reporting.words import DatedTask, answer_text
from handlers.router import Router
from storage.models import Period, Submission, Unit
from storage.repositories import WardRepositories
from storage.repositories.reports import Answer
from storage.vocabulary import SUBMITTED_STATES, Role, SubmissionState

router = Router()
READERS = {Role.COORDINATOR, Role.LEADER}


def _ward_repositories(context: FlowContext) -> WardRepositories:
    assert context.actor.ward is not None
    return context.repositories.for_ward(context.actor.ward.id)


async def _open_period(context: FlowContext) -> Period | None:
    period = await current_period(_ward_repositories(context))
    if not isinstance(period, Period):
        context.reply(outcome_text(period))
        return None
    return period


@router.command(
    "moky",
    describe=lambda: _("/moky 2026-11 (hoặc 2026-H1) — mở kỳ báo cáo và báo cho các đơn vị"),
    roles={Role.COORDINATOR},
)
async def open_period_command(context: FlowContext) -> None:
    ward = context.actor.ward
    assert ward is not None
    local_now = context.clock.now().astimezone(ZoneInfo(ward.timezone))
    label = context.event.argument.strip() or local_now.strftime("%Y-%m")
    opened = await open_period(context.repositories, ward, label, actor=context.actor.actor_label)
    context.reply(outcome_text(opened))


@router.command(
    "dongky",
    describe=lambda: _("/dongky [KỲ] — đóng kỳ báo cáo đang mở (không sửa được nữa)"),
    roles={Role.COORDINATOR},
)
async def close_period_command(context: FlowContext) -> None:
    ward = context.actor.ward
    assert ward is not None
    closed = await close_period(
        context.repositories, ward, actor=context.actor.actor_label, label=context.event.argument
    )
    context.reply(outcome_text(closed))


def _timezone(context: FlowContext) -> str:
    assert context.actor.ward is not None
    return context.actor.ward.timezone


def _state_label(
    context: FlowContext, submission: Submission | None, answers: Iterable[Answer]
) -> str:
    """Where the unit's report stands, with the moment of its last edit when it changed after
    it was submitted (an accepted report that changes is back to review, so shows as sent)."""
    state = submission.state if submission else SubmissionState.DRAFT
    labels = {
        SubmissionState.DRAFT: _("chưa gửi"),
        SubmissionState.SUBMITTED: _("đã gửi"),
        SubmissionState.RETURNED: _("bị trả lại"),
        SubmissionState.ACCEPTED: _("đã duyệt"),
    }
    label = labels[state]
    if submission is None or state is SubmissionState.DRAFT:
        return label
    if submission.submitted_late:
        label += _(" (sau hạn)")
    edited = max((answer.updated_at for answer in answers), default=None)
    sent = submission.submitted_at
    if state is SubmissionState.SUBMITTED and edited and sent and edited > sent:
        label += ", " + _("đã sửa sau khi gửi lúc {moment}").format(
            moment=format_moment(edited, _timezone(context))
        )
    return label


async def _period_to_read(context: FlowContext) -> Period | None:
    """The open period named after the command; with none named, the latest open one, saying
    which when several are open and how to read another."""
    repositories = _ward_repositories(context)
    chosen = await select_period(repositories, context.event.argument)
    if isinstance(chosen, SeveralPeriodsOpen):
        period = await current_period(repositories)
        assert isinstance(period, Period)
        context.reply(
            _(
                "Đang mở {count} kỳ: {labels}. Dưới đây là kỳ {period}; xem kỳ khác: /{command} {other}"
            ).format(
                count=format_number(len(chosen.open_labels)),
                labels=", ".join(chosen.open_labels),
                period=period.label,
                command=context.event.command,
                other=next(label for label in chosen.open_labels if label != period.label),
            )
        )
        return period
    if not isinstance(chosen, Period):
        context.reply(outcome_text(chosen))
        return None
    return chosen


@router.command(
    "tiendo",
    describe=lambda: _("/tiendo [KỲ] — đơn vị nào đã gửi, chưa gửi, bị trả lại"),
    roles=READERS,
)
async def progress(context: FlowContext) -> None:
    period = await _period_to_read(context)
    if period is None:
        return
    repositories = _ward_repositories(context)
    submissions = await repositories.reports.submissions(period)
    reports = await repositories.reports.for_period(period)
    overdue = context.clock.now() > period.due_at
    lines = [
        _("Kỳ {period}, hạn trước {moment}:").format(
            period=period.label, moment=format_moment(period.due_at, _timezone(context))
        )
    ]
    counts = {"sent": 0, "missing": 0}
    for unit in await repositories.units.all():
        tasks = await repositories.plans.tasks_for_unit(unit.id)
        if not tasks.reporting:
            continue
        submission = submissions.get(unit.id)
        state = submission.state if submission else SubmissionState.DRAFT
        done = sum(
            1
            for r in reports
            if r.unit_id == unit.id and answered(r) and r.task_id in {t.id for t in tasks.reporting}
        )
        marker = "✓" if state in SUBMITTED_STATES else ("!" if overdue else "·")
        counts["sent" if marker == "✓" else "missing"] += 1
        answers = (r for r in reports if r.unit_id == unit.id)
        line = f"{marker} {unit.name}: {_state_label(context, submission, answers)} ({done}/{len(tasks.reporting)})"
        if (
            submission is not None
            and state is SubmissionState.RETURNED
            and submission.return_reason
        ):
            line += " — " + _("lý do: {reason}").format(reason=submission.return_reason)
        lines.append(line)
    lines.append(
        _("Đã gửi: {sent}; chưa gửi: {missing}.").format(
            sent=format_number(counts["sent"]), missing=format_number(counts["missing"])
        )
    )
    if overdue and counts["missing"]:
        lines.append(_("Đã quá hạn: các đơn vị có dấu ! là trễ."))
    context.reply("\n".join(lines))


async def _unit_from_argument(context: FlowContext, text: str) -> Unit | None:
    unit = await named_unit(_ward_repositories(context), text, "donvi")
    if not isinstance(unit, Unit):
        context.reply(outcome_text(unit))
        return None
    return unit


@router.command(
    "donvi",
    describe=lambda: _("/donvi [TÊN] — các đơn vị của phường, hoặc báo cáo của một đơn vị"),
    roles=READERS,
)
async def unit_answers(context: FlowContext) -> None:
    if not context.event.argument.strip():
        await unit_list(context)
        return
    period = await _open_period(context)
    unit = await _unit_from_argument(context, context.event.argument.strip()) if period else None
    if period is None or unit is None:
        return
    repositories = _ward_repositories(context)
    tasks = await repositories.plans.tasks_for_unit(unit.id)
    reports = await repositories.reports.for_unit(period, unit.id)
    submission = await repositories.reports.submission(period, unit.id)
    lines = [
        _("{unit} — kỳ {period}: {state}").format(
            unit=unit.name,
            period=period.label,
            state=_state_label(context, submission, reports.values()),
        )
    ]
    for number, task in enumerate(tasks.reporting, start=1):
        dated = DatedTask(task, period, _timezone(context))
        lines.append(f"{number}. [{task.code}] {answer_text(reports.get(task.id), dated)}")
    extra = [task for task in tasks.coordinating if task.id in reports]
    if extra:
        lines.append(_("Nhiệm vụ phối hợp:"))
        lines.extend(f"• [{task.code}] {answer_text(reports[task.id])}" for task in extra)
    if any(answer.evidence for answer in reports.values()):
        lines.append(_("Xem và tải minh chứng: /minhchung {unit}").format(unit=unit.name))
    context.reply("\n".join(lines))


@router.command(
    "duyet",
    describe=lambda: _("/duyet TÊN — chấp nhận báo cáo của đơn vị"),
    roles={Role.COORDINATOR},
)
async def accept(context: FlowContext) -> None:
    await _review(context, accepted=True)


@router.command(
    "tralai",
    describe=lambda: _("/tralai TÊN; lý do — trả lại báo cáo để đơn vị sửa"),
    roles={Role.COORDINATOR},
)
async def send_back(context: FlowContext) -> None:
    await _review(context, accepted=False)


async def _review(context: FlowContext, *, accepted: bool) -> None:
    ward, member = context.actor.ward, context.actor.member
    assert ward is not None and member is not None
    name, _sep, reason = context.event.argument.partition(";")
    reviewed = await review_report(
        context.repositories,
        ward,
        name.strip(),
        accepted=accepted,
        reason=reason.strip(),
        member=member,
        actor=context.actor.actor_label,
    )
    context.reply(outcome_text(reviewed))

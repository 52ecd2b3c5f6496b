"""What coordinators and leaders do with a period: open and close it, follow progress, read a
unit's answers, accept or return a submission. Leaders read; they never write."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers.checkin.periods import BadPeriodLabel, open_period
from handlers.checkin.session import answered
from handlers.context import FlowContext
from handlers.i18n import _, format_moment, format_number
from handlers.notify import notify
from handlers.reporting.words import DatedTask, answer_text
from handlers.router import Router
from storage.models import Period, Unit
from storage.repositories import WardRepositories
from storage.repositories.periods import PeriodExists
from storage.vocabulary import Role, SubmissionState

router = Router()
READERS = {Role.COORDINATOR, Role.LEADER}


def _ward_repositories(context: FlowContext) -> WardRepositories:
    assert context.actor.ward is not None
    return context.repositories.for_ward(context.actor.ward.id)


async def _open_period(context: FlowContext) -> Period | None:
    period = await _ward_repositories(context).periods.current()
    if period is None:
        context.reply(_("Chưa có kỳ báo cáo nào đang mở. Mở kỳ: /moky 2026-11"))
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
    month = context.event.argument.strip() or local_now.strftime("%Y-%m")
    try:
        opened = await open_period(
            context.repositories, ward, month, actor=context.actor.actor_label
        )
    except BadPeriodLabel:
        context.reply(
            _(
                "Kỳ báo cáo ghi dạng NĂM-THÁNG (/moky 2026-11) hoặc NĂM-H1, NĂM-H2 cho 6 tháng (/moky 2026-H1)."
            )
        )
        return
    except PeriodExists as exists:
        context.reply(_("Kỳ {period} đã được mở trước đó.").format(period=exists.period.label))
        return
    context.reply(
        _(
            "Đã mở kỳ {period}, hạn gửi trước {moment}. Đã báo cho thủ trưởng {units} đơn vị."
        ).format(
            period=opened.period.label,
            moment=format_moment(opened.period.due_at, ward.timezone),
            units=format_number(opened.units_told),
        )
    )


@router.command(
    "dongky",
    describe=lambda: _("/dongky — đóng kỳ báo cáo đang mở (không sửa được nữa)"),
    roles={Role.COORDINATOR},
)
async def close_period_command(context: FlowContext) -> None:
    period = await _open_period(context)
    if period is None:
        return
    _ward_repositories(context).periods.close(period)
    context.repositories.audit.record(
        actor=context.actor.actor_label,
        action="close",
        entity="period",
        entity_id=period.label,
        ward_id=period.ward_id,
        changes={"state": ["open", "closed"]},
    )
    context.reply(_("Đã đóng kỳ {period}.").format(period=period.label))


def _timezone(context: FlowContext) -> str:
    assert context.actor.ward is not None
    return context.actor.ward.timezone


def _state_label(state: SubmissionState, late: bool) -> str:
    labels = {
        SubmissionState.DRAFT: _("chưa gửi"),
        SubmissionState.SUBMITTED: _("đã gửi"),
        SubmissionState.RETURNED: _("bị trả lại"),
        SubmissionState.ACCEPTED: _("đã duyệt"),
    }
    label = labels[state]
    return label + (_(" (sau hạn)") if late and state is not SubmissionState.DRAFT else "")


@router.command(
    "tiendo", describe=lambda: _("/tiendo — đơn vị nào đã gửi, chưa gửi, bị trả lại"), roles=READERS
)
async def progress(context: FlowContext) -> None:
    period = await _open_period(context)
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
        marker = (
            "✓"
            if state in (SubmissionState.SUBMITTED, SubmissionState.ACCEPTED)
            else ("!" if overdue else "·")
        )
        counts["sent" if marker == "✓" else "missing"] += 1
        line = f"{marker} {unit.name}: {_state_label(state, bool(submission and submission.submitted_late))} ({done}/{len(tasks.reporting)})"
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
    repositories = _ward_repositories(context)
    if not text:
        context.reply(_("Ghi tên đơn vị sau lệnh, ví dụ: /donvi Công an phường"))
        return None
    unit = await repositories.units.find(text)
    if unit is None:
        names = ", ".join(u.name for u in await repositories.units.all())
        context.reply(
            _("Không có đơn vị «{name}». Các đơn vị: {names}").format(name=text[:80], names=names)
        )
    return unit


@router.command(
    "donvi", describe=lambda: _("/donvi TÊN — xem báo cáo của một đơn vị"), roles=READERS
)
async def unit_answers(context: FlowContext) -> None:
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
            state=_state_label(submission.state, submission.submitted_late),
        )
    ]
    for number, task in enumerate(tasks.reporting, start=1):
        dated = DatedTask(task, period, _timezone(context))
        lines.append(f"{number}. [{task.code}] {answer_text(reports.get(task.id), dated)}")
    extra = [task for task in tasks.coordinating if task.id in reports]
    if extra:
        lines.append(_("Nhiệm vụ phối hợp:"))
        lines.extend(f"• [{task.code}] {answer_text(reports[task.id])}" for task in extra)
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
    period = await _open_period(context)
    if period is None:
        return
    name, _sep, reason = context.event.argument.partition(";")
    unit = await _unit_from_argument(context, name.strip())
    if unit is None:
        return
    reason = reason.strip()
    if not accepted and not reason:
        context.reply(
            _("Cần ghi lý do trả lại, ví dụ: /tralai Công an phường; thiếu số liệu nhiệm vụ II.12")
        )
        return
    repositories = _ward_repositories(context)
    submission = await repositories.reports.submission(period, unit.id)
    if submission.state is SubmissionState.DRAFT:
        context.reply(
            _("{unit} chưa gửi báo cáo kỳ {period}.").format(unit=unit.name, period=period.label)
        )
        return
    member = context.actor.member
    assert member is not None
    before = str(submission.state)
    repositories.reports.review(submission, member.id, accepted=accepted, reason=reason or None)
    context.repositories.audit.record(
        actor=context.actor.actor_label,
        action="accept" if accepted else "return",
        entity="submission",
        entity_id=submission.id,
        ward_id=period.ward_id,
        changes={"state": [before, str(submission.state)], "reason": [None, reason or None]},
    )
    reporters = await repositories.members.with_role(
        Role.UNIT_HEAD, Role.UNIT_STAFF, unit_id=unit.id
    )
    payload = {
        "kind": "accepted" if accepted else "returned",
        "unit": unit.name,
        "period": period.label,
        "reason": reason,
    }
    await notify(
        context.repositories,
        period.ward_id,
        reporters,
        payload,
        dedup=f"review:{submission.id}:{submission.reviewed_at.isoformat() if submission.reviewed_at else ''}",
    )
    if accepted:
        context.reply(_("Đã duyệt báo cáo của {unit}.").format(unit=unit.name))
    else:
        context.reply(
            _("Đã trả lại báo cáo của {unit}; đơn vị đã được báo lý do.").format(unit=unit.name)
        )

"""`/vuongmac`: a unit raises a blocker; the coordinators are told at once and owe an answer
within 2 working days. `/traloi` answers it and tells the unit."""

from __future__ import annotations

from handlers.checkin.answers import BadAnswer, read_text
from handlers.context import FlowContext
from handlers.events import Choice, EventKind
from handlers.i18n import _, format_moment
from handlers.notify import notify
from handlers.reporting.working_days import working_days_later
from handlers.router import Router
from handlers.text.numbers import read_index
from storage.models import Blocker
from storage.repositories import WardRepositories
from storage.vocabulary import Role

router = Router()
FLOW = "blocker"
ANSWER_WORKING_DAYS = 2
RAISERS = {Role.UNIT_HEAD, Role.UNIT_STAFF}
NO_TASK = "none"


def _repositories(context: FlowContext) -> WardRepositories:
    assert context.actor.ward is not None
    return context.repositories.for_ward(context.actor.ward.id)


def blocker_line(blocker: Blocker, unit_name: str, timezone: str, now_is_past_due: bool) -> str:
    state = (
        _("QUÁ HẠN trả lời")
        if now_is_past_due
        else _("hạn trả lời {moment}").format(moment=format_moment(blocker.answer_due_at, timezone))
    )
    return f"#{blocker.id} {unit_name}: {blocker.description[:200]} ({state})"


@router.command(
    "vuongmac",
    describe=lambda: _(
        "/vuongmac — báo khó khăn, vướng mắc (đơn vị); xem vướng mắc chưa trả lời (chuyên viên, lãnh đạo)"
    ),
    roles=RAISERS | {Role.COORDINATOR, Role.LEADER},
)
async def blockers(context: FlowContext) -> None:
    roles = context.actor.roles
    if roles & {Role.COORDINATOR, Role.LEADER} and not roles & RAISERS:
        await _list_open(context)
        return
    units = context.actor.units_for(*RAISERS)
    context.go_to(FLOW, "unit" if len(units) > 1 else "task", unit_id=units[0].id)
    if context.event.argument:
        context.data["description"] = context.event.argument
    await _prompt(context)


async def _list_open(context: FlowContext) -> None:
    repositories = _repositories(context)
    names = {unit.id: unit.name for unit in await repositories.units.all()}
    now = context.clock.now()
    open_blockers = await repositories.blockers.open()
    if not open_blockers:
        context.reply(_("Không có vướng mắc nào đang chờ trả lời."))
        return
    assert context.actor.ward is not None
    lines = [_("Vướng mắc chờ trả lời (trả lời: /traloi SỐ nội dung):")]
    lines += [
        blocker_line(
            b, names.get(b.unit_id, ""), context.actor.ward.timezone, now > b.answer_due_at
        )
        for b in open_blockers
    ]
    context.reply("\n".join(lines))


async def _prompt(context: FlowContext) -> None:
    if context.step == "unit":
        units = context.actor.units_for(*RAISERS)
        context.ask(_("Vướng mắc của đơn vị nào?"), [Choice(str(u.id), u.name) for u in units])
    elif context.step == "task":
        context.ask(
            _("Vướng mắc gắn với nhiệm vụ nào? Gõ mã nhiệm vụ (ví dụ I.4), hoặc chọn:"),
            [Choice(NO_TASK, _("Không gắn với nhiệm vụ cụ thể"))],
        )
    elif context.step == "describe":
        context.reply(_("Mô tả ngắn gọn vướng mắc và việc cần phòng Văn hóa - Xã hội hỗ trợ:"))


@router.flow(FLOW, prompt=lambda context: _prompt(context))
async def continue_blocker(context: FlowContext) -> None:
    try:
        await _answer(context)
    except BadAnswer as problem:
        context.reply(str(problem))
        await _prompt(context)


async def _answer(context: FlowContext) -> None:
    event = context.event
    if context.step == "unit":
        units = {str(u.id) for u in context.actor.units_for(*RAISERS)}
        if event.choice not in units:
            raise BadAnswer(_("Chọn một đơn vị trong danh sách."))
        context.go_to(FLOW, "task", unit_id=int(event.choice))
    elif context.step == "task":
        if event.choice == NO_TASK:
            context.data["task_id"] = None
        else:
            task = await _task_by_code(context, event.text.strip())
            if task is None:
                raise BadAnswer(
                    _("Không có nhiệm vụ mã «{code}».").format(code=event.text.strip()[:20])
                )
            context.data["task_id"] = task
        if context.data.get("description"):
            await _record(context, read_text(context.data["description"]))
            return
        context.go_to(FLOW, "describe")
    elif context.step == "describe":
        if event.kind is not EventKind.TEXT:
            raise BadAnswer(_("Mô tả vướng mắc bằng chữ."))
        await _record(context, read_text(event.text))
        return
    await _prompt(context)


async def _task_by_code(context: FlowContext, code: str) -> int | None:
    for task in await _repositories(context).plans.tasks():
        if task.code.lower() == code.lower():
            return task.id
    return None


async def _record(context: FlowContext, description: str) -> None:
    ward = context.actor.ward
    member = context.actor.member
    assert ward is not None and member is not None
    repositories = _repositories(context)
    due = working_days_later(context.clock.now(), ANSWER_WORKING_DAYS, ward.timezone)
    blocker = await repositories.blockers.raise_blocker(
        unit_id=int(context.data["unit_id"]),
        task_id=context.data.get("task_id"),
        member_id=member.id,
        description=description,
        answer_due_at=due,
    )
    context.repositories.audit.record(
        actor=context.actor.actor_label,
        action="raise",
        entity="blocker",
        entity_id=blocker.id,
        ward_id=ward.id,
        changes={"description": [None, description]},
    )
    unit = await repositories.units.by_id(blocker.unit_id)
    coordinators = await repositories.members.with_role(Role.COORDINATOR)
    await notify(
        context.repositories,
        ward.id,
        coordinators,
        {
            "kind": "blocker_raised",
            "id": blocker.id,
            "unit": unit.name if unit else "",
            "description": description,
            "due_at": due.isoformat(),
            "timezone": ward.timezone,
        },
        dedup=f"blocker:{blocker.id}",
    )
    context.finish()
    context.reply(
        _(
            "Đã ghi vướng mắc #{id} và báo phòng Văn hóa - Xã hội. Hạn trả lời: {moment} (2 ngày làm việc)."
        ).format(id=blocker.id, moment=format_moment(due, ward.timezone))
    )


@router.command(
    "traloi",
    describe=lambda: _("/traloi SỐ nội dung — trả lời một vướng mắc"),
    roles={Role.COORDINATOR},
)
async def answer_blocker(context: FlowContext) -> None:
    number, _sep, text = context.event.argument.strip().lstrip("#").partition(" ")
    index = read_index(number)
    blocker = await _repositories(context).blockers.by_id(index) if index else None
    if blocker is None:
        context.reply(
            _("Không có vướng mắc số «{number}». Xem danh sách: /vuongmac").format(
                number=number[:20]
            )
        )
        return
    try:
        answer = read_text(text)
    except BadAnswer as problem:
        context.reply(str(problem))
        return
    member = context.actor.member
    assert member is not None
    _repositories(context).blockers.answer(blocker, answer, member.id)
    context.repositories.audit.record(
        actor=context.actor.actor_label,
        action="answer",
        entity="blocker",
        entity_id=blocker.id,
        ward_id=blocker.ward_id,
        changes={"answer": [None, answer]},
    )
    raiser = (
        await _repositories(context).members.by_id(blocker.raised_by_member_id)
        if blocker.raised_by_member_id
        else None
    )
    if raiser is not None:
        await notify(
            context.repositories,
            blocker.ward_id,
            [raiser],
            {
                "kind": "blocker_answered",
                "id": blocker.id,
                "description": blocker.description,
                "answer": answer,
            },
            dedup=f"blocker-answer:{blocker.id}",
        )
    late = blocker.answered_at is not None and blocker.answered_at > blocker.answer_due_at
    context.reply(
        (
            _("Đã trả lời vướng mắc #{id} (sau hạn 2 ngày làm việc); đơn vị đã được báo.")
            if late
            else _("Đã trả lời vướng mắc #{id}; đơn vị đã được báo.")
        ).format(id=blocker.id)
    )

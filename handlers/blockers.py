"""`/vuongmac`: a unit raises a blocker; the coordinators are told at once and owe an answer
within 2 working days. `/traloi` answers it and tells the unit."""

from __future__ import annotations

import re

from handlers.checkin.answers import BadAnswer, chosen, list_number, numbered_argument, read_text
from handlers.context import FlowContext
from handlers.events import Choice, EventKind
from handlers.i18n import _, format_moment
from handlers.notify import notify
from handlers.reporting.working_days import working_days_later
from handlers.router import Router
from handlers.scheduling.policy import schedule_of
from handlers.text.shortening import shorten
from storage.models import Blocker, Task
from storage.names import fold
from storage.repositories import WardRepositories
from storage.vocabulary import Role

router = Router()
FLOW = "blocker"
ANSWER_WORKING_DAYS = 2
RAISERS = {Role.UNIT_HEAD, Role.UNIT_STAFF}
NO_TASK = "none"
# An appendix code typed after /vuongmac: "II.12", "I.4", "B.1.a".
_CODE = re.compile(r"[A-Za-z]{1,4}\.[0-9A-Za-z.]+")


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
    argument = context.event.argument.strip()
    code, _space, rest = argument.partition(" ")
    if len(units) == 1 and _CODE.fullmatch(code):
        # "/vuongmac II.12 chưa có kinh phí": the task first, then what the blocker is.
        argument = rest.strip()
        try:
            context.data["task_id"] = (await _named_task(context, code)).id
        except BadAnswer as problem:
            context.reply(str(problem))
        else:
            context.go_to(FLOW, "describe")
    if argument:
        context.data["description"] = argument
    if context.step == "describe" and argument:
        await _record(context, read_text(argument))
        return
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
        lines = [_("Vướng mắc gắn với nhiệm vụ nào? Gõ số thứ tự hoặc mã nhiệm vụ:")]
        lines += [
            f"{number}. [{task.code}] {shorten(task.content, 60)}"
            for number, task in enumerate(await _unit_tasks(context), start=1)
        ]
        context.ask("\n".join(lines), _task_choices())
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
        if chosen(event, _task_choices()) == NO_TASK:
            context.data["task_id"] = None
        elif event.kind is not EventKind.TEXT:
            raise BadAnswer(_("Gõ số thứ tự hoặc mã nhiệm vụ."))
        else:
            context.data["task_id"] = (await _named_task(context, event.text.strip())).id
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


def _task_choices() -> list[Choice]:
    # A typed number is the task's number in the list, so this option is typed as its keyword.
    return [Choice(NO_TASK, _("Không gắn với nhiệm vụ cụ thể"), keyword="không")]


async def _unit_tasks(context: FlowContext) -> list[Task]:
    """The unit's tasks as its check-in lists them: those it reports on, then those it
    coordinates."""
    tasks = await _repositories(context).plans.tasks_for_unit(int(context.data["unit_id"]))
    return [*tasks.reporting, *tasks.coordinating]


async def _named_task(context: FlowContext, typed: str) -> Task:
    """The unit's task with this list number or code; a task the unit neither leads nor
    coordinates is refused."""
    tasks = await _unit_tasks(context)
    number = list_number(typed, len(tasks))
    if number is not None:
        return tasks[number - 1]
    wanted = fold(typed).rstrip(".")
    found = next((task for task in tasks if fold(task.code) == wanted), None)
    if found is not None:
        return found
    if any(fold(task.code) == wanted for task in await _repositories(context).plans.tasks()):
        unit = await _repositories(context).units.by_id(int(context.data["unit_id"]))
        raise BadAnswer(
            _(
                "Nhiệm vụ {code} không phải của {unit} (không chủ trì, không phối hợp). "
                "Gõ số thứ tự hoặc mã một nhiệm vụ trong danh sách."
            ).format(code=typed[:20], unit=unit.name if unit else "")
        )
    raise BadAnswer(
        _("Không có nhiệm vụ số hoặc mã «{code}» trong danh sách.").format(code=typed[:20])
    )


async def _record(context: FlowContext, description: str) -> None:
    ward = context.actor.ward
    member = context.actor.member
    assert ward is not None and member is not None
    repositories = _repositories(context)
    calendar = schedule_of(await repositories.schedule.settings()).calendar
    due = working_days_later(
        context.clock.now(), ANSWER_WORKING_DAYS, ward.timezone, calendar.is_working_day
    )
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


ANSWER_FLOW = "blocker_answer"
REPLACE = "replace"
KEEP = "keep"


@router.command(
    "traloi",
    describe=lambda: _("/traloi SỐ nội dung — trả lời một vướng mắc"),
    roles={Role.COORDINATOR},
)
async def answer_blocker(context: FlowContext) -> None:
    blocker_id, number, text = numbered_argument(context.event.argument)
    if not number:
        context.reply(
            _(
                "Ghi số vướng mắc và câu trả lời sau lệnh, ví dụ: /traloi 3 Phường sẽ bố trí "
                "kinh phí trong quý I. Xem danh sách: /vuongmac"
            )
        )
        return
    blocker = await _repositories(context).blockers.by_id(blocker_id) if blocker_id else None
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
    if blocker.answer is not None:
        # Answered before: the unit already read that answer, so replacing it is asked first.
        context.go_to(ANSWER_FLOW, "confirm", blocker_id=blocker.id, answer=answer)
        await _ask_replace(context)
        return
    await _record_answer(context, blocker, answer)


async def _ask_replace(context: FlowContext) -> None:
    blocker = await _repositories(context).blockers.by_id(int(context.data["blocker_id"]))
    assert blocker is not None and blocker.answer is not None
    context.ask(
        _("Vướng mắc #{id} đã được trả lời: «{old}». Thay bằng: «{new}»?").format(
            id=blocker.id, old=shorten(blocker.answer, 60), new=shorten(context.data["answer"], 60)
        ),
        [
            Choice(REPLACE, _("Thay câu trả lời và báo lại đơn vị")),
            Choice(KEEP, _("Giữ câu trả lời cũ")),
        ],
    )


@router.flow(ANSWER_FLOW, prompt=lambda context: _ask_replace(context))
async def confirm_replace(context: FlowContext) -> None:
    if context.event.choice == KEEP:
        context.finish()
        context.reply(_("Đã giữ câu trả lời cũ."))
        return
    if context.event.choice != REPLACE:
        context.reply(_("Chọn một mục bên dưới (gõ số thứ tự)."))
        await _ask_replace(context)
        return
    blocker = await _repositories(context).blockers.by_id(int(context.data["blocker_id"]))
    answer = str(context.data["answer"])
    context.finish()
    if blocker is not None:
        await _record_answer(context, blocker, answer)


async def _record_answer(context: FlowContext, blocker: Blocker, answer: str) -> None:
    """Record the answer and tell the unit member who raised the blocker."""
    member = context.actor.member
    assert member is not None
    before = blocker.answer
    _repositories(context).blockers.answer(blocker, answer, member.id)
    context.repositories.audit.record(
        actor=context.actor.actor_label,
        action="answer",
        entity="blocker",
        entity_id=blocker.id,
        ward_id=blocker.ward_id,
        changes={"answer": [before, answer]},
    )
    raiser = (
        await _repositories(context).members.by_id(blocker.raised_by_member_id)
        if blocker.raised_by_member_id
        else None
    )
    # Whoever raised it, while they still hold a role; once they left, the unit's heads.
    recipients = (
        [raiser]
        if raiser is not None and raiser.roles
        else await _repositories(context).members.with_role(Role.UNIT_HEAD, unit_id=blocker.unit_id)
    )
    if recipients:
        await notify(
            context.repositories,
            blocker.ward_id,
            recipients,
            {
                "kind": "blocker_answered",
                "id": blocker.id,
                "description": blocker.description,
                "answer": answer,
            },
            dedup=f"blocker-answer:{blocker.id}:{blocker.answered_at.isoformat() if blocker.answered_at else ''}",
        )
    late = blocker.answered_at is not None and blocker.answered_at > blocker.answer_due_at
    context.reply(
        (
            _("Đã trả lời vướng mắc #{id} (sau hạn 2 ngày làm việc); đơn vị đã được báo.")
            if late
            else _("Đã trả lời vướng mắc #{id}; đơn vị đã được báo.")
        ).format(id=blocker.id)
    )

"""`/sucou`: an unscheduled report on digital infrastructure or information security, sent to
the coordinators and leaders at once."""

from __future__ import annotations

from handlers.checkin.answers import BadAnswer, read_text
from handlers.context import FlowContext
from handlers.events import Choice, EventKind
from handlers.i18n import _
from handlers.labels import category_label
from handlers.notify import notify
from handlers.router import Router
from storage.vocabulary import IncidentCategory, Role

router = Router()
FLOW = "incident"


def _ask_category(context: FlowContext) -> None:
    context.ask(
        _("Sự cố thuộc loại nào?"), [Choice(str(c), category_label(c)) for c in IncidentCategory]
    )


@router.command(
    "sucou",
    describe=lambda: _("/sucou — báo cáo đột xuất sự cố hạ tầng số, an toàn thông tin"),
    roles={Role.UNIT_HEAD, Role.UNIT_STAFF, Role.COORDINATOR},
)
async def start_incident(context: FlowContext) -> None:
    context.go_to(FLOW, "category")
    _ask_category(context)


async def _prompt(context: FlowContext) -> None:
    if context.step == "category":
        _ask_category(context)
    else:
        context.reply(_("Mô tả sự cố: xảy ra lúc nào, ở đâu, ảnh hưởng gì, đã xử lý gì:"))


@router.flow(FLOW, prompt=_prompt)
async def continue_incident(context: FlowContext) -> None:
    event = context.event
    if context.step == "category":
        if event.choice not in {str(c) for c in IncidentCategory}:
            context.reply(_("Chọn loại sự cố trong danh sách (gõ số thứ tự)."))
            _ask_category(context)
            return
        context.go_to(FLOW, "describe", category=event.choice)
        await _prompt(context)
        return
    try:
        if event.kind is not EventKind.TEXT:
            raise BadAnswer(_("Mô tả sự cố bằng chữ."))
        description = read_text(event.text)
    except BadAnswer as problem:
        context.reply(str(problem))
        return
    ward, member = context.actor.ward, context.actor.member
    assert ward is not None and member is not None
    units = context.actor.units_for(Role.UNIT_HEAD, Role.UNIT_STAFF)
    unit = units[0] if units else None
    category = IncidentCategory(context.data["category"])
    repositories = context.repositories.for_ward(ward.id)
    incident = await repositories.incidents.report(
        unit_id=unit.id if unit else None,
        member_id=member.id,
        category=category,
        description=description,
    )
    context.repositories.audit.record(
        actor=context.actor.actor_label,
        action="report",
        entity="incident",
        entity_id=incident.id,
        ward_id=ward.id,
        changes={"category": [None, str(category)], "description": [None, description]},
    )
    recipients = await repositories.members.with_role(Role.COORDINATOR, Role.LEADER)
    await notify(
        context.repositories,
        ward.id,
        recipients,
        {
            "kind": "incident",
            "id": incident.id,
            "category": str(category),
            "unit": unit.name if unit else member.display_name,
            "description": description,
        },
        dedup=f"incident:{incident.id}",
        skip_member_id=member.id,
    )
    context.finish()
    context.reply(
        _("Đã ghi sự cố #{id} và báo ngay phòng Văn hóa - Xã hội, lãnh đạo phường.").format(
            id=incident.id
        )
    )

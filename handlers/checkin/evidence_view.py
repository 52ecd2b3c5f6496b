"""/minhchung TÊN: the evidence a unit sent in the open period, task by task, each file and
photo with a download link (the server fetches it from the messenger that keeps it, by its
file id) and each link as it was sent."""

from __future__ import annotations

from typing import Any

from handlers.checkin.action_texts import outcome_text
from handlers.checkin.actions import current_period, named_unit
from handlers.context import FlowContext
from handlers.i18n import _
from handlers.router import Router
from storage.models import Period, Task, Unit
from storage.repositories.reports import Answer
from storage.vocabulary import Role

router = Router()
COMMAND = "minhchung"


@router.command(
    COMMAND,
    describe=lambda: _("/minhchung TÊN — minh chứng đơn vị đã gửi trong kỳ, với đường tải"),
    roles={Role.COORDINATOR, Role.LEADER},
)
async def unit_evidence(context: FlowContext) -> None:
    assert context.actor.ward is not None
    ward_id = context.actor.ward.id
    repositories = context.repositories.for_ward(ward_id)
    period = await current_period(repositories)
    if not isinstance(period, Period):
        context.reply(outcome_text(period))
        return
    unit = await named_unit(repositories, context.event.argument.strip(), COMMAND)
    if not isinstance(unit, Unit):
        context.reply(outcome_text(unit))
        return
    tasks = await repositories.plans.tasks_for_unit(unit.id)
    reports = await repositories.reports.for_unit(period, unit.id)
    lines = [
        line
        for task in [*tasks.reporting, *tasks.coordinating]
        if task.id in reports
        for line in _lines(context, task, reports[task.id], ward_id)
    ]
    if not lines:
        context.reply(
            _("{unit} chưa gửi minh chứng nào trong kỳ {period}.").format(
                unit=unit.name, period=period.label
            )
        )
        return
    heading = _("Minh chứng của {unit} — kỳ {period}:").format(unit=unit.name, period=period.label)
    context.reply("\n".join([heading, *lines]))


def _lines(context: FlowContext, task: Task, answer: Answer, ward_id: int) -> list[str]:
    lines = []
    for place, item in enumerate(answer.evidence):
        what = _item_words(item)
        if item.get("kind") == "link":
            where = str(item.get("url", ""))
        elif context.evidence_link is not None:
            where = context.evidence_link(answer.id, place, ward_id)
        else:
            where = _("tải được khi trợ lý chạy bằng `reportbot run`")
        lines.append(f"[{task.code}] {what}: {where}")
    return lines


def _item_words(item: dict[str, Any]) -> str:
    kind = item.get("kind")
    if kind == "link":
        return _("đường link")
    if kind == "photo":
        return _("ảnh")
    name = item.get("name")
    return _("tệp «{name}»").format(name=name) if name else _("tệp")

"""`/tonghop`: the period's digest in the chat, then its chart, for coordinators and leaders."""

from __future__ import annotations

from functools import partial

from handlers.context import FlowContext
from handlers.i18n import _
from handlers.reporting.digest import digest_messages
from handlers.reporting.files import ExportFormat, file_reply, requested_summary
from handlers.router import Router
from storage.vocabulary import Role

router = Router()


@router.command(
    "tonghop",
    describe=lambda: _(
        "/tonghop [2026-11 | 2026-Q4 | 2026] — báo cáo tổng hợp của kỳ đang mở, hoặc của tháng, "
        "quý, 6 tháng, năm đã ghi"
    ),
    roles={Role.COORDINATOR, Role.LEADER},
)
async def digest(context: FlowContext) -> None:
    ward = context.actor.ward
    assert ward is not None
    summary = await requested_summary(context.repositories, ward, context.event.argument)
    if isinstance(summary, str):
        context.reply(summary)
        return
    for message in digest_messages(summary, context.actor.sender.platform):
        context.reply(message)
    context.send_later(partial(file_reply, context.file_maker(), summary, ExportFormat.CHART))

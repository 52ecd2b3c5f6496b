"""`/tonghop`: the period's digest in the chat, then its chart, for coordinators and leaders."""

from __future__ import annotations

from functools import partial

from handlers.context import FlowContext
from handlers.i18n import _
from handlers.reporting.digest import digest_messages
from handlers.reporting.files import ExportFormat, file_reply
from handlers.reporting.summary import summarize
from handlers.router import Router
from storage.vocabulary import Role

router = Router()


@router.command(
    "tonghop",
    describe=lambda: _("/tonghop [2026-11] — báo cáo tổng hợp của kỳ đang mở (hoặc kỳ đã ghi)"),
    roles={Role.COORDINATOR, Role.LEADER},
)
async def digest(context: FlowContext) -> None:
    ward = context.actor.ward
    assert ward is not None
    periods = context.repositories.for_ward(ward.id).periods
    label = context.event.argument.strip()
    period = await periods.by_label(label) if label else await periods.current()
    if period is None:
        if label:
            context.reply(_("Không có kỳ báo cáo {period}.").format(period=label[:20]))
        else:
            context.reply(_("Chưa có kỳ báo cáo nào đang mở. Mở kỳ: /moky 2026-11"))
        return
    summary = await summarize(context.repositories, ward, period)
    for message in digest_messages(summary, context.actor.sender.platform):
        context.reply(message)
    context.send_later(partial(file_reply, context.file_maker(), summary, ExportFormat.CHART))

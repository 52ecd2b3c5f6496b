"""`/xuat`: the period's Word report, workbook and chart, sent to a coordinator in the chat."""

from __future__ import annotations

from functools import partial

from handlers.context import FlowContext
from handlers.i18n import _
from handlers.reporting.files import ExportFormat, file_reply
from handlers.reporting.summary import summarize
from handlers.router import Router
from storage.vocabulary import Role

router = Router()


@router.command(
    "xuat",
    describe=lambda: _("/xuat [2026-11] — nhận báo cáo Word, bảng tính Excel và biểu đồ của kỳ"),
    roles={Role.COORDINATOR},
)
async def export(context: FlowContext) -> None:
    ward = context.actor.ward
    assert ward is not None
    periods = context.repositories.for_ward(ward.id).periods
    label = context.event.argument.strip()
    period = await periods.by_label(label) if label else await periods.current()
    if period is None:
        context.reply(_("Không có kỳ báo cáo {period}.").format(period=label[:20] or "—"))
        return
    summary = await summarize(context.repositories, ward, period)
    for export in (ExportFormat.WORD, ExportFormat.EXCEL, ExportFormat.CHART):
        context.send_later(partial(file_reply, context.file_maker(), summary, export))

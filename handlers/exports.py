"""`/xuat`: the period's Word report, workbook and chart, sent to a coordinator in the chat."""

from __future__ import annotations

from functools import partial

from handlers.context import FlowContext
from handlers.i18n import _
from handlers.reporting.files import (
    ExportFormat,
    file_reply,
    not_started_text,
    requested_summary,
)
from handlers.router import Router
from storage.vocabulary import Role

router = Router()


@router.command(
    "xuat",
    describe=lambda: _(
        "/xuat [2026-11 | 2026-Q4 | 2026-H2 | 2026] — nhận báo cáo Word, bảng tính Excel và "
        "biểu đồ của tháng, quý, 6 tháng hoặc năm"
    ),
    roles={Role.COORDINATOR},
)
async def export(context: FlowContext) -> None:
    ward = context.actor.ward
    assert ward is not None
    summary = await requested_summary(context.repositories, ward, context.event.argument)
    if isinstance(summary, str):
        context.reply(summary)
        return
    too_early = not_started_text(summary)
    if too_early is not None:
        context.reply(too_early)
        return
    for export in (ExportFormat.WORD, ExportFormat.EXCEL, ExportFormat.CHART):
        context.send_later(partial(file_reply, context.file_maker(), summary, export))

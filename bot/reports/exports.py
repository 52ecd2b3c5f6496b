"""The files a coordinator takes away: the same period summary as Word, Excel, chart, digest."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from bot.i18n import _
from bot.reports.digest import DEFAULT_LIMIT, digest_blocks, pack
from bot.reports.summary import PeriodSummary
from handlers.events import DocumentReply, ImageReply


class ExportFormat(StrEnum):
    MARKDOWN = "md"
    WORD = "docx"
    EXCEL = "xlsx"
    CHART = "png"


def issuing_body(summary: PeriodSummary) -> str:
    """ "UBND PHƯỜNG HỒNG BÀNG" from "Phường Hồng Bàng": the header of the ward's documents."""
    name = summary.ward
    for prefix in ("Phường ", "phường ", "Xã ", "xã "):
        if name.startswith(prefix):
            kind = prefix.strip().upper()
            return f"UBND {kind} {name[len(prefix) :].upper()}"
    return f"UBND {name.upper()}"


def file_name(summary: PeriodSummary, export: ExportFormat) -> str:
    from storage.names import fold

    ward = fold(summary.ward).replace(" ", "-")
    return f"bao-cao-{ward}-{summary.period}.{export.value}"


def render(summary: PeriodSummary, export: ExportFormat) -> bytes:
    # The rendering libraries (matplotlib, python-docx) load only for the format asked.
    from bot.reports.chart import render_chart
    from bot.reports.word_report import render_word_report
    from bot.reports.workbook import render_workbook

    renderers: dict[ExportFormat, Callable[[], bytes]] = {
        ExportFormat.MARKDOWN: lambda: (
            "\n\n".join(pack(digest_blocks(summary), DEFAULT_LIMIT)) + "\n"
        ).encode(),
        ExportFormat.WORD: lambda: render_word_report(
            summary, issuing_body=issuing_body(summary), issued_on=summary.generated_on
        ),
        ExportFormat.EXCEL: lambda: render_workbook(summary),
        ExportFormat.CHART: lambda: render_chart(summary),
    }
    return renderers[export]()


def file_reply(summary: PeriodSummary, export: ExportFormat) -> DocumentReply | ImageReply:
    """A file for the chat, with its caption: the chart as a picture, the others as documents."""
    captions = {
        ExportFormat.WORD: _("Báo cáo kỳ {period} (Word), sẵn sàng trình ký."),
        ExportFormat.EXCEL: _(
            "Bảng tính kỳ {period}: ma trận đơn vị × nhiệm vụ, chi tiết để nhập hệ thống theo dõi."
        ),
        ExportFormat.CHART: _("Biểu đồ tình trạng theo đơn vị và chỉ tiêu kỳ {period}."),
    }
    reply = ImageReply if export is ExportFormat.CHART else DocumentReply
    return reply(
        file_name(summary, export),
        render(summary, export),
        captions[export].format(period=summary.period),
    )

"""The files a coordinator takes away, as the flows see them: a format, a name and a caption.

Making the bytes (python-docx, XlsxWriter, matplotlib) is the process's job: `bot/reports/`
has the `FileMaker` and the dispatcher hands it to the flows, as it does citizen guidance.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from handlers.events import DocumentReply, ImageReply
from handlers.i18n import _
from handlers.reporting.summary import PeriodSummary
from storage.names import fold


class ExportFormat(StrEnum):
    MARKDOWN = "md"
    WORD = "docx"
    EXCEL = "xlsx"
    CHART = "png"


# Renders a period summary in one format.
FileMaker = Callable[[PeriodSummary, ExportFormat], bytes]


def file_name(summary: PeriodSummary, export: ExportFormat) -> str:
    ward = fold(summary.ward).replace(" ", "-")
    return f"bao-cao-{ward}-{summary.period}.{export.value}"


def file_reply(
    maker: FileMaker, summary: PeriodSummary, export: ExportFormat
) -> DocumentReply | ImageReply:
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
        maker(summary, export),
        captions[export].format(period=summary.period),
    )

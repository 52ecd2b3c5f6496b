"""The files a coordinator takes away, as the flows see them: a format, a name and a caption.

Making the bytes (python-docx, XlsxWriter, matplotlib) is the process's job: `bot/reports/`
has the `FileMaker` and the dispatcher hands it to the flows, as it does citizen guidance.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from handlers.events import DocumentReply, ImageReply
from handlers.i18n import _, format_day
from handlers.reporting.spans import BadSpan, parse_span
from handlers.reporting.summary import PeriodSummary, summarize, summarize_span
from storage.models import Ward
from storage.names import fold
from storage.repositories import Repositories


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


async def requested_summary(
    repositories: Repositories, ward: Ward, argument: str
) -> PeriodSummary | str:
    """The summary a coordinator asks for: the open period when `argument` is empty, else the
    month, quarter, half-year or year it names; or the reply saying why there is none."""
    label = argument.strip()
    if not label:
        period = await repositories.for_ward(ward.id).periods.current()
        if period is None:
            return _("Chưa có kỳ báo cáo nào đang mở. Mở kỳ: /moky 2026-11")
        return await summarize(repositories, ward, period)
    try:
        span = parse_span(label)
    except BadSpan:
        return _(
            "Không hiểu kỳ «{period}». Ghi tháng 2026-11, quý 2026-Q4, 6 tháng 2026-H2 "
            "hoặc năm 2026."
        ).format(period=label[:20])
    summary = await summarize_span(repositories, ward, span)
    if summary is None:
        return _("Không có kỳ báo cáo {period}.").format(period=span.label)
    return summary


def not_started_text(summary: PeriodSummary) -> str | None:
    """Why the Word report of `summary` cannot be made yet: a report is never dated before
    the period it reports on. None when it can."""
    today = summary.generated_on
    starts_on = summary.span.starts_on
    if today is None or today >= starts_on:
        return None
    return _("Kỳ {period} bắt đầu từ {day}: báo cáo của kỳ được lập từ ngày đó.").format(
        period=summary.period, day=format_day(starts_on)
    )

"""Making the coordinator's files: the same period summary as Word, Excel, chart or digest text."""

from __future__ import annotations

from collections.abc import Callable

from handlers.reporting.digest import DEFAULT_LIMIT, digest_blocks, pack
from handlers.reporting.files import ExportFormat
from handlers.reporting.summary import PeriodSummary


def render(summary: PeriodSummary, export: ExportFormat) -> bytes:
    """The `FileMaker` of the process: the bytes of one file of the period."""
    # The rendering libraries (matplotlib, python-docx) load only for the format asked.
    from bot.reports.chart import render_chart
    from bot.reports.word.document import render_word_report
    from bot.reports.workbook import render_workbook

    renderers: dict[ExportFormat, Callable[[], bytes]] = {
        ExportFormat.MARKDOWN: lambda: (
            "\n\n".join(pack(digest_blocks(summary), DEFAULT_LIMIT)) + "\n"
        ).encode(),
        ExportFormat.WORD: lambda: render_word_report(summary),
        ExportFormat.EXCEL: lambda: render_workbook(summary),
        ExportFormat.CHART: lambda: render_chart(summary),
    }
    return renderers[export]()

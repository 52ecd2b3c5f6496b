"""The period's workbook (.xlsx) for the coordinator and the monitoring system.

Rendered from the same `PeriodSummary` as the chat digest and the Word report, so every count
agrees. One ward: "Tổng hợp", "Ma trận", "Chi tiết", "Chỉ tiêu", "Vướng mắc". A deployment's
wards together: "Các phường" and "Chi tiết". Sheets are written in openpyxl's write-only mode
(rows streamed, never held as cell objects) so a city of 126 wards stays fast and small.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.i18n import _, format_moment
from bot.reports.summary import PeriodSummary, UnitAnswer
from handlers.checkin.timing import Timing
from handlers.checkin.words import (
    COUNT_ORDER,
    StatusKey,
    comparator_word,
    count_lines,
    status_label,
    status_timing_text,
    timing_label,
)
from storage.vocabulary import TaskStatus

# Excel refuses control characters and cells longer than this.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CELL_LIMIT = 32_767
SHEET_NAME_LIMIT = 31

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
_WRAP = Alignment(wrap_text=True)
_TITLE_FONT = Font(bold=True, size=14)
_LATE_FONT = Font(color="C00000", bold=True)
_DAY_FORMAT = "dd/mm/yyyy hh:mm"

# Status order everywhere: the national monitoring system's.
STATUS_ORDER = (
    TaskStatus.DONE,
    TaskStatus.IN_PROGRESS,
    TaskStatus.NOT_STARTED,
    TaskStatus.NOT_APPLICABLE,
)
_LATE = (Timing.DONE_LATE, Timing.OVERDUE)
_ON_TIME_MARK = "✓"
_LATE_MARK = "!"


def status_abbreviation(status: TaskStatus) -> str:
    """The short form used in the matrix and the chart: HT, ĐTH, CTK, KPS."""
    labels = {
        TaskStatus.DONE: _("HT"),
        TaskStatus.IN_PROGRESS: _("ĐTH"),
        TaskStatus.NOT_STARTED: _("CTK"),
        TaskStatus.NOT_APPLICABLE: _("KPS"),
    }
    return labels[status]


def matrix_text(answer: UnitAnswer) -> str:
    """A matrix cell: the status abbreviation, then ✓ on time (or on track), ! late."""
    if answer.status is None:
        return ""
    text = status_abbreviation(answer.status)
    if answer.timing is None:
        return text
    return f"{text} {_LATE_MARK if answer.timing in _LATE else _ON_TIME_MARK}"


def _clean(text: str) -> str:
    text = _ILLEGAL.sub(" ", text)
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def _sheet_title(title: str) -> str:
    """A translated name Excel accepts: no []:*?/\\ and at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:SHEET_NAME_LIMIT]


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    wrap: bool = False


class _Sheet:
    """A write-only sheet with a styled, frozen, filtered header row and set widths."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        columns: Sequence[Column],
        freeze_column: str = "A",
        heading: Sequence[Sequence[Any]] = (),
    ) -> None:
        sheet = workbook.create_sheet(_sheet_title(title))
        assert isinstance(sheet, WriteOnlyWorksheet)
        self.sheet = sheet
        self.columns = columns
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        header_row = len(heading) + 1
        # Write-only sheets take their frozen panes before the first row is written.
        sheet.freeze_panes = f"{freeze_column}{header_row + 1}"
        for line in heading:
            sheet.append([self._title(value) for value in line])
        self.header_row = header_row
        self.rows = 0
        sheet.append([self._header(column.header) for column in columns])
        # One style per column (and font), made once and shared by every cell: styling each
        # cell through openpyxl's descriptors would cost more than writing it.
        self._styles: dict[tuple[int, Font | None, bool], StyleArray] = {}

    def _style(self, column: int, font: Font | None, day: bool) -> StyleArray:
        key = (column, font, day)
        style = self._styles.get(key)
        if style is None:
            prototype = WriteOnlyCell(self.sheet)
            if self.columns[column].wrap:
                prototype.alignment = _WRAP
            if font is not None:
                prototype.font = font
            if day:
                prototype.number_format = _DAY_FORMAT
            style = self._styles[key] = prototype._style
        return style

    def _title(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        cell = WriteOnlyCell(self.sheet, _clean(value))
        cell.font = _TITLE_FONT
        return cell

    def _header(self, text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGNMENT
        return cell

    def cell(self, value: Any, column: int, font: Font | None = None) -> Any:
        """What to append for `value`: the plain value where it needs no style (openpyxl
        writes those fastest), else a cell with the column's shared style."""
        if value is None or value == "":
            return None
        styled = font is not None or self.columns[column].wrap or isinstance(value, datetime)
        if isinstance(value, str):
            value = _clean(value)
            if not styled and not value.startswith("="):
                return value
            cell = Cell(self.sheet, 1, 1, style_array=self._style(column, font, False))
            cell.value = value
            # Text typed by a unit is never a formula, even when it starts with "=".
            cell.data_type = "s"
            return cell
        if not styled:
            return value
        style = self._style(column, font, isinstance(value, datetime))
        return Cell(self.sheet, 1, 1, value, style_array=style)

    def append(self, values: Sequence[Any], fonts: Sequence[Font | None] = ()) -> None:
        """A data row; `fonts` optionally styles the first cells."""
        self.sheet.append(
            [
                self.cell(value, index, fonts[index] if index < len(fonts) else None)
                for index, value in enumerate(values)
            ]
        )
        self.rows += 1

    def finish(self) -> None:
        """The filter over the header and data rows."""
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A{self.header_row}:{last}{self.header_row + self.rows}"


def _yes_no(value: bool) -> str:
    return _("Có") if value else _("Không")


def _number(value: Decimal | int | None) -> int | float | Decimal | None:
    """Numbers stay numbers: integral decimals as int, others as Decimal (exact)."""
    if value is None or isinstance(value, int):
        return value
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        return int(normalized)
    return value


def _local(moment: datetime, timezone: str) -> datetime:
    """Excel has no time zones: the ward's wall-clock time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- One ward -------------------------------------------------------------------------------


def _overview(workbook: Workbook, summary: PeriodSummary) -> None:
    info_columns = [Column(_("Mục"), 34, wrap=True), Column(_("Giá trị"), 60, wrap=True)]
    sheet = _Sheet(
        workbook,
        _("Tổng hợp"),
        info_columns,
        heading=[
            [_("TỔNG HỢP KỲ {period} — {ward}").format(period=summary.period, ward=summary.ward)]
        ],
    )
    counts = summary.status_counts()
    rows: list[tuple[str, Any]] = [
        (_("Phường/xã"), summary.ward),
        (_("Kỳ báo cáo"), summary.period),
        (_("Hạn gửi"), format_moment(summary.due_at, summary.timezone)),
        (_("Đơn vị đã gửi"), f"{summary.submitted}/{len(summary.units)}"),
        (_("Số đơn vị đã gửi"), summary.submitted),
        (_("Tổng số đơn vị"), len(summary.units)),
        (_("Đơn vị trễ hạn"), ", ".join(summary.late_units)),
        (_("Tổng số nhiệm vụ"), len(summary.tasks)),
    ]
    rows += count_lines(counts)
    # A pair outside the usual order (should not happen) still shows, so the total adds up.
    rows += [
        (status_timing_text(s, t), n) for (s, t), n in counts.items() if (s, t) not in COUNT_ORDER
    ]
    met = sum(1 for kpi in summary.kpis if kpi.met)
    rows += [
        (_("Chỉ tiêu đạt"), f"{met}/{len(summary.kpis)}"),
        (_("Vướng mắc chờ trả lời"), len(summary.blockers)),
        (_("Vướng mắc quá hạn trả lời"), sum(b.overdue for b in summary.blockers)),
        (_("Mới hoàn thành"), ", ".join(summary.newly_done)),
        (_("Mới trễ hạn"), ", ".join(summary.newly_overdue)),
        (
            _("Ký hiệu"),
            _(
                "HT: Hoàn thành; ĐTH: Đang thực hiện; CTK: Chưa triển khai; "
                "KPS: Không phát sinh trong kỳ; ✓ đúng hạn hoặc trong hạn; ! quá hạn hoặc trễ hạn"
            ),
        ),
    ]
    for label, value in rows:
        sheet.append([label, value], fonts=[_HEADER_FONT])
    sheet.finish()


def _task_codes(summary: PeriodSummary) -> list[str]:
    return list(dict.fromkeys([t.code for t in summary.tasks] + [a.code for a in summary.answers]))


def _unit_names(summary: PeriodSummary) -> list[str]:
    return list(dict.fromkeys([u.unit for u in summary.units] + [a.unit for a in summary.answers]))


def _matrix(workbook: Workbook, summary: PeriodSummary) -> None:
    codes = _task_codes(summary)
    columns = [Column(_("Đơn vị"), 36, wrap=True)] + [Column(code, 9) for code in codes]
    sheet = _Sheet(workbook, _("Ma trận"), columns, freeze_column="B")
    cells = {(a.unit, a.code): a for a in summary.answers}
    for unit in _unit_names(summary):
        row: list[Any] = [unit]
        fonts: list[Font | None] = [None]
        for code in codes:
            answer = cells.get((unit, code))
            row.append(matrix_text(answer) if answer else None)
            fonts.append(_LATE_FONT if answer and answer.timing in _LATE else None)
        sheet.append(row, fonts)
    sheet.finish()


def _detail_columns(with_ward: bool) -> list[Column]:
    columns = [
        Column(_("Đơn vị"), 28, wrap=True),
        Column(_("Mã NV"), 9),
        Column(_("Nội dung"), 50, wrap=True),
        Column(_("Tình trạng"), 18),
        Column(_("Đúng/trễ hạn"), 13),
        Column(_("Tiến độ %"), 10),
        Column(_("Giá trị chỉ tiêu"), 12),
        Column(_("Kết quả"), 45, wrap=True),
        Column(_("Khó khăn"), 40, wrap=True),
        Column(_("Đề xuất"), 40, wrap=True),
        Column(_("Số minh chứng"), 11),
        Column(_("Sửa sau hạn"), 10),
    ]
    if with_ward:
        columns.insert(0, Column(_("Phường/xã"), 22, wrap=True))
    return columns


def _detail_rows(summary: PeriodSummary) -> Iterator[list[Any]]:
    contents: dict[str, str] = {}
    for task in summary.tasks:
        contents.setdefault(task.code, task.content)
    statuses = {s: status_label(s) for s in TaskStatus}
    timings = {t: timing_label(t) for t in Timing}
    yes, no = _yes_no(True), _yes_no(False)
    for a in summary.answers:
        yield [
            a.unit,
            a.code,
            contents.get(a.code),
            statuses[a.status] if a.status is not None else None,
            timings[a.timing] if a.timing is not None else None,
            a.progress_percent,
            _number(a.kpi_value),
            a.result,
            a.difficulties,
            a.proposals,
            a.evidence,
            yes if a.changed_after_due else no,
        ]


def _details(workbook: Workbook, summaries: Iterable[PeriodSummary], with_ward: bool) -> None:
    sheet = _Sheet(workbook, _("Chi tiết"), _detail_columns(with_ward))
    for summary in summaries:
        for row in _detail_rows(summary):
            sheet.append([summary.ward, *row] if with_ward else row)
    sheet.finish()


def _kpis(workbook: Workbook, summary: PeriodSummary) -> None:
    columns = [
        Column(_("Mã NV"), 9),
        Column(_("Nội dung"), 55, wrap=True),
        Column(_("So sánh"), 10),
        Column(_("Chỉ tiêu"), 10),
        Column(_("Đơn vị tính"), 12),
        Column(_("Giá trị đạt được"), 12),
        Column(_("Kết quả"), 16),
    ]
    sheet = _Sheet(workbook, _("Chỉ tiêu"), columns)
    for kpi in summary.kpis:
        if kpi.value is None:
            state = _("chưa có số liệu")
        else:
            state = _("đạt") if kpi.met else _("chưa đạt")
        sheet.append(
            [
                kpi.code,
                kpi.content,
                comparator_word(kpi.comparator),
                _number(kpi.target),
                kpi.unit,
                _number(kpi.value),
                state,
            ]
        )
    sheet.finish()


def _blockers(workbook: Workbook, summary: PeriodSummary) -> None:
    columns = [
        Column(_("Số"), 7),
        Column(_("Đơn vị"), 28, wrap=True),
        Column(_("Nội dung"), 70, wrap=True),
        Column(_("Hạn trả lời"), 18),
        Column(_("Quá hạn trả lời"), 12),
    ]
    sheet = _Sheet(workbook, _("Vướng mắc"), columns)
    for blocker in summary.blockers:
        sheet.append(
            [
                blocker.id,
                blocker.unit,
                blocker.description,
                _local(blocker.due_at, summary.timezone),
                _yes_no(blocker.overdue),
            ],
            fonts=[None, None, None, None, _LATE_FONT if blocker.overdue else None],
        )
    sheet.finish()


def render_workbook(summary: PeriodSummary) -> bytes:
    """One ward's period as .xlsx: overview, unit × task matrix, every answer, KPIs, blockers."""
    workbook = Workbook(write_only=True)
    _overview(workbook, summary)
    _matrix(workbook, summary)
    _details(workbook, [summary], with_ward=False)
    _kpis(workbook, summary)
    _blockers(workbook, summary)
    return _save(workbook)


# --- A deployment's wards -------------------------------------------------------------------


def _count_keys(summaries: Sequence[PeriodSummary]) -> list[StatusKey]:
    """The (status, timing) pairs any ward has, in display order (unusual ones last)."""
    present: Counter[StatusKey] = Counter()
    for summary in summaries:
        present.update(summary.status_counts())
    keys = [key for key in COUNT_ORDER if present[key]]
    return keys + [key for key in present if key not in COUNT_ORDER]


def _wards(workbook: Workbook, summaries: Sequence[PeriodSummary]) -> None:
    keys = _count_keys(summaries)
    columns = [
        Column(_("Phường/xã"), 26, wrap=True),
        Column(_("Kỳ báo cáo"), 11),
        Column(_("Đơn vị đã gửi"), 10),
        Column(_("Tổng số đơn vị"), 10),
        Column(_("Đơn vị trễ hạn"), 10),
        Column(_("Tổng số nhiệm vụ"), 11),
        *(Column(status_timing_text(s, t), 14) for s, t in keys),
        Column(_("Chỉ tiêu đạt"), 10),
        Column(_("Tổng số chỉ tiêu"), 10),
        Column(_("Vướng mắc chờ trả lời"), 12),
        Column(_("Vướng mắc quá hạn trả lời"), 12),
    ]
    sheet = _Sheet(workbook, _("Các phường"), columns, freeze_column="B")
    totals: list[int] = []
    for summary in summaries:
        counts = summary.status_counts()
        numbers = [
            summary.submitted,
            len(summary.units),
            len(summary.late_units),
            len(summary.tasks),
            *(counts[key] for key in keys),
            sum(1 for kpi in summary.kpis if kpi.met),
            len(summary.kpis),
            len(summary.blockers),
            sum(b.overdue for b in summary.blockers),
        ]
        totals = [a + b for a, b in zip(totals, numbers, strict=True)] if totals else numbers
        sheet.append([summary.ward, summary.period, *numbers])
    sheet.finish()
    if summaries:
        # The total sits below a blank row, outside the filter, so sorting leaves it last.
        sheet.sheet.append([])
        sheet.sheet.append(
            [sheet.cell(_("Tổng cộng"), 0, _HEADER_FONT), None]
            + [sheet.cell(n, i + 2, _HEADER_FONT) for i, n in enumerate(totals)]
        )


def render_city_workbook(summaries: Sequence[PeriodSummary]) -> bytes:
    """Every ward of a deployment in one workbook: a row per ward and every answer."""
    workbook = Workbook(write_only=True)
    _wards(workbook, summaries)
    _details(workbook, summaries, with_ward=True)
    return _save(workbook)

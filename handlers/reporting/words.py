"""Translated words of the check-in: statuses, timings, task cards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from handlers.i18n import _, format_day, format_number
from handlers.reporting.statuses import STATUS_ORDER, status_label
from handlers.reporting.timing import Timing, timing
from storage.models import Period, Task
from storage.repositories.reports import Answer
from storage.vocabulary import Comparator, TaskStatus

CARD_CONTENT_CHARS = 160


@dataclass(frozen=True)
class DatedTask:
    """A task within a period, with the ward's time zone: what on time / late is judged by."""

    task: Task
    period: Period
    timezone: str


def timing_label(timing: Timing) -> str:
    labels = {
        Timing.DONE_ON_TIME: _("đúng hạn"),
        Timing.DONE_LATE: _("quá hạn"),
        Timing.ON_TRACK: _("trong hạn"),
        Timing.OVERDUE: _("trễ hạn"),
    }
    return labels[timing]


def shorten(text: str, limit: int = CARD_CONTENT_CHARS) -> str:
    """Cut at a word boundary, so a card stays readable on a phone."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def number_text(value: Decimal | int) -> str:
    normalized = Decimal(value).normalize()
    return format_number(
        int(normalized) if normalized == normalized.to_integral_value() else normalized
    )


def comparator_word(comparator: Comparator) -> str:
    """ "tối thiểu", "trên"…: how a target compares, in words."""
    words = {
        Comparator.AT_LEAST: _("tối thiểu"),
        Comparator.MORE_THAN: _("trên"),
        Comparator.EXACTLY: _("đúng"),
        Comparator.AT_MOST: _("tối đa"),
        Comparator.LESS_THAN: _("dưới"),
    }
    return words[comparator]


StatusKey = tuple[TaskStatus | None, Timing | None]
# Every (status, timing) pair in the order the digest, the report and the workbook list them:
# statuses in their order, then tasks without a report.
COUNT_ORDER: tuple[StatusKey, ...] = tuple(
    (s, t) for s in (*STATUS_ORDER, None) for t in (*Timing, None)
)


def count_lines(counts: Mapping[StatusKey, int]) -> list[tuple[str, int]]:
    """(label, count) of every non-zero count, in COUNT_ORDER."""
    return [
        (status_timing_text(s, t), counts[(s, t)]) for s, t in COUNT_ORDER if counts.get((s, t))
    ]


def status_timing_text(status: TaskStatus | None, when: Timing | None) -> str:
    """A count's label: "Hoàn thành đúng hạn", "Đang thực hiện", "Chưa có báo cáo"."""
    if status is None:
        return _("Chưa có báo cáo")
    text = status_label(status)
    return f"{text} {timing_label(when)}" if when is not None else text


def kpi_target_text(task: Task) -> str | None:
    if task.kpi_value is None or task.kpi_comparator is None:
        return None
    unit = "%" if task.kpi_unit == "%" else f" {task.kpi_unit}"
    return f"{comparator_word(task.kpi_comparator)} {number_text(task.kpi_value)}{unit}"


def deadline_text(task: Task) -> str:
    if task.deadline_due is not None:
        return _("{text} (hạn {day})").format(
            text=task.deadline_text, day=format_day(task.deadline_due)
        )
    return task.deadline_text or _("không ghi thời hạn")


def answer_text(report: Answer | None, dated: DatedTask | None = None) -> str:
    """One line for an answer: status (with on time / late when `dated` gives the task and
    period), progress, KPI value, and the free texts in short."""
    if report is None or report.status is None:
        return _("chưa trả lời")
    parts = [status_label(report.status)]
    if report.progress_percent is not None and report.status is TaskStatus.IN_PROGRESS:
        parts[0] += f" {report.progress_percent}%"
    if dated is not None:
        answered_on = report.updated_at.astimezone(ZoneInfo(dated.timezone)).date()
        when = timing(report.status, dated.task.deadline_due, answered_on, dated.period.ends_on)
        if when is not None:
            parts[0] += f" {timing_label(when)}"
    if report.kpi_value is not None:
        parts.append(_("chỉ tiêu đạt {value}").format(value=number_text(report.kpi_value)))
    for label, text in (
        (_("kết quả"), report.result),
        (_("vướng"), report.difficulties),
        (_("đề xuất"), report.proposals),
    ):
        if text:
            parts.append(f"{label}: {shorten(text, 60)}")
    if report.evidence:
        parts.append(_("minh chứng: {count}").format(count=format_number(len(report.evidence))))
    return "; ".join(parts)


def task_card(number: int, task: Task, previous: Answer | None, current: Answer | None) -> str:
    lines = [
        f"{number}. [{task.code}] {shorten(task.content)}",
        _("Thời hạn: {deadline}").format(deadline=deadline_text(task)),
    ]
    target = kpi_target_text(task)
    if target:
        lines.append(_("Chỉ tiêu: {target}").format(target=target))
    if previous is not None and previous.status is not None:
        lines.append(_("Kỳ trước: {answer}").format(answer=answer_text(previous)))
    if current is not None and current.status is not None:
        lines.append(_("Đã trả lời: {answer}").format(answer=answer_text(current)))
    return "\n".join(lines)

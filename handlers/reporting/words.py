"""Translated words of the check-in: statuses, deadlines, targets, task cards."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from handlers.i18n import _, format_day, format_number
from handlers.reporting.standing import TIMED, Reply, standing_label, task_standing
from handlers.reporting.statuses import status_label
from handlers.text.shortening import shorten
from storage.models import Period, Task
from storage.repositories.reports import Answer
from storage.vocabulary import Comparator, TaskStatus


@dataclass(frozen=True)
class DatedTask:
    """A task within a period, with the ward's time zone: what on time / late is judged by."""

    task: Task
    period: Period
    timezone: str


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
    if dated is not None:
        answered_on = report.updated_at.astimezone(ZoneInfo(dated.timezone)).date()
        judged = task_standing(
            [Reply(report.status, answered_on)], 1, dated.task.deadline_due, dated.period.ends_on
        )
        # Done and in progress say on time or late; the others keep the unit's own words.
        if judged.standing in TIMED:
            parts[0] = standing_label(judged.standing)
        elif judged.past_due:
            parts[0] = _("{status}, đã quá hạn").format(status=parts[0])
    if report.progress_percent is not None and report.status is TaskStatus.IN_PROGRESS:
        parts[0] += f" {report.progress_percent}%"
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

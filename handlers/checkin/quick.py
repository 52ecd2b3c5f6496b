"""The one-message report: a whole unit's answers typed in one message, confirmed, then saved.

Essential on Zalo, where there are no buttons. What was understood is shown line by line, with
anything unclear asked back; nothing is saved before the head confirms.
"""

from __future__ import annotations

from typing import Any

from handlers.checkin.answers import MAX_TEXT_CHARS
from handlers.checkin.quick_report import (
    LineProblem,
    QuickLine,
    TaskKey,
    looks_like_quick_report,
    parse_quick_report,
)
from handlers.checkin.session import Checkin, after_change, answered, kept_values
from handlers.checkin.state import CheckinState, PendingAnswer, Step, enter
from handlers.context import FlowContext
from handlers.events import Choice, EventKind
from handlers.i18n import _, format_number
from handlers.reporting.words import status_label
from handlers.text.shortening import shorten
from storage.models import Task
from storage.vocabulary import TaskStatus

# A confirmation shows every line understood (one per task at most) and a screen's worth of
# the rest.
UNCLEAR_LINES_SHOWN = 5
ECHOED_LINE_CHARS = 60
ECHOED_NOTE_CHARS = 80


def task_keys(tasks: list[Task]) -> list[TaskKey]:
    return [
        TaskKey(number, task.code, task.kpi_unit if task.kpi_value is not None else None)
        for number, task in enumerate(tasks, start=1)
    ]


def problem_text(problem: LineProblem) -> str:
    texts = {
        LineProblem.UNKNOWN_TASK: _("không có nhiệm vụ này trong danh sách"),
        LineProblem.NO_TASK: _("dòng không bắt đầu bằng số thứ tự hoặc mã nhiệm vụ"),
        LineProblem.NO_STATUS: _("chưa rõ tình trạng (HT, ĐTH, CTK, KPS hoặc phần trăm)"),
        LineProblem.DUPLICATE_TASK: _("nhiệm vụ này đã có ở dòng trên"),
        LineProblem.PROGRESS_OUT_OF_RANGE: _("tiến độ là số nguyên từ 0 đến 100%"),
        LineProblem.KPI_OUT_OF_RANGE: _("chỉ tiêu phần trăm phải từ 0 đến 100"),
        LineProblem.KPI_NOT_A_COUNT: _("chỉ tiêu này là số đếm: cần số nguyên không âm"),
        LineProblem.KPI_WITHOUT_TARGET: _("nhiệm vụ này không có chỉ tiêu để ghi số liệu"),
        LineProblem.NOTE_TOO_LONG: _("phần ghi chú quá {limit} ký tự").format(limit=MAX_TEXT_CHARS),
        LineProblem.CONFLICTING_STATUS: _(
            "tình trạng mâu thuẫn (hai tình trạng, «giữ» kèm tình trạng, hoặc HT kèm phần trăm dưới 100)"
        ),
    }
    return texts[problem]


def _understood_text(line: QuickLine, previous_answered: bool) -> str:
    assert line.task is not None
    if line.keep_previous:
        what = (
            _("giữ như kỳ trước")
            if previous_answered
            else _("giữ như kỳ trước — nhưng kỳ trước chưa có câu trả lời")
        )
    else:
        assert line.status is not None
        what = status_label(line.status)
        if line.progress_percent is not None and line.status is TaskStatus.IN_PROGRESS:
            what += f" {line.progress_percent}%"
    parts = [what]
    if line.kpi_value is not None:
        parts.append(_("chỉ tiêu {value}").format(value=format_number(line.kpi_value)))
    # The notes are saved whole; echoing them whole would send a head's page back to them.
    if line.result:
        parts.append(_("kết quả: {text}").format(text=shorten(line.result, ECHOED_NOTE_CHARS)))
    if line.difficulties:
        parts.append(_("vướng: {text}").format(text=shorten(line.difficulties, ECHOED_NOTE_CHARS)))
    if line.proposals:
        parts.append(_("kiến nghị: {text}").format(text=shorten(line.proposals, ECHOED_NOTE_CHARS)))
    return f"✓ {line.task.number}. [{line.task.code}] " + "; ".join(parts)


def _unclear_text(line: QuickLine, reasons: str) -> str:
    return f"? {line.line_number}: «{shorten(line.text, ECHOED_LINE_CHARS)}» — {reasons}"


def _unclear_summary(valid: int, unclear: list[str]) -> list[str]:
    """The lines not understood, counted, and the first few shown: a pasted page of text must
    not come back as a page (a reply echoes at most a screen of what the person typed)."""
    if not unclear:
        return []
    shown = unclear[:UNCLEAR_LINES_SHOWN]
    summary = [
        _("{valid} dòng hợp lệ, {unclear} dòng chưa hiểu:").format(
            valid=format_number(valid), unclear=format_number(len(unclear))
        ),
        *shown,
    ]
    hidden = len(unclear) - len(shown)
    if hidden:
        summary.append(_("… và {count} dòng nữa chưa hiểu.").format(count=format_number(hidden)))
    return summary


def _typed_extras(line: QuickLine) -> dict[str, Any]:
    """What a line adds besides its status: a KPI value and free texts."""
    extras: dict[str, Any] = {}
    if line.kpi_value is not None:
        extras["kpi_value"] = line.kpi_value
    if line.result:
        extras["result"] = line.result
    if line.difficulties:
        extras["difficulties"] = line.difficulties
    if line.proposals:
        extras["proposals"] = line.proposals
    return extras


def _line_values(line: QuickLine) -> dict[str, Any]:
    values: dict[str, Any] = {"status": line.status}
    if line.status is TaskStatus.IN_PROGRESS:
        values["progress_percent"] = line.progress_percent
    elif line.status is TaskStatus.DONE:
        values["progress_percent"] = 100
    else:
        values["progress_percent"] = None
    return values | _typed_extras(line)


async def is_quick_report(context: FlowContext, unit_id: int) -> bool:
    """The message is a one-message report for this unit's tasks (whatever the period)."""
    ward = context.actor.ward
    if context.event.kind is not EventKind.TEXT or ward is None:
        return False
    tasks = await context.repositories.for_ward(ward.id).plans.tasks_for_unit(unit_id)
    return looks_like_quick_report(context.event.text, task_keys(list(tasks.reporting)))


async def offer_quick_report(context: FlowContext, checkin: Checkin, state: CheckinState) -> bool:
    """When the text is a one-message report, show what was understood and ask to confirm."""
    event = context.event
    if event.kind is not EventKind.TEXT or not looks_like_quick_report(
        event.text, task_keys(checkin.tasks)
    ):
        return False
    report = parse_quick_report(event.text, task_keys(checkin.tasks))
    understood: list[str] = []
    unclear: list[str] = []
    pending: list[PendingAnswer] = []
    for line in report.lines:
        if line.understood and line.task is not None:
            task = checkin.tasks[line.task.number - 1]
            previous = checkin.previous.get(task.id)
            if line.keep_previous and not answered(previous):
                unclear.append(_unclear_text(line, _("kỳ trước chưa có câu trả lời để giữ")))
                continue
            understood.append(_understood_text(line, answered(previous)))
            values = (
                {**kept_values(previous), **_typed_extras(line)}
                if line.keep_previous and previous
                else _line_values(line)
            )
            pending.append(PendingAnswer(task.id, values))
        else:
            reasons = "; ".join(problem_text(problem) for problem in line.problems) or _(
                "chưa hiểu dòng này"
            )
            unclear.append(_unclear_text(line, reasons))
    lines = [
        _("Kỳ {period} — {unit}. Mình hiểu như sau:").format(
            period=checkin.period.label, unit=checkin.unit.name
        ),
        *understood,
        *_unclear_summary(len(pending), unclear),
    ]
    if not pending:
        lines.append(
            _(
                "Chưa có dòng nào lưu được. Sửa lại rồi gửi, ví dụ: «1 HT» hoặc «2 60% vướng kinh phí»."
            )
        )
        context.reply("\n".join(lines))
        return True
    if unclear:
        lines.append(
            _("Các dòng có dấu ? sẽ không được lưu; bạn có thể gửi lại riêng các dòng đó.")
        )
    state.quick = pending
    enter(context, Step.QUICK_CONFIRM, state)
    context.ask("\n".join(lines), confirm_choices(len(pending)))
    return True


def confirm_choices(count: int) -> list[Choice]:
    """Save the understood lines, or drop them."""
    return [
        Choice("save", _("Lưu {count} nhiệm vụ").format(count=format_number(count))),
        Choice("cancel", _("Hủy, không lưu")),
    ]


async def confirm_quick_report(context: FlowContext, checkin: Checkin, state: CheckinState) -> bool:
    """Save (or drop) the understood lines; False when the answer was neither."""
    choice = context.event.choice
    pending = state.quick
    if choice == "cancel":
        state.quick = []
        context.reply(_("Đã hủy, không lưu gì."))
        return True
    if choice != "save":
        return False
    member = context.actor.member
    reports = context.repositories.for_ward(checkin.unit.ward_id).reports
    changed = False
    for item in pending:
        saved = await reports.save(
            checkin.period,
            item.task_id,
            checkin.unit.id,
            dict(item.values),
            member_id=member.id if member else None,
            actor=context.actor.actor_label,
            loaded=checkin.reports,
        )
        if saved.answer is not None:
            checkin.reports[item.task_id] = saved.answer
        changed = changed or bool(saved.changes)
    if changed:
        await after_change(context, checkin)
    state.quick = []
    context.reply(_("Đã lưu {count} nhiệm vụ.").format(count=format_number(len(pending))))
    return True

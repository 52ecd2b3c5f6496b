"""`/baocao`: a unit answers every task of the open period, one question at a time.

Each answer is saved as it is given, so nothing is lost if the head stops halfway or the bot
restarts; the step is persisted and the same question comes back. Typed numbers choose options
on messengers without buttons, and the whole report may also come as one typed message.
"""

from __future__ import annotations

from typing import Any

from handlers.checkin.action_texts import outcome_text
from handlers.checkin.actions import submit_report
from handlers.checkin.answers import BadAnswer, read_kpi_value, read_percent, read_text
from handlers.checkin.outcomes import ReportSubmitted
from handlers.checkin.quick import CONFIRM_STEP, confirm_quick_report, offer_quick_report
from handlers.checkin.session import (
    Checkin,
    answered,
    kept_values,
    load_checkin,
    may_submit,
    reopen_if_reviewed,
)
from handlers.context import FlowContext
from handlers.events import Choice, EventKind
from handlers.i18n import _, format_moment, format_number
from handlers.reporting.words import answer_text, kpi_target_text, status_label, task_card
from handlers.router import Router
from storage.vocabulary import Role, TaskStatus

router = Router()
FLOW = "checkin"
REPORTING_ROLES = {Role.UNIT_HEAD, Role.UNIT_STAFF}
OPTIONAL_STEPS = ("result", "difficulties", "proposals", "evidence")
KEEP = "keep"
LATER = "later"
STOP = "stop"
SKIP = "skip"
SKIP_REST = "skip_rest"


@router.command(
    "baocao",
    describe=lambda: _("/baocao — báo cáo tiến độ các nhiệm vụ của đơn vị trong kỳ"),
    roles=REPORTING_ROLES,
)
async def start_checkin(context: FlowContext) -> None:
    units = context.actor.units_for(*REPORTING_ROLES)
    if len(units) == 1:
        await _begin(context, units[0].id)
        return
    context.ask(
        _("Bạn báo cáo cho đơn vị nào?"),
        [Choice(str(unit.id), unit.name) for unit in units],
    )
    context.go_to(FLOW, "unit")


async def _begin(context: FlowContext, unit_id: int) -> None:
    context.go_to(FLOW, "overview", unit_id=unit_id, coordinating=False, position=0)
    checkin = await load_checkin(context, unit_id, with_coordinating=False)
    if checkin is None:
        context.finish()
        return
    await prompt(context, checkin)


async def prompt(context: FlowContext, checkin: Checkin) -> None:
    """Ask the question of the current step (again, after a bad answer or a restart)."""
    step = context.step
    position = int(context.data.get("position", 0))
    if step == "overview":
        _overview(context, checkin)
    elif step == "review":
        _review(context, checkin)
    elif step == "edit":
        context.reply(
            _("Gõ số thứ tự nhiệm vụ cần sửa (1–{count}).").format(count=len(checkin.tasks))
        )
    elif step == "status":
        _ask_status(context, checkin, position)
    elif step == "progress":
        context.reply(
            _(
                "Nhiệm vụ {number} đã thực hiện được bao nhiêu phần trăm? Gõ một số từ 0 đến 100."
            ).format(number=position + 1)
        )
    elif step == "kpi":
        task = checkin.task_at(position)
        context.ask(
            _("Giá trị chỉ tiêu đạt được đến nay (chỉ tiêu: {target})? Gõ một số.").format(
                target=kpi_target_text(task)
            ),
            [Choice(SKIP, _("Chưa có số liệu"))],
        )
    elif step in OPTIONAL_STEPS:
        _ask_optional(context, step)
    elif step == CONFIRM_STEP:
        count = len(context.data.get("quick") or [])
        context.ask(
            _("Lưu các nhiệm vụ đã hiểu?"),
            [
                Choice("save", _("Lưu {count} nhiệm vụ").format(count=format_number(count))),
                Choice("cancel", _("Hủy, không lưu")),
            ],
        )


def _overview(context: FlowContext, checkin: Checkin) -> None:
    answered_count = sum(1 for task in checkin.tasks if answered(checkin.reports.get(task.id)))
    lines = [
        _("Kỳ báo cáo {period} — {unit}").format(
            period=checkin.period.label, unit=checkin.unit.name
        ),
        _("Hạn gửi: trước {moment}").format(
            moment=format_moment(checkin.period.due_at, checkin.timezone)
        ),
        _("Nhiệm vụ cần báo cáo: {count}; đã trả lời: {answered}").format(
            count=format_number(len(checkin.tasks)), answered=format_number(answered_count)
        ),
    ]
    for number, task in enumerate(checkin.tasks, start=1):
        lines.append(
            f"{number}. [{task.code}] {answer_text(checkin.reports.get(task.id), checkin.dated(task))}"
        )
    choices = [
        Choice("start", _("Trả lời lần lượt từng nhiệm vụ")),
        Choice("review", _("Xem lại và gửi báo cáo")),
    ]
    if checkin.coordinating and not context.data.get("coordinating"):
        choices.append(
            Choice(
                "coordinating",
                _("Thêm {count} nhiệm vụ phối hợp (không bắt buộc)").format(
                    count=format_number(len(checkin.coordinating))
                ),
            )
        )
    lines.append(
        _("Hoặc gửi cả báo cáo trong một tin nhắn, mỗi dòng một nhiệm vụ (xem /huongdan).")
    )
    context.ask("\n".join(lines), choices)


def _ask_status(context: FlowContext, checkin: Checkin, position: int) -> None:
    task = checkin.task_at(position)
    card = task_card(
        position + 1, task, checkin.previous.get(task.id), checkin.reports.get(task.id)
    )
    choices = [Choice(str(status), status_label(status)) for status in TaskStatus]
    if answered(checkin.previous.get(task.id)):
        choices.append(Choice(KEEP, _("Giữ như kỳ trước")))
    choices += [
        Choice(LATER, _("Để sau, sang nhiệm vụ tiếp")),
        Choice(STOP, _("Dừng lại (đã lưu)")),
    ]
    context.ask(card + "\n" + _("Tình trạng kỳ này?"), choices)


def _ask_optional(context: FlowContext, step: str) -> None:
    questions = {
        "result": _("Kết quả, sản phẩm đạt được? (không bắt buộc)"),
        "difficulties": _("Khó khăn, vướng mắc? (không bắt buộc)"),
        "proposals": _("Kiến nghị, đề xuất? (không bắt buộc)"),
        "evidence": _("Minh chứng: gửi tệp, ảnh hoặc đường link. (không bắt buộc)"),
    }
    context.ask(
        questions[step], [Choice(SKIP, _("Bỏ qua")), Choice(SKIP_REST, _("Bỏ qua các mục còn lại"))]
    )


async def repeat_question(context: FlowContext) -> None:
    """Ask the current question again (after an interrupting command)."""
    if context.step == "unit":
        await start_checkin(context)
        return
    checkin = await load_checkin(
        context,
        int(context.data["unit_id"]),
        with_coordinating=bool(context.data.get("coordinating")),
    )
    if checkin is None:
        context.finish()
        return
    await prompt(context, checkin)


@router.flow(FLOW, prompt=repeat_question, resting_steps=frozenset({"overview", "review"}))
async def continue_checkin(context: FlowContext) -> None:
    if context.step == "unit":
        units = {str(unit.id): unit for unit in context.actor.units_for(*REPORTING_ROLES)}
        if context.event.choice in units:
            await _begin(context, int(context.event.choice))
        else:
            context.reply(_("Chọn một đơn vị trong danh sách."))
            await start_checkin(context)
        return
    checkin = await load_checkin(
        context,
        int(context.data["unit_id"]),
        with_coordinating=bool(context.data.get("coordinating")),
    )
    if checkin is None:
        context.finish()
        return
    if context.step in ("overview", "review", "status", CONFIRM_STEP) and await offer_quick_report(
        context, checkin
    ):
        return
    try:
        await _answer(context, checkin)
    except BadAnswer as problem:
        context.reply(str(problem))
        await prompt(context, checkin)


async def _answer(context: FlowContext, checkin: Checkin) -> None:
    step = context.step
    choice = context.event.choice
    if step == CONFIRM_STEP:
        if not await confirm_quick_report(context, checkin):
            raise BadAnswer(_("Chọn «Lưu» hoặc «Hủy» (gõ 1 hoặc 2), hoặc gửi lại cả báo cáo."))
        context.go_to(FLOW, "review")
        await prompt(context, checkin)
    elif step == "overview":
        await _answer_overview(context, checkin, choice)
    elif step == "review":
        await _answer_review(context, checkin, choice)
    elif step == "edit":
        typed = context.event.text.strip().rstrip(".")
        if not typed.isdigit() or not 1 <= int(typed) <= len(checkin.tasks):
            raise BadAnswer(
                _("Không có nhiệm vụ số «{typed}». Gõ một số từ 1 đến {count}.").format(
                    typed=typed[:20], count=len(checkin.tasks)
                )
            )
        context.go_to(FLOW, "status", position=int(typed) - 1, editing=True)
        await prompt(context, checkin)
    elif step == "status":
        await _answer_status(context, checkin, choice)
    elif step == "progress":
        await _save(context, checkin, {"progress_percent": read_percent(_typed(context))})
        await _after_progress(context, checkin)
    elif step == "kpi":
        if choice != SKIP:
            task = checkin.task_at(int(context.data["position"]))
            await _save(
                context, checkin, {"kpi_value": read_kpi_value(_typed(context), task.kpi_unit)}
            )
        await _next_step(context, checkin, "result")
    elif step in OPTIONAL_STEPS:
        await _answer_optional(context, checkin, step, choice)


def _typed(context: FlowContext) -> str:
    event = context.event
    if event.kind is not EventKind.TEXT:
        raise BadAnswer(_("Câu này cần trả lời bằng chữ hoặc số."))
    return event.text


async def _answer_overview(context: FlowContext, checkin: Checkin, choice: str | None) -> None:
    if choice == "start":
        first = next(
            (
                i
                for i, task in enumerate(checkin.tasks)
                if not answered(checkin.reports.get(task.id))
            ),
            0,
        )
        context.go_to(FLOW, "status", position=first)
    elif choice == "review":
        context.go_to(FLOW, "review")
    elif choice == "coordinating":
        context.go_to(FLOW, "status", coordinating=True, position=len(checkin.tasks))
        checkin = await load_checkin(context, checkin.unit.id, with_coordinating=True) or checkin
    else:
        raise BadAnswer(_("Mình chưa hiểu. Chọn một mục bên dưới (gõ số thứ tự)."))
    await prompt(context, checkin)


async def _answer_status(context: FlowContext, checkin: Checkin, choice: str | None) -> None:
    position = int(context.data["position"])
    task = checkin.task_at(position)
    if choice == STOP:
        context.reply(_("Đã lưu các câu trả lời. Gửi /baocao để làm tiếp khi thuận tiện."))
        context.finish()
        return
    if choice == LATER:
        await _advance(context, checkin)
        return
    if choice == KEEP and answered(checkin.previous.get(task.id)):
        await _save(context, checkin, kept_values(checkin.previous[task.id]))
        context.reply(
            _("Đã giữ như kỳ trước: {answer}").format(answer=answer_text(checkin.reports[task.id]))
        )
        await _advance(context, checkin)
        return
    if choice not in {str(status) for status in TaskStatus}:
        raise BadAnswer(_("Chọn tình trạng trong danh sách (gõ số thứ tự)."))
    status = TaskStatus(choice)
    values: dict[str, Any] = {"status": status}
    if status is not TaskStatus.IN_PROGRESS:
        values["progress_percent"] = 100 if status is TaskStatus.DONE else None
    await _save(context, checkin, values)
    if status is TaskStatus.IN_PROGRESS:
        await _next_step(context, checkin, "progress")
    elif status is TaskStatus.NOT_APPLICABLE:
        await _advance(context, checkin)
    else:
        await _after_progress(context, checkin)


async def _after_progress(context: FlowContext, checkin: Checkin) -> None:
    task = checkin.task_at(int(context.data["position"]))
    await _next_step(context, checkin, "kpi" if task.kpi_value is not None else "result")


async def _answer_optional(
    context: FlowContext, checkin: Checkin, step: str, choice: str | None
) -> None:
    if choice == SKIP_REST:
        await _advance(context, checkin)
        return
    if choice != SKIP:
        if step == "evidence":
            await _save_evidence(context, checkin)
            return
        await _save(context, checkin, {step: read_text(_typed(context))})
    following = OPTIONAL_STEPS[OPTIONAL_STEPS.index(step) + 1 :]
    if following:
        await _next_step(context, checkin, following[0])
    else:
        await _advance(context, checkin)


async def _save_evidence(context: FlowContext, checkin: Checkin) -> None:
    event = context.event
    task = checkin.task_at(int(context.data["position"]))
    current = list(checkin.reports[task.id].evidence) if task.id in checkin.reports else []
    if event.attachment is not None:
        item = {
            "kind": str(event.kind),
            "file_id": event.attachment.file_id,
            "name": event.attachment.file_name,
        }
    elif event.kind is EventKind.TEXT and event.text.strip().lower().startswith(
        ("http://", "https://")
    ):
        item = {"kind": "link", "url": read_text(event.text)}
    else:
        raise BadAnswer(
            _(
                "Minh chứng là tệp, ảnh hoặc đường link bắt đầu bằng http. Gửi lại, hoặc chọn «Bỏ qua»."
            )
        )
    await _save(context, checkin, {"evidence": [*current, item]})
    context.ask(_("Đã nhận minh chứng. Gửi thêm, hoặc chọn «Xong»."), [Choice(SKIP, _("Xong"))])


async def _next_step(context: FlowContext, checkin: Checkin, step: str) -> None:
    context.go_to(FLOW, step)
    await prompt(context, checkin)


async def _advance(context: FlowContext, checkin: Checkin) -> None:
    """The next task, or the review screen after the last one (or after an edit)."""
    position = int(context.data["position"]) + 1
    if context.data.pop("editing", False) or position >= len(checkin.tasks):
        context.go_to(FLOW, "review")
    else:
        context.go_to(FLOW, "status", position=position)
    await prompt(context, checkin)


async def _save(context: FlowContext, checkin: Checkin, values: dict[str, Any]) -> None:
    task = checkin.task_at(int(context.data["position"]))
    member = context.actor.member
    saved = await context.repositories.for_ward(checkin.unit.ward_id).reports.save(
        checkin.period,
        task.id,
        checkin.unit.id,
        values,
        member_id=member.id if member else None,
        actor=context.actor.actor_label,
        loaded=checkin.reports,
    )
    if saved.answer is not None:
        checkin.reports[task.id] = saved.answer
    if saved.changes:
        await reopen_if_reviewed(context, checkin)


def _review(context: FlowContext, checkin: Checkin) -> None:
    lines = [
        _("Báo cáo kỳ {period} — {unit}:").format(
            period=checkin.period.label, unit=checkin.unit.name
        )
    ]
    missing = 0
    for number, task in enumerate(checkin.tasks, start=1):
        report = checkin.reports.get(task.id)
        missing += not answered(report) and task not in checkin.coordinating
        lines.append(f"{number}. [{task.code}] {answer_text(report, checkin.dated(task))}")
    if missing:
        lines.append(_("Còn {count} nhiệm vụ chưa trả lời.").format(count=format_number(missing)))
    choices = []
    member = context.actor.member
    if member is not None and may_submit(member, checkin.unit.id):
        choices.append(Choice("submit", _("Gửi báo cáo")))
    choices += [Choice("edit", _("Sửa một nhiệm vụ")), Choice(STOP, _("Để sau (đã lưu)"))]
    context.ask("\n".join(lines), choices)


async def _answer_review(context: FlowContext, checkin: Checkin, choice: str | None) -> None:
    if choice == "edit":
        context.go_to(FLOW, "edit")
        await prompt(context, checkin)
    elif choice == STOP:
        context.reply(_("Đã lưu. Gửi /baocao để xem lại hoặc gửi báo cáo."))
        context.finish()
    elif choice == "submit":
        member = context.actor.member
        assert member is not None
        submitted = await submit_report(
            context.repositories, checkin, member, actor=context.actor.actor_label
        )
        if not isinstance(submitted, ReportSubmitted):
            raise BadAnswer(outcome_text(submitted))
        context.reply(outcome_text(submitted))
        context.finish()
    else:
        raise BadAnswer(_("Chọn một mục bên dưới (gõ số thứ tự)."))

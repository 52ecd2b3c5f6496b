"""`/baocao`: a unit answers every task of the open period, one question at a time.

Each answer is saved as it is given, so nothing is lost if the head stops halfway or the bot
restarts; the step is persisted and the same question comes back. Typed numbers choose options
on messengers without buttons, and the whole report may also come as one typed message.
Every step is one row of `STEPS`: how its question is asked and how its answer is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from handlers.checkin.action_texts import outcome_text
from handlers.checkin.actions import select_period, submit_report
from handlers.checkin.answers import (
    BadAnswer,
    chosen,
    list_number,
    read_kpi_value,
    read_percent,
    read_text,
)
from handlers.checkin.outcomes import PeriodNotOpen, ReportSubmitted, SeveralPeriodsOpen
from handlers.checkin.quick import confirm_choices, confirm_quick_report, offer_quick_report
from handlers.checkin.quick_report import status_word
from handlers.checkin.session import (
    Checkin,
    after_change,
    answered,
    kept_values,
    load_checkin,
    may_submit,
)
from handlers.checkin.state import FLOW, CheckinState, Step, enter
from handlers.context import FlowContext
from handlers.events import Choice, EventKind, TextReply
from handlers.i18n import _, format_moment, format_number
from handlers.reporting.words import answer_text, kpi_target_text, status_label, task_card
from handlers.router import Router
from storage.models import Member, Period, Task
from storage.vocabulary import Role, TaskStatus

router = Router()
REPORTING_ROLES = {Role.UNIT_HEAD, Role.UNIT_STAFF}
OPTIONAL_STEPS = (Step.RESULT, Step.DIFFICULTIES, Step.PROPOSALS, Step.EVIDENCE)
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
        await _choose_period(context, units[0].id)
        return
    context.ask(
        _("Bạn báo cáo cho đơn vị nào?"),
        [Choice(str(unit.id), unit.name) for unit in units],
    )
    context.go_to(FLOW, Step.UNIT, period=context.event.argument.strip())


async def _choose_period(context: FlowContext, unit_id: int) -> None:
    """The period named after /baocao, the only open one, or, when several are open, the one
    the head chooses."""
    ward = context.actor.ward
    assert ward is not None
    repositories = context.repositories.for_ward(ward.id)
    label = context.event.argument.strip() or str(context.data.get("period") or "")
    picked = await select_period(repositories, label)
    if isinstance(picked, SeveralPeriodsOpen):
        periods = await repositories.periods.open_periods()
        context.finish()
        context.ask(
            _("Đang mở {count} kỳ báo cáo. Bạn báo cáo cho kỳ nào?").format(
                count=format_number(len(periods))
            ),
            [
                Choice(
                    str(period.id),
                    _("Kỳ {period}, hạn trước {moment}").format(
                        period=period.label, moment=format_moment(period.due_at, ward.timezone)
                    ),
                )
                for period in periods
            ],
        )
        enter(context, Step.PERIOD, CheckinState(unit_id))
        return
    if isinstance(picked, PeriodNotOpen):
        context.reply(outcome_text(picked))
        context.finish()
        return
    # The only open period is read like every later message does (shared between turns).
    await _begin(context, unit_id, picked.id if label and isinstance(picked, Period) else None)


async def _begin(context: FlowContext, unit_id: int, period_id: int | None) -> None:
    context.finish()
    state = CheckinState(unit_id, period_id=period_id)
    enter(context, Step.OVERVIEW, state)
    checkin = await load_checkin(context, unit_id, with_coordinating=False, period_id=period_id)
    if checkin is None:
        context.finish()
        return
    Turn(context, checkin, state).ask()


@dataclass
class Turn:
    """One message of a check-in: the context, what the check-in works on, where it stands."""

    context: FlowContext
    checkin: Checkin
    state: CheckinState

    @property
    def step(self) -> Step:
        assert self.context.step is not None, "a check-in turn is always at a step"
        return Step(self.context.step)

    @property
    def member(self) -> Member:
        member = self.context.actor.member
        assert member is not None, "only registered members report"
        return member

    def ask(self) -> None:
        """Ask the question of the current step (again, after a bad answer or a restart)."""
        STEPS[self.step].ask(self)

    def go(self, step: Step) -> None:
        """Move to `step` and ask its question."""
        enter(self.context, step, self.state)
        self.ask()

    @property
    def task(self) -> Task:
        """The task being answered."""
        return self.checkin.task_at(self.state.position)

    @property
    def choice(self) -> str | None:
        return self.context.event.choice


@dataclass(frozen=True)
class StepSpec:
    """How a step asks its question and reads its answer."""

    ask: Callable[[Turn], None]
    answer: Callable[[Turn], Awaitable[None]]
    # A whole one-message report may be typed here instead of the answer.
    takes_quick_report: bool = False
    # Nothing is half-entered here (an overview, a review), so a command simply leaves.
    resting: bool = False


# Overview


def _ask_overview(turn: Turn) -> None:
    context, checkin = turn.context, turn.checkin
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
    if checkin.coordinating and not turn.state.coordinating:
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


async def _answer_overview(turn: Turn) -> None:
    checkin, state = turn.checkin, turn.state
    if turn.choice == "start":
        state.position = next(
            (
                i
                for i, task in enumerate(checkin.tasks)
                if not answered(checkin.reports.get(task.id))
            ),
            0,
        )
        turn.go(Step.STATUS)
    elif turn.choice == "review":
        turn.go(Step.REVIEW)
    elif turn.choice == "coordinating":
        state.coordinating, state.position = True, len(checkin.tasks)
        turn.checkin = (
            await load_checkin(
                turn.context, checkin.unit.id, with_coordinating=True, period_id=state.period_id
            )
            or checkin
        )
        turn.go(Step.STATUS)
    else:
        raise BadAnswer(_("Mình chưa hiểu. Chọn một mục bên dưới (gõ số thứ tự)."))


# Status


def _status_question(turn: Turn) -> tuple[str, list[Choice]]:
    checkin, task = turn.checkin, turn.task
    card = task_card(
        turn.state.position + 1, task, checkin.previous.get(task.id), checkin.reports.get(task.id)
    )
    choices = [Choice(str(status), status_label(status)) for status in TaskStatus]
    if answered(checkin.previous.get(task.id)):
        choices.append(Choice(KEEP, _("Giữ như kỳ trước")))
    choices += [
        Choice(LATER, _("Để sau, sang nhiệm vụ tiếp")),
        Choice(STOP, _("Dừng lại (đã lưu)")),
    ]
    return card + "\n" + _("Tình trạng kỳ này?"), choices


def _ask_status(turn: Turn) -> None:
    turn.context.ask(*_status_question(turn))


async def _answer_status(turn: Turn) -> None:
    context, checkin, task, choice = turn.context, turn.checkin, turn.task, turn.choice
    question, choices = _status_question(turn)
    chosen = next((c.label for c in choices if c.value == choice), None)
    if chosen is not None and context.event.callback_id is not None:
        # The pressed card keeps its task and shows the answer, without its buttons, rather
        # than a new message piling up under it (where the messenger edits messages).
        context.send(TextReply(f"{question}\n✔ {chosen}", replaces_card=True))
    if choice == STOP:
        context.reply(_("Đã lưu các câu trả lời. Gửi /baocao để làm tiếp khi thuận tiện."))
        context.finish()
        return
    if choice == LATER:
        _advance(turn)
        return
    if choice == KEEP and answered(checkin.previous.get(task.id)):
        await _save(turn, kept_values(checkin.previous[task.id]))
        context.reply(
            _("Đã giữ như kỳ trước: {answer}").format(answer=answer_text(checkin.reports[task.id]))
        )
        _advance(turn)
        return
    typed = status_word(context.event.text) if context.event.kind is EventKind.TEXT else None
    if typed is not None:
        choice = str(typed)
    if choice not in {str(status) for status in TaskStatus}:
        raise BadAnswer(
            _("Chọn tình trạng trong danh sách (gõ số thứ tự, hoặc HT, ĐTH, CTK, KPS).")
        )
    status = TaskStatus(choice)
    values: dict[str, Any] = {"status": status}
    if status is not TaskStatus.IN_PROGRESS:
        values["progress_percent"] = 100 if status is TaskStatus.DONE else None
    if status in (TaskStatus.NOT_STARTED, TaskStatus.NOT_APPLICABLE):
        # Nothing done yet has no KPI value and no result: none is asked, none is kept.
        values |= {"kpi_value": None, "result": None}
    await _save(turn, values)
    if status is TaskStatus.IN_PROGRESS:
        turn.go(Step.PROGRESS)
    elif status is TaskStatus.NOT_APPLICABLE:
        _advance(turn)
    elif status is TaskStatus.NOT_STARTED:
        # Why it has not started is what the coordinator needs: its difficulties.
        turn.go(Step.DIFFICULTIES)
    else:
        _after_progress(turn)


# Progress and KPI


def _ask_progress(turn: Turn) -> None:
    turn.context.reply(
        _(
            "Nhiệm vụ {number} đã thực hiện được bao nhiêu phần trăm? Gõ một số từ 0 đến 100."
        ).format(number=turn.state.position + 1)
    )


async def _answer_progress(turn: Turn) -> None:
    await _save(turn, {"progress_percent": read_percent(_typed(turn))})
    _after_progress(turn)


def _after_progress(turn: Turn) -> None:
    turn.go(Step.KPI if turn.task.kpi_value is not None else Step.RESULT)


def _kpi_choices(turn: Turn) -> list[Choice]:
    """A number is asked: the options are keywords to type, or buttons, never numbers."""
    # The keywords are what a head types in Vietnamese whatever the reply language.
    choices = [Choice(SKIP, _("Chưa có số liệu"), keyword="chưa có")]
    previous = turn.checkin.previous.get(turn.task.id)
    if previous is not None and previous.kpi_value is not None:
        choices.append(
            Choice(
                KEEP,
                _("Giữ như kỳ trước ({value})").format(value=format_number(previous.kpi_value)),
                keyword="như kỳ trước",
            )
        )
    return choices


def _ask_kpi(turn: Turn) -> None:
    turn.context.ask(
        _("Giá trị chỉ tiêu đạt được đến nay (chỉ tiêu: {target})? Gõ một số, hoặc:").format(
            target=kpi_target_text(turn.task)
        ),
        _kpi_choices(turn),
    )


async def _answer_kpi(turn: Turn) -> None:
    option = chosen(turn.context.event, _kpi_choices(turn))
    if option == KEEP:
        await _save(turn, {"kpi_value": turn.checkin.previous[turn.task.id].kpi_value})
    elif option != SKIP:
        await _save(turn, {"kpi_value": read_kpi_value(_typed(turn), turn.task.kpi_unit)})
    turn.go(Step.RESULT)


# Result, difficulties, proposals, evidence: each may be skipped


def _ask_optional(turn: Turn) -> None:
    questions = {
        Step.RESULT: _("Kết quả, sản phẩm đạt được? (không bắt buộc)"),
        Step.DIFFICULTIES: _("Khó khăn, vướng mắc? (không bắt buộc)"),
        Step.PROPOSALS: _("Kiến nghị, đề xuất? (không bắt buộc)"),
        Step.EVIDENCE: _("Minh chứng: gửi tệp, ảnh hoặc đường link. (không bắt buộc)"),
    }
    turn.context.ask(
        questions[turn.step],
        [Choice(SKIP, _("Bỏ qua")), Choice(SKIP_REST, _("Bỏ qua các mục còn lại"))],
    )


async def _answer_optional(turn: Turn) -> None:
    step = turn.step
    if turn.choice == SKIP_REST:
        _advance(turn)
        return
    if turn.choice != SKIP:
        if step is Step.EVIDENCE:
            await _save_evidence(turn)
            return
        await _save(turn, {str(step): read_text(_typed(turn))})
    following = OPTIONAL_STEPS[OPTIONAL_STEPS.index(step) + 1 :]
    if following:
        turn.go(following[0])
    else:
        _advance(turn)


async def _save_evidence(turn: Turn) -> None:
    event, checkin, task = turn.context.event, turn.checkin, turn.task
    current = list(checkin.reports[task.id].evidence) if task.id in checkin.reports else []
    if event.attachment is not None:
        item = {
            "kind": str(event.kind),
            # A messenger's file id is valid only for the bot account that received it.
            "channel": event.channel,
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
    await _save(turn, {"evidence": [*current, item]})
    turn.context.ask(
        _("Đã nhận minh chứng. Gửi thêm, hoặc chọn «Xong»."), [Choice(SKIP, _("Xong"))]
    )


# Review, edit, submit


def _ask_review(turn: Turn) -> None:
    checkin = turn.checkin
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
    if may_submit(turn.member, checkin.unit.id):
        choices.append(Choice("submit", _("Gửi báo cáo")))
    choices += [Choice("edit", _("Sửa một nhiệm vụ")), Choice(STOP, _("Để sau (đã lưu)"))]
    turn.context.ask("\n".join(lines), choices)


async def _answer_review(turn: Turn) -> None:
    context = turn.context
    if turn.choice == "edit":
        turn.go(Step.EDIT)
    elif turn.choice == STOP:
        context.reply(_("Đã lưu. Gửi /baocao để xem lại hoặc gửi báo cáo."))
        context.finish()
    elif turn.choice == "submit":
        submitted = await submit_report(
            context.repositories, turn.checkin, turn.member, actor=context.actor.actor_label
        )
        if not isinstance(submitted, ReportSubmitted):
            raise BadAnswer(outcome_text(submitted))
        context.reply(outcome_text(submitted))
        context.finish()
    else:
        raise BadAnswer(_("Chọn một mục bên dưới (gõ số thứ tự)."))


def _ask_edit(turn: Turn) -> None:
    turn.context.reply(
        _("Gõ số thứ tự nhiệm vụ cần sửa (1–{count}).").format(count=len(turn.checkin.tasks))
    )


async def _answer_edit(turn: Turn) -> None:
    typed = turn.context.event.text.strip().rstrip(".")
    number = list_number(typed, len(turn.checkin.tasks))
    if number is None:
        raise BadAnswer(
            _("Không có nhiệm vụ số «{typed}». Gõ một số từ 1 đến {count}.").format(
                typed=typed[:20], count=len(turn.checkin.tasks)
            )
        )
    turn.state.position, turn.state.editing = number - 1, True
    turn.go(Step.STATUS)


# The one-message report's confirmation


def _ask_quick_confirm(turn: Turn) -> None:
    turn.context.ask(_("Lưu các nhiệm vụ đã hiểu?"), confirm_choices(len(turn.state.quick)))


async def _answer_quick_confirm(turn: Turn) -> None:
    if not await confirm_quick_report(turn.context, turn.checkin, turn.state):
        raise BadAnswer(_("Chọn «Lưu» hoặc «Hủy» (gõ 1 hoặc 2), hoặc gửi lại cả báo cáo."))
    turn.go(Step.REVIEW)


# Shared by the steps


def _typed(turn: Turn) -> str:
    event = turn.context.event
    if event.kind is not EventKind.TEXT:
        raise BadAnswer(_("Câu này cần trả lời bằng chữ hoặc số."))
    return event.text


def _advance(turn: Turn) -> None:
    """The next task, or the review screen after the last one (or after an edit)."""
    state = turn.state
    editing, state.editing = state.editing, False
    if editing or state.position + 1 >= len(turn.checkin.tasks):
        turn.go(Step.REVIEW)
    else:
        state.position += 1
        turn.go(Step.STATUS)


async def _save(turn: Turn, values: dict[str, Any]) -> None:
    checkin, task = turn.checkin, turn.task
    member = turn.context.actor.member
    saved = await turn.context.repositories.for_ward(checkin.unit.ward_id).reports.save(
        checkin.period,
        task.id,
        checkin.unit.id,
        values,
        member_id=member.id if member else None,
        actor=turn.context.actor.actor_label,
        loaded=checkin.reports,
    )
    if saved.answer is not None:
        checkin.reports[task.id] = saved.answer
    if saved.changes:
        await after_change(turn.context, checkin)


STEPS: dict[Step, StepSpec] = {
    Step.OVERVIEW: StepSpec(_ask_overview, _answer_overview, takes_quick_report=True, resting=True),
    Step.STATUS: StepSpec(_ask_status, _answer_status, takes_quick_report=True),
    Step.PROGRESS: StepSpec(_ask_progress, _answer_progress),
    Step.KPI: StepSpec(_ask_kpi, _answer_kpi),
    Step.RESULT: StepSpec(_ask_optional, _answer_optional),
    Step.DIFFICULTIES: StepSpec(_ask_optional, _answer_optional),
    Step.PROPOSALS: StepSpec(_ask_optional, _answer_optional),
    Step.EVIDENCE: StepSpec(_ask_optional, _answer_optional),
    Step.REVIEW: StepSpec(_ask_review, _answer_review, takes_quick_report=True, resting=True),
    Step.EDIT: StepSpec(_ask_edit, _answer_edit),
    Step.QUICK_CONFIRM: StepSpec(
        _ask_quick_confirm, _answer_quick_confirm, takes_quick_report=True
    ),
}


async def _turn(context: FlowContext) -> Turn | None:
    """The check-in this message works on, from the persisted state; None, after saying why
    and ending the check-in, when it cannot go on."""
    state = CheckinState.from_data(context.data)
    checkin = await load_checkin(
        context, state.unit_id, with_coordinating=state.coordinating, period_id=state.period_id
    )
    if checkin is None:
        context.finish()
        return None
    return Turn(context, checkin, state)


async def repeat_question(context: FlowContext) -> None:
    """Ask the current question again (after an interrupting command)."""
    if context.step == Step.UNIT:
        await start_checkin(context)
        return
    if context.step == Step.PERIOD:
        await _choose_period(context, CheckinState.from_data(context.data).unit_id)
        return
    turn = await _turn(context)
    if turn is not None:
        turn.ask()


@router.flow(
    FLOW,
    prompt=repeat_question,
    resting_steps=frozenset(step for step, spec in STEPS.items() if spec.resting),
)
async def continue_checkin(context: FlowContext) -> None:
    # The unit and the period are chosen before there is a check-in to work on, hence outside
    # the table.
    if context.step == Step.UNIT:
        units = {str(unit.id): unit for unit in context.actor.units_for(*REPORTING_ROLES)}
        if context.event.choice in units:
            await _choose_period(context, int(context.event.choice))
        else:
            context.reply(_("Chọn một đơn vị trong danh sách."))
            await start_checkin(context)
        return
    if context.step == Step.PERIOD:
        state = CheckinState.from_data(context.data)
        if context.event.choice is not None and context.event.choice.isdigit():
            await _begin(context, state.unit_id, int(context.event.choice))
        else:
            context.reply(_("Chọn một kỳ báo cáo trong danh sách."))
            await _choose_period(context, state.unit_id)
        return
    turn = await _turn(context)
    if turn is None:
        return
    step = STEPS[turn.step]
    if step.takes_quick_report and await offer_quick_report(context, turn.checkin, turn.state):
        return
    try:
        await step.answer(turn)
    except BadAnswer as problem:
        context.reply(str(problem))
        turn.ask()

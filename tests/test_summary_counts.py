"""The counts of a period's summary, made in one place for every report, counted by hand."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from handlers.reporting.standing import Standing, TaskStanding
from handlers.reporting.summary import (
    KpiLine,
    OpenBlocker,
    PeriodSummary,
    Proposal,
    TaskLine,
    UnitAnswer,
    UnitProgress,
    report_counts,
)
from storage.vocabulary import Comparator, SubmissionState, TaskStatus

DUE = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)


def _task(code: str, standing: Standing, past_due: bool = False) -> TaskLine:
    return TaskLine(
        code,
        None,
        f"Nhiệm vụ {code}",
        TaskStanding(standing, 0, 1, 0, 0, past_due),
        # Due in the period after November, unless its deadline has passed.
        due=date(2026, 10, 31) if past_due else date(2026, 12, 20),
    )


def _kpi(code: str, value: Decimal | None, met: bool | None) -> KpiLine:
    return KpiLine(
        code, "Tỷ lệ hồ sơ trực tuyến", Decimal(90), "%", Comparator.AT_LEAST, value, met
    )


def _answer(code: str) -> UnitAnswer:
    return UnitAnswer(
        "Phòng Kinh tế",
        code,
        TaskStatus.DONE,
        Standing.DONE_ON_TIME,
        None,
        None,
        None,
        None,
        None,
        0,
        False,
    )


SUMMARY = PeriodSummary(
    ward="Phường Hồng Bàng",
    timezone="Asia/Ho_Chi_Minh",
    period="2026-11",
    due_at=DUE,
    units=(
        UnitProgress("Phòng Văn hóa - Xã hội", SubmissionState.SUBMITTED, False, 6, 6),
        UnitProgress("Phòng Kinh tế", SubmissionState.ACCEPTED, True, 6, 6),
        UnitProgress("Tổ dân phố số 1", SubmissionState.DRAFT, False, 2, 6),
    ),
    tasks=(
        _task("1", Standing.ON_TRACK),
        _task("2", Standing.DONE_ON_TIME),
        _task("3", Standing.NOT_STARTED, past_due=True),
        _task("4", Standing.NOT_APPLICABLE),
        _task("5", Standing.OVERDUE, past_due=True),
        _task("6", Standing.NO_REPORT),
        _task("7", Standing.DONE_ON_TIME),
    ),
    kpis=(
        _kpi("1", Decimal(95), True),
        _kpi("3", Decimal(40), False),
        _kpi("5", Decimal(80), False),
        _kpi("7", None, None),
    ),
    blockers=(
        OpenBlocker(1, "Phòng Kinh tế", "Thiếu máy quét", DUE - timedelta(days=1), True),
        OpenBlocker(2, "Tổ dân phố số 1", "Chưa có kinh phí", DUE + timedelta(days=2), False),
        OpenBlocker(3, "Phòng Kinh tế", "Chưa có hướng dẫn", DUE - timedelta(days=3), True),
    ),
    proposals=(Proposal("Phòng Kinh tế", "3", "Bổ sung kinh phí"),),
    newly_done=(),
    newly_overdue=(),
    past_due=True,
    answers=(_answer("2"), _answer("7")),
    difficulties=(
        Proposal("Phòng Kinh tế", "3", "Thiếu máy"),
        Proposal("Tổ dân phố số 1", "5", "Thiếu người"),
    ),
)


def test_every_count_of_a_period() -> None:
    counts = report_counts(SUMMARY)
    assert (counts.units, counts.submitted) == (3, 2)
    # Late: the one that submitted after the due moment and the one yet to submit after it.
    assert counts.late_units == 2
    assert counts.tasks == 7
    assert (counts.kpis, counts.kpis_met, counts.kpis_not_met, counts.kpis_no_data) == (4, 1, 2, 1)
    assert (counts.difficulties, counts.proposals) == (2, 1)
    assert (counts.blockers, counts.blockers_overdue) == (3, 2)
    # Still to do: neither done nor "nothing this period", the task without a report included.
    assert (counts.next_tasks, counts.next_overdue, counts.next_due) == (4, 2, 2)


def test_statuses_leave_out_zeros_and_follow_the_reports_order() -> None:
    statuses = report_counts(SUMMARY).statuses
    assert list(statuses.items()) == [
        (Standing.DONE_ON_TIME, 2),
        (Standing.ON_TRACK, 1),
        (Standing.OVERDUE, 1),
        (Standing.NOT_STARTED, 1),
        (Standing.NOT_APPLICABLE, 1),
        (Standing.NO_REPORT, 1),
    ]
    assert sum(statuses.values()) == len(SUMMARY.tasks)


def test_section_five_lists_the_overdue_then_those_due_next_period() -> None:
    focus = SUMMARY.next_focus
    assert [task.code for task in focus.overdue] == ["3", "5"]
    assert [task.code for task in focus.due_next] == ["1", "6"]
    assert focus.others == ()
    # A task due later than next period, or without a due date, is only counted.
    later = replace(
        SUMMARY, tasks=(*SUMMARY.tasks, replace(_task("8", Standing.ON_TRACK), due=None))
    )
    assert [(s, [t.code for t in ts]) for s, ts in later.next_focus.others] == [(None, ["8"])]


def test_an_empty_period_counts_nothing() -> None:
    empty = replace(
        SUMMARY, units=(), tasks=(), kpis=(), blockers=(), proposals=(), answers=(), difficulties=()
    )
    counts = report_counts(empty)
    assert counts.statuses == {} and empty.next_focus.pending == 0
    assert all(
        getattr(counts, field.name) == 0 for field in fields(counts) if field.name != "statuses"
    )

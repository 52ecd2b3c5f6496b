"""The one rule for a task's ward-level status, and the calendar of what a report covers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, strategies as st

from handlers.reporting.spans import BadSpan, SpanKind, parse_span
from handlers.reporting.standing import (
    DONE,
    Reply,
    Standing,
    answer_standing,
    standing_label,
    task_standing,
)
from storage.vocabulary import TaskStatus

DUE = date(2026, 11, 20)
ON = date(2026, 11, 10)
AFTER = date(2026, 11, 25)
HT, DTH, CTK, KPS = (
    TaskStatus.DONE,
    TaskStatus.IN_PROGRESS,
    TaskStatus.NOT_STARTED,
    TaskStatus.NOT_APPLICABLE,
)


def _standing(statuses: list[TaskStatus], concerned: int, as_of: date = date(2026, 11, 30)):
    return task_standing([Reply(s, ON) for s in statuses], concerned, DUE, as_of)


@pytest.mark.parametrize(
    ("statuses", "concerned", "expected", "done", "reporting"),
    [
        ([HT, HT], 2, Standing.DONE_ON_TIME, 2, 2),
        # "Không phát sinh" is an answer: that unit is neither missing nor counted in y.
        ([HT, KPS], 2, Standing.DONE_ON_TIME, 1, 1),
        # A task led by every unit that one unit reports done: in progress, 1/5.
        ([HT], 5, Standing.OVERDUE, 1, 5),
        ([HT, CTK], 2, Standing.OVERDUE, 1, 2),
        ([CTK, CTK], 2, Standing.NOT_STARTED, 0, 2),
        ([CTK], 3, Standing.NOT_STARTED, 0, 3),
        ([KPS, KPS], 2, Standing.NOT_APPLICABLE, 0, 0),
        ([KPS], 2, Standing.NO_REPORT, 0, 1),
        ([], 3, Standing.NO_REPORT, 0, 3),
    ],
)
def test_the_ward_status_of_a_task(
    statuses: list[TaskStatus], concerned: int, expected: Standing, done: int, reporting: int
) -> None:
    standing = _standing(statuses, concerned)
    assert standing.standing is expected
    assert (standing.done, standing.reporting) == (done, reporting)


def test_on_time_and_late_come_from_the_deadline_and_the_last_answer() -> None:
    late = task_standing([Reply(HT, ON), Reply(HT, AFTER)], 2, DUE, date(2026, 11, 30))
    assert late.standing is Standing.DONE_LATE
    # In progress is on time until the deadline passes, judged on the day of the figures.
    assert _standing([DTH], 1, as_of=date(2026, 11, 15)).standing is Standing.ON_TRACK
    assert _standing([DTH], 1, as_of=date(2026, 11, 21)).standing is Standing.OVERDUE
    assert _standing([CTK], 1, as_of=date(2026, 11, 21)).past_due


def test_a_task_without_a_due_date_is_never_late() -> None:
    for status in (HT, DTH, CTK):
        standing = answer_standing(status, AFTER, None, date(2030, 1, 1))
        assert standing not in (Standing.DONE_LATE, Standing.OVERDUE)
    assert answer_standing(HT, AFTER, None, AFTER) is Standing.DONE_ON_TIME
    assert not task_standing([Reply(DTH, AFTER)], 1, None, date(2030, 1, 1)).past_due


def test_the_categories_are_the_monitoring_systems_words() -> None:
    assert [standing_label(s) for s in Standing] == [
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện đúng hạn",
        "Đang thực hiện trễ hạn",
        "Chưa thực hiện",
        "Không phát sinh",
        "Chưa có báo cáo",
    ]


_replies = st.lists(
    st.builds(
        Reply,
        st.sampled_from(list(TaskStatus)),
        st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    ),
    max_size=8,
)


@given(
    _replies,
    st.integers(0, 4),
    st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2026, 12, 31))),
    st.dates(date(2026, 1, 1), date(2026, 12, 31)),
)
def test_the_rule_holds_for_any_answers(
    replies: list[Reply], extra: int, due: date | None, as_of: date
) -> None:
    concerned = len(replies) + extra
    standing = task_standing(replies, concerned, due, as_of)
    relevant = [r for r in replies if r.status is not TaskStatus.NOT_APPLICABLE]
    # Done exactly when every unit with something to report answered "Hoàn thành".
    assert (standing.standing in DONE) == (
        bool(relevant) and extra == 0 and all(r.status is HT for r in relevant)
    )
    assert standing.done == sum(r.status is HT for r in replies)
    assert standing.reporting + standing.not_applicable == concerned
    assert standing.unanswered == extra
    if due is None:
        assert standing.standing not in (Standing.DONE_LATE, Standing.OVERDUE)
        assert not standing.past_due
    if not replies:
        assert standing.standing is Standing.NO_REPORT


def test_report_spans() -> None:
    quarter = parse_span("2026-q4")
    assert (quarter.kind, quarter.label) == (SpanKind.QUARTER, "2026-Q4")
    assert (quarter.starts_on, quarter.ends_on) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter.following().label == "2027-Q1" and quarter.preceding().label == "2026-Q3"
    assert parse_span("2026-H2").starts_on == date(2026, 7, 1)
    year = parse_span(" 2026 ")
    assert (year.kind, year.starts_on, year.ends_on) == (
        SpanKind.YEAR,
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert parse_span("2026-2").label == "2026-02"
    assert parse_span("2026-12").following().label == "2027-01"
    for bad in ("2026-13", "2026-Q5", "2026-H3", "11/2026", "", "abc", "1999", "2026-00"):
        with pytest.raises(BadSpan):
            parse_span(bad)


@given(st.text(max_size=12))
def test_any_typed_period_is_read_or_refused(text: str) -> None:
    try:
        span = parse_span(text)
    except BadSpan:
        return
    assert span.starts_on <= span.ends_on
    assert parse_span(span.label) == span


def test_period_labels() -> None:
    from handlers.checkin.periods import BadPeriodLabel, parse_period
    from storage.vocabulary import PeriodKind

    assert parse_period("2026-11").label == "2026-11"
    first_half = parse_period("2026-h1")
    assert (first_half.label, first_half.kind, first_half.starts_on, first_half.ends_on) == (
        "2026-H1",
        PeriodKind.HALF_YEAR,
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    assert parse_period("2026-2").label == "2026-02"
    for bad in ("2026-13", "2026-H3", "11/2026", "", "abc"):
        with pytest.raises(BadPeriodLabel):
            parse_period(bad)

from datetime import date

import pytest

from handlers.reporting.timing import Timing, timing
from storage.vocabulary import TaskStatus

DUE = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("status", "due", "answered_on", "period_end", "expected"),
    [
        (TaskStatus.DONE, DUE, date(2026, 6, 15), date(2026, 6, 30), Timing.DONE_ON_TIME),
        (TaskStatus.DONE, DUE, date(2026, 7, 10), date(2026, 7, 31), Timing.DONE_LATE),
        (TaskStatus.IN_PROGRESS, DUE, date(2026, 6, 10), date(2026, 6, 30), Timing.ON_TRACK),
        (TaskStatus.IN_PROGRESS, DUE, date(2026, 7, 10), date(2026, 7, 31), Timing.OVERDUE),
        (TaskStatus.NOT_STARTED, DUE, date(2026, 11, 10), date(2026, 11, 30), Timing.OVERDUE),
        (TaskStatus.NOT_APPLICABLE, DUE, date(2026, 11, 10), date(2026, 11, 30), None),
        (TaskStatus.DONE, None, date(2026, 11, 10), date(2026, 11, 30), None),
        (None, DUE, date(2026, 11, 10), date(2026, 11, 30), None),
    ],
)
def test_on_time_late_and_overdue_are_computed(
    status: TaskStatus | None,
    due: date | None,
    answered_on: date,
    period_end: date,
    expected: Timing | None,
) -> None:
    assert timing(status, due, answered_on, period_end) is expected


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

"""The schedule's rules over many dates and settings: which day, which hour, never at night,
never on a day off, never after the due moment; and the settings as typed."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from handlers.checkin.periods import parse_period
from handlers.reporting.working_days import is_working_day, working_days_later
from handlers.scheduling.policy import (
    BadSetting,
    Schedule,
    WardCalendar,
    parse_nudge_days,
    parse_quiet,
    parse_time,
    schedule_of,
    settings_of,
)
from handlers.scheduling.rules import (
    after_due,
    after_snooze,
    blocker_reminders,
    is_quiet,
    last_day,
    nudges,
    opening,
    progress_notes,
    snooze_until,
)
from storage.vocabulary import PeriodKind

TZ = "Asia/Ho_Chi_Minh"
ZONE = ZoneInfo(TZ)

days = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31))
clock_times = st.times().map(lambda moment: moment.replace(second=0, microsecond=0))


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    start = draw(st.sampled_from([time(19), time(20), time(21, 30), time(22)]))
    end = draw(st.sampled_from([time(6), time(7, 30), time(8)]))
    off = draw(st.frozensets(days, max_size=8))
    worked = draw(st.frozensets(days, max_size=4)) - off
    return Schedule(
        nudge_days=tuple(draw(st.lists(st.integers(0, 10), min_size=1, max_size=5, unique=True))),
        nudge_at=draw(st.sampled_from([time(8), time(9), time(10, 30), time(14)])),
        quiet_start=start,
        quiet_end=end,
        digest_at=draw(st.sampled_from([time(8), time(8, 30), time(9)])),
        progress_days=draw(st.integers(0, 5)),
        calendar=WardCalendar(off, worked),
    )


def due_of(day: date) -> datetime:
    return datetime.combine(day, time(0), ZONE)


@settings(max_examples=100, deadline=None)
@given(schedule=schedules(), due_day=days)
def test_nudges_fall_on_working_days_by_day_before_due(schedule: Schedule, due_day: date) -> None:
    due_at = due_of(due_day)
    windows = nudges(schedule, due_at, TZ)
    starts = [window.starts for window in windows]
    assert len(set(w.starts.date() for w in windows)) == len(windows) <= len(schedule.nudge_days)
    assert starts == sorted(starts)
    for window in windows:
        local = window.starts.astimezone(ZONE)
        assert schedule.calendar.is_working_day(local.date())
        assert local.time() == schedule.nudge_at
        assert window.starts < window.ends <= due_at
        assert not is_quiet(schedule, window.starts, TZ)
        # Stale from the night of its own day.
        assert window.ends.astimezone(ZONE).date() <= local.date() + timedelta(days=1)


@settings(max_examples=100, deadline=None)
@given(
    schedule=schedules(),
    due_day=days,
    moment=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)),
)
def test_nothing_is_open_in_quiet_hours(
    schedule: Schedule, due_day: date, moment: datetime
) -> None:
    now = moment.replace(tzinfo=UTC)
    due_at = due_of(due_day)
    windows = [
        *nudges(schedule, due_at, TZ),
        *progress_notes(schedule, due_at, TZ),
        after_due(schedule, due_at, TZ),
        opening(schedule, parse_period(f"{due_day:%Y-%m}"), due_at, TZ),
        *blocker_reminders(schedule, due_at, now, TZ),
    ]
    if is_quiet(schedule, now, TZ):
        assert not any(window.open_at(now, schedule, TZ) for window in windows)


@settings(max_examples=100, deadline=None)
@given(schedule=schedules(), due_day=days)
def test_after_due_is_the_first_working_morning_after_the_last_day(
    schedule: Schedule, due_day: date
) -> None:
    due_at = due_of(due_day)
    window = after_due(schedule, due_at, TZ)
    day = window.starts.astimezone(ZONE).date()
    assert day > last_day(due_at, TZ)
    assert schedule.calendar.is_working_day(day)
    between = [
        last_day(due_at, TZ) + timedelta(n) for n in range(1, (day - last_day(due_at, TZ)).days)
    ]
    assert not any(schedule.calendar.is_working_day(d) for d in between)
    assert window.ends > window.starts + timedelta(hours=8)


@settings(max_examples=100, deadline=None)
@given(schedule=schedules(), due_day=days)
def test_progress_notes_are_the_last_working_days(schedule: Schedule, due_day: date) -> None:
    due_at = due_of(due_day)
    notes = progress_notes(schedule, due_at, TZ)
    assert len(notes) <= schedule.progress_days
    for window in notes:
        assert schedule.calendar.is_working_day(window.starts.astimezone(ZONE).date())
        assert window.ends <= due_at


@settings(max_examples=100, deadline=None)
@given(
    schedule=schedules(),
    moment=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 6, 1)),
)
def test_a_snooze_lasts_to_the_next_working_days_nudge_hour(
    schedule: Schedule, moment: datetime
) -> None:
    now = moment.replace(tzinfo=UTC)
    until = snooze_until(schedule, now, TZ)
    local = until.astimezone(ZONE)
    assert local.date() > now.astimezone(ZONE).date()
    assert schedule.calendar.is_working_day(local.date())
    assert local.time() == schedule.nudge_at
    window = after_snooze(schedule, until, until + timedelta(days=30), TZ)
    assert window.starts == until < window.ends


def test_the_default_month_in_hanoi() -> None:
    """November 2026, due before the 16th (a Monday): the last day is Sunday the 15th, so the
    "due morning" nudge moves to Friday the 13th."""
    schedule = Schedule()
    due_at = due_of(date(2026, 11, 16))
    assert [
        w.starts.astimezone(ZONE).strftime("%d %H:%M") for w in nudges(schedule, due_at, TZ)
    ] == [
        "06 09:00",
        "11 09:00",
        "12 09:00",
        "13 09:00",
    ]
    assert (
        after_due(schedule, due_at, TZ).starts.astimezone(ZONE).strftime("%d %H:%M") == "16 08:00"
    )
    opened = opening(schedule, parse_period("2026-11"), due_at, TZ)
    assert opened.starts.astimezone(ZONE).strftime("%d %H:%M") == "02 09:00"


def test_a_public_holiday_in_the_nudge_window_moves_the_nudge_back() -> None:
    """The second half-year is due by 25/11; 24/11/2026 is Vietnam Cultural Day (a holiday
    in the `holidays` calendar): the nudge one working day before falls on the 23rd."""
    schedule = Schedule(cadence=PeriodKind.HALF_YEAR)
    assert not is_working_day(date(2026, 11, 24))
    due_at = datetime.combine(date(2026, 11, 26), time(0), ZONE)
    assert [w.starts.astimezone(ZONE).strftime("%d/%m") for w in nudges(schedule, due_at, TZ)] == [
        "17/11",
        "20/11",
        "23/11",
        "25/11",
    ]


def test_a_make_up_working_day_and_an_extra_day_off() -> None:
    calendar = WardCalendar(frozenset({date(2026, 11, 13)}), frozenset({date(2026, 11, 14)}))
    schedule = Schedule(calendar=calendar)
    due_at = due_of(date(2026, 11, 16))
    assert [w.starts.astimezone(ZONE).strftime("%d") for w in nudges(schedule, due_at, TZ)] == [
        "06",
        "11",
        "12",
        "14",
    ]


def test_the_settings_round_trip_and_only_changes_are_kept() -> None:
    assert settings_of(Schedule()) == {}
    changed = Schedule(
        nudge_days=(3, 0),
        quiet_start=time(21),
        calendar=WardCalendar(frozenset({date(2026, 12, 24)}), frozenset({date(2026, 12, 27)})),
    )
    stored = settings_of(changed)
    assert stored == {
        "nudge_days": [3, 0],
        "quiet_start": "21:00",
        "days_off": ["2026-12-24"],
        "working_days": ["2026-12-27"],
    }
    assert schedule_of(stored) == changed
    assert schedule_of({"nudge_cap": "many", "quiet_end": 7}) == Schedule()


@pytest.mark.parametrize(
    ("typed", "read"),
    [("20:00-07:30", (time(20), time(7, 30))), ("21h - 6h30", (time(21), time(6, 30)))],
)
def test_quiet_hours_as_typed(typed: str, read: tuple[time, time]) -> None:
    assert parse_quiet(typed) == read


@given(st.text(max_size=30))
def test_any_typed_setting_is_read_or_refused_cleanly(text: str) -> None:
    for parse in (parse_time, parse_quiet, parse_nudge_days):
        with contextlib.suppress(BadSetting):
            parse(text)


def test_bad_settings_are_refused() -> None:
    for bad in ("25:00", "7:61", "", "sáng"):
        with pytest.raises(BadSetting):
            parse_time(bad)
    for bad in ("5,2,a", "", "30", ",".join(str(n) for n in range(12))):
        with pytest.raises(BadSetting):
            parse_nudge_days(bad)
    with pytest.raises(BadSetting):
        parse_quiet("20:00-20:00")


def test_a_blockers_answer_time_skips_the_wards_own_day_off() -> None:
    """Raised on Wednesday 11/11/2026 with the 12th off: the two working days are the 13th and
    Monday the 16th; with Saturday the 14th worked instead, the 14th."""
    raised = datetime(2026, 11, 11, 10, 0, tzinfo=ZONE)
    day_off = WardCalendar(frozenset({date(2026, 11, 12)}))
    assert working_days_later(raised, 2, TZ, day_off.is_working_day) == datetime(
        2026, 11, 16, 17, 0, tzinfo=ZONE
    )
    made_up = WardCalendar(frozenset({date(2026, 11, 12)}), frozenset({date(2026, 11, 14)}))
    assert working_days_later(raised, 2, TZ, made_up.is_working_day) == datetime(
        2026, 11, 14, 17, 0, tzinfo=ZONE
    )
    assert working_days_later(raised, 2, TZ) == datetime(2026, 11, 13, 17, 0, tzinfo=ZONE)

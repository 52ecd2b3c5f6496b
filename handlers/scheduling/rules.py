"""When each scheduled notification is due, as plain functions of the schedule and the clock.

Every notification has a window: from when it is due to when it has gone stale. The scheduler
queues it once while now is inside its window and outside the ward's quiet hours; a process
that was down catches up within the window and never after it (a nudge is for that day, the
overdue notice and the full digest keep until the next working day's evening).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.checkin.periods import HALF_YEAR_DUE, PeriodSpec, parse_period
from handlers.scheduling.policy import Schedule, WardCalendar, is_quiet_time
from storage.vocabulary import PeriodKind

# Far enough to mean "until answered": a blocker's first reminder never goes stale.
_NEVER = timedelta(days=3650)


@dataclass(frozen=True)
class Window:
    """One notification's time: `step` names it within its kind (part of its key)."""

    step: str
    starts: datetime
    ends: datetime

    def open_at(self, now: datetime, schedule: Schedule, timezone: str) -> bool:
        return self.starts <= now < self.ends and not is_quiet(schedule, now, timezone)


def is_quiet(schedule: Schedule, moment: datetime, timezone: str) -> bool:
    """Inside the ward's quiet hours (20:00–07:30 by default: across midnight)."""
    return is_quiet_time(schedule, moment.astimezone(ZoneInfo(timezone)).time())


def _at(day: date, moment: time, timezone: str) -> datetime:
    return datetime.combine(day, moment, ZoneInfo(timezone))


def _quiet_from(schedule: Schedule, day: date, after: time, timezone: str) -> datetime:
    """The first quiet moment after `after` on `day`: where a same-day window ends."""
    if schedule.quiet_start > after:
        return _at(day, schedule.quiet_start, timezone)
    return _at(day + timedelta(days=1), schedule.quiet_start, timezone)


def quiet_ends(schedule: Schedule, now: datetime, timezone: str) -> datetime:
    """When the quiet hours `now` falls in end: this morning, or tomorrow's after the evening."""
    local = now.astimezone(ZoneInfo(timezone))
    day = local.date()
    if local.time() >= schedule.quiet_start and schedule.quiet_start > schedule.quiet_end:
        day += timedelta(days=1)
    return _at(day, schedule.quiet_end, timezone)


def manual_nudge(schedule: Schedule, now: datetime, timezone: str) -> Window:
    """A coordinator's `/nhac`: for now, until the evening's quiet hours."""
    local = now.astimezone(ZoneInfo(timezone))
    return Window(
        f"manual-{now:%Y%m%dT%H%M}",
        now,
        _quiet_from(schedule, local.date(), local.time(), timezone),
    )


def last_day(due_at: datetime, timezone: str) -> date:
    """The last day to submit: "trước ngày 16" is due at the first moment of the 16th."""
    return (due_at.astimezone(ZoneInfo(timezone)) - timedelta(microseconds=1)).date()


def working_day_on_or_before(calendar: WardCalendar, day: date) -> date:
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(calendar: WardCalendar, day: date) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_before(calendar: WardCalendar, day: date, count: int) -> date:
    """The working day `count` working days before `day` (0: `day`, or the working day
    before it when it is a day off)."""
    day = working_day_on_or_before(calendar, day)
    for _ in range(count):
        day = working_day_on_or_before(calendar, day - timedelta(days=1))
    return day


def period_for(schedule: Schedule, today: date) -> PeriodSpec:
    """The period a ward reports for in the month or half-year of `today`."""
    if schedule.cadence is PeriodKind.HALF_YEAR:
        return parse_period(f"{today.year}-H{1 if today.month <= 6 else 2}")
    return parse_period(f"{today.year}-{today.month:02d}")


def opening(schedule: Schedule, spec: PeriodSpec, due_at: datetime, timezone: str) -> Window:
    """A period opens on the opening day of its due month (the next working day when that is
    a day off), at the nudge hour, and may still open late until it is due."""
    if spec.kind is PeriodKind.HALF_YEAR:
        month = HALF_YEAR_DUE[1 if spec.ends_on.month == 6 else 2][0]
        first = date(spec.ends_on.year, month, schedule.open_day)
    else:
        first = spec.starts_on.replace(day=schedule.open_day)
    day = min(working_day_on_or_after(schedule.calendar, first), last_day(due_at, timezone))
    return Window("open", _at(day, schedule.nudge_at, timezone), due_at)


def nudges(schedule: Schedule, due_at: datetime, timezone: str) -> list[Window]:
    """One window per distinct nudge day: N working days before the last day to submit, at
    the nudge hour, for that day only and never past the due moment."""
    end = last_day(due_at, timezone)
    windows: list[Window] = []
    days: set[date] = set()
    for count in sorted(schedule.nudge_days, reverse=True):
        day = working_days_before(schedule.calendar, end, count)
        if day in days:
            continue
        days.add(day)
        stale = min(_quiet_from(schedule, day, schedule.nudge_at, timezone), due_at)
        windows.append(Window(str(count), _at(day, schedule.nudge_at, timezone), stale))
    return [window for window in windows if window.starts < window.ends]


def progress_notes(schedule: Schedule, due_at: datetime, timezone: str) -> list[Window]:
    """The coordinators' daily progress note on each of the last working days before due."""
    end = last_day(due_at, timezone)
    days = sorted(
        {working_days_before(schedule.calendar, end, n) for n in range(schedule.progress_days)}
    )
    windows = [
        Window(
            day.isoformat(),
            _at(day, schedule.digest_at, timezone),
            min(_quiet_from(schedule, day, schedule.digest_at, timezone), due_at),
        )
        for day in days
    ]
    return [window for window in windows if window.starts < window.ends]


def after_due(schedule: Schedule, due_at: datetime, timezone: str) -> Window:
    """The first working morning after the due moment, at the digest hour: overdue notices,
    the list of late units, the full digest. Kept until the next working day's evening."""
    day = working_day_on_or_after(schedule.calendar, last_day(due_at, timezone) + timedelta(1))
    grace = working_day_on_or_after(schedule.calendar, day + timedelta(days=1))
    return Window(
        "due",
        _at(day, schedule.digest_at, timezone),
        _quiet_from(schedule, grace, schedule.digest_at, timezone),
    )


def blocker_reminders(
    schedule: Schedule, answer_due_at: datetime, now: datetime, timezone: str
) -> list[Window]:
    """An unanswered blocker: once when its answer time runs out, then each working morning
    after that day (a morning missed is not made up: the next one comes)."""
    windows = [Window("due", answer_due_at, answer_due_at + _NEVER)]
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    if today > answer_due_at.astimezone(zone).date() and schedule.calendar.is_working_day(today):
        windows.append(
            Window(
                today.isoformat(),
                _at(today, schedule.digest_at, timezone),
                _quiet_from(schedule, today, schedule.digest_at, timezone),
            )
        )
    return windows


def snooze_until(schedule: Schedule, now: datetime, timezone: str) -> datetime:
    """ "Nhắc lại sau": the next working day at the nudge hour."""
    day = now.astimezone(ZoneInfo(timezone)).date() + timedelta(days=1)
    return _at(working_day_on_or_after(schedule.calendar, day), schedule.nudge_at, timezone)


def after_snooze(schedule: Schedule, until: datetime, due_at: datetime, timezone: str) -> Window:
    """The nudge a snooze put off: at `until`, for that day only, never past due."""
    day = until.astimezone(ZoneInfo(timezone)).date()
    stale = min(_quiet_from(schedule, day, schedule.nudge_at, timezone), due_at)
    return Window(f"snoozed-{day.isoformat()}", until, stale)

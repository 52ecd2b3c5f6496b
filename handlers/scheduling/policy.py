"""A ward's schedule: the defaults, what a coordinator changed, and how typed settings are read.

Settings are stored as a plain dict (storage's `ward_schedule`); only what differs from the
defaults is kept, so a new default reaches every ward that never changed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Any

from handlers.reporting.working_days import is_working_day as is_national_working_day
from storage.vocabulary import PeriodKind


class BadSetting(ValueError):
    """A typed setting that cannot be read (`setting` names which, once known)."""

    def __init__(self, text: str, setting: str = "") -> None:
        super().__init__(text)
        self.text = text
        self.setting = setting


@dataclass(frozen=True)
class Changes:
    """What a coordinator typed to change (None: unchanged), as typed."""

    cadence: str | None = None
    open_day: int | None = None
    nudges: str | None = None
    nudge_time: str | None = None
    quiet: str | None = None
    digest_time: str | None = None
    progress_days: int | None = None
    nudge_cap: int | None = None
    days_off: tuple[str, ...] = ()
    working_days: tuple[str, ...] = ()


@dataclass(frozen=True)
class WardCalendar:
    """Working days of one ward: weekdays that are not Vietnamese public holidays, less the
    ward's own extra days off, plus its make-up working days (a Saturday worked for a bridge)."""

    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day not in self.days_off and is_national_working_day(day)


@dataclass(frozen=True)
class Schedule:
    cadence: PeriodKind = PeriodKind.MONTH
    # The day of the due month a period opens (moved to the next working day).
    open_day: int = 1
    # Working days before the last day to submit; 0 is the morning of that day.
    nudge_days: tuple[int, ...] = (5, 2, 1, 0)
    nudge_at: time = time(9, 0)
    quiet_start: time = time(20, 0)
    quiet_end: time = time(7, 30)
    digest_at: time = time(8, 0)
    # Daily progress notes to the coordinators in the last this-many working days.
    progress_days: int = 3
    # Nudges a unit gets in one period at most, scheduled and asked for (/nhac) alike.
    nudge_cap: int = 5
    # Reminders of one unanswered blocker at most.
    blocker_cap: int = 3
    calendar: WardCalendar = field(default_factory=WardCalendar)


DEFAULT = Schedule()
_TIME = re.compile(r"^\s*(\d{1,2})(?::|h|g)?(\d{2})?\s*$")


def parse_time(text: str) -> time:
    """ "20:00", "7:30", "8", "8h30" (as written in Vietnamese offices)."""
    match = _TIME.match(text)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise BadSetting(text)


def parse_quiet(text: str) -> tuple[time, time]:
    """ "20:00-07:30": from, to (overnight when `to` is earlier)."""
    parts = re.split(r"\s*[-–]\s*", text.strip())
    if len(parts) != 2:
        raise BadSetting(text)
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start == end:
        raise BadSetting(text)
    return start, end


def parse_nudge_days(text: str) -> tuple[int, ...]:
    """ "5,2,1,0": working days before the due day; at most 10, each 0 to 20."""
    try:
        days = tuple(sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True))
    except ValueError as error:
        raise BadSetting(text) from error
    if not days or len(days) > 10 or any(not 0 <= day <= 20 for day in days):
        raise BadSetting(text)
    return days


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise BadSetting(text) from error


def schedule_of(settings: dict[str, Any]) -> Schedule:
    """The stored settings over the defaults (a stored value no longer readable is ignored)."""
    schedule = DEFAULT
    readers: dict[str, Callable[[Any], dict[str, Any]]] = {
        "cadence": lambda value: {"cadence": PeriodKind(value)},
        "open_day": lambda value: {"open_day": int(value)},
        "nudge_days": lambda value: {"nudge_days": tuple(int(day) for day in value)},
        "nudge_at": lambda value: {"nudge_at": time.fromisoformat(value)},
        "quiet_start": lambda value: {"quiet_start": time.fromisoformat(value)},
        "quiet_end": lambda value: {"quiet_end": time.fromisoformat(value)},
        "digest_at": lambda value: {"digest_at": time.fromisoformat(value)},
        "progress_days": lambda value: {"progress_days": int(value)},
        "nudge_cap": lambda value: {"nudge_cap": int(value)},
        "blocker_cap": lambda value: {"blocker_cap": int(value)},
    }
    for name, read in readers.items():
        if name in settings:
            try:
                schedule = replace(schedule, **read(settings[name]))
            except (TypeError, ValueError):
                continue
    calendar = WardCalendar(
        frozenset(date.fromisoformat(day) for day in settings.get("days_off", [])),
        frozenset(date.fromisoformat(day) for day in settings.get("working_days", [])),
    )
    return replace(schedule, calendar=calendar)


def _values(schedule: Schedule) -> dict[str, Any]:
    return {
        "cadence": schedule.cadence.value,
        "open_day": schedule.open_day,
        "nudge_days": list(schedule.nudge_days),
        "nudge_at": schedule.nudge_at.isoformat("minutes"),
        "quiet_start": schedule.quiet_start.isoformat("minutes"),
        "quiet_end": schedule.quiet_end.isoformat("minutes"),
        "digest_at": schedule.digest_at.isoformat("minutes"),
        "progress_days": schedule.progress_days,
        "nudge_cap": schedule.nudge_cap,
        "blocker_cap": schedule.blocker_cap,
    }


def settings_of(schedule: Schedule) -> dict[str, Any]:
    """What to store: only the values that differ from the defaults."""
    defaults = _values(DEFAULT)
    stored = {name: value for name, value in _values(schedule).items() if defaults[name] != value}
    if schedule.calendar.days_off:
        stored["days_off"] = sorted(day.isoformat() for day in schedule.calendar.days_off)
    if schedule.calendar.working_days:
        stored["working_days"] = sorted(day.isoformat() for day in schedule.calendar.working_days)
    return stored


def _reading(setting: str, read: Callable[[], Any]) -> Any:
    try:
        return read()
    except (BadSetting, ValueError) as error:
        raise BadSetting(str(error), setting) from error


def _day(setting: str, text: str) -> date:
    try:
        return parse_day(text)
    except BadSetting as error:
        raise BadSetting(text, setting) from error


def _bounded(setting: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise BadSetting(str(value), setting)
    return value


def changed(schedule: Schedule, report_day: int, changes: Changes) -> Schedule:
    """`schedule` with `changes` applied; BadSetting names the first setting that cannot be
    read. A month's period must open before its report day."""
    values: dict[str, Any] = {}
    if changes.cadence is not None:
        cadences = {"month": PeriodKind.MONTH, "half-year": PeriodKind.HALF_YEAR}
        if changes.cadence not in cadences:
            raise BadSetting(changes.cadence, "cadence")
        values["cadence"] = cadences[changes.cadence]
    if changes.open_day is not None:
        values["open_day"] = _bounded("open_day", changes.open_day, 1, 28)
    if changes.nudges is not None:
        values["nudge_days"] = _reading("nudges", lambda: parse_nudge_days(changes.nudges or ""))
    if changes.nudge_time is not None:
        values["nudge_at"] = _reading("nudge_time", lambda: parse_time(changes.nudge_time or ""))
    if changes.quiet is not None:
        start, end = _reading("quiet", lambda: parse_quiet(changes.quiet or ""))
        values.update(quiet_start=start, quiet_end=end)
    if changes.digest_time is not None:
        values["digest_at"] = _reading("digest_time", lambda: parse_time(changes.digest_time or ""))
    if changes.progress_days is not None:
        values["progress_days"] = _bounded("progress_days", changes.progress_days, 0, 10)
    if changes.nudge_cap is not None:
        values["nudge_cap"] = _bounded("nudge_cap", changes.nudge_cap, 0, 20)
    days_off = {_day("day_off", day) for day in changes.days_off}
    worked = {_day("working_day", day) for day in changes.working_days}
    calendar = schedule.calendar
    values["calendar"] = WardCalendar(
        frozenset((calendar.days_off - worked) | days_off),
        frozenset((calendar.working_days - days_off) | worked),
    )
    result = replace(schedule, **values)
    if result.cadence is PeriodKind.MONTH and result.open_day >= report_day:
        raise BadSetting(str(result.open_day), "open_day")
    # A nudge or digest hour inside the quiet hours would never be sent.
    if is_quiet_time(result, result.nudge_at) or is_quiet_time(result, result.digest_at):
        raise BadSetting(changes.quiet or changes.nudge_time or changes.digest_time or "", "quiet")
    return result


def is_quiet_time(schedule: Schedule, moment: time) -> bool:
    """Inside the quiet hours (20:00–07:30 by default: across midnight)."""
    start, end = schedule.quiet_start, schedule.quiet_end
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end

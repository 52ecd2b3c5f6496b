"""Vietnamese working days: weekends and public holidays (with their substitute days) excluded.

Blockers must be answered within 2 working days (the plans' rule). The holiday calendar,
lunar New Year included, comes from the maintained `holidays` package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

# A working day's answer is due by the end of office hours.
END_OF_WORKING_DAY = time(17, 0)


@cache
def _vietnam_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _vietnam_holidays(day.year)


def working_days_later(
    moment: datetime,
    days: int,
    timezone: str,
    is_working: Callable[[date], bool] = is_working_day,
) -> datetime:
    """The end of the `days`-th working day after the local day of `moment` (UTC-aware result);
    `is_working` is the ward's calendar when it has days off or make-up days of its own.

    Raised on Friday afternoon with 2 days: due Tuesday 17:00; around Tết the holidays are
    skipped as well.
    """
    zone = ZoneInfo(timezone)
    day = moment.astimezone(zone).date()
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working(day):
            remaining -= 1
    return datetime.combine(day, END_OF_WORKING_DAY, zone)

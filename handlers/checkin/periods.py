"""The reporting calendar: how a period is written, what it covers and when it is due."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.models import Ward
from storage.vocabulary import PeriodKind


class BadPeriodLabel(ValueError):
    """A period is written YEAR-MONTH (2026-11) or YEAR-H1 / YEAR-H2 (half-years)."""


@dataclass(frozen=True)
class PeriodSpec:
    label: str
    kind: PeriodKind
    starts_on: date
    ends_on: date


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_HALF = re.compile(r"^(\d{4})-[Hh]([12])$")
# Half-yearly reports are due by 10 June and 25 November (the plans' twice-a-year rounds).
HALF_YEAR_DUE = {1: (6, 10), 2: (11, 25)}


def parse_period(text: str) -> PeriodSpec:
    """ "2026-11" is a month; "2026-H1" the first half-year, "2026-H2" the second."""
    text = text.strip()
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            days = calendar.monthrange(year, month)[1]
            return PeriodSpec(
                f"{year:04d}-{month:02d}",
                PeriodKind.MONTH,
                date(year, month, 1),
                date(year, month, days),
            )
    if match := _HALF.match(text):
        year, half = int(match[1]), int(match[2])
        if 2000 <= year <= 2100:
            first, last = (
                (date(year, 1, 1), date(year, 6, 30))
                if half == 1
                else (date(year, 7, 1), date(year, 12, 31))
            )
            return PeriodSpec(f"{year:04d}-H{half}", PeriodKind.HALF_YEAR, first, last)
    raise BadPeriodLabel(text)


def next_period(label: str) -> PeriodSpec:
    """The period after ``label``, of the same kind: 2026-11 → 2026-12, 2026-H2 → 2027-H1."""
    spec = parse_period(label)
    following = spec.ends_on + timedelta(days=1)
    if spec.kind is PeriodKind.HALF_YEAR:
        return parse_period(f"{following.year}-H{1 if following.month == 1 else 2}")
    return parse_period(f"{following.year}-{following.month:02d}")


def due_moment(ward: Ward, spec: PeriodSpec, due_day: int | None = None) -> datetime:
    """A month is due *before* the report day ("trước ngày 16"), at its first moment; a
    half-year is due *by* 10/6 or 25/11, at the end of that day. Local time of the ward."""
    zone = ZoneInfo(ward.timezone)
    if spec.kind is PeriodKind.HALF_YEAR:
        month, day = HALF_YEAR_DUE[1 if spec.ends_on.month == 6 else 2]
        due = date(spec.ends_on.year, month, due_day or day) + timedelta(days=1)
        return datetime.combine(due, time(0, 0), zone)
    year, month = spec.starts_on.year, spec.starts_on.month
    day = min(due_day or ward.report_day, calendar.monthrange(year, month)[1])
    return datetime.combine(date(year, month, day), time(0, 0), zone)

"""What a report covers: a month, a quarter, a half-year or a year, and the one after it.

A ward reports "theo tháng, quý, hằng năm hoặc theo yêu cầu": the quarter, half-year and year
reports are made from the months they cover (`summary.summarize_span`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class SpanKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


# Months in a span of each kind.
_MONTHS = {SpanKind.MONTH: 1, SpanKind.QUARTER: 3, SpanKind.HALF_YEAR: 6, SpanKind.YEAR: 12}
_LABEL = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])|[Hh]([12])))?$")


class BadSpan(ValueError):
    """A report covers 2026-11 (a month), 2026-Q4, 2026-H2 or 2026."""


@dataclass(frozen=True)
class ReportSpan:
    kind: SpanKind
    year: int
    index: int  # the month, quarter or half within the year (1 for a year)

    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS[self.kind] + 1

    @property
    def starts_on(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def ends_on(self) -> date:
        month = self.first_month + _MONTHS[self.kind] - 1
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        suffix = {
            SpanKind.MONTH: f"-{self.index:02d}",
            SpanKind.QUARTER: f"-Q{self.index}",
            SpanKind.HALF_YEAR: f"-H{self.index}",
            SpanKind.YEAR: "",
        }
        return f"{self.year:04d}{suffix[self.kind]}"

    def following(self) -> ReportSpan:
        """The span of the same kind right after this one."""
        per_year = 12 // _MONTHS[self.kind]
        if self.index < per_year:
            return ReportSpan(self.kind, self.year, self.index + 1)
        return ReportSpan(self.kind, self.year + 1, 1)

    def preceding(self) -> ReportSpan:
        """The span of the same kind right before this one."""
        if self.index > 1:
            return ReportSpan(self.kind, self.year, self.index - 1)
        return ReportSpan(self.kind, self.year - 1, 12 // _MONTHS[self.kind])


def parse_span(text: str) -> ReportSpan:
    """ "2026-11" a month, "2026-Q4" a quarter, "2026-H2" a half-year, "2026" a year."""
    match = _LABEL.match(text.strip())
    if match is None:
        raise BadSpan(text)
    year = int(match[1])
    month, quarter, half = match[2], match[3], match[4]
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= int(month) <= 12):
        raise BadSpan(text)
    if month is not None:
        return ReportSpan(SpanKind.MONTH, year, int(month))
    if quarter is not None:
        return ReportSpan(SpanKind.QUARTER, year, int(quarter))
    if half is not None:
        return ReportSpan(SpanKind.HALF_YEAR, year, int(half))
    return ReportSpan(SpanKind.YEAR, year, 1)

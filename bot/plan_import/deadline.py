"""Deadlines as appendices write them ("Tháng 12/2026", "Quý II/2026", "Thường xuyên"…)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from storage.folding import fold_text
from storage.vocabulary import DeadlineKind

_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"((?:19|20)\d{2})"
_SEP = r"\s*(?:/|-|\.|nam)\s*"

_CONDITIONAL = re.compile(
    r"\b(khi co|sau khi|theo (chi dao|yeu cau|ke hoach|lo trinh|van ban|huong dan|tien do)"
    r"|ngay sau khi|khi duoc)\b"
)
_RECURRING = re.compile(r"\b(thuong xuyen|lien tuc|hang thang|hang quy|dinh ky)\b")
_ANNUAL = re.compile(r"\b(hang nam|hàng nam|moi nam|tung nam)\b")
_WHOLE_YEAR = re.compile(r"\bca nam\b")
_ISO_DATE = re.compile(r"\b" + _YEAR + r"-(\d{2})-(\d{2})\b")
# A date uses one separator without spaces: "Tháng 6 - 12/2026" and "6-12/2026" are ranges of
# months, not 6 December.
_DATE = re.compile(r"\b(\d{1,2})(?P<sep>[/.\-])(\d{1,2})(?P=sep)" + _YEAR + r"\b")
_DATE_WORDS = re.compile(r"\bngay (\d{1,2}) thang (\d{1,2}) nam " + _YEAR + r"\b")
# A day and month without the year ("Trước ngày 30/6", "trước ngày 15 tháng 9"): the plan's year.
_DAY_MONTH = re.compile(
    r"(?:^|\b(?:ngay|truoc|den|han)\s+)(\d{1,2})\s*(?:/|-|\.|\s+thang\s+)(\d{1,2})(?![/\-.]?\d)"
)
_QUARTER_NUMBER = r"(?:iv|iii|ii|i|[1-4])"
_QUARTER_JOIN = r"(?:\s*(?:-|,|va|den)\s*(?:quy\s*)?|\s+)"
_QUARTER = re.compile(
    rf"\b(?:quy|q)\s*({_QUARTER_NUMBER}(?:{_QUARTER_JOIN}{_QUARTER_NUMBER})*)\b(?:{_SEP}{_YEAR})?"
)
_LAST_QUARTER_NUMBER = re.compile(_QUARTER_NUMBER + r"$")
_HALF = re.compile(r"\b(?:6 thang|sau thang) (dau|cuoi) nam(?:\s+" + _YEAR + r")?")
_MONTH = re.compile(r"\b(?:thang\s*|t)?(\d{1,2})" + _SEP + _YEAR + r"\b")
_MONTH_OF_YEAR = re.compile(r"\bthang (\d{1,2})\b")
_YEAR_ONLY = re.compile(r"\b" + _YEAR + r"\b")


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline: its kind, the last day it allows (when there is one) and the original."""

    kind: DeadlineKind
    due: date | None
    text: str


_ANY_DASH = re.compile(r"[\u2010-\u2015\u2212]")


def _fold_keeping_dashes(text: str) -> str:
    """Lower case without diacritics; every dash becomes "-" since dashes separate dates here."""
    return _ANY_DASH.sub("-", fold_text(text))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _valid_date(day: int, month: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _candidates(folded: str, reference_year: int | None) -> list[tuple[date, DeadlineKind]]:
    """Every dated expression in the text, so ranges and lists resolve to their last date."""
    found: list[tuple[int, date, DeadlineKind]] = []
    spans: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        start, end = match.span()
        return all(end <= s or start >= e for s, e in spans)

    def take(match: re.Match[str], due: date | None, kind: DeadlineKind) -> None:
        spans.append(match.span())
        if due is not None:
            found.append((match.start(), due, kind))

    for match in _ISO_DATE.finditer(folded):
        year, month, day = (int(g) for g in match.groups())
        take(match, _valid_date(day, month, year), DeadlineKind.DATE)
    for pattern in (_DATE, _DATE_WORDS):
        for match in pattern.finditer(folded):
            if not free(match):
                continue
            day, month, year = (int(g) for g in match.groups() if g.isdigit())
            take(match, _valid_date(day, month, year), DeadlineKind.DATE)
    for match in _DAY_MONTH.finditer(folded):
        if free(match) and reference_year:
            day, month = int(match.group(1)), int(match.group(2))
            take(match, _valid_date(day, month, reference_year), DeadlineKind.DATE)
    for match in _QUARTER.finditer(folded):
        if not free(match):
            continue
        raw_quarters, raw_year = match.groups()
        quarter_year = int(raw_year) if raw_year else reference_year
        last = _LAST_QUARTER_NUMBER.search(raw_quarters.strip())
        raw_quarter = last.group(0) if last else raw_quarters
        quarter = _ROMAN_QUARTERS.get(raw_quarter) or int(raw_quarter)
        due = _month_end(quarter_year, quarter * 3) if quarter_year else None
        take(match, due, DeadlineKind.QUARTER)
    for match in _HALF.finditer(folded):
        if not free(match):
            continue
        which, raw_year = match.groups()
        half_year = int(raw_year) if raw_year else reference_year
        month = 6 if which == "dau" else 12
        take(match, _month_end(half_year, month) if half_year else None, DeadlineKind.HALF_YEAR)
    for match in _MONTH.finditer(folded):
        if not free(match):
            continue
        month, year = int(match.group(1)), int(match.group(2))
        take(match, _month_end(year, month) if 1 <= month <= 12 else None, DeadlineKind.MONTH)
    for match in _YEAR_ONLY.finditer(folded):
        if not free(match):
            continue
        year = int(match.group(1))
        # A bare month before a year-range ("tháng 3 - 2026") was already taken above; a year
        # alone means its last day.
        take(match, date(year, 12, 31), DeadlineKind.YEAR)
    return [(due, kind) for _, due, kind in sorted(found)]


def parse_deadline(text: str | None, reference_year: int | None = None) -> Deadline:
    """Parse an appendix deadline cell; the original text is always kept.

    `reference_year` (the plan's year) dates expressions that omit it ("Quý II", "Cả năm").
    Ranges and lists ("Tháng 6 - 12/2026", "Quý I/2026; Quý III/2026") resolve to the latest date.
    """
    original = " ".join((text or "").split())
    folded = _fold_keeping_dashes(original)
    if not folded:
        return Deadline(DeadlineKind.UNKNOWN, None, original)
    if _CONDITIONAL.search(folded):
        return Deadline(DeadlineKind.CONDITIONAL, None, original)
    if _ANNUAL.search(folded):
        month = _MONTH_OF_YEAR.search(folded)
        due = None
        if month and reference_year and 1 <= int(month.group(1)) <= 12:
            due = _month_end(reference_year, int(month.group(1)))
        return Deadline(DeadlineKind.ANNUAL, due, original)
    candidates = _candidates(folded, reference_year)
    if _WHOLE_YEAR.search(folded):
        years = [due.year for due, _ in candidates] or ([reference_year] if reference_year else [])
        due = date(max(years), 12, 31) if years else None
        return Deadline(DeadlineKind.WHOLE_YEAR, due, original)
    if candidates:
        due, kind = max(candidates, key=lambda candidate: candidate[0])
        return Deadline(kind, due, original)
    if _RECURRING.search(folded):
        return Deadline(DeadlineKind.RECURRING, None, original)
    month = _MONTH_OF_YEAR.search(folded)
    if month and reference_year and 1 <= int(month.group(1)) <= 12:
        return Deadline(
            DeadlineKind.MONTH, _month_end(reference_year, int(month.group(1))), original
        )
    return Deadline(DeadlineKind.UNKNOWN, None, original)

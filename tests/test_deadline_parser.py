import calendar
import unicodedata
from datetime import date

import pytest
from hypothesis import given, strategies as st

from bot.plan_import.deadline import parse_deadline
from storage.vocabulary import DeadlineKind as Kind


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("Tháng 12/2026", Kind.MONTH, date(2026, 12, 31)),
        ("9/2026", Kind.MONTH, date(2026, 9, 30)),
        ("T2/2028", Kind.MONTH, date(2028, 2, 29)),
        ("tháng 10 năm 2026", Kind.MONTH, date(2026, 10, 31)),
        ("Quý II/2026", Kind.QUARTER, date(2026, 6, 30)),
        ("Quý 3/2026", Kind.QUARTER, date(2026, 9, 30)),
        ("Quý I - II/2026", Kind.QUARTER, date(2026, 6, 30)),
        ("Quý IV", Kind.QUARTER, date(2026, 12, 31)),
        ("Năm 2025", Kind.YEAR, date(2025, 12, 31)),
        ("Giai đoạn 2026 – 2030", Kind.YEAR, date(2030, 12, 31)),
        ("30/6/2026", Kind.DATE, date(2026, 6, 30)),
        ("Trước ngày 15/03/2026", Kind.DATE, date(2026, 3, 15)),
        ("ngày 15 tháng 3 năm 2026", Kind.DATE, date(2026, 3, 15)),
        ("2026-06-30 00:00:00", Kind.DATE, date(2026, 6, 30)),
        ("Tháng 6 – 12/2026", Kind.MONTH, date(2026, 12, 31)),
        ("Tháng 6-12/2026", Kind.MONTH, date(2026, 12, 31)),
        ("Tháng 3/2026 (đợt 1), tháng 9/2026", Kind.MONTH, date(2026, 9, 30)),
        ("6 tháng đầu năm 2026", Kind.HALF_YEAR, date(2026, 6, 30)),
        ("Cả năm", Kind.WHOLE_YEAR, date(2026, 12, 31)),
        ("Cả năm 2027", Kind.WHOLE_YEAR, date(2027, 12, 31)),
        ("Hằng năm", Kind.ANNUAL, None),
        ("Hàng năm", Kind.ANNUAL, None),
        ("Thường xuyên", Kind.RECURRING, None),
        ("Nhiệm vụ thường xuyên", Kind.RECURRING, None),
        ("Khi có văn bản của cấp trên", Kind.CONDITIONAL, None),
        ("Sau khi Đề án được ban hành", Kind.CONDITIONAL, None),
        ("Tháng 13/2026", Kind.UNKNOWN, None),
        ("31/02/2026", Kind.UNKNOWN, None),
        ("sớm nhất có thể", Kind.UNKNOWN, None),
        ("", Kind.UNKNOWN, None),
    ],
)
def test_deadlines_as_appendices_write_them(text: str, kind: Kind, due: date | None) -> None:
    deadline = parse_deadline(text, reference_year=2026)
    assert (deadline.kind, deadline.due) == (kind, due)
    assert deadline.text == " ".join(text.split())


def test_without_a_reference_year_undated_expressions_have_no_due_date() -> None:
    assert parse_deadline("Quý II", None).due is None
    assert parse_deadline("Cả năm", None).due is None


def test_decomposed_unicode_reads_like_composed() -> None:
    text = unicodedata.normalize("NFD", "Quý II/2026")
    assert parse_deadline(text).due == date(2026, 6, 30)


@given(
    st.integers(1, 12),
    st.integers(2000, 2099),
    st.sampled_from(
        ["Tháng {m}/{y}", "{m}/{y}", "T{m}/{y}", "tháng {m} năm {y}", "THÁNG {m:02d}/{y}"]
    ),
)
def test_any_month_ends_on_its_last_day(month: int, year: int, pattern: str) -> None:
    deadline = parse_deadline(pattern.format(m=month, y=year))
    assert deadline.kind is Kind.MONTH
    assert deadline.due is not None
    assert (deadline.due.year, deadline.due.month) == (year, month)
    assert deadline.due.day == calendar.monthrange(year, month)[1]


@given(st.integers(1, 4), st.integers(2000, 2099), st.booleans())
def test_any_quarter_ends_on_its_last_month(quarter: int, year: int, roman: bool) -> None:
    number = ["I", "II", "III", "IV"][quarter - 1] if roman else str(quarter)
    deadline = parse_deadline(f"Quý {number}/{year}")
    assert deadline.kind is Kind.QUARTER
    assert (
        deadline.due is not None and deadline.due.month == quarter * 3 and deadline.due.year == year
    )


@given(st.text(max_size=200), st.one_of(st.none(), st.integers(1990, 2100)))
def test_never_raises_and_keeps_the_text(text: str, year: int | None) -> None:
    deadline = parse_deadline(text, year)
    assert deadline.text == " ".join(text.split())
    if deadline.due is not None:
        assert 1900 <= deadline.due.year <= 2100

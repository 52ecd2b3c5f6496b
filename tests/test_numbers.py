"""The one reader of typed numbers, and both check-in paths reading a number alike."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from handlers.checkin.answers import BadAnswer, read_kpi_value, read_percent
from handlers.checkin.quick_report import TaskKey, parse_quick_report
from handlers.text.numbers import (
    kpi_count,
    kpi_percent,
    progress_percent,
    read_number,
)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.000", "1000"),
        ("12.500.000", "12500000"),
        ("1.000,5", "1000.5"),
        ("1,5", "1.5"),
        ("1.5", "1.5"),
        ("85,25", "85.25"),
        ("1.0000", "1"),
        ("1234.567", "1234.567"),
        ("1,000", "1"),
        (" 85 % ", "85"),
        ("007", "7"),
        ("-5", "-5"),
    ],
)
def test_numbers_read_the_vietnamese_way(typed: str, value: str) -> None:
    number = read_number(typed)
    assert number is not None and number.value == Decimal(value)


@pytest.mark.parametrize(
    "typed",
    ["", "%", "abc", "1.000.5", "1,000,000", "1.2.3", "+5", "1 000", "1,5,", "²", "1²", "٣", "５"],
)
def test_text_that_is_not_one_number(typed: str) -> None:
    assert read_number(typed) is None


@pytest.mark.parametrize(
    ("typed", "progress", "percent", "count"),
    [
        ("60", 60, "60", "60"),
        ("60%", 60, "60", None),
        ("60,0", 60, "60.0", "60"),
        ("60,5", None, "60.5", None),
        ("120", None, None, "120"),
        ("1.000", None, None, "1000"),
        ("1,000", None, "1.000", None),
        ("12,500", None, "12.500", None),
        ("1.000,000", None, None, "1000"),
        ("-5", None, None, None),
    ],
)
def test_what_is_asked_only_bounds_the_value(
    typed: str, progress: int | None, percent: str | None, count: str | None
) -> None:
    number = read_number(typed)
    assert number is not None
    assert progress_percent(number) == progress
    assert kpi_percent(number) == (Decimal(percent) if percent else None)
    assert kpi_count(number) == (Decimal(count) if count else None)


@given(st.text(max_size=60))
def test_any_text_reads_as_a_number_or_none_and_never_raises(text: str) -> None:
    number = read_number(text)
    if number is not None:
        assert number.value.is_finite()
        progress = progress_percent(number)
        assert progress is None or 0 <= progress <= 100
        count = kpi_count(number)
        assert count is None or (count >= 0 and count == count.to_integral_value())


OTHER_DIGITS = st.characters(categories=["Nd", "No"]).filter(lambda char: not char.isascii())


@given(st.from_regex(r"[0-9]{0,4}", fullmatch=True), OTHER_DIGITS, st.text("0123456789.,%"))
def test_only_ascii_digits_are_digits(before: str, digit: str, after: str) -> None:
    assert read_number(before + digit + after) is None


@given(st.integers(0, 10**15))
def test_whole_numbers_plain_or_grouped_by_dots(value: int) -> None:
    for typed in (str(value), f"{value:,}".replace(",", ".")):
        number = read_number(typed)
        assert number is not None and number.value == value and number.whole


@given(
    st.integers(0, 10**6), st.integers(1, 9999).filter(lambda n: n % 10), st.sampled_from([1, 2, 4])
)
def test_one_decimal_mark_dot_or_comma(whole: int, fraction: int, places: int) -> None:
    digits = str(fraction).rjust(places, "0")[-places:]
    value = Decimal(f"{whole}.{digits}")
    for mark in ".,":
        number = read_number(f"{whole}{mark}{digits}")
        assert number is not None and number.value == value


@given(st.integers(1, 999), st.integers(0, 999))
def test_three_digits_after_a_dot_group_thousands_after_a_comma_are_ambiguous(
    whole: int, part: int
) -> None:
    dotted = read_number(f"{whole}.{part:03d}")
    comma = read_number(f"{whole},{part:03d}")
    assert dotted is not None and dotted.value == whole * 1000 + part and dotted.whole
    assert comma is not None and comma.value == Decimal(f"{whole}.{part:03d}")
    assert not comma.whole


@given(st.from_regex(r"[0-9]{1,5}([.,][0-9]{1,4})?", fullmatch=True), st.sampled_from(["%", " %"]))
def test_a_percent_sign_changes_only_what_it_says(typed: str, sign: str) -> None:
    plain, signed = read_number(typed), read_number(typed + sign)
    assert plain is not None and signed is not None
    assert (signed.value, signed.percent, plain.percent) == (plain.value, True, False)


# The same strings through the step-by-step check-in (answers.py) and the one-message report.
SAME_STRINGS = [
    "1.000",
    "12.500",
    "1,000",
    "1.000,5",
    "1,5",
    "1.5",
    "3,0",
    "0",
    "85",
    "85,5",
    "85%",
    "100",
    "120",
    "1.000%",
    "²",
    "٣",
    "５",
]
TYPED_NUMBER = st.one_of(
    st.sampled_from(SAME_STRINGS),
    st.from_regex(r"[0-9]{1,7}([.,][0-9]{1,4}){0,2}( ?%)?", fullmatch=True),
)


def step_by_step_kpi(typed: str, unit: str) -> Decimal | None:
    try:
        return read_kpi_value(typed, unit)
    except BadAnswer:
        return None


def step_by_step_progress(typed: str) -> int | None:
    try:
        return read_percent(typed)
    except BadAnswer:
        return None


def one_message_kpi(typed: str, unit: str) -> Decimal | None:
    return parse_quick_report(f"1 ĐTH KPI {typed}", [TaskKey(1, "I.1", unit)]).lines[0].kpi_value


def one_message_progress(typed: str) -> int | None:
    line = parse_quick_report(f"1 ĐTH tiến độ {typed}", [TaskKey(1, "I.1", None)]).lines[0]
    return line.progress_percent


@pytest.mark.parametrize("unit", ["cơ sở", "%"])
@pytest.mark.parametrize("typed", SAME_STRINGS)
def test_both_checkin_paths_read_a_kpi_value_alike(typed: str, unit: str) -> None:
    assert one_message_kpi(typed, unit) == step_by_step_kpi(typed, unit)


def test_one_thousand_is_a_thousand_in_both_checkin_paths() -> None:
    assert step_by_step_kpi("1.000", "cơ sở") == one_message_kpi("1.000", "cơ sở") == 1000
    assert step_by_step_kpi("1.000", "%") is one_message_kpi("1.000", "%") is None


@given(TYPED_NUMBER, st.sampled_from(["cơ sở", "%"]))
def test_any_typed_number_reads_alike_in_both_checkin_paths(typed: str, unit: str) -> None:
    assert one_message_kpi(typed, unit) == step_by_step_kpi(typed, unit)
    assert one_message_progress(typed) == step_by_step_progress(typed)


@given(st.text(max_size=60), st.sampled_from(["cơ sở", "%", None]))
def test_the_step_by_step_readers_refuse_any_text_only_with_a_bad_answer(
    text: str, unit: str | None
) -> None:
    with contextlib.suppress(BadAnswer):
        read_percent(text)
    with contextlib.suppress(BadAnswer):
        read_kpi_value(text, unit)

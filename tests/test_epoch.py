"""Zalo's millisecond times (Bot API `date`, OA `timestamp`): read when they are one, never an
error when they are not."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, strategies as st

from bot.epoch import milliseconds, moment


def test_a_number_or_its_digits_is_a_time() -> None:
    assert milliseconds(1764547200000) == 1764547200000
    assert milliseconds("1764547200000") == 1764547200000
    assert moment("1764547200000") == datetime(2025, 12, 1, tzinfo=UTC)


def test_what_is_not_a_time_is_none() -> None:
    for value in (None, True, 0, -5, "", "12a", "١٢٣", "1e12", 1.5e12, [1], "9" * 16, 10**16):
        assert milliseconds(value) is None, value
        assert moment(value) is None, value


@given(st.one_of(st.integers(), st.text(), st.floats(), st.booleans(), st.none()))
def test_any_value_reads_without_error(value: object) -> None:
    stamp = milliseconds(value)
    assert stamp is None or stamp > 0
    assert (moment(value) is None) == (stamp is None)

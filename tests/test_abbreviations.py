"""The one abbreviation and teencode table, read by guidance and by the check-in."""

from __future__ import annotations

import pytest

from handlers.guidance.normalize import normalize, words
from handlers.text.abbreviations import ABBREVIATIONS, Reader, expansions


def test_short_forms_are_single_syllables_as_guidance_compares_them() -> None:
    assert all(words(short) == [short] for short in ABBREVIATIONS)


def test_the_checkin_reads_a_subset_each_standing_for_one_word() -> None:
    checkin = expansions(Reader.CHECKIN)
    assert checkin.items() <= expansions(Reader.GUIDANCE).items()
    assert all(len(spelled.split()) == 1 for spelled in checkin.values())


@pytest.mark.parametrize("short", ["đth", "dth", "hong", "kh"])
def test_short_forms_meaning_something_else_in_a_report_are_guidance_only(short: str) -> None:
    assert short in expansions(Reader.GUIDANCE)
    assert short not in expansions(Reader.CHECKIN)


def test_guidance_expands_every_entry() -> None:
    assert normalize("ko dc sdt").syllables == ("không", "được", "số", "điện", "thoại")

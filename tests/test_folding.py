"""The one text fold: examples and the properties every reader of typed words relies on."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, strategies as st

from storage.folding import fold_char, fold_text, fold_with_origins


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Đăng ký", "dang ky"),
        ("Phòng Văn hoá – Xã hội", "phong van hoa – xa hoi"),
        ("ĐTH", "dth"),
        ("Ａ％", "a%"),
        ("５０ m² ①", "５０ m² ①"),
        ("ﬁle", "file"),
        ("ko\u200bdc", "kodc"),
        ("℡", "tel"),
    ],
)
def test_examples(typed: str, folded: str) -> None:
    assert fold_text(typed) == folded


@given(st.text(max_size=200))
def test_folding_is_idempotent_and_leaves_no_vietnamese_letter_or_capital(text: str) -> None:
    folded = fold_text(text)
    assert fold_text(folded) == folded
    assert folded == folded.lower()
    assert not re.search(r"[đăâêôơư\u0300-\u036f]", folded)


@given(st.text(max_size=200))
def test_composed_and_decomposed_text_fold_alike(text: str) -> None:
    assert fold_text(unicodedata.normalize("NFD", text)) == fold_text(
        unicodedata.normalize("NFC", text)
    )


@given(st.text(max_size=200))
def test_origins_lead_each_folded_character_back_to_the_one_it_came_from(text: str) -> None:
    folded, origins = fold_with_origins(text)
    assert len(origins) == len(folded) + 1 and origins[-1] == len(text)
    assert origins == sorted(origins)
    for position, origin in enumerate(origins[:-1]):
        assert folded[position] in fold_char(text[origin])

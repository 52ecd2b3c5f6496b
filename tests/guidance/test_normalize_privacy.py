"""Properties of the normaliser and of personal-data masking, plus concrete examples."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from handlers.guidance import mask_personal_data
from handlers.guidance.normalize import canonical_text, normalize, words
from handlers.guidance.privacy import ADDRESS_MASK, EMAIL_MASK, ID_NUMBER_MASK, PHONE_MASK
from storage.folding import fold_text

VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợứừửữự 0123456789.,-+/@")
    ),
    max_size=120,
)


@given(st.text(max_size=300))
def test_normalize_never_raises_and_is_lower_case(text: str) -> None:
    normalized = normalize(text)
    assert len(normalized.syllables) == len(normalized.folded)
    assert all(syllable == syllable.lower() for syllable in normalized.syllables)


@given(st.text(max_size=300))
def test_canonical_form_and_syllables_are_idempotent(text: str) -> None:
    once = canonical_text(text)
    assert canonical_text(once) == once
    assert words(" ".join(words(text))) == words(text)


@given(st.text(max_size=200))
def test_folding_is_idempotent_and_leaves_no_vietnamese_marks(text: str) -> None:
    folded = fold_text(text.lower())
    assert fold_text(folded) == folded
    assert not re.search(r"[đăâêôơư]", folded)


def test_diacritic_and_plain_questions_meet_in_the_folded_form() -> None:
    assert normalize("Quên mật khẩu").folded == normalize("quen mat khau").folded
    assert normalize("hoà").syllables == normalize("hòa").syllables
    assert normalize("ko dc").syllables == ("không", "được")
    assert normalize("quen mk").folded == ("quen", "mat", "khau")
    assert normalize("sđt").syllables == ("số", "điện", "thoại")
    assert not normalize("quen mk").typed_with_diacritics
    assert normalize("quên mk").typed_with_diacritics


@given(st.text(max_size=300))
def test_masking_never_raises_and_is_idempotent(text: str) -> None:
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once


@given(st.text(max_size=300))
def test_no_run_of_nine_digits_survives_masking(text: str) -> None:
    assert not re.search(r"\d{9,}", mask_personal_data(text))


@given(VIETNAMESE_TEXT, st.from_regex(r"0\d{9}", fullmatch=True), VIETNAMESE_TEXT)
def test_phone_numbers_inside_any_text_are_masked(before: str, phone: str, after: str) -> None:
    assert phone not in mask_personal_data(f"{before} {phone} {after}")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("sđt của tôi 0912345678 nhé", f"sđt của tôi {PHONE_MASK} nhé"),
        ("gọi +84 912 345 678", f"gọi {PHONE_MASK}"),
        ("số cccd 001203004567", f"số cccd {ID_NUMBER_MASK}"),
        ("cmnd 012345678 cũ", f"cmnd {ID_NUMBER_MASK} cũ"),
        ("mail: nguyen.van.a@gmail.com", f"mail: {EMAIL_MASK}"),
        (
            "nhà tôi ở số 12 ngõ 34 phố Huế, quên mật khẩu",
            f"nhà tôi ở {ADDRESS_MASK}, quên mật khẩu",
        ),
        ("so 5 ngach 7/2 duong lang thi lam sao", f"{ADDRESS_MASK} thi lam sao"),
        ("quên mật khẩu vneid", "quên mật khẩu vneid"),
        ("tổ công nghệ số cộng đồng", "tổ công nghệ số cộng đồng"),
    ],
)
def test_masking_examples(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


def test_words_drop_emoji_and_punctuation() -> None:
    assert words("Quên 🔑 mật-khẩu!!") == ["quên", "mật", "khẩu"]

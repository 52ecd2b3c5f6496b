"""The one fold of Vietnamese text: the form in which typed words are compared.

People type with or without diacritics, in NFC or NFD, in any case, sometimes with full-width
or other compatibility forms and invisible format characters pasted from elsewhere. Folding
makes all of those one string: lower case, no diacritics ("đ" is "d"), compatibility forms made
plain ("ﬁ" is "fi", "Ａ" is "a"), format characters (zero-width space, soft hyphen) dropped.
Digits are the exception: only ASCII "0"–"9" are digits to the readers of numbers, so a
character that is or decomposes to another digit ("５", "²", "٣", "①") stays as typed rather
than become a digit the person never typed.

Names (unit and ward keys), the check-in's one-message parser, plan import and citizen guidance
all fold through `fold_char`, so a word folded by one compares equal to the same word folded by
another. The mapping is per character, which lets the parser map what it finds in the folded
text back to the words as typed (`fold_with_origins`).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Nonspacing and enclosing marks (diacritics, combining accents) and format characters.
_DROPPED = frozenset({"Mn", "Me", "Cf"})


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """One character folded: none, one or several characters ("ế" → "e", "ﬁ" → "fi")."""
    # Compatibility forms are decomposed before lower-casing, since some decompose to capitals
    # ("℡" is "TEL").
    decomposed = unicodedata.normalize("NFKD", char).lower().replace("đ", "d")
    if not char.isascii() and any(part.isdigit() for part in decomposed):
        return char
    return "".join(part for part in decomposed if unicodedata.category(part) not in _DROPPED)


@lru_cache(maxsize=8192)
def fold_text(text: str) -> str:
    """The text folded ("Đăng ký" → "dang ky"); spaces and punctuation are kept as they are."""
    return "".join(map(fold_char, unicodedata.normalize("NFC", text)))


def fold_with_origins(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded position, the position it came from in ``text``.

    Folding one character may yield none or several, so matches found in the folded text are
    mapped back to cut the original wording out of ``text``. The last origin is ``len(text)``.
    """
    pieces: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        folded = fold_char(char)
        pieces.append(folded)
        origins.extend([index] * len(folded))
    origins.append(len(text))
    return "".join(pieces), origins

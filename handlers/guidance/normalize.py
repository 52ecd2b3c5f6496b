"""Text normalisation for matching Vietnamese typed fast on a phone.

Citizens write with or without diacritics, with old or new tone placement ("hoà"/"hòa"),
and with chat abbreviations ("ko dc", "mk", "sdt"). Every text — question or guide — goes
through `normalize` so both sides meet in the same form: NFC, lower case, abbreviations
expanded, plus a diacritic-free copy of the same syllables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from handlers.text.abbreviations import Reader, expansions
from storage.folding import fold_text

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Old-style tone placement on the second vowel is rewritten to the modern style so
# "hoà" and "hòa" become one syllable in the diacritic index.
_TONE_PLACEMENT = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_TONE_PLACEMENT_RE = re.compile("|".join(_TONE_PLACEMENT))

_ABBREVIATIONS = expansions(Reader.GUIDANCE)

_VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]"
)


@dataclass(frozen=True)
class NormalizedText:
    """A text as syllables, in its diacritic form and its diacritic-free twin.

    `typed_with_diacritics` is true when the writer used Vietnamese letters, so the
    diacritic form carries information (it tells "mất" from "mật").
    """

    syllables: tuple[str, ...]
    folded: tuple[str, ...]
    typed_with_diacritics: bool


def has_vietnamese_letters(text: str) -> bool:
    """True when the text contains a letter only Vietnamese uses (ă, ơ, ư, đ or a tone)."""
    return _VIETNAMESE_LETTERS.search(text.lower()) is not None


def canonical_text(text: str) -> str:
    """NFC, lower case and modern tone placement, without expanding anything."""
    lowered = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).lower())
    return _TONE_PLACEMENT_RE.sub(lambda match: _TONE_PLACEMENT[match.group(0)], lowered)


def words(text: str) -> list[str]:
    """The syllables of a text after `canonical_text`, punctuation and emoji dropped."""
    return _WORD.findall(canonical_text(text))


def expand_abbreviations(syllables: list[str]) -> list[str]:
    """Replace chat abbreviations by the words they stand for."""
    expanded: list[str] = []
    for syllable in syllables:
        expanded.extend(_ABBREVIATIONS.get(syllable, syllable).split())
    return expanded


def singular(word: str) -> str:
    """An English plural or third-person "-s" dropped ("renews" → "renew", "fees" → "fee").

    No Vietnamese syllable ends in "s", so only English words (and acronyms) can change; words
    ending "ss", "us" or "is" ("address", "status", "this") and short ones keep theirs."""
    if len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalize(text: str) -> NormalizedText:
    """Syllables of `text` with abbreviations expanded and English plurals made singular, plus
    their diacritic-free copy."""
    typed = words(text)
    syllables = tuple(singular(word) for word in expand_abbreviations(typed))
    return NormalizedText(
        syllables=syllables,
        folded=tuple(fold_text(syllable) for syllable in syllables),
        typed_with_diacritics=any(has_vietnamese_letters(syllable) for syllable in typed),
    )


def with_bigrams(syllables: tuple[str, ...] | list[str]) -> list[str]:
    """Syllables followed by adjacent pairs: Vietnamese words are mostly two syllables."""
    pairs = [f"{first}_{second}" for first, second in pairwise(syllables)]
    return [*syllables, *pairs]

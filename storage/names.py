"""How names are compared: the key under which a ward's or a unit's spellings match.

Appendices spell one unit many ways: composed or decomposed Unicode, old or new tone placement
("hoá"/"hóa"), different dashes, "&" for "và", stray spaces, a trailing "phường". The key folds
all of that away so each spelling finds the same row.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from storage.folding import fold_text

_DASHES = re.compile(r"[\u2010-\u2015\u2212\-]")
_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_TRAILING_WARD = re.compile(r"(\s+(thuoc|cua|tai))?\s+phuong$")


def clean_spaces(text: str) -> str:
    """NFC text with runs of whitespace collapsed: the display form we keep."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """The text folded (`fold_text`), dashes as spaces, single spaces: for comparing words."""
    folded = _DASHES.sub(" ", fold_text(text))
    return _SPACES.sub(" ", folded).strip()


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """The matching key of a unit or ward name.

    Tone marks are dropped entirely, which makes old and new tone placement equal; "&" reads as
    "và"; punctuation and a trailing "phường" (or "thuộc phường") do not count.
    """
    key = fold(name.replace("&", " và "))
    key = _NON_WORD.sub(" ", key)
    key = _SPACES.sub(" ", key).strip()
    shorter = _TRAILING_WARD.sub("", key).strip()
    return shorter or key


_AND = re.compile(r"\bva\b")


@lru_cache(maxsize=8192)
def unit_key(name: str) -> str:
    """The key under which unit spellings match: `name_key` without "và", since wards write
    "Văn phòng HĐND và UBND", "HĐND & UBND", "HĐND - UBND" and "HĐND-UBND" for one office."""
    key = name_key(name)
    return _SPACES.sub(" ", _AND.sub(" ", key)).strip() or key


# Words that begin the name of a ward body. A comma or "và" followed by one of them starts a new
# unit; otherwise it belongs to the current name ("Phòng Kinh tế, Hạ tầng và Đô thị").
UNIT_HEADS = (
    "phong",
    "van phong",
    "trung tam",
    "cong an",
    "ban",
    "dang uy",
    "uy ban",
    "ubmttq",
    "mat tran",
    "hoi",
    "doan",
    "quan su",
    "ban chi huy",
    "tram",
    "truong",
    "cac truong",
    "to",
    "chi cuc",
    "bao hiem",
    "kho bac",
    "doi",
    "thanh tra",
    "co quan",
    "bo phan",
    "cong chuc",
    "ubnd",
    "hdnd",
    "chi bo",
    "lien doan",
    "cum",
    "hop tac xa",
    "cac to",
    "nha van hoa",
    "buu dien",
    "chi nhanh",
    "khu dan cu",
    "cac khu dan cu",
    "chi hoi",
    "benh vien",
    "cac doanh nghiep",
    "lanh dao",
    "thuong truc",
    "uy ban kiem tra",
)


def acronym_key(name: str) -> str | None:
    """ "Phòng Văn hóa - Xã hội" → "phong vhxh": the short form wards write for long names."""
    words = name_key(name).split()
    for head in sorted(UNIT_HEADS, key=len, reverse=True):
        head_words = head.split()
        if words[: len(head_words)] == head_words and len(words) > len(head_words) + 1:
            rest = [w for w in words[len(head_words) :] if w != "va"]
            return " ".join([*head_words, "".join(w[0] for w in rest)])
    return None

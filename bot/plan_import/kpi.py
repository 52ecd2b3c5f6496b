"""KPI targets written into task texts ("Tối thiểu 90%", "ít nhất 02 cơ sở", "trên 95%")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from handlers.text.numbers import NUMBER_IN_TEXT, read_number
from storage.folding import fold_text
from storage.vocabulary import Comparator

# Comparator words as they appear before a number, in diacritic-free lower case; longer
# phrases first so "không dưới" wins over "dưới".
_COMPARATOR_WORDS: tuple[tuple[str, Comparator], ...] = (
    ("khong duoi", Comparator.AT_LEAST),
    ("khong it hon", Comparator.AT_LEAST),
    ("toi thieu", Comparator.AT_LEAST),
    ("it nhat", Comparator.AT_LEAST),
    ("tu", Comparator.AT_LEAST),
    ("khong vuot qua", Comparator.AT_MOST),
    ("khong qua", Comparator.AT_MOST),
    ("toi da", Comparator.AT_MOST),
    ("vuot", Comparator.MORE_THAN),
    ("hon", Comparator.MORE_THAN),
    ("tren", Comparator.MORE_THAN),
    ("duoi", Comparator.LESS_THAN),
    ("dat", Comparator.AT_LEAST),
)
_COMPARATOR = "|".join(re.escape(words) for words, _ in _COMPARATOR_WORDS)
_NUMBER = rf"({NUMBER_IN_TEXT})"
_PERCENT = re.compile(rf"(?:\b({_COMPARATOR})\s+(?:(?:muc|ty le|la|co|dat)\s+)*)?{_NUMBER}\s*%")
_COUNT = re.compile(
    rf"\b({_COMPARATOR})\s+(?:(?:co|dat|la)\s+)*{_NUMBER}\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)"
)
# Words that end a counted noun: "02 cơ sở trên địa bàn" counts "cơ sở". Compared with their
# diacritics, since "có" (stop) and "cơ" (noun) fold to the same letters.
_NOUN_STOP = {
    "được",
    "cấp",
    "trên",
    "có",
    "đạt",
    "của",
    "cho",
    "về",
    "tại",
    "để",
    "theo",
    "trong",
    "và",
    "mỗi",
    "năm",
    "tháng",
    "trở",
    "lên",
    "từ",
    "đến",
    "đề",
}
_COUNT_ONLY_WORDS = {"toi thieu", "it nhat", "khong duoi", "khong it hon", "toi da", "khong qua"}


@dataclass(frozen=True)
class KpiTarget:
    """A target value with its unit ("%" or the counted noun) and how to compare against it."""

    value: Decimal
    unit: str
    comparator: Comparator


def _comparator(words: str | None) -> Comparator:
    if not words:
        return Comparator.AT_LEAST
    return dict(_COMPARATOR_WORDS)[words]


def _number(raw: str) -> Decimal | None:
    """ "1.000" is a thousand here as in a head's answer, so targets and values compare."""
    number = read_number(raw)
    return number.value if number is not None else None


def _noun(words: list[str]) -> str | None:
    kept: list[str] = []
    for word in words:
        if word.lower() in _NOUN_STOP:
            break
        kept.append(word)
    return " ".join(kept) or None


def parse_kpi(text: str | None) -> KpiTarget | None:
    """The first target in a task text, or None when the text sets no measurable target.

    A bare percentage ("100% hồ sơ", "đạt 95%") is a minimum to reach; counts need a comparator
    word ("tối thiểu 10 sáng kiến") so that ordinary numbers in a text are not taken as targets.
    """
    if not text:
        return None
    # Positions found in the folded copy are used on the original, so the two must align; text
    # whose folding changes its length (scripts other than Latin) has no target we can read.
    original = " ".join(unicodedata.normalize("NFC", text).split())
    folded = fold_text(original)
    if len(folded) != len(original):
        return None
    targets: list[tuple[int, KpiTarget]] = []
    for match in _PERCENT.finditer(folded):
        value = _number(match.group(2))
        if value is not None and value <= 100:
            targets.append((match.start(), KpiTarget(value, "%", _comparator(match.group(1)))))
    for match in _COUNT.finditer(folded):
        if match.group(1) not in _COUNT_ONLY_WORDS:
            continue
        value = _number(match.group(2))
        start, end = match.span(3)
        noun = _noun(original[start:end].split())
        if value is not None and noun:
            targets.append((match.start(), KpiTarget(value, noun, _comparator(match.group(1)))))
    if not targets:
        return None
    return min(targets, key=lambda found: found[0])[1]


_SYMBOLS = (
    ("≥", Comparator.AT_LEAST),
    (">=", Comparator.AT_LEAST),
    ("≤", Comparator.AT_MOST),
    ("<=", Comparator.AT_MOST),
    (">", Comparator.MORE_THAN),
    ("<", Comparator.LESS_THAN),
    ("=", Comparator.EXACTLY),
)
_TARGET_CELL = re.compile(rf"^(?:({_COMPARATOR})\s+)?{_NUMBER}\s*(%?)\s*([^\W\d_].*)?$")


def kpi_from_columns(target: str, unit: str) -> KpiTarget | None:
    """A target written in columns of its own: "≥ 90" or "Tối thiểu 90%" under "Chỉ tiêu"
    (or "Năm 2026"), with "%" or the counted noun ("cơ sở") under "Đơn vị tính"."""
    text = " ".join(unicodedata.normalize("NFC", target).split())
    comparator: Comparator | None = None
    for symbol, meaning in _SYMBOLS:
        if text.startswith(symbol):
            comparator, text = meaning, text[len(symbol) :].strip()
            break
    folded = fold_text(text)
    match = _TARGET_CELL.match(folded) if len(folded) == len(text) else None
    if match is None:
        return None
    value = _number(match.group(2))
    if value is None:
        return None
    words = match.group(1)
    noun_start = match.start(4) if match.group(4) else len(text)
    written_unit = "%" if match.group(3) else text[noun_start:].strip()
    unit = " ".join(unit.split()) or written_unit
    if (unit == "%" and value > 100) or not unit:
        return None
    return KpiTarget(value, unit, comparator or _comparator(words))

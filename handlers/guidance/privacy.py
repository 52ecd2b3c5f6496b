"""Masking of personal data in citizens' questions before they are stored or logged.

Citizens paste their ID number, phone number, e-mail, home address or name into questions
("số cccd của tôi là 0010…, nhà ở số 12 ngõ 34 phố Huế"). The brief requires questions to
be stored without them, so every question is masked before it leaves the engine; this module
is the one place that does it.

The patterns run on a *view* of the text: one character for each character of the NFC text,
with diacritics dropped ("Duẩn" → "Duan", case kept), every digit of any script made ASCII
("０", "٣", "²") and the invisible or typographic separators people paste between digit groups
(no-break space, zero-width space, soft hyphen, en and em dashes) made a plain space or "-".
What a pattern finds in the view is replaced at the same place in the text, so the rest keeps
its diacritics and digits as typed.

Every pattern sees text as long as a citizen cares to send, on the event loop, so each is
linear: a match can start only where a run of its first class starts (a lookbehind on that
class), and runs are taken possessively, so a failed attempt never rescans what it read.
tests/guidance/test_normalize_privacy.py times each on 100,000-character adversarial inputs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache

from storage.folding import fold_char

EMAIL_MASK = "[EMAIL]"
PHONE_MASK = "[SĐT]"
ID_NUMBER_MASK = "[SỐ GIẤY TỜ]"
ADDRESS_MASK = "[ĐỊA CHỈ]"
NAME_MASK = "[HỌ TÊN]"

# Characters found between digit groups that the view keeps: spaces, ".", ",", "/", "_", "-"
# and the brackets of an area code. Other dashes (and the minus sign) become "-"; every other
# space, invisible format character (zero-width space, soft hyphen…) and stray combining mark
# becomes a space.
VIEW_SEPARATORS = " \t.,/_-()"
_MINUS = "\u2212"
_AS_SPACE = frozenset({"Zs", "Cf", "Mn", "Me"})


def separates_digits(char: str) -> bool:
    """Whether the view takes `char` for a separator between digit groups."""
    return char in VIEW_SEPARATORS or _view_char(char) in (" ", "-")


@lru_cache(maxsize=8192)
def _view_char(char: str) -> str:
    if char.isascii():
        return char
    digit = unicodedata.digit(char, None)
    if digit is not None:
        return str(digit)
    if char == _MINUS or unicodedata.category(char) == "Pd":
        return "-"
    if unicodedata.category(char) in _AS_SPACE:
        return " "
    folded = fold_char(char)
    if len(folded) != 1:
        return char
    return folded.upper() if char.isupper() else folded


def _view(text: str) -> str:
    return "".join(map(_view_char, text))


Span = tuple[int, int, str]

# --- e-mails ---------------------------------------------------------------------------------
# "a.b@gmail.com", and as people spell them out so that no filter sees an "@":
# "nguyenvana (at) gmail (dot) com", "nguyenvana [at] gmail [.] com", "nguyenvana at gmail dot
# com", "nguyenvana a còng gmail chấm com", "nguyenvana @ gmail . com".
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT = (
    rf"(?:[ \t]*+@[ \t]*+|[ \t]*+{_OPEN}[ \t]*+(?:at|@|a[ \t]*+cong)[ \t]*+{_CLOSE}[ \t]*+"
    r"|[ \t]++(?:at|a[ \t]*+cong)[ \t]++)"
)
_DOT = (
    rf"(?:[ \t]*+\.[ \t]*+|[ \t]*+{_OPEN}[ \t]*+(?:dot|\.|cham)[ \t]*+{_CLOSE}[ \t]*+"
    r"|[ \t]++(?:dot|cham)[ \t]++)"
)
_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]++{_AT}[\w-]++(?>{_DOT}[\w-]++)+", re.IGNORECASE | re.UNICODE
)


def _emails(view: str) -> Iterator[Span]:
    for match in _EMAIL.finditer(view):
        yield match.start(), match.end(), EMAIL_MASK


# --- ID and phone numbers --------------------------------------------------------------------
# A chain of digit groups joined by separators, taken whole: "0912  345  678" is one number,
# so no part of it is left beside the mask. Nine digits or more in a chain are masked, whatever
# they are (CMND, CCCD, a bank account): nothing that long is needed to answer a question.
_SEPARATOR_CLASS = "[" + re.escape(VIEW_SEPARATORS) + "]"
_DIGIT_CHAIN = re.compile(rf"(?<![0-9])[0-9]++(?>{_SEPARATOR_CLASS}++[0-9]++)*+")
_NON_DIGITS = re.compile(r"[^0-9]++")
_MIN_MASKED_DIGITS = 9


def _is_phone(digits: str, after_plus: bool) -> bool:
    """A Vietnamese mobile or landline number: 0 then 9 or 10 digits (mobile "0912 345 678",
    landline "024 3825 1234", "0225.3842.123"), or 84 / 0084 then 9 or 10 digits."""
    if digits.startswith("0084"):
        return len(digits) in (13, 14)
    if digits.startswith("84") and (after_plus or len(digits) == 11):
        return len(digits) in (11, 12)
    return digits.startswith("0") and len(digits) in (10, 11)


def _numbers(view: str) -> Iterator[Span]:
    for match in _DIGIT_CHAIN.finditer(view):
        digits = _NON_DIGITS.sub("", match.group())
        if len(digits) < _MIN_MASKED_DIGITS:
            continue
        start = match.start()
        after_plus = start > 0 and view[start - 1] == "+"
        # The "+" of "+84" and the bracket of "(024) 3825 1234" go with the number.
        if after_plus or (start > 0 and view[start - 1] == "(" and ")" in match.group()):
            start -= 1
        yield start, match.end(), PHONE_MASK if _is_phone(digits, after_plus) else ID_NUMBER_MASK


# --- names -----------------------------------------------------------------------------------
# A run of capitalised words after "tôi là", "tên tôi (là)", "họ (và) tên (là)": "tôi là
# Nguyễn Văn An" (but not "tôi là người cao tuổi"). After a colon ("họ tên:", "tên:") the text
# is a field, so a name typed in lower case is masked too.
_CAPITALISED_RUN = r"[A-Z][a-z]*+(?:[ \t]++[A-Z][a-z]*+){0,5}"
# Words that start the rest of the sentence, where a lower-case name or a street ends. Without
# diacritics some are also name syllables ("thi" is "thì" and "Thị", "minh" is "mình" and
# "Minh"): those end a street or an address field, never a name.
_SENTENCE_WORDS = (
    "quen|muon|can|lam|sao|khong|ko|duoc|dc|bi|nhung|nen|de|cho|hoi|xin|nhe|oi|voi|sinh|dia"
    "|bao|gio|nao|gi|cua|va"
)
_NAME_END = rf"(?:{_SENTENCE_WORDS})(?![A-Za-z0-9])"
_STOP_WORD = (
    rf"(?:{_SENTENCE_WORDS}|thi|co|o|tai|so|toi|em|minh|da|dang|se|la|vao|ra|a|k)(?![A-Za-z0-9])"
)
_LOWER_NAME = rf"(?!{_NAME_END})[A-Za-z]++(?:[ \t]++(?!{_NAME_END})[A-Za-z]++){{0,4}}"
_NAME_TRIGGER = (
    r"(?<![A-Za-z])(?i:toi[ \t]++la|ten[ \t]++(?:cua[ \t]++)?toi(?:[ \t]++la)?"
    r"|ho[ \t]++(?:va[ \t]++)?ten(?:[ \t]++(?:cua[ \t]++toi[ \t]++)?la)?)"
)
_NAME = re.compile(
    rf"(?:{_NAME_TRIGGER}(?:[ \t]*+:[ \t]*+(?P<field>{_LOWER_NAME})"
    rf"|[ \t]++(?P<name>{_CAPITALISED_RUN}))"
    rf"|(?<![A-Za-z])(?i:ten)[ \t]*+:[ \t]*+(?P<bare>{_LOWER_NAME}))"
    r"(?![A-Za-z0-9])"
)


def _names(view: str) -> Iterator[Span]:
    for match in _NAME.finditer(view):
        group = next(g for g in ("field", "name", "bare") if match.group(g) is not None)
        yield match.start(group), match.end(group), NAME_MASK


# --- addresses -------------------------------------------------------------------------------
# A house number with what places it: "số 12 ngõ 34 phố Huế", "nhà 12 ngõ 34", "ngách 7/2",
# "hẻm 15", "kiệt 3", "tổ 9", "thôn 2", "xóm 4", "p.1203", "phòng 1203"; "tôi ở 45 Lê Duẩn";
# anything after "địa chỉ:" or "địa chỉ (nhà) là". "ở" and "địa chỉ" stay, the address goes.
_HOUSE_NUMBER = r"[0-9]++(?:[A-Za-z](?![A-Za-z]))?(?:[/-][0-9]++(?:[A-Za-z](?![A-Za-z]))?)*+"
_PLACING_WORD = (
    r"(?i:so[ \t]++nha|nha[ \t]++so|ngo|ngach|hem|kiet|to[ \t]++dan[ \t]++pho|to|thon|xom"
    r"|phong|p\.|can[ \t]++ho|lo|ap|khu[ \t]++pho|kp\.?)"
)
# Words that alone do not make a number an address ("số 3", "nhà 2"), but do before a placing
# word or a street.
_WEAK_WORD = r"(?i:so|nha)"
_PART = rf"{_PLACING_WORD}[ \t]*+{_HOUSE_NUMBER}"
_MORE_PARTS = rf"(?>[ \t]*+,?[ \t]*+{_PART})"
_STREET_WORDS = rf"(?!{_STOP_WORD})[a-z]++(?:[ \t]++(?!{_STOP_WORD})[a-z]++){{0,3}}"
_REGION = r"(?i:phuong|quan|xa|huyen|tinh|thanh[ \t]++pho|tp\.?|thi[ \t]++xa|q\.|p\.)[ \t]*+"
_STREET = (
    rf"(?:(?>[ \t]*+,?[ \t]*+(?:(?i:pho|duong|dg\.?|d\.)[ \t]*+(?:{_CAPITALISED_RUN}|{_STREET_WORDS})"
    rf"|(?:{_REGION})?{_CAPITALISED_RUN}))"
    rf"(?>(?:[ \t]*+,[ \t]*+(?:{_REGION})?|[ \t]++{_REGION}){_CAPITALISED_RUN}){{0,3}})"
)
_AFTER_NUMBER = rf"(?:{_MORE_PARTS}++{_STREET}?|{_STREET})"
_ADDRESS_TRIGGER = (
    r"(?<![A-Za-z])(?i:o|tai|dia[ \t]++chi(?:[ \t]++nha)?(?:[ \t]++cua[ \t]++(?:toi|em|minh))?)"
)
# A word of the field; a dot ends the field except in "p." (phường), "q." (quận) and the like.
_FIELD_WORD = r"(?:(?i:p|q|tp|kp|d|dg)\.|[^\s?!;.,:\[]++)"
_FIELD = (
    rf"(?!{_STOP_WORD}){_FIELD_WORD}(?:(?:[ \t]*+,)?[ \t]++(?!{_STOP_WORD}){_FIELD_WORD}){{0,14}}"
)
_ADDRESS = re.compile(
    rf"(?<![A-Za-z0-9])(?:{_PART}{_MORE_PARTS}*+{_STREET}?|{_WEAK_WORD}[ \t]*+{_HOUSE_NUMBER}{_AFTER_NUMBER})"
    rf"|{_ADDRESS_TRIGGER}[ \t]++(?P<placed>{_HOUSE_NUMBER}{_AFTER_NUMBER})"
    rf"|(?<![A-Za-z])(?i:dia[ \t]++chi(?:[ \t]++nha)?(?:[ \t]++cua[ \t]++(?:toi|em|minh))?)"
    rf"(?:[ \t]*+:|[ \t]++(?i:la))[ \t]*+(?P<field>{_FIELD})"
)


def _addresses(view: str) -> Iterator[Span]:
    for match in _ADDRESS.finditer(view):
        group = next((g for g in ("placed", "field") if match.group(g) is not None), 0)
        yield match.start(group), match.end(group), ADDRESS_MASK


_FINDERS: tuple[Callable[[str], Iterator[Span]], ...] = (_emails, _numbers, _names, _addresses)


def mask_personal_data(text: str) -> str:
    """Replace e-mails, phone and ID numbers, names and street addresses by placeholders.

    The text comes back in NFC. Safe on any string and idempotent: the placeholders contain
    no digits and start no pattern, so masking twice gives the same text; no run of nine or
    more digits (of any script, separators between them or not) survives.
    """
    masked = unicodedata.normalize("NFC", text)
    view = _view(masked)
    for find in _FINDERS:
        spans = list(find(view))
        if spans:
            masked, view = _replaced(masked, spans), _replaced(view, spans, _view)
    return masked


def _replaced(text: str, spans: list[Span], form: Callable[[str], str] = str) -> str:
    """`text` with each (start, end) span replaced by its mask (in `form`: the view of a
    mask is as long as the mask, so the text and its view stay aligned)."""
    parts: list[str] = []
    position = 0
    for start, end, mask in spans:
        parts += [text[position:start], form(mask)]
        position = end
    parts.append(text[position:])
    return "".join(parts)

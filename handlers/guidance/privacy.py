"""Masking of personal data in citizens' questions before they are stored or logged.

Citizens paste their ID number, phone number, e-mail or home address into questions
("số cccd của tôi là 0010…, nhà ở số 12 ngõ 34 phố Huế"). The brief requires questions to
be stored without them, so every question is masked before it leaves the engine.
"""

from __future__ import annotations

import re

EMAIL_MASK = "[EMAIL]"
PHONE_MASK = "[SĐT]"
ID_NUMBER_MASK = "[SỐ GIẤY TỜ]"
ADDRESS_MASK = "[ĐỊA CHỈ]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# Vietnamese mobile and landline numbers: +84 / 84 / 0 followed by 9-10 digits, digits
# optionally grouped with spaces, dots or dashes ("0912 345 678", "+84 912.345.678").
_PHONE = re.compile(r"(?<![\d\w])(?:\+84|0084|84|0)(?:[\s.-]?\d){9,10}(?!\d)")

# Any remaining run of 9 or more digits, grouped or not: 9-digit CMND, 12-digit CCCD,
# bank account numbers. Nothing that long is needed to answer a question.
_LONG_NUMBER = re.compile(r"\d(?:[\s.-]?\d){8,}")

# Street address parts carrying a number: "số 12", "số nhà 5A", "ngõ 34/2", "ngách 7",
# "hẻm 15", "kiệt 3", "tổ 9", "thôn 2", "xóm 4", "p.1203", "phòng 1203".
_ADDRESS_PART = (
    r"(?:s[ốo]\s*nh[àa]|nh[àa]|s[ốo]|ng[õo]|ng[áa]ch|h[ẻe]m|ki[ệe]t|t[ổo]|th[ôo]n|x[óo]m"
    r"|ph[òo]ng|p\.|căn\s*hộ|can\s*ho)\s*\d+[a-z]?(?:\s*/\s*\d+[a-z]?)*"
)
# After the numbered parts, the street itself: "phố Huế", "đường Nguyễn Trãi"; up to four
# words, stopping at punctuation or at a word that starts the rest of the sentence.
_STREET = (
    r"(?:\s*,?\s*(?:ph[ốo]|đ[ưu][ờo]ng|duong|pho)\s+"
    r"(?:(?!(?:thì|thi|có|co|nhưng|nhung|muốn|muon|ở|o|của|cua|tôi|toi|em|mình|minh|"
    r"làm|lam|sao|và|va|nên|nen|bị|bi|được|duoc|để|de|cho|không|khong|ko)\b)[^\W\d_]+\s*){1,4})?"
)
_ADDRESS = re.compile(
    rf"(?<!\w){_ADDRESS_PART}(?:\s*,?\s*{_ADDRESS_PART})*{_STREET}",
    re.IGNORECASE | re.UNICODE,
)


def mask_personal_data(text: str) -> str:
    """Replace e-mails, phone numbers, ID numbers and street addresses by placeholders.

    Safe on any string and idempotent: the placeholders contain no digits, so masking
    twice gives the same text, and no run of nine or more digits survives.
    """
    masked = _EMAIL.sub(EMAIL_MASK, text)
    masked = _PHONE.sub(PHONE_MASK, masked)
    masked = _LONG_NUMBER.sub(ID_NUMBER_MASK, masked)
    return _ADDRESS.sub(lambda match: _keep_trailing_space(match.group(0)), masked)


def _keep_trailing_space(matched: str) -> str:
    """The address mask, keeping the space the street pattern swallowed before the next word."""
    return ADDRESS_MASK + (" " if matched != matched.rstrip() else "")

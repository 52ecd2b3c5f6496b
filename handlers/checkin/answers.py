"""Reading typed answers of the check-in: percentages, KPI values, free texts.

Numbers are read by `handlers.text.numbers`, as the one-message report reads them; this module
adds the message that tells the head what to type instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from handlers.events import Choice, EventKind, IncomingEvent
from handlers.i18n import _
from handlers.text.numbers import kpi_count, kpi_percent, progress_percent, read_number
from handlers.text.shortening import shorten
from storage.folding import fold_text

MAX_TEXT_CHARS = 2000


class BadAnswer(ValueError):
    """An answer that cannot be saved; the message says why, in the reader's language."""


def meaningful(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def chosen(event: IncomingEvent, choices: Sequence[Choice]) -> str | None:
    """The option pressed, or typed as its keyword («chưa có», "chua co"), where a number is
    asked and typed numbers are values; None when the message is neither."""
    values = {choice.value for choice in choices}
    if event.kind is EventKind.CHOICE and event.choice in values:
        return event.choice
    if event.kind is not EventKind.TEXT:
        return None
    typed = " ".join(fold_text(event.text).strip(" «»\"'.!?").split())
    for choice in choices:
        if choice.keyword is not None and typed == fold_text(choice.keyword):
            return choice.value
    return None


def list_number(text: str, count: int) -> int | None:
    """The position typed from a numbered list of ``count`` ("2", "2."), or None."""
    number = read_number(text.strip().rstrip("."))
    if number is None or number.percent or not number.whole or not 1 <= number.value <= count:
        return None
    return int(number.value)


# Stored rows are numbered by database integers: a number past them names nothing.
LARGEST_ID = 2**31 - 1


def numbered_argument(argument: str) -> tuple[int | None, str, str]:
    """ "3 nội dung" or "#3 nội dung" after a command: the row id it names (or None), the
    number as typed, and the rest."""
    number, _separator, rest = argument.strip().lstrip("#").partition(" ")
    return list_number(number, LARGEST_ID), number, rest


def read_percent(text: str) -> int:
    """Progress: a whole percentage from 0 to 100, "%" optional."""
    number = read_number(text)
    if number is None:
        raise BadAnswer(
            _("«{text}» không phải là một số phần trăm. Gõ một số từ 0 đến 100, ví dụ 60.").format(
                text=shorten(text, 40)
            )
        )
    progress = progress_percent(number)
    if progress is None:
        raise BadAnswer(_("Tiến độ phải là số nguyên từ 0 đến 100 (phần trăm)."))
    return progress


def read_kpi_value(text: str, unit: str | None) -> Decimal:
    """A percentage KPI is 0–100 (decimals allowed); a counted KPI is a whole number ≥ 0."""
    number = read_number(text)
    if number is None:
        raise BadAnswer(
            _("«{text}» không phải là một số. Gõ giá trị chỉ tiêu, ví dụ 85.").format(
                text=shorten(text, 40)
            )
        )
    if unit == "%":
        value = kpi_percent(number)
        if value is None:
            raise BadAnswer(_("Chỉ tiêu tính theo phần trăm phải từ 0 đến 100."))
        return value
    value = kpi_count(number)
    if value is None:
        raise BadAnswer(
            _("Chỉ tiêu này đếm số {unit}: gõ một số nguyên không âm, ví dụ 3.").format(
                unit=unit or ""
            )
        )
    return value


def read_text(text: str) -> str:
    """A free-text answer kept whole: longer than the limit is refused, never cut."""
    text = text.strip()
    if not meaningful(text):
        raise BadAnswer(_("Câu trả lời cần có chữ hoặc số. Gõ lại, hoặc chọn «Bỏ qua»."))
    if len(text) > MAX_TEXT_CHARS:
        raise BadAnswer(
            _(
                "Nội dung dài {length} ký tự, quá giới hạn {limit} ký tự. Bạn rút gọn rồi gửi lại."
            ).format(length=len(text), limit=MAX_TEXT_CHARS)
        )
    return text

"""Numbers as people type them, read the Vietnamese way, one reading for every path.

A unit head answers a percentage or a KPI value step by step (`handlers/checkin/answers.py`)
or inside a one-message report (`handlers/checkin/quick_report.py`); plan import reads the
targets written in task texts (`bot/plan_import/kpi.py`). All of them read a number here, so
one string has one value wherever it is typed.

How a number is read:

* Digits are ASCII "0"–"9" only. Other characters Python counts as digits ("²", "٣", "５")
  make the text no number at all (the fold, `storage/folding.py`, leaves them as typed).
* "." followed by groups of exactly three digits, after a first group of one to three, groups
  thousands: "1.000" is one thousand, "12.500.000" twelve and a half million.
* Otherwise one "." or "," is the decimal mark: "1,5" and "1.5" are one and a half, "85,25"
  and "1.0000" decimals. After thousands groups only "," is: "1.000,5".
* Spaces around it and one "%" after it are allowed ("85 %"); a leading "-" reads as a
  negative number, which every bound below refuses with its own message.

The reading never depends on what was asked; what was asked only bounds the value:

* progress (`progress_percent`): a whole percentage from 0 to 100;
* a KPI in percent (`kpi_percent`): 0 to 100, decimals allowed;
* a counted KPI (`kpi_count`): a whole number, at least 0, never typed with "%".

Two forms are ambiguous, and are decided so that a misreading is asked again, never stored:

* "1.000" is a thousand even where a percentage is asked: out of range, so the head is asked
  again rather than the value being saved as 1%.
* "1,000" (a comma before exactly three digits, after one to three) is one in Vietnamese and a
  thousand in English. Where a whole number is asked it is refused, not guessed; as a KPI
  percentage it is 1, since the English reading, 1000%, cannot be meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# A number in running text, longest first, so that "1.2.3" is handed over whole and refused
# rather than read as 1.2 followed by text.
NUMBER_IN_TEXT = r"[0-9]+(?:[.,][0-9]+)*"

_TYPED = re.compile(
    r"\s*(?P<sign>-)?"
    r"(?:(?P<grouped>[0-9]{1,3}(?:\.[0-9]{3})+)(?:,(?P<grouped_fraction>[0-9]+))?"
    r"|(?P<whole>[0-9]+)(?:(?P<mark>[.,])(?P<fraction>[0-9]+))?)"
    r"\s*(?P<percent>%)?\s*"
)
_MAX_PERCENT = 100


@dataclass(frozen=True, slots=True)
class TypedNumber:
    """A number as read, with what the bounds need to know of how it was typed."""

    value: Decimal
    percent: bool
    """Typed with a trailing "%"."""
    ambiguous: bool
    """Typed like "1,000": one to three digits, a comma, exactly three digits."""

    @property
    def whole(self) -> bool:
        """A whole number, typed so that it cannot be a thousand read as one."""
        return not self.ambiguous and self.value == self.value.to_integral_value()


def read_number(text: str) -> TypedNumber | None:
    """The number ``text`` is, or None when it is not exactly one number (see the module)."""
    match = _TYPED.fullmatch(text)
    if match is None:
        return None
    sign, grouped, grouped_fraction, digits, mark, fraction, percent = match.groups()
    if grouped is not None:
        digits, fraction, ambiguous = grouped.replace(".", ""), grouped_fraction, False
    else:
        ambiguous = mark == "," and len(digits) <= 3 and len(fraction) == 3
    value = Decimal(f"{digits}.{fraction}" if fraction is not None else digits)
    return TypedNumber(-value if sign else value, percent is not None, ambiguous)


def progress_percent(number: TypedNumber) -> int | None:
    """Progress: a whole percentage from 0 to 100, or None."""
    if not number.whole or not 0 <= number.value <= _MAX_PERCENT:
        return None
    return int(number.value)


def kpi_percent(number: TypedNumber) -> Decimal | None:
    """A KPI counted in percent: 0 to 100, decimals allowed, or None."""
    return number.value if 0 <= number.value <= _MAX_PERCENT else None


def kpi_count(number: TypedNumber) -> Decimal | None:
    """A KPI counted in units: a whole number, at least 0, not a percentage; or None."""
    if number.percent or not number.whole or number.value < 0:
        return None
    return number.value.to_integral_value()


# A position in a list or an id typed by a person: never more digits than this (an id past a
# billion is a typing slip, and the databases' integers end not far beyond).
_MAX_INDEX_DIGITS = 9


def read_index(text: str) -> int | None:
    """A whole positive number typed as a position or an id ("2", "2." after a list), in ASCII
    digits only, or None."""
    typed = text.strip().rstrip(".")
    if not typed.isascii() or not typed.isdigit() or len(typed) > _MAX_INDEX_DIGITS:
        return None
    value = int(typed)
    return value if value > 0 else None

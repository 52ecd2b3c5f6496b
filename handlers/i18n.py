"""Translations and vi_VN formatting.

Message ids are the Vietnamese sentences (the source of truth); the `vi` catalog carries them as
reviewed and the `en` catalog translates them. The locale of the person being answered lives in
a ContextVar, so flows call `_()` without passing it around.
"""

from __future__ import annotations

import gettext as gettext_module
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

DOMAIN = "reportbot"
SOURCE_LOCALE = "vi"
SUPPORTED_LOCALES = ("vi", "en")
_BABEL_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
_current_locale: ContextVar[str] = ContextVar("reportbot_locale", default=SOURCE_LOCALE)


def locales_dir() -> Path:
    """The catalogs: shipped inside the wheel as handlers/locales, or locales/ in a checkout."""
    packaged = Path(__file__).parent / "locales"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "locales"


def supported(locale: str | None) -> str:
    """The closest supported locale for a hint such as "en-US" or "vi_VN"."""
    if locale:
        language = locale.replace("-", "_").split("_")[0].lower()
        if language in SUPPORTED_LOCALES:
            return language
    return SOURCE_LOCALE


@cache
def translations(locale: str) -> gettext_module.NullTranslations:
    """The catalog for a locale, from its compiled .mo, or compiled in memory from a newer .po."""
    folder = locales_dir() / locale / "LC_MESSAGES"
    po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as mo_file:
            return gettext_module.GNUTranslations(mo_file)
    if po_path.exists():
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext_module.GNUTranslations(buffer)
    return gettext_module.NullTranslations()


def current_locale() -> str:
    return _current_locale.get()


def set_process_locale(locale: str | None) -> None:
    """The locale for everything this process says outside a conversation (the CLI)."""
    _current_locale.set(supported(locale))


@contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    token = _current_locale.set(supported(locale))
    try:
        yield _current_locale.get()
    finally:
        _current_locale.reset(token)


def gettext(message: str) -> str:
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_locale()).ngettext(singular, plural, count)


_ = gettext


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is looked up later, by another name."""
    return message


def babel_locale() -> str:
    return _BABEL_LOCALES[current_locale()]


def format_day(day: date) -> str:
    """A date in words for the reader: "ngày 31 tháng 12 năm 2026" / "31 December 2026"."""
    # The pattern is itself translated: civil servants write dates in the administrative form.
    return _formatted_day(day, _("'ngày' d 'tháng' M 'năm' y"), babel_locale())


def format_short_day(day: date) -> str:
    """A date in figures, for a list read on a phone: "10/11/2026" / "10 Nov 2026"."""
    return _formatted_day(day, _("dd/MM/y"), babel_locale())


# Every check-in card shows its task's deadline: a ward's few dates, formatted again and again.
@lru_cache(maxsize=4096)
def _formatted_day(day: date, pattern: str, locale: str) -> str:
    return format_date(day, pattern, locale=locale)


def format_moment(moment: datetime, timezone: str) -> str:
    """A moment in the ward's time zone: "17:00 ngày 16/11/2026" / "17:00, 16 November 2026"."""
    local = moment.astimezone(ZoneInfo(timezone))
    return format_datetime(local, _("HH:mm 'ngày' dd/MM/y"), locale=babel_locale())


def format_number(value: int | float | Decimal) -> str:
    return format_decimal(value, locale=babel_locale())

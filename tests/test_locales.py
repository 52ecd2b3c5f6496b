"""Every user-facing string is in both catalogs, translated, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from handlers.i18n import _, format_day, format_number, use_locale

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHOD_MAP = [("bot/**.py", "python"), ("handlers/**.py", "python"), ("storage/**.py", "python")]
VIETNAMESE_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _source_messages() -> set[str]:
    found: set[str] = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(locale: str):  # type: ignore[no-untyped-def]
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "reportbot.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_message_in_the_code_is_translated(locale: str) -> None:
    catalog = _catalog(locale)
    messages = {m.id: m for m in catalog if m.id}
    source = _source_messages()
    missing = sorted(source - set(messages))
    untranslated = sorted(i for i in source & set(messages) if not messages[i].string)
    fuzzy = sorted(i for i in source & set(messages) if messages[i].fuzzy)
    assert (missing, untranslated, fuzzy) == ([], [], []), (
        "run pybabel extract/update and translate"
    )


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_translations_keep_placeholders(locale: str) -> None:
    for message in _catalog(locale):
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
                PLACEHOLDER.findall(message.string)
            ), message.id


def test_no_message_hides_inside_an_f_string() -> None:
    """Extraction cannot see _() inside an f-string, so such a message would go untranslated."""
    hidden = re.compile(r"""f["'][^"']*\{_\(""")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("bot", "handlers", "storage")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if hidden.search(line)
    ]
    assert offenders == []


def test_english_is_not_a_copy_of_the_vietnamese() -> None:
    copies = [
        m.id
        for m in _catalog("en")
        if m.id and m.string == m.id and any(ch in VIETNAMESE_LETTERS for ch in m.id.lower())
    ]
    assert copies == []


def test_vietnamese_is_the_source_of_truth() -> None:
    for message in _catalog("vi"):
        if message.id:
            assert message.string == message.id


def test_dates_and_numbers_follow_the_locale() -> None:
    from datetime import date

    with use_locale("vi"):
        assert format_day(date(2026, 12, 31)) == "ngày 31 tháng 12 năm 2026"
        assert format_number(1234.5) == "1.234,5"
    with use_locale("en-GB"):
        assert format_day(date(2026, 12, 31)) == "31 December 2026"
        assert _("Tệp rỗng.") == "The file is empty."

"""The words typer prints itself ("Usage:", "Missing argument", "No such command…"), in the
reader's language, so the CLI never switches to English half-way through a Vietnamese screen.

typer (0.29) carries its own copy of click with these words written in English, not looked
up in any catalog. The CLI's output streams therefore pass through `translate_library_words`,
which recognises each of typer's lines by its exact English form (anchored at the line's
start) and words it from our catalogs; everything else, our own Vietnamese output included,
goes through unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from handlers.i18n import N_, gettext

# (typer's English line, our source sentence with the same named parts); first match wins.
_LINES: tuple[tuple[str, str], ...] = (
    (r"Usage: (?P<usage>.*)", N_("Cách dùng: {usage}")),
    (r"Try '(?P<command>.+?)' for help\.", N_("Xem hướng dẫn: {command}")),
    (r"Error: Missing argument '(?P<name>[^']+)'\.", N_("Lỗi: thiếu tham số {name}.")),
    (r"Error: Missing option '(?P<name>[^']+)'\.", N_("Lỗi: thiếu tùy chọn {name}.")),
    (r"Error: No such command '(?P<name>[^']*)'\.", N_("Lỗi: không có lệnh «{name}».")),
    (r"Error: No such option: (?P<name>\S+).*", N_("Lỗi: không có tùy chọn {name}.")),
    (
        r"Error: Got unexpected extra argument\(s\) \((?P<args>.*)\)",
        N_("Lỗi: thừa tham số ({args})."),
    ),
    (
        r"Error: Option '(?P<name>[^']+)' requires .*",
        N_("Lỗi: tùy chọn {name} cần một giá trị."),
    ),
    (
        r"Error: Invalid value for '(?P<name>[^']+)': Value '(?P<value>.*)' is not a valid "
        r"(?:int|integer)\.",
        N_("Lỗi: giá trị «{value}» của {name} không phải là số nguyên."),
    ),
    (
        r"Error: Invalid value for '(?P<name>[^']+)': .*",
        N_("Lỗi: giá trị của {name} không hợp lệ."),
    ),
    (r"Error: (?P<message>.*)", N_("Lỗi: {message}")),
    (r"Options:", N_("Tùy chọn:")),
    (r"Commands:", N_("Lệnh:")),
    (r"Arguments:", N_("Tham số:")),
    (r"Aborted!", N_("Đã dừng.")),
)
# Words inside a line of the help screen.
_WORDS: tuple[tuple[str, str], ...] = (
    (r"Show this message and exit\.", N_("Xem hướng dẫn này rồi thoát.")),
    (r"\[required\]", N_("[bắt buộc]")),
    (r"\[default: (?P<value>[^\]]*)\]", N_("[mặc định: {value}]")),
)
_COMPILED_LINES = [(re.compile(rf"^(?P<indent>\s*){pattern}$"), text) for pattern, text in _LINES]
_COMPILED_WORDS = [(re.compile(pattern), text) for pattern, text in _WORDS]


def _line(line: str) -> str:
    for pattern, text in _COMPILED_LINES:
        found = pattern.match(line)
        if found is not None:
            parts = found.groupdict()
            return parts.pop("indent") + gettext(text).format(**parts)
    for pattern, text in _COMPILED_WORDS:
        line = pattern.sub(_worded(text), line)
    return line


def _worded(text: str) -> Callable[[re.Match[str]], str]:
    return lambda found: gettext(text).format(**found.groupdict())


def translate_library_words(text: str) -> str:
    """``text`` with typer's own English lines and words in the current locale."""
    return "".join(_line(line) + end for line, end in _lines(text))


def _lines(text: str) -> Iterator[tuple[str, str]]:
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        yield body, line[len(body) :]


class _Translating:
    """A text stream whose writes go through `translate_library_words`."""

    def __init__(self, stream: TextIO, translate: Callable[[str], str]) -> None:
        self._stream = stream
        self._translate = translate

    def write(self, text: str | bytes) -> int:
        # click's echo hands over bytes when it takes this for a binary stream.
        if isinstance(text, bytes):
            return self._stream.write(self._translate(text.decode("utf-8")).encode("utf-8"))  # type: ignore[arg-type]
        return self._stream.write(self._translate(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def library_words_translated(streams: Any) -> Iterator[None]:
    """While the CLI runs, what it writes to ``streams`` (the `sys` module) is translated."""
    stdout, stderr = streams.stdout, streams.stderr
    streams.stdout = _Translating(stdout, translate_library_words)
    streams.stderr = _Translating(stderr, translate_library_words)
    try:
        yield
    finally:
        streams.stdout, streams.stderr = stdout, stderr

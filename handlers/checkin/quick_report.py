"""Reading a whole month's check-in typed as one message, one line per task.

On Zalo there are no buttons, so a unit head may answer every task in one message::

    1 HT
    2 60% vướng kinh phí
    3 ctk
    I.4: đang thực hiện 70%, KPI 85%
    5 kps

This module turns such text into structured values and problem codes, line by line, so the
check-in flow can show what was understood and ask back what was not. It produces no sentences:
the caller translates the problem codes.

How a line is read (words are compared in lower case without diacritics, NFC or NFD alike):

* **Task reference** first: the list number ("1", "01", "1.", "1)", "1:", "#1", "nv1", "NV 1",
  "nhiệm vụ 1") or the appendix code ("I.4", "i.4", "II.12", "B.1.a"). A bare integer is always
  a list number, never a code, so a code made only of digits cannot be typed as a code; a code
  shared by several tasks is reachable only by its number. "1.HT" and "1ht" read as task 1 and
  "HT" because a status word follows; "1.5" with no such code is an unknown task.
* **Structured part** right after it, in any order, separated by spaces or . , ; : ) - = / |:
  a status word, a "keep last period's answer" word, a percentage (progress), a KPI value
  ("KPI 85%", "kpi: 85", "chỉ tiêu 85%", "đạt 85%", "đạt 3 cơ sở", "3 sáng kiến"). "đạt" and a
  bare count with its unit noun are KPI only for a task with a KPI target; otherwise "đạt 60%"
  is progress. "hoàn thành 60%" means "60% done": in progress at 60 (at 100, done); the
  abbreviation "HT 60%" is a contradiction. A lone percentage means in progress ("0%" too), except
  "100%", which means done. "không có" is a status only when no free text follows it ("2 60%
  không có kinh phí" is a difficulty). A keep word may come with a KPI value and a note, not with a
  status or a percentage. A second percentage or KPI value starts the free text.
* **Free text**: everything from the first word that is none of the above, kept as typed (NFC),
  and read by `quick_notes.py`: labels ("kết quả:", "khó khăn:", "kiến nghị:") name the field,
  a negated difficulty ("ko vướng") is no blocker, an emoji alone is nothing; unlabelled text
  is a difficulty when it names one or when the status is not "done", else a result. Status
  words inside free text are not read ("1 HT, đang làm thủ tục" is one status).

Numbers are read as in the step-by-step check-in (`handlers.text.numbers`): "85,5" and "85.5"
are the same decimal, "1.000" is one thousand, "1,000" is refused where a whole number is
asked. A "-" before a number is a separator, so negative values cannot be typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from itertools import islice
from typing import TypeVar

from handlers.checkin.quick_notes import NoteParts, read_note
from handlers.reporting.statuses import STATUS_SPELLINGS
from handlers.text.abbreviations import Reader, expansions
from handlers.text.numbers import (
    NUMBER_IN_TEXT,
    kpi_count,
    kpi_percent,
    progress_percent,
    read_number,
)
from storage.folding import fold_text, fold_with_origins
from storage.vocabulary import TaskStatus


@dataclass(frozen=True)
class TaskKey:
    """One task as the head was shown it: its list number, appendix code and KPI unit."""

    number: int
    code: str
    kpi_unit: str | None


class LineProblem(StrEnum):
    """Why a line cannot be saved as it stands; the flow asks back with a matching message."""

    UNKNOWN_TASK = "unknown_task"
    NO_TASK = "no_task"
    NO_STATUS = "no_status"
    DUPLICATE_TASK = "duplicate_task"
    PROGRESS_OUT_OF_RANGE = "progress_out_of_range"
    """The progress percentage is not a whole number within 0..100."""
    KPI_OUT_OF_RANGE = "kpi_out_of_range"
    KPI_NOT_A_COUNT = "kpi_not_a_count"
    KPI_WITHOUT_TARGET = "kpi_without_target"
    NOTE_TOO_LONG = "note_too_long"
    CONFLICTING_STATUS = "conflicting_status"
    """Two different statuses, a keep word with a status, or a percentage that contradicts the
    status word ("HT 60%", "CTK 30%")."""


@dataclass(frozen=True)
class QuickLine:
    """What one non-blank line of the message says.

    ``text`` is the line stripped and in NFC. Values that failed validation are None and named
    by a problem; free text is kept whole even when too long. Problems come most fundamental
    first: the task, then the status, then the values, then the note.
    """

    line_number: int
    text: str
    task: TaskKey | None
    status: TaskStatus | None
    keep_previous: bool
    progress_percent: int | None
    kpi_value: Decimal | None
    result: str | None
    difficulties: str | None
    proposals: str | None
    problems: tuple[LineProblem, ...]

    @property
    def understood(self) -> bool:
        """The line can be saved as it stands: a known task, no problem, and an answer."""
        return (
            self.task is not None
            and not self.problems
            and (self.status is not None or self.keep_previous)
        )


@dataclass(frozen=True)
class QuickReport:
    """The non-blank lines of a one-message report, in message order."""

    lines: tuple[QuickLine, ...]

    @property
    def all_understood(self) -> bool:
        """At least one line, and every line can be saved as it stands."""
        return bool(self.lines) and all(line.understood for line in self.lines)


# "không có" is also how a difficulty starts ("60% không có kinh phí"): it is a status only
# when no free text follows it.
_STATUS_SPELLINGS_BEFORE_PAUSE = frozenset({"không có"})

# "hoàn thành 60%" is Vietnamese for "60% done": in progress at 60 (at 100, done). The
# abbreviation "HT 60%" stays a contradiction, asked back.
_COMPLETED_SHARE_WORDS = ("hoàn thành", "đã hoàn thành")

_KEEP_SPELLINGS = (
    "giữ",
    "giữ nguyên",
    "giữ như kỳ trước",
    "như kỳ trước",
    "như tháng trước",
    "như cũ",
    "NKT",
)

_PROGRESS_CUES = ("tiến độ",)
# "đạt" reads as a KPI cue for a task with a KPI target, as a progress cue otherwise.
_REACHED_CUE = "đạt"
_KPI_CUES = ("KPI", "chỉ tiêu")
_PERCENT_WORDS = ("phần trăm",)

# Teencode a head may type ("ko", "dc"), as folded tokens, and the words spelled out.
_TEENCODE = {
    fold_text(short): fold_text(words) for short, words in expansions(Reader.CHECKIN).items()
}

_SEPARATORS = frozenset(".,;:)-–—=/|")
_TRAILING_SEPARATORS = ",;:-–—=/| \t"
_TOKEN = re.compile(rf"{NUMBER_IN_TEXT}|[^\W\d_]+|\S")
_NUMBER = re.compile(NUMBER_IN_TEXT)
_BULLET = re.compile(r"[\s\-–—•·*+>]*")
_REFERENCE_PREFIX = re.compile(r"(?:#|nv\.?|nhiem\s*vu)\s*")
_REFERENCE = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")
_DIGITS = re.compile(r"[0-9]+")
_LONGEST_TASK_NUMBER = 9
_DEFAULT_MAX_NOTE_CHARS = 2000

_Value = TypeVar("_Value")


@dataclass(frozen=True)
class _Token:
    text: str
    start: int


def _tokens(folded: str, start: int, limit: int | None = None) -> list[_Token]:
    """Words, numbers and single punctuation marks of ``folded`` from ``start``, teencode read."""
    matches = islice(_TOKEN.finditer(folded, start), limit)
    return [_Token(_TEENCODE.get(m.group(), m.group()), m.start()) for m in matches]


def _phrase(spelling: str) -> tuple[str, ...]:
    return tuple(token.text for token in _tokens(fold_text(spelling), 0))


_PhraseTable = dict[str, list[tuple[tuple[str, ...], _Value]]]


def _phrase_table(entries: Sequence[tuple[str, _Value]]) -> _PhraseTable[_Value]:
    """Phrases as folded token tuples by first word, longest first so "giữ nguyên" wins over
    "giữ"."""
    table: _PhraseTable[_Value] = {}
    for spelling, value in entries:
        words = _phrase(spelling)
        if words:
            table.setdefault(words[0], []).append((words, value))
    for phrases in table.values():
        phrases.sort(key=lambda entry: -len(entry[0]))
    return table


def _match(
    tokens: Sequence[_Token], index: int, table: _PhraseTable[_Value]
) -> tuple[_Value, int] | None:
    """The value of the longest phrase of ``table`` starting at ``tokens[index]``, and its end."""
    if index >= len(tokens):
        return None
    for words, value in table.get(tokens[index].text, ()):
        end = index + len(words)
        if end <= len(tokens) and all(
            token.text == word for token, word in zip(tokens[index:end], words, strict=True)
        ):
            return value, end
    return None


_STATUS_TABLE = _phrase_table(
    [
        (spelling, (status, spelling in _STATUS_SPELLINGS_BEFORE_PAUSE))
        for status, spellings in STATUS_SPELLINGS.items()
        for spelling in spellings
    ]
)
_COMPLETED_SHARE_TABLE = _phrase_table([(words, True) for words in _COMPLETED_SHARE_WORDS])
_KEEP_TABLE = _phrase_table([(spelling, True) for spelling in _KEEP_SPELLINGS])
_PROGRESS_CUE_TABLE = _phrase_table([(cue, True) for cue in _PROGRESS_CUES])
_REACHED_TABLE = _phrase_table([(_REACHED_CUE, True)])
_KPI_CUE_TABLE = _phrase_table([(cue, True) for cue in _KPI_CUES])
_PERCENT_TABLE = _phrase_table([("%", True)] + [(word, True) for word in _PERCENT_WORDS])


def _pause_at(tokens: Sequence[_Token], index: int) -> bool:
    """The end, a separator, a number or a cue word: no free text starts at ``tokens[index]``."""
    return (
        index >= len(tokens)
        or tokens[index].text in _SEPARATORS
        or _NUMBER.fullmatch(tokens[index].text) is not None
        or any(
            _match(tokens, index, table) is not None
            for table in (_KPI_CUE_TABLE, _PROGRESS_CUE_TABLE, _REACHED_TABLE, _KEEP_TABLE)
        )
    )


def _status_at(tokens: Sequence[_Token], index: int) -> tuple[TaskStatus, int] | None:
    """The status word at ``tokens[index]``, honouring the words valid only before a pause."""
    found = _match(tokens, index, _STATUS_TABLE)
    if found is None:
        return None
    (status, before_pause), end = found
    if before_pause and not (_pause_at(tokens, end) or _status_at(tokens, end)):
        return None
    return status, end


def _answer_follows(folded: str, position: int) -> bool:
    """A status or keep word starts at ``position`` (after an optional dot): "1.HT", "1ht"."""
    if folded.startswith(".", position):
        position += 1
    tokens = _tokens(folded, position, limit=8)
    return bool(tokens) and (
        _status_at(tokens, 0) is not None or _match(tokens, 0, _KEEP_TABLE) is not None
    )


def _code_key(code: str) -> str:
    return re.sub(r"\s+", "", fold_text(code)).strip(".")


class _TaskIndex:
    """The head's tasks by list number and by folded appendix code."""

    def __init__(self, tasks: Sequence[TaskKey]) -> None:
        self.by_number: dict[int, TaskKey] = {}
        codes: dict[str, list[TaskKey]] = {}
        for task in tasks:
            if task.number in self.by_number:
                raise ValueError(f"two tasks numbered {task.number}")
            self.by_number[task.number] = task
            key = _code_key(task.code)
            if key and not _DIGITS.fullmatch(key):
                codes.setdefault(key, []).append(task)
        self.by_code = {key: found[0] for key, found in codes.items() if len(found) == 1}
        self.longest_reference = max([_LONGEST_TASK_NUMBER, *map(len, self.by_code)])

    def lookup(self, reference: str) -> TaskKey | None:
        if _DIGITS.fullmatch(reference):
            if len(reference) > _LONGEST_TASK_NUMBER:
                return None
            return self.by_number.get(int(reference))
        return self.by_code.get(reference)


@dataclass(frozen=True)
class _Reference:
    task: TaskKey | None
    problem: LineProblem | None
    end: int


def _cuts(reference: str) -> list[int]:
    """Where a reference token may end: whole, or before a dot or a letter after a digit."""
    inner = [
        index
        for index in range(len(reference) - 1, 0, -1)
        if reference[index] == "."
        or (reference[index - 1].isdigit() and reference[index].isalpha())
    ]
    return [len(reference), *inner]


def _read_reference(folded: str, start: int, index: _TaskIndex) -> _Reference:
    """The task named at ``start`` of the folded line, or why there is none."""
    position = _REFERENCE_PREFIX.match(folded, start)
    at = position.end() if position else start
    token = _REFERENCE.match(folded, at)
    if token is None:
        return _Reference(None, LineProblem.NO_TASK, start)
    reference = token.group()
    for cut in _cuts(reference):
        if cut > index.longest_reference:
            continue
        task = index.lookup(reference[:cut])
        if task is not None and (cut == len(reference) or _answer_follows(folded, at + cut)):
            return _Reference(task, None, at + cut)
    if any(char.isdigit() or char == "." for char in reference):
        return _Reference(None, LineProblem.UNKNOWN_TASK, token.end())
    return _Reference(None, LineProblem.NO_TASK, start)


@dataclass
class _Structure:
    """The structured part of a line as read, before validation."""

    statuses: set[TaskStatus] = field(default_factory=set)
    keep: bool = False
    percent: str | None = None
    kpi: str | None = None
    """The KPI number as typed, with "%" after it when a percent sign or word followed it."""
    free_start: int | None = None

    @property
    def answers(self) -> bool:
        """A status, keep word or percentage was typed: the line reads as a report line."""
        return bool(self.statuses) or self.keep or self.percent is not None


@lru_cache(maxsize=256)
def _unit_table(unit: str) -> _PhraseTable[bool]:
    return _phrase_table([(unit, True)])


def _percent_at(tokens: Sequence[_Token], index: int) -> tuple[str, int] | None:
    """A number followed by "%" (or "phần trăm") at ``tokens[index]``: its text and end."""
    if index >= len(tokens) or not _NUMBER.fullmatch(tokens[index].text):
        return None
    sign = _match(tokens, index + 1, _PERCENT_TABLE)
    return (tokens[index].text, sign[1]) if sign else None


class _StructureReader:
    """Reads the structured part of one line, item by item, until free text begins."""

    def __init__(self, tokens: Sequence[_Token], task: TaskKey | None) -> None:
        self.tokens = tokens
        self.kpi_allowed = task is not None and task.kpi_unit is not None
        count_unit = task.kpi_unit if task is not None and task.kpi_unit != "%" else None
        self.count_unit = _unit_table(count_unit) if count_unit else {}
        self.structure = _Structure()

    def read(self) -> _Structure:
        index = 0
        readers = (
            self._keep,
            self._status,
            self._progress_cue,
            self._kpi_cue,
            self._percentage,
            self._count,
        )
        while index < len(self.tokens):
            if self.tokens[index].text in _SEPARATORS:
                index += 1
                continue
            for reader in readers:
                end = reader(index)
                if end is not None:
                    index = end
                    break
            else:
                self.structure.free_start = self.tokens[index].start
                break
        return self.structure

    def _keep(self, index: int) -> int | None:
        found = _match(self.tokens, index, _KEEP_TABLE)
        if found is None:
            return None
        self.structure.keep = True
        return found[1]

    def _status(self, index: int) -> int | None:
        share = _match(self.tokens, index, _COMPLETED_SHARE_TABLE)
        if share is not None and self.structure.percent is None:
            completed = _percent_at(self.tokens, share[1])
            if completed is not None:
                return self._record_percent(completed)
        found = _status_at(self.tokens, index)
        if found is None:
            return None
        self.structure.statuses.add(found[0])
        return found[1]

    def _progress_cue(self, index: int) -> int | None:
        """ "tiến độ 70" (the "%" optional) or, for a task without KPI target, "đạt 70%"."""
        if self.structure.percent is not None:
            return None
        found = _match(self.tokens, index, _PROGRESS_CUE_TABLE)
        if found is not None:
            end = self._skip_separators(found[1])
            if end < len(self.tokens) and _NUMBER.fullmatch(self.tokens[end].text):
                return self._record_percent(
                    _percent_at(self.tokens, end) or (self.tokens[end].text, end + 1)
                )
            return None
        reached = None if self.kpi_allowed else _match(self.tokens, index, _REACHED_TABLE)
        if reached is None:
            return None
        completed = _percent_at(self.tokens, self._skip_separators(reached[1]))
        return self._record_percent(completed) if completed else None

    def _kpi_cue(self, index: int) -> int | None:
        if self.structure.kpi is not None:
            return None
        cues = _KPI_CUE_TABLE | (_REACHED_TABLE if self.kpi_allowed else {})
        end, cued = index, False
        while (found := _match(self.tokens, end, cues)) is not None:
            end, cued = self._skip_separators(found[1]), True
        if not cued or end >= len(self.tokens) or not _NUMBER.fullmatch(self.tokens[end].text):
            return None
        return self._record_kpi(end)

    def _percentage(self, index: int) -> int | None:
        found = _percent_at(self.tokens, index)
        if found is None or self.structure.percent is not None:
            return None
        return self._record_percent(found)

    def _count(self, index: int) -> int | None:
        if self.structure.kpi is not None or not self.count_unit:
            return None
        if not _NUMBER.fullmatch(self.tokens[index].text):
            return None
        if _match(self.tokens, index + 1, self.count_unit) is None:
            return None
        return self._record_kpi(index)

    def _record_percent(self, found: tuple[str, int]) -> int:
        self.structure.percent = found[0]
        return found[1]

    def _record_kpi(self, index: int) -> int:
        """Takes the KPI number at ``index`` and the "%" or unit noun after it."""
        self.structure.kpi = self.tokens[index].text
        end = index + 1
        sign = _match(self.tokens, end, _PERCENT_TABLE)
        if sign is not None:
            self.structure.kpi += "%"
            return sign[1]
        unit = _match(self.tokens, end, self.count_unit)
        return unit[1] if unit else end

    def _skip_separators(self, index: int) -> int:
        while index < len(self.tokens) and self.tokens[index].text in _SEPARATORS:
            index += 1
        return index


def _progress(number: str) -> int | None:
    typed = read_number(number)
    return progress_percent(typed) if typed is not None else None


def _kpi_value(
    structure: _Structure, task: TaskKey | None
) -> tuple[Decimal | None, LineProblem | None]:
    """The validated KPI value for ``task``; an unknown task keeps the number as typed."""
    if structure.kpi is None:
        return None, None
    number = read_number(structure.kpi)
    if task is None:
        return (number.value if number is not None else None), None
    if task.kpi_unit is None:
        return None, LineProblem.KPI_WITHOUT_TARGET
    in_percent = task.kpi_unit == "%"
    bound = kpi_percent if in_percent else kpi_count
    value = bound(number) if number is not None else None
    if value is None:
        return None, LineProblem.KPI_OUT_OF_RANGE if in_percent else LineProblem.KPI_NOT_A_COUNT
    return value, None


@dataclass(frozen=True)
class _Answer:
    status: TaskStatus | None
    keep: bool
    progress: int | None
    problems: tuple[LineProblem, ...]


def _answer(structure: _Structure) -> _Answer:
    """Status, keep and progress from the words and the percentage, or why they conflict."""
    conflict = _Answer(None, False, None, (LineProblem.CONFLICTING_STATUS,))
    statuses = structure.statuses
    if len(statuses) > 1 or (structure.keep and (statuses or structure.percent is not None)):
        return conflict
    status = next(iter(statuses), None)
    if structure.keep:
        return _Answer(None, True, None, ())
    if structure.percent is None:
        problems = () if status is not None else (LineProblem.NO_STATUS,)
        return _Answer(status, False, None, problems)
    progress = _progress(structure.percent)
    if progress is None:
        return _Answer(status, False, None, (LineProblem.PROGRESS_OUT_OF_RANGE,))
    if status is None:
        if progress == 100:
            return _Answer(TaskStatus.DONE, False, None, ())
        return _Answer(TaskStatus.IN_PROGRESS, False, progress, ())
    if status is TaskStatus.IN_PROGRESS:
        return _Answer(status, False, progress, ())
    consistent = {TaskStatus.DONE: 100, TaskStatus.NOT_STARTED: 0}.get(status)
    return _Answer(status, False, None, ()) if progress == consistent else conflict


@dataclass(frozen=True)
class _ReadLine:
    line: QuickLine
    answers: bool


def _read_line(
    line_number: int,
    typed: str,
    index: _TaskIndex,
    seen: set[int],
    max_note_chars: int,
) -> _ReadLine:
    text = unicodedata.normalize("NFC", typed).strip()
    folded, origins = fold_with_origins(text)
    bullet = _BULLET.match(folded)
    reference = _read_reference(folded, bullet.end() if bullet else 0, index)
    task = reference.task
    structure = _StructureReader(_tokens(folded, reference.end), task).read()
    answer = _answer(structure)
    kpi_value, kpi_problem = _kpi_value(structure, task)

    note = None
    if structure.free_start is not None:
        note = text[origins[structure.free_start] :].rstrip(_TRAILING_SEPARATORS) or None
    parts = read_note(note, done=answer.status is TaskStatus.DONE) if note else NoteParts()

    problems: list[LineProblem] = []
    if reference.problem is not None:
        problems.append(reference.problem)
    if task is not None:
        if task.number in seen:
            problems.append(LineProblem.DUPLICATE_TASK)
        seen.add(task.number)
    problems.extend(answer.problems)
    if kpi_problem is not None:
        problems.append(kpi_problem)
    if note is not None and len(note) > max_note_chars:
        problems.append(LineProblem.NOTE_TOO_LONG)

    line = QuickLine(
        line_number=line_number,
        text=text,
        task=task,
        status=answer.status,
        keep_previous=answer.keep,
        progress_percent=answer.progress,
        kpi_value=kpi_value,
        result=parts.result,
        difficulties=parts.difficulties,
        proposals=parts.proposals,
        problems=tuple(problems),
    )
    return _ReadLine(line, task is not None and structure.answers)


def _read_lines(text: str, tasks: Sequence[TaskKey], max_note_chars: int) -> Iterator[_ReadLine]:
    """The non-blank lines read one by one, so a caller may stop at the first it needs."""
    index = _TaskIndex(tasks)
    seen: set[int] = set()
    for number, typed in enumerate(text.splitlines(), start=1):
        if typed.strip():
            yield _read_line(number, typed, index, seen, max_note_chars)


def parse_quick_report(
    text: str, tasks: Sequence[TaskKey], *, max_note_chars: int = _DEFAULT_MAX_NOTE_CHARS
) -> QuickReport:
    """Reads a one-message report against the head's task list, line by line.

    Blank lines are skipped but counted in ``line_number``. Never raises on any text; raises
    ValueError when two tasks share a list number.
    """
    return QuickReport(tuple(read.line for read in _read_lines(text, tasks, max_note_chars)))


def status_word(text: str) -> TaskStatus | None:
    """The status a whole message names ("HT", "đang thực hiện", "kps."), read as a
    one-message report reads it, or None: what a head types at the status question on a
    messenger without buttons."""
    tokens = _tokens(fold_text(text), 0, limit=8)
    while tokens and tokens[-1].text in _SEPARATORS | {"!", "?"}:
        tokens.pop()
    found = _match(tokens, 0, _STATUS_TABLE)
    if found is None:
        return None
    (status, _before_pause), end = found
    return status if end == len(tokens) else None


def looks_like_quick_report(text: str, tasks: Sequence[TaskKey]) -> bool:
    """Some line starts with a known task followed by a status, keep word or percentage.

    Tells a one-message report from other text a head may send (a question, a greeting).
    """
    return any(read.answers for read in _read_lines(text, tasks, _DEFAULT_MAX_NOTE_CHARS))

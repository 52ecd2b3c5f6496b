"""What the free text of a one-message report line says: a result, difficulties, proposals.

The note is what follows a line's structured part ("5 HT, đã bàn giao phần mềm"). It is read
so that nothing the head did not mean is saved:

* A label before a colon names the field: "kết quả: …", "khó khăn: …", "kiến nghị: …" (and
  their short and combined forms). The label itself is not kept: the report prints its own.
* A negated difficulty ("ko vướng", "không có khó khăn, vướng mắc gì") says there is none: it
  is neither a blocker nor a result, and is dropped from the text kept.
* Text with no letter or digit (an emoji, "!!!") says nothing and is not kept.
* Unlabelled text is a difficulty when it names one (`_DIFFICULTY_CUES`) or when the task is
  not done and no negated difficulty was typed; otherwise it is a result.

Words are compared folded (`storage/folding.py`); the kept text is the head's, as typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from handlers.checkin.answers import meaningful
from handlers.text.abbreviations import Reader, expansions
from storage.folding import fold_text, fold_with_origins


class NoteField(StrEnum):
    RESULT = "result"
    DIFFICULTIES = "difficulties"
    PROPOSALS = "proposals"


@dataclass(frozen=True)
class NoteParts:
    """The note's text for each field, as typed; None where it says nothing for that field."""

    result: str | None = None
    difficulties: str | None = None
    proposals: str | None = None


# Labels a head writes before a colon, longest first within a field so that "khó khăn, vướng
# mắc:" is one label. Spelled with diacritics; matched folded.
_LABELS: dict[NoteField, tuple[str, ...]] = {
    NoteField.RESULT: (
        "kết quả, sản phẩm",
        "kết quả đạt được",
        "sản phẩm đầu ra",
        "kết quả",
        "sản phẩm",
        "kq",
    ),
    NoteField.DIFFICULTIES: (
        "khó khăn, vướng mắc",
        "khó khăn vướng mắc",
        "khó khăn/vướng mắc",
        "khó khăn",
        "vướng mắc",
        "vướng",
        "kk",
    ),
    NoteField.PROPOSALS: (
        "kiến nghị, đề xuất",
        "kiến nghị đề xuất",
        "kiến nghị/đề xuất",
        "kiến nghị",
        "đề xuất",
        "đề nghị",
        "kn",
    ),
}

# Difficulty cues, spelled with diacritics. A typed word matches a cue word when it is the same
# word, or the same letters with no diacritic typed at all ("vuong" for "vướng").
_DIFFICULTY_CUES = (
    "vướng",
    "vướng mắc",
    "khó khăn",
    "gặp khó",
    "chưa có",
    "chưa được",
    "chưa bố trí",
    "chưa phân bổ",
    "không có",
    "không đủ",
    "kinh phí",
    "hạn chế",
    "bất cập",
    # "gặp sự cố" is a difficulty; "ứng cứu sự cố" (incident response) is work done.
    "gặp sự cố",
    "bị sự cố",
    "thiếu nhân lực",
    "thiếu người",
    "thiếu thiết bị",
    "chậm tiến độ",
)
# Single-word cues whose letters without diacritics are everyday words with another meaning
# (chờ/cho, thiếu/tối thiểu, chậm/chăm, trễ/trẻ, do/độ): they count only when typed with their
# diacritics in a note that has diacritics, the sign that the head writes with them.
_DIFFICULTY_CUES_NEEDING_MARKS = ("thiếu", "chậm", "chờ", "do", "trễ", "lỗi", "hỏng")

# "không vướng", "ko có khó khăn, vướng mắc gì", "chưa gặp trở ngại": folded, on word bounds.
_NEGATION = r"(?:khong|ko|k|kg|khg|kh|chang|cha|chua)"
_TROUBLE = r"(?:kho\s*khan|vuong\s*mac|vuong|tro\s*ngai|han\s*che|bat\s*cap|su\s*co|van\s*de)"
_NEGATED_DIFFICULTY = re.compile(
    rf"\b{_NEGATION}(?:\s+(?:co|gap|bi|phat\s*sinh|thay))?(?:\s+gi)?\s+{_TROUBLE}"
    rf"(?:\s*(?:,|/|va|hay|hoac)?\s*{_TROUBLE})*(?:\s+gi)?(?:\s+(?:ca|het))?\b"
)
# What a whole field says when it says there is nothing: "khó khăn: không".
_NOTHING = frozenset({"khong", "ko", "k", "khong co", "ko co", "chua co", "khong co gi", "0"})

_TEENCODE = {fold_text(short): words for short, words in expansions(Reader.CHECKIN).items()}
_WORD = re.compile(r"[^\W\d_]+")
_EDGES = " \t,;:.-–—=/|+"


def _spaced(label: str) -> str:
    """The folded label as a pattern that allows any spacing between its words."""
    return r"\s*".join(re.escape(word) for word in label.split())


def _label_pattern() -> re.Pattern[str]:
    spellings = sorted(
        ((fold_text(label), field) for field, labels in _LABELS.items() for label in labels),
        key=lambda entry: -len(entry[0]),
    )
    alternatives = "|".join(
        f"(?P<{field}_{number}>{_spaced(label)})" for number, (label, field) in enumerate(spellings)
    )
    return re.compile(rf"(?:^|(?<=[\s,;.|(]))(?:{alternatives})\s*:")


_LABEL = _label_pattern()


def _field_of(match: re.Match[str]) -> NoteField:
    assert match.lastgroup is not None
    return NoteField(match.lastgroup.rsplit("_", 1)[0])


def _without_negations(text: str) -> tuple[str, bool]:
    """The text with its negated difficulties cut out, and whether there were any."""
    folded, origins = fold_with_origins(text)
    pieces: list[str] = []
    at = 0
    found = False
    for match in _NEGATED_DIFFICULTY.finditer(folded):
        found = True
        pieces.append(text[at : origins[match.start()]])
        at = origins[match.end()]
    pieces.append(text[at:])
    kept = [piece.strip(_EDGES) for piece in pieces]
    return ", ".join(piece for piece in kept if piece), found


def _typed_words(note: str) -> list[tuple[str, str | None]]:
    """The note's words in lower case as typed, teencode ("ko", "dc") spelled out, each with
    its letters when typed without any diacritic (else None)."""
    words: list[tuple[str, str | None]] = []
    for typed in _WORD.findall(note.lower()):
        plain = fold_text(typed)
        spelled_out = _TEENCODE.get(plain)
        if spelled_out is not None:
            words.append((spelled_out, fold_text(spelled_out)))
        else:
            words.append((typed, plain if plain == typed else None))
    return words


_CUE_PHRASES = [
    tuple((word, fold_text(word)) for word in _WORD.findall(cue)) for cue in _DIFFICULTY_CUES
]
_CUE_WORDS_NEEDING_MARKS = frozenset(_DIFFICULTY_CUES_NEEDING_MARKS)


def _contains_phrase(
    words: Sequence[tuple[str, str | None]], phrase: Sequence[tuple[str, str]]
) -> bool:
    """Each cue word is typed as itself or, with no diacritic at all, as its bare letters."""
    return any(
        all(
            typed == cue or plain == bare
            for (typed, plain), (cue, bare) in zip(words[start:], phrase, strict=False)
        )
        for start in range(len(words) - len(phrase) + 1)
    )


def mentions_difficulty(note: str) -> bool:
    """The note names a difficulty ("vướng kinh phí", "thieu nhan luc", "chờ ý kiến")."""
    words = _typed_words(note)
    typed_with_marks = any(plain is None for _, plain in words)
    if typed_with_marks and not _CUE_WORDS_NEEDING_MARKS.isdisjoint(typed for typed, _ in words):
        return True
    return any(_contains_phrase(words, phrase) for phrase in _CUE_PHRASES)


def _unlabelled(text: str, done: bool) -> tuple[NoteField, str] | None:
    kept, negated = _without_negations(text)
    if not meaningful(kept):
        return None
    if mentions_difficulty(kept) or (not done and not negated):
        return NoteField.DIFFICULTIES, kept if negated else text
    return NoteField.RESULT, kept if negated else text


def _labelled(field: NoteField, text: str) -> str | None:
    if field is NoteField.DIFFICULTIES:
        text, _negated = _without_negations(text)
    if not meaningful(text) or fold_text(text).strip(_EDGES) in _NOTHING:
        return None
    return text


def read_note(note: str, *, done: bool) -> NoteParts:
    """What ``note`` says for each field of a task's answer (see the module)."""
    folded = fold_text(note)
    labels = list(_LABEL.finditer(folded))
    _, origins = fold_with_origins(note)
    found: dict[NoteField, list[str]] = {}

    def keep(field: NoteField, text: str) -> None:
        found.setdefault(field, []).append(text)

    head = note[: origins[labels[0].start()]] if labels else note
    first = _unlabelled(head.strip(_EDGES), done)
    if first is not None:
        keep(*first)
    for number, label in enumerate(labels):
        end = origins[labels[number + 1].start()] if number + 1 < len(labels) else len(note)
        field = _field_of(label)
        text = _labelled(field, note[origins[label.end()] : end].strip(_EDGES))
        if text is not None:
            keep(field, text)
    joined = {field: "; ".join(texts) for field, texts in found.items()}
    return NoteParts(
        joined.get(NoteField.RESULT),
        joined.get(NoteField.DIFFICULTIES),
        joined.get(NoteField.PROPOSALS),
    )

"""Scoring the citizens' questions (`citizen_questions.csv`) on the replies a citizen reads.

A row is answerable (`expect=answer`, with the facts a correct reply must contain) or
off topic (`expect=handoff`). `facts` is folded text: `;` joins facts that must all appear,
`|` separates the ways one fact may be written. A fact counts only within the reply's first
300 characters, and a reply over 1,200 characters fails.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from handlers.citizen import REPLY_LIMIT, answer_replies
from handlers.events import ChoicesReply, TextReply
from handlers.guidance import GuidanceAnswer, GuidanceEngine, Outcome
from storage.folding import fold_text

QUESTIONS = Path(__file__).with_name("citizen_questions.csv")
# More tuning questions, written later from public pages the same way; every row is tuning.
SECOND_QUESTIONS = Path(__file__).with_name("citizen_questions_second.csv")
# A third set, written independently from public pages after the second round; all tuning.
THIRD_QUESTIONS = Path(__file__).with_name("citizen_questions_third.csv")
# A fourth set, written independently from public pages during the tune2 round: mostly
# English, and specific VNeID, residence and ID-card facts; all tuning.
FOURTH_QUESTIONS = Path(__file__).with_name("citizen_questions_fourth.csv")
LEAD_CHARS = 300


def read_file(path: Path, split: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["split"] == split]


def read_questions(split: str) -> list[dict[str, str]]:
    """The rows of one split; the tuning split includes the second to fourth files' rows."""
    rows = read_file(QUESTIONS, split)
    if split == "tuning":
        for path in (SECOND_QUESTIONS, THIRD_QUESTIONS, FOURTH_QUESTIONS):
            if path.exists():
                rows += read_file(path, "tuning")
    return rows


def reply_text(engine: GuidanceEngine, question: str) -> tuple[GuidanceAnswer, str]:
    """The engine's decision and the text the citizen reads, messages joined."""
    answer = engine.answer(question)
    replies = answer_replies(answer, engine.library.contacts)
    text = "\n\n".join(
        reply.numbered_text() if isinstance(reply, ChoicesReply) else reply.text
        for reply in replies
        if isinstance(reply, ChoicesReply | TextReply)
    )
    return answer, text


def has_facts(facts: str, text: str) -> bool:
    """Each fact, in one of its ways, as whole words in the reply's lead: "14" is not found in
    "2014", nor "8" in "18"."""
    lead = " ".join(fold_text(text[:LEAD_CHARS].lower()).split())
    return all(
        any(_whole_words(" ".join(way.split())).search(lead) for way in fact.split("|"))
        for fact in facts.split(";")
        if fact.strip()
    )


def _whole_words(way: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9a-z]){re.escape(way)}(?![0-9a-z])")


@dataclass
class Result:
    kinds: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    @property
    def answerable(self) -> int:
        return sum(n for kind, n in self.kinds.items() if not kind.startswith("off-topic"))

    @property
    def correct(self) -> float:
        return self.kinds["correct"] / self.answerable

    @property
    def off_topic_handed_over(self) -> float:
        total = self.kinds["off-topic handed over"] + self.kinds["off-topic answered"]
        return self.kinds["off-topic handed over"] / total

    def report(self, label: str) -> str:
        lines = [f"{label}: {self.correct:.1%} of {self.answerable} answerable questions correct"]
        lines.append(f"{label}: {self.off_topic_handed_over:.1%} of off-topic handed over")
        lines += [f"  {kind}: {count}" for kind, count in sorted(self.kinds.items())]
        return "\n".join(lines)


def evaluate(engine: GuidanceEngine, rows: list[dict[str, str]]) -> Result:
    """Correct: answered, within the length limit, with every fact in the first 300 characters.
    Otherwise the kind of miss: handed over, offered choices, too long, or answered without
    the fact (the wrong guide or entry)."""
    result = Result()
    for row in rows:
        answer, text = reply_text(engine, row["question"])
        if row["expect"] == "handoff":
            kind = (
                "off-topic handed over"
                if answer.outcome is Outcome.HANDOFF
                else "off-topic answered"
            )
        elif answer.outcome is Outcome.HANDOFF:
            kind = "handed over"
        elif answer.outcome is Outcome.CHOICES:
            kind = "offered choices"
        elif len(text) > REPLY_LIMIT:
            kind = "too long"
        elif has_facts(row["facts"], text):
            kind = "correct"
        else:
            kind = "answered without the fact"
        result.kinds[kind] += 1
        if kind not in ("correct", "off-topic handed over"):
            shown = answer.guide_id or ",".join(topic.key for topic in answer.choices)
            entry = f"#{answer.entry_id}" if answer.entry_id else ""
            result.misses.append(
                f"[{row['topic']}] {row['question']!r}: {kind} ({shown}{entry}); needs {row['facts']}"
            )
    return result

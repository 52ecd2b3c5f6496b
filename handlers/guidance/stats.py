"""Period figures on citizens' questions for the monthly digest.

Community digital support is itself a plan KPI, so the digest shows how many questions
came in, how many the bot answered, how many went to a person, and which unanswered
questions came back most often (so the ward can write the missing guide). Questions older than
the retention time are deleted (handlers/guidance/retention.py) and their counts kept per day,
so a period's figures stay the same; only the wording of its unanswered questions goes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from handlers.guidance.model import Outcome
from handlers.guidance.normalize import words
from storage.folding import fold_text
from storage.repositories.questions import QuestionCounts, QuestionLog


@dataclass(frozen=True)
class QuestionStats:
    """Counts of one period; `top_unanswered` pairs a question as first asked with its count."""

    total: int
    answered: int
    offered_choices: int
    handed_over: int
    top_unanswered: tuple[tuple[str, int], ...]


def summarize_questions(
    records: Iterable[tuple[str, Outcome | str]],
    top: int = 10,
    kept: QuestionCounts = QuestionCounts(),  # noqa: B008  (a tuple: immutable)
) -> QuestionStats:
    """Summarise (masked question, outcome) records of a period, with the counts `kept` of
    its questions already deleted.

    Handed-over questions are grouped regardless of case, diacritics and punctuation, so
    "quen mat khau?" and "Quên mật khẩu" count as one.
    """
    outcomes: Counter[Outcome] = Counter()
    unanswered: Counter[str] = Counter()
    first_wording: dict[str, str] = {}
    for question, outcome in records:
        if not words(question):
            # An empty message or an emoji alone asks nothing: neither answered nor handed over.
            continue
        kind = Outcome(outcome)
        outcomes[kind] += 1
        if kind is Outcome.HANDOFF:
            key = " ".join(fold_text(word) for word in words(question))
            first_wording.setdefault(key, question.strip())
            unanswered[key] += 1
    return QuestionStats(
        total=sum(outcomes.values()) + sum(kept),
        answered=outcomes[Outcome.ANSWER] + kept.answered,
        offered_choices=outcomes[Outcome.CHOICES] + kept.offered_choices,
        handed_over=outcomes[Outcome.HANDOFF] + kept.handed_over,
        top_unanswered=tuple(
            (first_wording[key], count) for key, count in unanswered.most_common(top)
        ),
    )


def counted(records: Iterable[tuple[str, Outcome | str]]) -> QuestionCounts:
    """What the figures count of these records, to keep when they are deleted."""
    stats = summarize_questions(records, top=0)
    return QuestionCounts(stats.answered, stats.offered_choices, stats.handed_over)


async def period_questions(
    questions: QuestionLog, ward_id: int, zone: ZoneInfo, first_day: date, end_day: date
) -> QuestionStats:
    """The figures of a ward's days [first_day, end_day) in its own calendar: the questions
    still stored, and the counts kept of those deleted."""
    asked = await questions.between(
        ward_id, datetime.combine(first_day, time(), zone), datetime.combine(end_day, time(), zone)
    )
    return summarize_questions(
        ((q.masked_text, q.outcome) for q in asked),
        kept=await questions.counts_between(ward_id, first_day, end_day),
    )

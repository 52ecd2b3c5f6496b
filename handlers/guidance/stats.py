"""Period figures on citizens' questions for the monthly digest.

Community digital support is itself a plan KPI, so the digest shows how many questions
came in, how many the bot answered, how many went to a person, and which unanswered
questions came back most often (so the ward can write the missing guide).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from handlers.guidance.model import Outcome
from handlers.guidance.normalize import words
from storage.folding import fold_text


@dataclass(frozen=True)
class QuestionStats:
    """Counts of one period; `top_unanswered` pairs a question as first asked with its count."""

    total: int
    answered: int
    offered_choices: int
    handed_over: int
    top_unanswered: tuple[tuple[str, int], ...]


def summarize_questions(
    records: Iterable[tuple[str, Outcome | str]], top: int = 10
) -> QuestionStats:
    """Summarise (masked question, outcome) records of a period.

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
        total=sum(outcomes.values()),
        answered=outcomes[Outcome.ANSWER],
        offered_choices=outcomes[Outcome.CHOICES],
        handed_over=outcomes[Outcome.HANDOFF],
        top_unanswered=tuple(
            (first_wording[key], count) for key, count in unanswered.most_common(top)
        ),
    )

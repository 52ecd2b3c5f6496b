"""The decision for one citizen question: answer with a guide, offer choices, or hand over.

The engine only ever returns guides from the library; it never writes text of its own,
so no phone number, address or link can appear that is not in a guide or the ward's
configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.guidance.library import GuideLibrary
from handlers.guidance.model import GuidanceAnswer, Guide, HandoffReason, Outcome
from handlers.guidance.normalize import normalize
from handlers.guidance.privacy import mask_personal_data
from handlers.guidance.ranking import GuideRanker, Match
from handlers.guidance.screening import (
    asks_for_personal_data,
    detect_language,
    is_empty,
    is_foreign_script,
    is_too_long,
    looks_like_prompt_injection,
    mentions_scam_signal,
)

SCAM_GUIDE_ID = "police-never-ask"


@dataclass(frozen=True)
class Thresholds:
    """Tuning of the answer/choices/handoff decision, calibrated on the evaluation set.

    `confidence` = `coverage_weight` x coverage + (1 - coverage_weight) x example similarity;
    a guide below `answer` is never offered. Candidates are ordered by relevance, the mean of
    confidence and BM25 relative to the best BM25 score. A runner-up whose relevance is at
    least `close_ratio` of the best one's makes the outcome a choice.
    """

    answer: float = 0.5
    close_ratio: float = 0.9
    coverage_weight: float = 0.65
    max_choices: int = 3


@dataclass(frozen=True)
class _Candidate:
    match: Match
    confidence: float
    relevance: float


class GuidanceEngine:
    """Answers citizens' questions from a `GuideLibrary`."""

    def __init__(self, library: GuideLibrary, thresholds: Thresholds | None = None) -> None:
        self.library = library
        self.thresholds = thresholds or Thresholds()
        self._ranker = GuideRanker(library)

    def answer(self, question: str, locale: str = "vi") -> GuidanceAnswer:
        """Decide how to answer `question`; `locale` is used when its language is unclear."""
        masked = mask_personal_data(question)
        refusal = _refusal(question)
        if refusal is not None:
            return GuidanceAnswer(Outcome.HANDOFF, masked, handoff_reason=refusal)
        language = detect_language(question) or locale
        candidates = self._candidates(question, english=language == "en")
        confident = [c for c in candidates if c.confidence >= self.thresholds.answer]
        if mentions_scam_signal(question) and SCAM_GUIDE_ID in self.library:
            return self._scam_warning(masked, confident, language)
        if not confident or confident[0] is not candidates[0]:
            score = candidates[0].confidence if candidates else 0.0
            return GuidanceAnswer(
                Outcome.HANDOFF, masked, score=score, handoff_reason=HandoffReason.NOT_CONFIDENT
            )
        best = confident[0]
        guide = self.library.get(best.match.guide_id, language)
        if not guide.is_complete:
            return GuidanceAnswer(
                Outcome.HANDOFF,
                masked,
                score=best.confidence,
                handoff_reason=HandoffReason.WARD_VALUE_MISSING,
            )
        close = [
            self.library.get(c.match.guide_id, language)
            for c in confident[1:]
            if c.relevance >= self.thresholds.close_ratio * best.relevance
        ]
        close = [choice for choice in close if choice.is_complete]
        note = language == "en" and guide.locale != "en"
        if close:
            return GuidanceAnswer(
                Outcome.CHOICES,
                masked,
                choices=(guide, *close)[: self.thresholds.max_choices],
                score=best.confidence,
                language_note=note,
            )
        return GuidanceAnswer(
            Outcome.ANSWER, masked, guide=guide, score=best.confidence, language_note=note
        )

    def confidence(self, match: Match) -> float:
        """How sure the engine is that a guide answers the question, 0..1."""
        weight = self.thresholds.coverage_weight
        return weight * match.coverage + (1 - weight) * match.example_similarity

    def _candidates(self, question: str, english: bool) -> list[_Candidate]:
        """Ranked guides, most relevant first."""
        matches = self._ranker.rank(normalize(question), english=english)
        if not matches:
            return []
        top_bm25 = matches[0].bm25
        candidates = []
        for match in matches:
            confidence = self.confidence(match)
            relevance = 0.5 * confidence + 0.5 * match.bm25 / top_bm25
            candidates.append(_Candidate(match, confidence, relevance))
        return sorted(candidates, key=lambda candidate: candidate.relevance, reverse=True)

    def _scam_warning(
        self, masked: str, confident: list[_Candidate], language: str
    ) -> GuidanceAnswer:
        """The scam guide first; what the question itself matched is offered after it."""
        guide = self.library.get(SCAM_GUIDE_ID, language)
        related = [self.library.get(c.match.guide_id, language) for c in confident]
        related = [other for other in related if other.id != SCAM_GUIDE_ID and other.is_complete]
        return GuidanceAnswer(
            Outcome.ANSWER,
            masked,
            guide=guide,
            choices=tuple(related[: self.thresholds.max_choices - 1]),
            score=1.0,
            scam_warning=True,
            language_note=language == "en" and guide.locale != "en",
        )


def _refusal(question: str) -> HandoffReason | None:
    """Why a question must go to a person before any ranking, or None."""
    if is_too_long(question):
        return HandoffReason.TOO_LONG
    if is_empty(question):
        return HandoffReason.EMPTY
    if is_foreign_script(question):
        return HandoffReason.UNSUPPORTED_LANGUAGE
    if looks_like_prompt_injection(question):
        return HandoffReason.PROMPT_INJECTION
    if asks_for_personal_data(question):
        return HandoffReason.PERSONAL_DATA_REQUEST
    return None


def first_choice(answer: GuidanceAnswer) -> Guide | None:
    """The guide ranked first: the answer's guide, or the first of its choices."""
    if answer.guide is not None:
        return answer.guide
    return answer.choices[0] if answer.choices else None

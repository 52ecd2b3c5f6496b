"""The decision for one citizen question: answer with a guide, offer choices, or hand over.

The engine only ever returns guides from the library; it never writes text of its own,
so no phone number, address or link can appear that is not in a guide or the ward's
configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from handlers.guidance.library import GuideLibrary
from handlers.guidance.model import GuidanceAnswer, Guide, HandoffReason, Outcome, Topic
from handlers.guidance.normalize import NormalizedText, normalize
from handlers.guidance.privacy import mask_personal_data
from handlers.guidance.ranking import (
    Match,
    RankDocument,
    Ranker,
    entry_documents,
    guide_documents,
)
from handlers.guidance.scope import ScopeIndex, anchors_in
from handlers.guidance.screening import (
    asks_for_personal_data,
    asks_to_act_on_a_case,
    detect_language,
    is_empty,
    is_foreign_script,
    is_too_long,
    looks_like_prompt_injection,
    mentions_scam_signal,
)
from storage.folding import fold_text

SCAM_GUIDE_ID = "police-never-ask"
_MASK = re.compile(r"\[[^\]]*\]")
# What a question asks for, read on its folded words: a place, a time, a price, papers. The
# words are function words to the coverage ("ở đâu", "bao lâu"), yet among the entries of
# one guide they say which one answers: "làm mức 2 ở đâu" is the entry on where, not the one
# on how long it takes.
_ASKS: dict[str, re.Pattern[str]] = {
    "where": re.compile(r"\b(?:o dau|cho nao|noi nao|where)\b"),
    "how long": re.compile(
        r"\b(?:bao lau|may ngay|bao nhieu ngay|trong vong|how long|how many day|how soon)\b"
    ),
    "price": re.compile(
        r"\b(?:bao nhieu tien|het bao nhieu|mat bao nhieu|ton bao nhieu|le phi|phi"
        r"|mien phi|how much|cost|fee|free)\b"
    ),
    "papers": re.compile(
        r"\b(?:giay to gi|giay to nao|can mang gi|mang theo gi|ho so gom|what document"
        r"|which document|what paper|what do i need to bring)\b"
    ),
}
# "mức 1 khác mức 2 ở chỗ nào" asks how two things differ, not where.
_DIFFERS = re.compile(r"\bkhac(?: nhau)?(?: \w+){0,4} o cho nao\b")


@dataclass(frozen=True)
class Thresholds:
    """Tuning of the answer/choices/handoff decision, calibrated on the tuning half of the
    citizens' questions (never on the held-out half).

    `confidence` = `coverage_weight` x coverage + (1 - coverage_weight) x example similarity;
    a guide below `answer` (an entry below `entry_answer`) is never offered. Candidates are
    ordered by relevance, the mean of confidence and BM25 relative to the best BM25 score. A
    runner-up whose relevance is at least `close_ratio` (`entry_close_ratio` for entries) of
    the best one's makes the outcome a choice. When the guide ranked first as a whole is the
    best entry's guide and the next `agreeing_entries` entries are that guide's too, the best
    entry needs only `agreed_entry_answer`; a next entry far below the best one (relevance
    under `agreeing_ratio` of its) is no rival view and does not count. A question that
    names a domain no guide covers (`scope.py`: taxes, pensions, land…) is answered by an
    entry (or a guide) whose texts do not speak of it only from `anchored_answer` on: the
    domain word is then context in a question the entry answers ("người khuyết tật làm căn
    cước ở nhà được không"). An entry whose own question asks for what the question asks for
    (a place, a time, a price, papers: `_ASKS`) gains `asked_bonus` in relevance, which
    orders the entries without making any more confident.
    """

    answer: float = 0.55
    entry_answer: float = 0.5
    close_ratio: float = 0.9
    entry_close_ratio: float = 0.99
    coverage_weight: float = 0.65
    max_choices: int = 3
    agreed_entry_answer: float = 0.42
    agreeing_entries: int = 1
    anchored_answer: float = 0.68
    agreeing_ratio: float = 0.7
    asked_bonus: float = 0.08


@dataclass(frozen=True)
class _Candidate:
    match: Match
    confidence: float
    relevance: float


class GuidanceEngine:
    """Answers citizens' questions from a `GuideLibrary`: with the entry that holds the fact
    asked when one does, else with a guide, else choices or a person."""

    def __init__(self, library: GuideLibrary, thresholds: Thresholds | None = None) -> None:
        self.library = library
        self.thresholds = thresholds or Thresholds()
        guides = guide_documents(library)
        self._guides = Ranker(guides)
        entries = entry_documents(library)
        self._entries = Ranker(entries) if entries else None
        self._asks = _entry_asks(library)
        self._scope = ScopeIndex(_scope_texts(guides, entries))

    def answer(self, question: str, locale: str = "vi") -> GuidanceAnswer:
        """Decide how to answer `question`; `locale` is used when its language is unclear."""
        masked = mask_personal_data(question)
        refusal = _refusal(question)
        if refusal is not None:
            return GuidanceAnswer(Outcome.HANDOFF, masked, handoff_reason=refusal)
        language = detect_language(question) or locale
        # ID and phone numbers say nothing about the topic: rank the question without them.
        normalized = normalize(_MASK.sub(" ", masked))
        english = language == "en"
        guides = self._candidates(self._guides, normalized, english)
        entries = self._candidates(self._entries, normalized, english) if self._entries else []
        entries = self._by_what_is_asked(entries, normalized)
        if mentions_scam_signal(question) and SCAM_GUIDE_ID in self.library:
            return self._scam_warning(masked, entries, guides, language)
        if asks_to_act_on_a_case(masked):
            return GuidanceAnswer(
                Outcome.HANDOFF, masked, handoff_reason=HandoffReason.NOT_CONFIDENT
            )
        chosen = self._choose(
            entries, self._entry_floor(entries, guides), self.thresholds.entry_close_ratio
        ) or self._choose(guides, self.thresholds.answer, self.thresholds.close_ratio)
        chosen = self._in_scope(self._agreed(chosen, guides), normalized)
        if chosen is None:
            score = guides[0].confidence if guides else 0.0
            return GuidanceAnswer(
                Outcome.HANDOFF, masked, score=score, handoff_reason=HandoffReason.NOT_CONFIDENT
            )
        best, close = chosen
        best = self._first_of_guide(best, close)
        topic = self._topic(best.match.key, language)
        if not topic.is_complete:
            return GuidanceAnswer(
                Outcome.HANDOFF,
                masked,
                score=best.confidence,
                handoff_reason=HandoffReason.WARD_VALUE_MISSING,
            )
        note = english and topic.guide.locale != "en"
        others = [self._topic(other.match.key, language) for other in close]
        # Close entries of the same guide are not a real choice: the reply shows the best
        # one's answer and then that guide's steps, which cover the others.
        others = [
            other
            for other in others
            if other.is_complete and other.key != topic.key and other.id != topic.id
        ]
        # One choice per guide: its first close entry stands for it.
        others = [
            other for n, other in enumerate(others) if other.id not in {o.id for o in others[:n]}
        ]
        if others:
            return GuidanceAnswer(
                Outcome.CHOICES,
                masked,
                choices=(topic, *others)[: self.thresholds.max_choices],
                score=best.confidence,
                language_note=note,
            )
        return GuidanceAnswer(
            Outcome.ANSWER,
            masked,
            guide=topic.guide,
            entry=topic.entry,
            score=best.confidence,
            language_note=note,
            outside_province=self._outside_province(topic.guide),
        )

    def topic(self, key: str, locale: str = "vi") -> Topic | None:
        """The guide or entry a choice names (`guide-id` or `guide-id#entry-id`), or None."""
        guide_id, _, entry_id = key.partition("#")
        if guide_id not in self.library:
            return None
        topic = self._topic(key, locale)
        return topic if not entry_id or topic.entry is not None else None

    def confidence(self, match: Match) -> float:
        """How sure the engine is that a guide or entry answers the question, 0..1."""
        weight = self.thresholds.coverage_weight
        return weight * match.coverage + (1 - weight) * match.example_similarity

    def _agreed(
        self, chosen: tuple[_Candidate, list[_Candidate]] | None, guides: list[_Candidate]
    ) -> tuple[_Candidate, list[_Candidate]] | None:
        """The choice without the close entries of guides the ranking of whole guides puts far
        below the best entry's guide, when that guide is ranked first: the two rankings agree
        on the topic, and an entry that only shares the question's words is no real choice."""
        if chosen is None or not guides:
            return chosen
        best, close = chosen
        top = guides[0]
        if best.match.key.partition("#")[0] != top.match.key:
            return chosen
        near = {
            guide.match.key
            for guide in guides
            if guide.relevance >= self.thresholds.close_ratio * top.relevance
        }
        return best, [other for other in close if other.match.key.partition("#")[0] in near]

    def _choose(
        self, candidates: list[_Candidate], floor: float, close_ratio: float
    ) -> tuple[_Candidate, list[_Candidate]] | None:
        """The best candidate when it is confident and ranked first, with its close runners-up."""
        if not candidates or candidates[0].confidence < floor:
            return None
        best = candidates[0]
        close = [
            other
            for other in candidates[1:]
            if other.confidence >= floor and other.relevance >= close_ratio * best.relevance
        ]
        return best, close

    def _in_scope(
        self, chosen: tuple[_Candidate, list[_Candidate]] | None, question: NormalizedText
    ) -> tuple[_Candidate, list[_Candidate]] | None:
        """The choice without the candidates (an entry with its guide's title and keywords, or
        a whole guide) that do not speak of a domain the question names that no guide covers
        (taxes, pensions, land…), unless they are confident enough for that word to be
        context; None when the best one is such a candidate: the question is about something
        else."""
        if chosen is None:
            return None
        anchors = anchors_in(question)
        if not anchors:
            return chosen
        best, close = chosen

        def covers(candidate: _Candidate) -> bool:
            if candidate.confidence >= self.thresholds.anchored_answer:
                return True
            return not self._scope.uncovered(candidate.match.key, anchors)

        if not covers(best):
            return None
        return best, [other for other in close if covers(other)]

    def _entry_floor(self, entries: list[_Candidate], guides: list[_Candidate]) -> float:
        """The confidence the best entry needs. Lower when two rankings agree: the guide ranked
        first as a whole is the best entry's guide, and the entries ranked next to it are that
        guide's too. A long question full of context words covers little of any entry, but
        when every view points to one guide the topic is clear; an unrelated question spreads
        its best matches over several guides."""
        floor = self.thresholds.entry_answer
        if not entries or not guides:
            return floor
        guide_id = entries[0].match.key.partition("#")[0]
        if guides[0].match.key != guide_id:
            return floor
        runners = [
            other
            for other in entries[1 : 1 + self.thresholds.agreeing_entries]
            if other.relevance >= self.thresholds.agreeing_ratio * entries[0].relevance
        ]
        if all(other.match.key.partition("#")[0] == guide_id for other in runners):
            return self.thresholds.agreed_entry_answer
        return floor

    def _first_of_guide(self, best: _Candidate, close: list[_Candidate]) -> _Candidate:
        """Of the close entries of the best one's guide, the one its guide lists first: a
        guide's entries go from its main question to the particular ones."""
        guide_id, _, _ = best.match.key.partition("#")
        if not close or not best.match.key.count("#"):
            return best
        order = {
            entry.id: position for position, entry in enumerate(self.library.get(guide_id).entries)
        }
        same = [best, *(c for c in close if c.match.key.partition("#")[0] == guide_id)]
        return min(same, key=lambda c: order.get(c.match.key.partition("#")[2], len(order)))

    def _topic(self, key: str, locale: str) -> Topic:
        guide_id, _, entry_id = key.partition("#")
        guide = self.library.get(guide_id, locale)
        if not entry_id:
            return Topic(guide)
        entry = guide.entry(entry_id)
        if entry is None:  # written in Vietnamese only: show that version
            guide = self.library.get(guide_id, "vi")
            entry = guide.entry(entry_id)
        return Topic(guide, entry)

    def _outside_province(self, guide: Guide) -> bool:
        province = self.library.contacts.province
        if not guide.provinces or province is None:
            return False
        folded = fold_text(province.lower())
        return not any(fold_text(place.lower()) in folded for place in guide.provinces)

    def _candidates(
        self, ranker: Ranker, question: NormalizedText, english: bool
    ) -> list[_Candidate]:
        """Ranked guides or entries, most relevant first."""
        matches = ranker.rank(question, english=english)
        if not matches:
            return []
        top_bm25 = matches[0].bm25
        candidates = []
        for match in matches:
            confidence = self.confidence(match)
            relevance = 0.5 * confidence + 0.5 * match.bm25 / top_bm25
            candidates.append(_Candidate(match, confidence, relevance))
        return sorted(candidates, key=lambda candidate: candidate.relevance, reverse=True)

    def _by_what_is_asked(
        self, entries: list[_Candidate], question: NormalizedText
    ) -> list[_Candidate]:
        """The entries with those whose own question asks for what the question asks for (a
        place, a time, a price, papers) raised by `asked_bonus` in relevance, reordered."""
        asked = _asked(" ".join(question.folded))
        if not asked or not entries:
            return entries
        bonus = self.thresholds.asked_bonus
        raised = [
            replace(candidate, relevance=candidate.relevance + bonus)
            if asked & self._asks.get(candidate.match.key, frozenset())
            else candidate
            for candidate in entries
        ]
        return sorted(raised, key=lambda candidate: candidate.relevance, reverse=True)

    def _scam_warning(
        self,
        masked: str,
        entries: list[_Candidate],
        guides: list[_Candidate],
        language: str,
    ) -> GuidanceAnswer:
        """The warning first, with the entry that answers the question when one is clear
        (else the scam guide); the scam guide and what else matched are offered after it."""
        scam = Topic(self.library.get(SCAM_GUIDE_ID, language))
        best = (
            self._topic(entries[0].match.key, language)
            if entries and entries[0].confidence >= self.thresholds.entry_answer
            else None
        )
        shown = best if best is not None and best.is_complete else scam
        matched = [
            self._topic(candidate.match.key, language)
            for candidate in (*entries, *guides)
            if candidate.confidence >= self.thresholds.answer
        ]
        offered = [scam] if shown.id != SCAM_GUIDE_ID else []
        offered += [
            topic
            for topic in matched
            if topic.id not in (SCAM_GUIDE_ID, shown.id) and topic.is_complete
        ]
        return GuidanceAnswer(
            Outcome.ANSWER,
            masked,
            guide=shown.guide,
            entry=shown.entry,
            choices=tuple(dict.fromkeys(offered))[: self.thresholds.max_choices - 1],
            score=1.0,
            scam_warning=True,
            language_note=language == "en" and shown.guide.locale != "en",
        )


def _scope_texts(guides: list[RankDocument], entries: list[RankDocument]) -> dict[str, list[str]]:
    """The texts the scope check reads, from the ranking's documents: an entry's own texts with
    its guide's title and keywords; a guide's texts with all its entries'."""
    texts = {document.key: [text for text, _weight in document.texts] for document in guides}
    for document in entries:
        own = [text for text, _weight in document.texts]
        texts[document.key] = own
        texts[document.key.partition("#")[0]] += own
    return texts


def _asked(folded: str) -> frozenset[str]:
    """What a folded text asks for: "where", "how long", "price", "papers"."""
    kinds = {kind for kind, pattern in _ASKS.items() if pattern.search(folded)}
    if _DIFFERS.search(folded):
        kinds.discard("where")
    return frozenset(kinds)


def _entry_asks(library: GuideLibrary) -> dict[str, frozenset[str]]:
    """For each entry, what its own question asks for, in any of its language versions."""
    asks: dict[str, frozenset[str]] = {}
    for guide_id in library:
        for guide in library.versions(guide_id):
            for entry in guide.entries:
                key = f"{guide_id}#{entry.id}"
                folded = " ".join(normalize(entry.question).folded)
                asks[key] = asks.get(key, frozenset()) | _asked(folded)
    return asks


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
    """The guide ranked first: the answer's guide, or the first of its choices' guides."""
    if answer.guide is not None:
        return answer.guide
    return answer.choices[0].guide if answer.choices else None

"""Lexical ranking of guides and of their entries for a question: BM25 over syllables and
syllable pairs, in the diacritic and the diacritic-free form, with fuzzy repair of mistyped
syllables.

Each guide id is one document made of all its language versions (title and keywords
weighted up, then example questions, then the body), so an English question finds a guide
written only in Vietnamese through its English keywords. Each entry is one document too
(its question and keywords weighted up, its examples, its answer, and its guide's title and
keywords once, which say what the entry is about: "mật khẩu" of VNeID).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import bm25s
import numpy as np
from rapidfuzz import fuzz, process

from handlers.guidance.contacts import PLACEHOLDER
from handlers.guidance.library import GuideLibrary
from handlers.guidance.model import Entry, Guide
from handlers.guidance.normalize import NormalizedText, normalize, with_bigrams

TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 3
EXAMPLE_WEIGHT = 2
CONTEXT_WEIGHT = 1
FUZZY_CUTOFF = 80
MIN_FUZZY_LENGTH = 4

# English words that say nothing about the topic; dropped from English questions before
# ranking, since the English text of guides is full of them.
_ENGLISH_STOPWORDS_TEXT = """
how do i the my to what is can a an where when why which who you your me of for in on with
it this that please get need want are be does did was have has and or if im there not t s m
should could would will
"""
ENGLISH_STOPWORDS = frozenset(_ENGLISH_STOPWORDS_TEXT.split())
# Vietnamese words that carry no topic, in diacritic-free form; with the English ones they
# are ignored when measuring how much of a question a guide covers.
_FUNCTION_WORDS_TEXT = """
toi minh em anh chi ban cho hoi la gi sao lam the nao nhu co khong duoc cua va voi o thi ma
nay do de a ah u ui oi nhe nha vay roi da dang se bi can phai muon biet giup xin chao cai
nhung cac mot nhieu ai khi neu vi ve tu den trong ra vao len di lai con ne nua may bao gio
luc dau day kia ay hay hoac chua nen thuong thay vua moi nguoi rat qua lun luon ko k dc j
"""
FUNCTION_WORDS = ENGLISH_STOPWORDS | frozenset(_FUNCTION_WORDS_TEXT.split())


@dataclass(frozen=True)
class Match:
    """How well one guide fits a question.

    `bm25` is the raw ranking score; `coverage` the share of the question's topic words
    (weighted by rarity) that the guide contains; `example_similarity` the closeness of
    the whole question to the guide's nearest example question, 0..1.
    """

    key: str
    bm25: float
    coverage: float
    example_similarity: float


@dataclass(frozen=True)
class RankDocument:
    """What is indexed for one guide or entry: texts with their weights, and the questions
    its example similarity is measured against. `key` is the guide id, or `guide#entry`."""

    key: str
    texts: tuple[tuple[str, int], ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class _Document:
    key: str
    diacritic_tokens: list[str]
    folded_tokens: list[str]
    folded_vocabulary: frozenset[str]
    folded_pairs: frozenset[str]
    folded_examples: tuple[str, ...]


def guide_documents(library: GuideLibrary) -> list[RankDocument]:
    """One document per guide id, all its language versions together."""
    documents = []
    for guide_id in library:
        texts: list[tuple[str, int]] = []
        examples: list[str] = []
        for guide in library.versions(guide_id):
            texts.append((guide.title, TITLE_WEIGHT))
            texts += [(keyword, KEYWORD_WEIGHT) for keyword in guide.keywords]
            texts += [(example, EXAMPLE_WEIGHT) for example in guide.examples]
            texts.append((PLACEHOLDER.sub(" ", guide.body), 1))
            examples += guide.examples
        documents.append(RankDocument(guide_id, tuple(texts), tuple(examples)))
    return documents


def entry_documents(library: GuideLibrary) -> list[RankDocument]:
    """One document per entry id of a guide, all its language versions together."""
    by_key: dict[str, tuple[list[tuple[str, int]], list[str]]] = {}
    for guide_id in library:
        for guide in library.versions(guide_id):
            for entry in guide.entries:
                texts, examples = by_key.setdefault(f"{guide_id}#{entry.id}", ([], []))
                texts += _entry_texts(guide, entry)
                examples += [entry.question, *entry.examples]
    return [
        RankDocument(key, tuple(texts), tuple(examples))
        for key, (texts, examples) in by_key.items()
    ]


def _entry_texts(guide: Guide, entry: Entry) -> list[tuple[str, int]]:
    return [
        (entry.question, TITLE_WEIGHT),
        *((keyword, KEYWORD_WEIGHT) for keyword in entry.keywords),
        *((example, EXAMPLE_WEIGHT) for example in entry.examples),
        (PLACEHOLDER.sub(" ", entry.answer), 1),
        (guide.title, CONTEXT_WEIGHT),
        *((keyword, CONTEXT_WEIGHT) for keyword in guide.keywords),
    ]


class Ranker:
    """BM25 indices over guides or entries, built once at start."""

    def __init__(self, documents: list[RankDocument]) -> None:
        indexed = [_document(document) for document in documents]
        self._ids = [document.key for document in indexed]
        self._vocabularies = [document.folded_vocabulary for document in indexed]
        self._pairs = [document.folded_pairs for document in indexed]
        self._diacritic_index = _bm25([document.diacritic_tokens for document in indexed])
        self._folded_index = _bm25([document.folded_tokens for document in indexed])
        self._examples = [list(document.folded_examples) for document in indexed]
        vocabulary = frozenset().union(*self._vocabularies) if indexed else frozenset()
        self._vocabulary = vocabulary
        self._vocabulary_list = sorted(vocabulary)
        self._idf = _idf(self._vocabularies)
        self._unknown_weight = max(self._idf.values(), default=1.0)
        self._correct = lru_cache(maxsize=4096)(self._closest_known_syllable)

    def rank(self, question: NormalizedText, english: bool = False, limit: int = 5) -> list[Match]:
        """The `limit` guides with the highest BM25 score for a question, best first.

        For an English question, English stop words are dropped first ("do", "me", "to" are
        also Vietnamese syllables, so they are kept otherwise).
        """
        if not question.folded:
            return []
        folded = [self._correct(syllable) for syllable in question.folded]
        diacritic = [
            corrected if corrected != original else typed
            for typed, original, corrected in zip(
                question.syllables, question.folded, folded, strict=True
            )
        ]
        if english:
            diacritic = [token for token in diacritic if token not in ENGLISH_STOPWORDS]
        query = [token for token in folded if not (english and token in ENGLISH_STOPWORDS)]
        if not query:
            return []
        scores = self._folded_index.get_scores(with_bigrams(query))
        if question.typed_with_diacritics:
            scores = 0.5 * scores + 0.5 * self._diacritic_index.get_scores(with_bigrams(diacritic))
        best = np.argsort(-scores, kind="stable")[:limit]
        folded_question = " ".join(folded)
        topic_words = [s for s in folded if s not in FUNCTION_WORDS and not s.isdigit()]
        topic_pairs = [
            f"{first}_{second}"
            for first, second in pairwise(folded)
            if first not in FUNCTION_WORDS or second not in FUNCTION_WORDS
        ]
        return [
            Match(
                key=self._ids[position],
                bm25=float(scores[position]),
                coverage=self._coverage(topic_words, topic_pairs, position),
                example_similarity=self._example_similarity(folded_question, position),
            )
            for position in best
            if scores[position] > 0
        ]

    def _closest_known_syllable(self, syllable: str) -> str:
        """The syllable itself when a guide uses it, else the closest one guides use (typos)."""
        if syllable in self._vocabulary or len(syllable) < MIN_FUZZY_LENGTH or syllable.isdigit():
            return syllable
        found = process.extractOne(
            syllable, self._vocabulary_list, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        return found[0] if found else syllable

    def _example_similarity(self, folded_question: str, position: int) -> float:
        """The similarity 0..1 of the question to the document's closest example; measured
        only for the few documents BM25 ranked first, so it stays fast on a large base."""
        examples = self._examples[position]
        if not examples or not folded_question:
            return 0.0
        found = process.extractOne(folded_question, examples, scorer=fuzz.token_sort_ratio)
        return found[1] / 100.0 if found else 0.0

    def _coverage(self, topic_words: list[str], topic_pairs: list[str], position: int) -> float:
        """How much of the question the guide contains, 0..1.

        The mean of two shares: topic words (weighted by rarity) and adjacent word pairs
        with a topic word. Pairs keep "giá vàng" from matching a guide that only has "gia
        đình" and "vàng" somewhere apart.
        """
        if not topic_words:
            return 0.0
        vocabulary = self._vocabularies[position]
        weights = [self._idf.get(word, self._unknown_weight) for word in topic_words]
        covered = sum(
            weight for word, weight in zip(topic_words, weights, strict=True) if word in vocabulary
        )
        word_share = covered / sum(weights)
        if not topic_pairs:
            return word_share
        pair_share = sum(pair in self._pairs[position] for pair in topic_pairs) / len(topic_pairs)
        return 0.5 * word_share + 0.5 * pair_share


# Guides' titles and keywords recur in every entry of a guide (and in a ward's copies of a
# guide): each text is normalised and split into tokens once.
_normalized = lru_cache(maxsize=65536)(normalize)


@lru_cache(maxsize=65536)
def _text_tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A text's syllables and syllable pairs, in the diacritic and the folded form."""
    normalized = _normalized(text)
    return tuple(with_bigrams(normalized.syllables)), tuple(with_bigrams(normalized.folded))


def _document(document: RankDocument) -> _Document:
    diacritic: list[str] = []
    folded: list[str] = []
    distinct: set[str] = set()
    for text, weight in document.texts:
        text_diacritic, text_folded = _text_tokens(text)
        diacritic += text_diacritic * weight
        folded += text_folded * weight
        distinct.update(text_folded)
    vocabulary = frozenset(token for token in distinct if "_" not in token)
    pairs = frozenset(token for token in distinct if "_" in token)
    examples = tuple(
        dict.fromkeys(" ".join(_normalized(example).folded) for example in document.examples)
    )
    return _Document(document.key, diacritic, folded, vocabulary, pairs, examples)


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    index = bm25s.BM25()
    index.index(corpus, show_progress=False)
    return index


def _idf(vocabularies: Iterable[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency of each syllable across guides."""
    vocabularies = list(vocabularies)
    counts: dict[str, int] = {}
    for vocabulary in vocabularies:
        for word in vocabulary:
            counts[word] = counts.get(word, 0) + 1
    total = len(vocabularies)
    return {
        word: math.log(1 + (total - count + 0.5) / (count + 0.5)) for word, count in counts.items()
    }

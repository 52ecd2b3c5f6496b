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

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
from rapidfuzz import fuzz, process

from handlers.guidance.contacts import PLACEHOLDER
from handlers.guidance.library import GuideLibrary
from handlers.guidance.model import Entry, Guide
from handlers.guidance.normalize import (
    NormalizedText,
    has_vietnamese_letters,
    normalize,
    singular,
    with_bigrams,
)
from handlers.guidance.screening import ENGLISH_WORDS
from storage.folding import fold_text

TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 3
EXAMPLE_WEIGHT = 2
CONTEXT_WEIGHT = 1
FUZZY_CUTOFF = 80
MIN_FUZZY_LENGTH = 4
# Okapi BM25 with Lucene's idf, the usual defaults.
BM25_K1 = 1.5
BM25_B = 0.75

# English words that say nothing about the topic; dropped from English questions before
# ranking, since the English text of guides is full of them.
_ENGLISH_STOPWORDS_TEXT = """
how do i the my to what is can a an where when why which who you your me of for in on with
it this that please get need want are be does did was have has and or if im there not t s m
should could would will
we our us they their she his her him its own here these those some any all about also just
very still already yet only even again been being were by from as into onto out up after
before while because since until really
"""
# As `normalize` leaves them: "does" is "doe", "these" "these".
ENGLISH_STOPWORDS = frozenset(map(singular, _ENGLISH_STOPWORDS_TEXT.split()))
# Vietnamese words that carry no topic, in diacritic-free form; with the English ones they
# are ignored when measuring how much of a question a guide covers.
_FUNCTION_WORDS_TEXT = """
toi minh em anh chi ban cho hoi la gi sao lam the nao nhu co khong duoc cua va voi o thi ma
nay do de a ah u ui oi nhe nha vay roi da dang se bi can phai muon biet giup xin chao cai
nhung cac mot nhieu ai khi neu vi ve tu den trong ra vao len di lai con ne nua may bao gio
luc dau day kia ay hay hoac chua nen thuong thay vua moi nguoi rat qua lun luon ko k dc j
"""
FUNCTION_WORDS = ENGLISH_STOPWORDS | frozenset(_FUNCTION_WORDS_TEXT.split())
# The same function words as they are spelled with diacritics. Folding merges a function word
# with content words ("đó" and "đỏ", "mấy" and "máy", "lại" and "lái"): a syllable typed with
# a diacritic that is none of these spellings is a topic word even when its folded form is
# a function word, so "sổ đỏ" or "máy mới" keep their meaning in the coverage.
_DIACRITIC_FUNCTION_WORDS_TEXT = """
tôi tới mình chị chỉ bạn hỏi là gì làm thế nào như có không được của và với ở thì mà này
đó để à ạ ừ ư ơi nhé nhá vậy rồi đã dạ đang sẽ bị cần phải muốn biết giúp chào cái những
nhưng các một nhiều nếu vì về từ tự đến vào lên đi lại còn nè nữa mấy giờ lúc đâu đây đấy
ấy hoặc chưa nên thường thấy vừa mới mọi người rất quá luôn chỗ thể bảo á ả cô cơ
"""
DIACRITIC_FUNCTION_WORDS = frozenset(_DIACRITIC_FUNCTION_WORDS_TEXT.split())


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
        self._ids = [document.key for document in documents]
        corpus = Corpus([document.texts for document in documents])
        self._diacritic_index = Bm25Index.of(corpus, _text_tokens)
        self._folded_index = self._diacritic_index.renamed(_fold_token)
        self._examples = [_folded_examples(document.examples) for document in documents]
        vocabulary = frozenset(token for token in self._folded_index.vocabulary if "_" not in token)
        self._vocabulary = vocabulary
        self._vocabulary_list = sorted(vocabulary)
        self._idf = {word: self._folded_index.idf(word) for word in vocabulary}
        self._unknown_weight = max(self._idf.values(), default=1.0)
        self._correct = lru_cache(maxsize=4096)(self._closest_known_syllable)

    def rank(self, question: NormalizedText, english: bool = False, limit: int = 5) -> list[Match]:
        """The `limit` guides with the highest BM25 score for a question, best first.

        For an English question, English stop words are dropped first ("do", "me", "to" are
        also Vietnamese syllables, so they are kept otherwise).
        """
        if not question.folded:
            return []
        # An English word is no typo of a syllable guides use ("replace" is not "place").
        folded = [
            syllable if english and syllable in ENGLISH_WORDS else self._correct(syllable)
            for syllable in question.folded
        ]
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
        scores = self._folded_index.scores(with_bigrams(query))
        if question.typed_with_diacritics:
            scores = 0.5 * scores + 0.5 * self._diacritic_index.scores(with_bigrams(diacritic))
        best = [int(position) for position in _best(scores, limit) if scores[position] > 0]
        folded_question = " ".join(folded)
        topic_words = [s for s in folded if s not in FUNCTION_WORDS and not s.isdigit()]
        topic_pairs = [
            f"{first}_{second}"
            for first, second in pairwise(folded)
            if first not in FUNCTION_WORDS or second not in FUNCTION_WORDS
        ]
        # Typed with a diacritic, a syllable the fold makes a function word keeps its meaning;
        # it is looked up in the diacritic index, where "đỏ" is not "đó".
        marked_words = (
            [
                typed
                for typed, plain in zip(diacritic, folded, strict=True)
                if plain in FUNCTION_WORDS
                and typed not in DIACRITIC_FUNCTION_WORDS
                and has_vietnamese_letters(typed)
            ]
            if question.typed_with_diacritics and not english
            else []
        )
        coverages = self._coverages(topic_words, topic_pairs, best, marked_words)
        return [
            Match(
                key=self._ids[position],
                bm25=float(scores[position]),
                coverage=coverage,
                example_similarity=self._example_similarity(folded_question, position),
            )
            for position, coverage in zip(best, coverages, strict=True)
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

    def _marked_idf(self, syllable: str) -> float:
        """The rarity of a syllable as typed, with its diacritics."""
        if syllable in self._diacritic_index.vocabulary:
            return self._diacritic_index.idf(syllable)
        return self._unknown_weight

    def _coverages(
        self,
        topic_words: list[str],
        topic_pairs: list[str],
        positions: list[int],
        marked_words: list[str],
    ) -> list[float]:
        """How much of the question each document contains, 0..1.

        The mean of two shares: topic words (weighted by rarity) and adjacent word pairs
        with a topic word. Pairs keep "giá vàng" from matching a guide that only has "gia
        đình" and "vàng" somewhere apart.
        """
        if not topic_words and not marked_words:
            return [0.0] * len(positions)
        weights = [self._idf.get(word, self._unknown_weight) for word in topic_words]
        weights += [self._marked_idf(word) for word in marked_words]
        total = sum(weights)
        held = self._folded_index.holds([*topic_words, *topic_pairs], positions).T.tolist()
        marked_held = self._diacritic_index.holds(marked_words, positions).T.tolist()
        coverages = []
        for document_holds, document_marked in zip(held, marked_held, strict=True):
            words_held = document_holds[: len(topic_words)] + document_marked
            pairs_held = document_holds[len(topic_words) :]
            covered = sum(weight for weight, held in zip(weights, words_held, strict=True) if held)
            word_share = covered / total
            coverages.append(
                0.5 * word_share + 0.5 * sum(pairs_held) / len(topic_pairs)
                if topic_pairs
                else word_share
            )
        return coverages


class Corpus:
    """Documents as (text, weight) rows: each distinct text numbered once, and for each row
    the document that holds it, the text's number and its weight.

    Titles and keywords recur in every entry of a guide and in a ward's copies of guides, so
    the indices tokenise and count each distinct text once and spread its counts to the
    documents that hold it with array operations.
    """

    def __init__(self, documents: Sequence[Sequence[tuple[str, int]]]) -> None:
        numbers: dict[str, int] = {}
        holders: list[int] = []
        held: list[int] = []
        weights: list[int] = []
        for position, texts in enumerate(documents):
            for text, weight in texts:
                holders.append(position)
                held.append(numbers.setdefault(text, len(numbers)))
                weights.append(weight)
        self.size = len(documents)
        self.texts = list(numbers)
        self.holders = np.asarray(holders, dtype=np.int64)
        self.held = np.asarray(held, dtype=np.int64)
        self.weights = np.asarray(weights, dtype=np.float64)


class Bm25Index:
    """Okapi BM25 (Lucene's idf) of every token in every document, computed once and kept
    by token (compressed sparse columns), so a question only adds up its own tokens' columns.
    """

    def __init__(
        self,
        vocabulary: dict[str, int],
        size: int,
        token: np.ndarray,
        document: np.ndarray,
        occurrences: np.ndarray,
    ) -> None:
        """The index of `size` documents from rows of (token id, document, occurrences)."""
        self.vocabulary = vocabulary
        self._size = size
        self._width = width = max(size, 1)
        # One cell per (token, document), ordered by token then document.
        cells, cell_of = np.unique(token * width + document, return_inverse=True)
        self._frequency = frequency = np.bincount(cell_of, weights=occurrences)
        token, document = np.divmod(cells, width)
        # A last cell greater than any other keeps every search for a cell within the array.
        self._cells = np.append(cells, np.iinfo(np.int64).max)
        length = np.bincount(document, weights=frequency, minlength=size)
        average_length = length.mean() if size else 1.0
        documents_with = np.bincount(token, minlength=len(vocabulary))
        self._idf = np.log(1 + (size - documents_with + 0.5) / (documents_with + 0.5))
        saturation = frequency / (
            BM25_K1 * ((1 - BM25_B) + BM25_B * length[document] / average_length) + frequency
        )
        # Scores are single precision, summed in the question's token order.
        self._scores = (self._idf.astype(np.float32)[token] * saturation).astype(np.float32)
        self._documents = document
        self._starts = np.concatenate(([0], np.cumsum(documents_with)))

    @classmethod
    def of(cls, corpus: Corpus, tokens: Callable[[str], tuple[str, ...]]) -> Bm25Index:
        """The index of a corpus whose texts `tokens` splits into tokens."""
        vocabulary = _numbering()
        text_tokens: list[int] = []  # each distinct text's distinct token ids, one after another
        text_counts: list[int] = []  # how often each of those occurs in its text
        text_starts = [0]
        for text in corpus.texts:
            counted = Counter(map(vocabulary.__getitem__, tokens(text)))
            text_tokens += counted.keys()
            text_counts += counted.values()
            text_starts.append(len(text_tokens))
        starts = np.asarray(text_starts, dtype=np.int64)
        lengths = (starts[1:] - starts[:-1])[corpus.held]
        # Where each token of each (document, text) row sits in the per-text arrays.
        offsets = np.repeat(starts[corpus.held] - np.cumsum(lengths) + lengths, lengths)
        spread = offsets + np.arange(offsets.size, dtype=np.int64)
        return cls(
            dict(vocabulary),
            corpus.size,
            np.asarray(text_tokens, dtype=np.int64)[spread],
            np.repeat(corpus.holders, lengths),
            np.asarray(text_counts, dtype=np.float64)[spread] * np.repeat(corpus.weights, lengths),
        )

    def renamed(self, rename: Callable[[str], str]) -> Bm25Index:
        """The same documents with every token renamed: tokens given one name become one
        (the diacritic-free index from the diacritic one, without tokenising again)."""
        vocabulary = _numbering()
        new_id = np.fromiter(
            (vocabulary[rename(token)] for token in self.vocabulary),
            dtype=np.int64,
            count=len(self.vocabulary),
        )
        token, document = np.divmod(self._cells[:-1], self._width)
        return Bm25Index(dict(vocabulary), self._size, new_id[token], document, self._frequency)

    def idf(self, token: str) -> float:
        """The token's inverse document frequency; tokens no document has are not asked."""
        return float(self._idf[self.vocabulary[token]])

    def scores(self, query: list[str]) -> np.ndarray:
        """Each document's BM25 score for the query tokens (a repeated token counts again),
        added up in single precision in the query's order."""
        total = np.zeros(self._size, dtype=np.float32)
        for token in query:
            column = self.vocabulary.get(token)
            if column is not None:
                start, end = self._starts[column], self._starts[column + 1]
                total[self._documents[start:end]] += self._scores[start:end]
        return total

    def holds(self, tokens: list[str], documents: list[int]) -> np.ndarray:
        """Which of the documents contain each token: a tokens × documents boolean array."""
        columns = np.asarray([self.vocabulary.get(token, -1) for token in tokens], dtype=np.int64)
        cells = columns[:, None] * self._width + np.asarray(documents, dtype=np.int64)
        found = self._cells[np.searchsorted(self._cells, cells)] == cells
        return found & (columns[:, None] >= 0)


def _best(scores: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the `limit` highest scores, best first, ties in position order."""
    if scores.size > limit:
        kth = np.partition(scores, scores.size - limit)[scores.size - limit]
        candidates = np.flatnonzero(scores >= kth)
        return candidates[np.argsort(-scores[candidates], kind="stable")][:limit]
    return np.argsort(-scores, kind="stable")


# Guides' titles and keywords recur in every entry of a guide (and in a ward's copies of a
# guide): each text is normalised and split into tokens once.
_normalized = lru_cache(maxsize=65536)(normalize)


@lru_cache(maxsize=65536)
def _text_tokens(text: str) -> tuple[str, ...]:
    """A text's syllables and syllable pairs, in the diacritic form."""
    return tuple(with_bigrams(_normalized(text).syllables))


def _fold_token(token: str) -> str:
    """A syllable or syllable pair folded syllable by syllable, as `normalize` folds them."""
    return "_".join(map(fold_text, token.split("_")))


def _numbering() -> defaultdict[str, int]:
    """A vocabulary that gives a token seen for the first time the next id."""
    vocabulary: defaultdict[str, int] = defaultdict(lambda: len(vocabulary))
    return vocabulary


def _folded_examples(examples: tuple[str, ...]) -> list[str]:
    """The distinct example questions, diacritic-free, for the example similarity."""
    return list(dict.fromkeys(" ".join(_normalized(example).folded) for example in examples))

"""The BM25 index against the textbook formula, on random small corpora."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, strategies as st

from handlers.guidance.normalize import normalize
from handlers.guidance.ranking import BM25_B, BM25_K1, Bm25Index, Corpus, RankDocument, Ranker
from storage.folding import fold_text

WORDS = ["vneid", "mật", "khẩu", "quên", "điện", "thoại", "mat", "khau"]

texts = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)
documents = st.lists(
    st.lists(st.tuples(texts, st.integers(min_value=1, max_value=3)), max_size=4),
    min_size=1,
    max_size=6,
)
queries = st.lists(st.sampled_from([*WORDS, "absent"]), max_size=8)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _textbook_scores(documents: list[list[tuple[str, int]]], query: list[str]) -> list[float]:
    frequencies = [
        {
            word: sum(weight * text.split().count(word) for text, weight in document)
            for word in WORDS
        }
        for document in documents
    ]
    lengths = [sum(frequency.values()) for frequency in frequencies]
    average = sum(lengths) / len(lengths)
    scores = []
    for frequency, length in zip(frequencies, lengths, strict=True):
        score = 0.0
        for word in query:
            tf = frequency.get(word, 0)
            if not tf:
                continue
            having = sum(1 for other in frequencies if other[word])
            idf = math.log(1 + (len(documents) - having + 0.5) / (having + 0.5))
            score += idf * tf / (tf + BM25_K1 * (1 - BM25_B + BM25_B * length / average))
        scores.append(score)
    return scores


@given(documents, queries)
def test_scores_are_okapi_bm25_with_weighted_texts(
    documents: list[list[tuple[str, int]]], query: list[str]
) -> None:
    index = Bm25Index.of(Corpus(documents), _split)
    assert np.allclose(index.scores(query), _textbook_scores(documents, query), rtol=1e-5)


@given(documents, queries)
def test_holds_says_which_documents_contain_a_token(
    documents: list[list[tuple[str, int]]], query: list[str]
) -> None:
    index = Bm25Index.of(Corpus(documents), _split)
    positions = list(range(len(documents)))[::-1]
    expected = [
        [any(token in text.split() for text, _weight in documents[p]) for p in positions]
        for token in query
    ]
    assert index.holds(query, positions).tolist() == expected


@given(documents, queries)
def test_a_renamed_index_is_the_index_of_the_renamed_texts(
    documents: list[list[tuple[str, int]]], query: list[str]
) -> None:
    """Folding "mật" and "mat" into one token merges their counts, as indexing folded texts."""
    renamed = Bm25Index.of(Corpus(documents), _split).renamed(fold_text)
    folded = [[(fold_text(text), weight) for text, weight in document] for document in documents]
    direct = Bm25Index.of(Corpus(folded), _split)
    folded_query = [fold_text(word) for word in query]
    assert np.array_equal(renamed.scores(folded_query), direct.scores(folded_query))
    assert renamed.vocabulary.keys() == direct.vocabulary.keys()


def test_a_marked_syllable_is_not_taken_for_the_function_word_it_folds_to() -> None:
    """'đỏ' folds to 'do' ('đó'): typed with its diacritic it still counts in the coverage,
    looked up as typed, so a document with 'đó' but no 'đỏ' does not cover 'sổ đỏ'."""
    ranker = Ranker(
        [
            RankDocument("card", (("làm lại thẻ đó trên mạng, số thẻ", 1),), ()),
            RankDocument("land", (("cấp đổi sổ đỏ", 1),), ()),
        ]
    )
    marked = {m.key: m.coverage for m in ranker.rank(normalize("cấp đổi sổ đỏ trên mạng"))}
    plain = {m.key: m.coverage for m in ranker.rank(normalize("cap doi so do tren mang"))}
    assert marked["card"] < plain["card"]
    assert marked["land"] >= plain["land"]

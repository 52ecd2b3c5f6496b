"""The public evaluation set: realistic citizen questions, each with the guide that should
answer it or "handoff". Fails below 90% top-1 on in-scope and 90% handoff on off-topic."""

from __future__ import annotations

from pathlib import Path

from scoring import read_rows, score

from handlers.guidance import GuidanceEngine

EVALUATION_SET = Path(__file__).with_name("eval_questions.csv")
REQUIRED_ACCURACY = 0.90


def _rows() -> list[dict[str, str]]:
    return read_rows(EVALUATION_SET)


def test_evaluation_set_is_large_and_labelled_with_known_guides(engine: GuidanceEngine) -> None:
    rows = _rows()
    expected = {row["expected"] for row in rows}
    assert len(rows) >= 150
    assert sum(row["expected"] == "handoff" for row in rows) >= 30
    assert expected - {"handoff"} <= set(engine.library)


def test_questions_do_not_copy_guide_titles(engine: GuidanceEngine) -> None:
    titles = {
        engine.library.get(guide_id, locale).title.lower()
        for guide_id in engine.library
        for locale in ("vi", "en")
    }
    assert not [row["question"] for row in _rows() if row["question"].lower() in titles]


def test_accuracy_on_the_evaluation_set(engine: GuidanceEngine) -> None:
    result = score(engine, _rows())
    print(result.report("public"))
    assert result.top1 >= REQUIRED_ACCURACY, "\n".join(result.misses)
    assert result.handoff >= REQUIRED_ACCURACY, "\n".join(result.misses)

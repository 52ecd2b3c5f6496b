"""The public evaluation set: realistic citizen questions, each with the guide that should
answer it or "handoff". Fails below 90% top-1 on in-scope and 90% handoff on off-topic."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.guidance import GuidanceEngine, Outcome, first_choice

EVALUATION_SET = Path(__file__).with_name("eval_questions.csv")
REQUIRED_ACCURACY = 0.90


def _rows() -> list[dict[str, str]]:
    with EVALUATION_SET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


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
    in_scope = off_topic = in_scope_right = off_topic_right = 0
    misses = []
    for row in _rows():
        answer = engine.answer(row["question"])
        if row["expected"] == "handoff":
            off_topic += 1
            right = answer.outcome is Outcome.HANDOFF
            off_topic_right += right
        else:
            in_scope += 1
            top = first_choice(answer)
            right = (
                answer.outcome is not Outcome.HANDOFF
                and top is not None
                and top.id == row["expected"]
            )
            in_scope_right += right
        if not right:
            got = f"{answer.outcome.value} {answer.guide_id}"
            misses.append(f"{row['question']!r}: expected {row['expected']}, got {got}")
    top1 = in_scope_right / in_scope
    handoff = off_topic_right / off_topic
    print(f"\nin-scope top-1: {top1:.1%} ({in_scope_right}/{in_scope})")
    print(f"off-topic handoff: {handoff:.1%} ({off_topic_right}/{off_topic})")
    assert top1 >= REQUIRED_ACCURACY, "\n".join(misses)
    assert handoff >= REQUIRED_ACCURACY, "\n".join(misses)

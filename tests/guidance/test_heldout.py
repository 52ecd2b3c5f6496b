"""Held-out evaluation set: questions written without looking at the guides, the public
evaluation set or the ranking code, so it measures the engine honestly.

Floors catch regressions; they are not targets. Do not tune the engine on these questions.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.guidance import GuidanceEngine, GuideLibrary, Outcome, first_choice

HELD_OUT_SET = Path(__file__).with_name("heldout_questions.csv")
IN_SCOPE_FLOOR = 0.75
HANDOFF_FLOOR = 0.80


def _rows() -> list[dict[str, str]]:
    with HELD_OUT_SET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def heldout_engine() -> GuidanceEngine:
    return GuidanceEngine(GuideLibrary.load())


def test_held_out_set_is_well_formed(heldout_engine: GuidanceEngine) -> None:
    rows = _rows()
    labels = [row["expected"] for row in rows]
    in_scope_ids = {label for label in labels if label != "handoff"}
    assert len(rows) == 100
    assert labels.count("handoff") == 25
    assert len(in_scope_ids) >= 30
    assert in_scope_ids <= set(heldout_engine.library)
    assert len({row["question"] for row in rows}) == len(rows)


def test_accuracy_on_the_held_out_set(heldout_engine: GuidanceEngine) -> None:
    in_scope = off_topic = in_scope_right = off_topic_right = 0
    misses = []
    for row in _rows():
        answer = heldout_engine.answer(row["question"])
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
            top = first_choice(answer)
            got = f"{answer.outcome.value} {top.id if top is not None else answer.guide_id}"
            misses.append(f"{row['question']!r}: expected {row['expected']}, got {got}")
    top1 = in_scope_right / in_scope
    handoff = off_topic_right / off_topic
    print(f"\nheld-out in-scope top-1: {top1:.1%} ({in_scope_right}/{in_scope})")
    print(f"held-out off-topic handoff: {handoff:.1%} ({off_topic_right}/{off_topic})")
    print("\n".join(misses))
    assert top1 >= IN_SCOPE_FLOOR, "\n".join(misses)
    assert handoff >= HANDOFF_FLOOR, "\n".join(misses)

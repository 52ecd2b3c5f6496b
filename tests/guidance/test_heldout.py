"""Held-out evaluation set: questions written without looking at the guides, the public
evaluation set or the ranking code, so it measures the engine honestly.

Floors catch regressions; they are not targets. Do not tune the engine on these questions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scoring import read_rows, score

from bot.guidance_directory import load_library
from handlers.guidance import GuidanceEngine

HELD_OUT_SET = Path(__file__).with_name("heldout_questions.csv")
IN_SCOPE_FLOOR = 0.75
HANDOFF_FLOOR = 0.80


def _rows() -> list[dict[str, str]]:
    return read_rows(HELD_OUT_SET)


@pytest.fixture(scope="module")
def heldout_engine() -> GuidanceEngine:
    return GuidanceEngine(load_library())


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
    result = score(heldout_engine, _rows())
    print(result.report("held-out"))
    print("\n".join(result.misses))
    assert result.top1 >= IN_SCOPE_FLOOR, "\n".join(result.misses)
    assert result.handoff >= HANDOFF_FLOOR, "\n".join(result.misses)

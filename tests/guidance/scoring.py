"""Scoring an evaluation set of (question, expected guide id or "handoff") rows."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from handlers.guidance import GuidanceEngine, Outcome, first_choice


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Score:
    in_scope: int = 0
    in_scope_right: int = 0
    off_topic: int = 0
    off_topic_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return self.in_scope_right / self.in_scope

    @property
    def handoff(self) -> float:
        return self.off_topic_right / self.off_topic

    def report(self, label: str) -> str:
        return (
            f"\n{label} in-scope top-1: {self.top1:.1%} ({self.in_scope_right}/{self.in_scope})"
            f"\n{label} off-topic handoff: {self.handoff:.1%} ({self.off_topic_right}/{self.off_topic})"
        )


def score(engine: GuidanceEngine, rows: list[dict[str, str]]) -> Score:
    """In scope: right when the guide shown, or the first choice offered, is the expected one.
    Off topic: right when the question is handed over."""
    result = Score()
    for row in rows:
        answer = engine.answer(row["question"])
        top = first_choice(answer)
        if row["expected"] == "handoff":
            result.off_topic += 1
            right = answer.outcome is Outcome.HANDOFF
            result.off_topic_right += right
        else:
            result.in_scope += 1
            right = (
                answer.outcome is not Outcome.HANDOFF
                and top is not None
                and top.id == row["expected"]
            )
            result.in_scope_right += right
        if not right:
            got = f"{answer.outcome.value} {top.id if top is not None else answer.guide_id}"
            result.misses.append(f"{row['question']!r}: expected {row['expected']}, got {got}")
    return result

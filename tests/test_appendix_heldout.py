"""The held-out layouts (tests/appendix_heldout.py), measured, never tuned on.

The floor catches regressions; it is not a target. A task counts when its code, units,
deadline, KPI and section all read as expected; a file that is refused counts none.
"""

from __future__ import annotations

from pathlib import Path

from appendix_heldout import HELD_OUT
from test_appendix_corpus import cases, comparable, read_as_expected, write

from bot.plan_import.appendix import understand_appendix
from bot.plan_import.readers import UnreadableAppendix

# Measured 44 of 45 when the set was written (2 December 2026).
TASK_FLOOR = 0.9


def _right_tasks(tmp_path: Path) -> tuple[int, int, list[str]]:
    right, total, misses = 0, 0, []
    for item, suffix in cases(HELD_OUT):
        total += len(item.expected)
        try:
            appendix = understand_appendix(write(item, suffix, tmp_path), fallback_year=2026)
        except UnreadableAppendix as error:
            misses.append(f"{item.name}.{suffix}: refused ({error.reason})")
            continue
        read = {task.parsed.code: read_as_expected(task) for task in appendix.tasks}
        for expected in item.expected:
            got = read.get(expected.code)
            if got is not None and got == comparable(expected, got):
                right += 1
            else:
                misses.append(f"{item.name}.{suffix}: {expected.code} read as {got}")
    return right, total, misses


def test_held_out_layouts(tmp_path: Path) -> None:
    right, total, misses = _right_tasks(tmp_path)
    print(f"held-out: {right}/{total} tasks right", *misses, sep="\n")
    assert total >= 40
    assert right / total >= TASK_FLOOR, misses

"""On time, late or overdue: computed from a task's deadline and the dates, never asked.

The words follow the national monitoring system (theodoinq.dcs.vn): "Hoàn thành đúng hạn",
"Hoàn thành quá hạn", "Đang thực hiện trong hạn", "Đang thực hiện trễ hạn".
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from storage.vocabulary import TaskStatus


class Timing(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    ON_TRACK = "on_track"
    OVERDUE = "overdue"


def timing(
    status: TaskStatus | None, due: date | None, answered_on: date, period_end: date
) -> Timing | None:
    """None when the task has no due date (recurring, conditional) or no applicable status.

    A task done is on time when it was reported done by its due date; a task not done is
    overdue once its due date falls before the end of the period reported on.
    """
    if due is None or status in (None, TaskStatus.NOT_APPLICABLE):
        return None
    if status is TaskStatus.DONE:
        return Timing.DONE_ON_TIME if answered_on <= due else Timing.DONE_LATE
    return Timing.OVERDUE if due < period_end else Timing.ON_TRACK

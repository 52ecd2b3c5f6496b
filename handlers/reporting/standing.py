"""A task's status for the ward, from its units' answers: the one rule behind every count.

The chat digest, the chart, the Word report and the workbook all count tasks by `Standing`,
made here and nowhere else (README, "Tình trạng của nhiệm vụ"):

- every unit that has the task to report on this period answered "Hoàn thành" → done, on time
  when the last of those answers came by the deadline ("Hoàn thành đúng hạn / quá hạn");
- some units done, or any in progress → in progress, "x/y đơn vị" done, late once the deadline
  has passed ("Đang thực hiện đúng hạn / trễ hạn");
- the units that answered all "Chưa triển khai" → "Chưa thực hiện";
- "Không phát sinh trong kỳ" is an answer: that unit is left out of y and is never missing;
  every unit answering so → "Không phát sinh";
- no unit with something to report has answered → "Chưa có báo cáo".

A task without a due date (recurring, conditional) is never late. One unit's own answer is
judged by the same rule, as a task of one unit. The words are the national monitoring
system's (theodoinq.dcs.vn).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from handlers.i18n import _
from storage.vocabulary import TaskStatus


class Standing(StrEnum):
    """A task's category in the ward's counts, in the order every report lists them."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    ON_TRACK = "on_track"
    OVERDUE = "overdue"
    NOT_STARTED = "not_started"
    NOT_APPLICABLE = "not_applicable"
    NO_REPORT = "no_report"


STANDING_ORDER: tuple[Standing, ...] = tuple(Standing)
DONE = (Standing.DONE_ON_TIME, Standing.DONE_LATE)
LATE = (Standing.DONE_LATE, Standing.OVERDUE)
# The categories that say on time or late.
TIMED = (*DONE, Standing.ON_TRACK, Standing.OVERDUE)


def standing_label(standing: Standing) -> str:
    """ "Hoàn thành đúng hạn", "Chưa có báo cáo"…: the category in words."""
    labels = {
        Standing.DONE_ON_TIME: _("Hoàn thành đúng hạn"),
        Standing.DONE_LATE: _("Hoàn thành quá hạn"),
        Standing.ON_TRACK: _("Đang thực hiện đúng hạn"),
        Standing.OVERDUE: _("Đang thực hiện trễ hạn"),
        Standing.NOT_STARTED: _("Chưa thực hiện"),
        Standing.NOT_APPLICABLE: _("Không phát sinh"),
        Standing.NO_REPORT: _("Chưa có báo cáo"),
    }
    return labels[standing]


def count_lines(counts: Mapping[Standing, int]) -> list[tuple[str, int]]:
    """(label, count) of every non-zero category, in the reports' order."""
    return [(standing_label(s), counts[s]) for s in STANDING_ORDER if counts.get(s)]


@dataclass(frozen=True)
class Reply:
    """What the rule reads of one unit's answer: its status and the day it was given."""

    status: TaskStatus
    answered_on: date


@dataclass(frozen=True)
class TaskStanding:
    """A task's category with what it was made from."""

    standing: Standing
    done: int  # x: units that answered "Hoàn thành"
    reporting: int  # y: units with the task this period ("Không phát sinh" left out)
    not_applicable: int
    unanswered: int
    # Not done and its deadline passed: whatever the answers, the task needs attention.
    past_due: bool

    @property
    def shared(self) -> bool:
        """More than one unit reports on the task: its status reads "x/y đơn vị"."""
        return self.reporting + self.not_applicable > 1


def task_standing(
    replies: Sequence[Reply], concerned: int, due: date | None, as_of: date
) -> TaskStanding:
    """The ward's category of a task that `concerned` units report on, from the `replies` of
    those that answered, judged on `as_of` (the period's last day, or today in an open one)."""
    not_applicable = sum(r.status is TaskStatus.NOT_APPLICABLE for r in replies)
    relevant = [r for r in replies if r.status is not TaskStatus.NOT_APPLICABLE]
    reporting = max(concerned - not_applicable, 0)
    unanswered = max(concerned - len(replies), 0)
    done = [r for r in relevant if r.status is TaskStatus.DONE]
    deadline_passed = due is not None and due < as_of
    if reporting and len(done) == reporting:
        last = max(r.answered_on for r in done)
        on_time = due is None or last <= due
        standing = Standing.DONE_ON_TIME if on_time else Standing.DONE_LATE
    elif done or any(r.status is TaskStatus.IN_PROGRESS for r in relevant):
        standing = Standing.OVERDUE if deadline_passed else Standing.ON_TRACK
    elif relevant:
        standing = Standing.NOT_STARTED
    elif replies and not unanswered:
        standing = Standing.NOT_APPLICABLE
    else:
        standing = Standing.NO_REPORT
    return TaskStanding(
        standing,
        done=len(done),
        reporting=reporting,
        not_applicable=not_applicable,
        unanswered=unanswered,
        past_due=deadline_passed and standing not in (*DONE, Standing.NOT_APPLICABLE),
    )


def answer_standing(
    status: TaskStatus, answered_on: date, due: date | None, as_of: date
) -> Standing:
    """One unit's answer judged by the same rule, as a task of one unit."""
    return task_standing([Reply(status, answered_on)], 1, due, as_of).standing

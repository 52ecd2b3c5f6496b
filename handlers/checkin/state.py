"""Where a unit's check-in stands between messages: its step and its typed state.

The conversation state row keeps the state as JSON (`context.data`); the keys and their shapes
are the ones stored since the check-in began, so conversations under way survive an upgrade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from handlers.context import FlowContext
from storage.vocabulary import TaskStatus

FLOW = "checkin"


class Step(StrEnum):
    """The check-in's questions; the values are what the conversation state stores."""

    UNIT = "unit"
    PERIOD = "period"
    OVERVIEW = "overview"
    STATUS = "status"
    PROGRESS = "progress"
    KPI = "kpi"
    RESULT = "result"
    DIFFICULTIES = "difficulties"
    PROPOSALS = "proposals"
    EVIDENCE = "evidence"
    REVIEW = "review"
    EDIT = "edit"
    QUICK_CONFIRM = "quick_confirm"


@dataclass(frozen=True)
class PendingAnswer:
    """One line of a one-message report, understood and waiting for the head's confirmation:
    the values to save for a task (status, progress, KPI value, texts)."""

    task_id: int
    values: dict[str, Any]

    @classmethod
    def from_data(cls, item: Mapping[str, Any]) -> PendingAnswer:
        values = dict(item["values"])
        if values.get("kpi_value") is not None:
            values["kpi_value"] = Decimal(str(values["kpi_value"]))
        if values.get("status") is not None:
            values["status"] = TaskStatus(values["status"])
        return cls(int(item["task_id"]), values)

    def to_data(self) -> dict[str, Any]:
        # JSON has no decimals: a KPI value is kept as its text until saved.
        values = {
            name: str(value) if isinstance(value, Decimal | TaskStatus) else value
            for name, value in self.values.items()
        }
        return {"task_id": self.task_id, "values": values}


@dataclass
class CheckinState:
    """What the check-in remembers between messages, besides its step."""

    unit_id: int
    # The period chosen when several are open; None: the latest open one.
    period_id: int | None = None
    # The optional coordinating tasks were added after the unit's own.
    coordinating: bool = False
    # The task being answered, as an index into the check-in's task list.
    position: int = 0
    # One task is being corrected from the review: back to the review after it.
    editing: bool = False
    quick: list[PendingAnswer] = field(default_factory=list)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> CheckinState:
        return cls(
            unit_id=int(data["unit_id"]),
            period_id=int(data["period_id"]) if data.get("period_id") is not None else None,
            coordinating=bool(data.get("coordinating")),
            position=int(data.get("position", 0)),
            editing=bool(data.get("editing")),
            quick=[PendingAnswer.from_data(item) for item in data.get("quick") or []],
        )

    def store(self, data: dict[str, Any]) -> None:
        """Write the state into the conversation's data, leaving keys that are not the
        check-in's (the choices offered) alone; `period_id`, `editing` and `quick` are stored only while
        they hold something, as before."""
        data["unit_id"] = self.unit_id
        if self.period_id is not None:
            data["period_id"] = self.period_id
        else:
            data.pop("period_id", None)
        data["coordinating"] = self.coordinating
        data["position"] = self.position
        if self.editing:
            data["editing"] = True
        else:
            data.pop("editing", None)
        if self.quick:
            data["quick"] = [pending.to_data() for pending in self.quick]
        else:
            data.pop("quick", None)


def enter(context: FlowContext, step: Step, state: CheckinState) -> None:
    """Continue the check-in at `step` with `state`, with the next message or after a restart."""
    context.go_to(FLOW, step)
    state.store(context.data)

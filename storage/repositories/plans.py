"""Plans and their tasks."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.clock import Clock
from storage.models import Plan, Task, TaskUnit
from storage.vocabulary import UnitLink

# Per database engine: ward id → (the plans' revisions, the ward's active tasks).
_TASK_CACHE: weakref.WeakKeyDictionary[Engine, dict[int, tuple[tuple[Any, ...], list[Task]]]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class UnitTasks:
    reporting: list[Task]
    coordinating: list[Task]


def _unit_tasks(tasks: list[Task], unit_id: int) -> UnitTasks:
    reporting: list[Task] = []
    coordinating: list[Task] = []
    for task in tasks:
        links = {link.link for link in task.unit_links if link.unit_id == unit_id}
        if task.lead_all_units or UnitLink.LEAD in links:
            reporting.append(task)
        elif task.coordinate_all_units or UnitLink.COORDINATE in links:
            coordinating.append(task)
    return UnitTasks(reporting, coordinating)


class PlanRepository:
    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def by_number(self, number: str) -> Plan | None:
        result = await self._session.execute(
            select(Plan).where(Plan.ward_id == self._ward_id, Plan.number == number)
        )
        return result.scalar_one_or_none()

    async def all(self) -> list[Plan]:
        result = await self._session.execute(
            select(Plan).where(Plan.ward_id == self._ward_id).order_by(Plan.id)
        )
        return list(result.scalars())

    async def add(self, number: str, title: str) -> Plan:
        now = self._clock.now()
        plan = Plan(
            ward_id=self._ward_id,
            number=number,
            title=title,
            revision=0,
            reporting_schedule={},
            created_at=now,
            updated_at=now,
        )
        self._session.add(plan)
        await self._session.flush()
        return plan

    async def tasks(
        self, plan: Plan | None = None, *, include_inactive: bool = False
    ) -> list[Task]:
        """Tasks of one plan, or of every plan of the ward, in appendix order, units loaded."""
        query = (
            select(Task)
            .where(Task.ward_id == self._ward_id)
            .options(selectinload(Task.unit_links).selectinload(TaskUnit.unit))
            .order_by(Task.plan_id, Task.position)
        )
        if plan is not None:
            query = query.where(Task.plan_id == plan.id)
        if not include_inactive:
            query = query.where(Task.active.is_(True))
        result = await self._session.execute(query)
        return list(result.scalars())

    async def _current_tasks(self) -> list[Task]:
        """The ward's active tasks, from a per-database cache while no import has changed them.

        Every message of a check-in needs the task list; one small query on the plans'
        revisions replaces reloading tasks, their units and links each time.
        """
        versions = await self._session.execute(
            select(Plan.id, Plan.revision).where(Plan.ward_id == self._ward_id).order_by(Plan.id)
        )
        version = tuple(tuple(row) for row in versions)
        cache = _TASK_CACHE.setdefault(self._session.get_bind().engine, {})
        cached = cache.get(self._ward_id)
        if cached is not None and cached[0] == version:
            return cached[1]
        tasks = await self.tasks()
        cache[self._ward_id] = (version, tasks)
        return tasks

    async def tasks_for_unit(self, unit_id: int) -> UnitTasks:
        """What a unit reports on: tasks it leads or every unit leads, then those it coordinates."""
        return _unit_tasks(await self._current_tasks(), unit_id)

    async def tasks_by_unit(self, unit_ids: list[int]) -> tuple[list[Task], dict[int, UnitTasks]]:
        """The ward's active tasks and, for each unit, its share: one look at the task list."""
        tasks = await self._current_tasks()
        return tasks, {unit_id: _unit_tasks(tasks, unit_id) for unit_id in unit_ids}

    def add_task(self, task: Task) -> None:
        task.ward_id = self._ward_id
        self._session.add(task)

    def touch(self, plan: Plan) -> None:
        plan.updated_at = self._clock.now()
        plan.revision += 1

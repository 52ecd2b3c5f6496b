"""Plans and their tasks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.clock import Clock
from storage.models import Plan, Task, TaskUnit
from storage.vocabulary import UnitLink


@dataclass(frozen=True)
class UnitTasks:
    reporting: list[Task]
    coordinating: list[Task]


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

    async def tasks_for_unit(self, unit_id: int) -> UnitTasks:
        """What a unit reports on: tasks it leads or every unit leads, then those it coordinates."""
        reporting: list[Task] = []
        coordinating: list[Task] = []
        for task in await self.tasks():
            links = {link.link for link in task.unit_links if link.unit_id == unit_id}
            if task.lead_all_units or UnitLink.LEAD in links:
                reporting.append(task)
            elif task.coordinate_all_units or UnitLink.COORDINATE in links:
                coordinating.append(task)
        return UnitTasks(reporting, coordinating)

    def add_task(self, task: Task) -> None:
        task.ward_id = self._ward_id
        self._session.add(task)

    def touch(self, plan: Plan) -> None:
        plan.updated_at = self._clock.now()

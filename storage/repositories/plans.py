"""Plans and their tasks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Select, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.clock import Clock
from storage.directory_cache import directory_cache
from storage.models import Plan, Task, TaskReport, TaskUnit
from storage.vocabulary import UnitLink


@dataclass(frozen=True)
class UnitTasks:
    reporting: tuple[Task, ...]
    coordinating: tuple[Task, ...]


@dataclass
class _WardTasks:
    """A ward's active tasks and which unit leads or coordinates which."""

    tasks: list[Task]
    links: dict[int, dict[int, set[UnitLink]]]
    shares: dict[int, UnitTasks] = field(default_factory=dict)

    def share(self, unit_id: int) -> UnitTasks:
        share = self.shares.get(unit_id)
        if share is None:
            links = self.links.get(unit_id, {})
            reporting: list[Task] = []
            coordinating: list[Task] = []
            for task in self.tasks:
                task_links = links.get(task.id, set())
                if task.lead_all_units or UnitLink.LEAD in task_links:
                    reporting.append(task)
                elif task.coordinate_all_units or UnitLink.COORDINATE in task_links:
                    coordinating.append(task)
            share = self.shares[unit_id] = UnitTasks(tuple(reporting), tuple(coordinating))
        return share


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
        query = self._in_appendix_order(include_inactive=include_inactive).options(
            selectinload(Task.unit_links).selectinload(TaskUnit.unit)
        )
        if plan is not None:
            query = query.where(Task.plan_id == plan.id)
        result = await self._session.execute(query)
        return list(result.scalars())

    def _in_appendix_order(self, *, include_inactive: bool = False) -> Select[Task]:
        """The ward's tasks (active ones unless asked), plan by plan in appendix order."""
        query = (
            select(Task).where(Task.ward_id == self._ward_id).order_by(Task.plan_id, Task.position)
        )
        return query if include_inactive else query.where(Task.active.is_(True))

    async def _current_tasks(self) -> _WardTasks:
        """The ward's active tasks, kept between turns while no plan, task or link has changed
        (storage/directory_cache.py): every message of a check-in needs the task list."""
        return await directory_cache(self._session).get(
            self._session, ("tasks", self._ward_id), self._load_tasks
        )

    async def _load_tasks(self, session: AsyncSession) -> _WardTasks:
        # The links are read as plain rows: a city's worth of link objects would cost more
        # than the tasks.
        tasks = await session.execute(self._in_appendix_order())
        links: dict[int, dict[int, set[UnitLink]]] = defaultdict(lambda: defaultdict(set))
        for task_id, unit_id, link in await session.execute(
            select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.link)
            .join(Task, Task.id == TaskUnit.task_id)
            .where(Task.ward_id == self._ward_id, Task.active.is_(True))
        ):
            links[unit_id][task_id].add(link)
        return _WardTasks(list(tasks.scalars()), links)

    async def tasks_for_unit(self, unit_id: int) -> UnitTasks:
        """What a unit reports on: tasks it leads or every unit leads, then those it coordinates."""
        return (await self._current_tasks()).share(unit_id)

    async def tasks_by_unit(self, unit_ids: list[int]) -> tuple[list[Task], dict[int, UnitTasks]]:
        """The ward's active tasks and, for each unit, its share: one look at the task list."""
        ward_tasks = await self._current_tasks()
        return ward_tasks.tasks, {unit_id: ward_tasks.share(unit_id) for unit_id in unit_ids}

    async def remove(self, plan: Plan) -> bool:
        """Delete a plan nobody reported on, with its tasks; True if deleted. A plan with
        answers is kept and its tasks deactivated, so those answers keep their task."""
        reported = await self._session.execute(
            select(exists().where(TaskReport.task_id == Task.id, Task.plan_id == plan.id))
        )
        if reported.scalar():
            for task in await self.tasks(plan):
                task.active = False
            self.touch(plan)
            await self._session.flush()
            return False
        tasks = select(Task.id).where(Task.plan_id == plan.id).scalar_subquery()
        await self._session.execute(delete(TaskUnit).where(TaskUnit.task_id.in_(tasks)))
        await self._session.execute(delete(Task).where(Task.plan_id == plan.id))
        await self._session.delete(plan)
        await self._session.flush()
        return True

    def add_task(self, task: Task) -> None:
        task.ward_id = self._ward_id
        self._session.add(task)

    def touch(self, plan: Plan) -> None:
        plan.updated_at = self._clock.now()
        plan.revision += 1

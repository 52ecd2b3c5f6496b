"""Blockers (khó khăn, vướng mắc) and incidents (báo cáo đột xuất)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import Blocker, Incident
from storage.types import UTCDateTime
from storage.vocabulary import BlockerState, IncidentCategory

# Built once: the scheduler asks every minute.
_ANSWER_OVERDUE = (
    select(Blocker)
    .where(
        Blocker.ward_id == bindparam("ward_id"),
        Blocker.state == BlockerState.OPEN,
        Blocker.answer_due_at <= bindparam("now", type_=UTCDateTime()),
    )
    .order_by(Blocker.raised_at)
)


class BlockerRepository:
    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def raise_blocker(
        self,
        *,
        unit_id: int,
        task_id: int | None,
        member_id: int | None,
        description: str,
        answer_due_at: datetime,
    ) -> Blocker:
        blocker = Blocker(
            ward_id=self._ward_id,
            unit_id=unit_id,
            task_id=task_id,
            raised_by_member_id=member_id,
            description=description,
            raised_at=self._clock.now(),
            answer_due_at=answer_due_at,
            state=BlockerState.OPEN,
        )
        self._session.add(blocker)
        await self._session.flush()
        return blocker

    async def by_id(self, blocker_id: int) -> Blocker | None:
        blocker = await self._session.get(Blocker, blocker_id)
        return blocker if blocker is not None and blocker.ward_id == self._ward_id else None

    async def open(self, unit_ids: list[int] | None = None) -> list[Blocker]:
        """Unanswered blockers, oldest first; only those of `unit_ids` when given."""
        query = select(Blocker).where(
            Blocker.ward_id == self._ward_id, Blocker.state == BlockerState.OPEN
        )
        if unit_ids is not None:
            query = query.where(Blocker.unit_id.in_(unit_ids))
        result = await self._session.execute(query.order_by(Blocker.raised_at))
        return list(result.scalars())

    async def raised_between(self, start: datetime, end: datetime) -> list[Blocker]:
        """Blockers raised from `start` until before `end`, answered or not, oldest first."""
        result = await self._session.execute(
            select(Blocker)
            .where(
                Blocker.ward_id == self._ward_id,
                Blocker.raised_at >= start,
                Blocker.raised_at < end,
            )
            .order_by(Blocker.raised_at)
        )
        return list(result.scalars())

    async def answer_overdue(self, now: datetime) -> list[Blocker]:
        """Unanswered blockers whose answer time has run out, oldest first."""
        result = await self._session.execute(
            _ANSWER_OVERDUE, {"ward_id": self._ward_id, "now": now}
        )
        return list(result.scalars())

    def answer(self, blocker: Blocker, answer: str, member_id: int) -> None:
        blocker.state = BlockerState.ANSWERED
        blocker.answer = answer
        blocker.answered_by_member_id = member_id
        blocker.answered_at = self._clock.now()


class IncidentRepository:
    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def report(
        self,
        *,
        unit_id: int | None,
        member_id: int | None,
        category: IncidentCategory,
        description: str,
    ) -> Incident:
        incident = Incident(
            ward_id=self._ward_id,
            unit_id=unit_id,
            reported_by_member_id=member_id,
            category=category,
            description=description,
            reported_at=self._clock.now(),
        )
        self._session.add(incident)
        await self._session.flush()
        return incident

    async def recent(self, limit: int = 20) -> list[Incident]:
        result = await self._session.execute(
            select(Incident)
            .where(Incident.ward_id == self._ward_id)
            .order_by(Incident.reported_at.desc())
            .limit(limit)
        )
        return list(result.scalars())

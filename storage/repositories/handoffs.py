"""Citizens' questions handed to the ward's staff, answered by id."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import Handoff


class Handoffs:
    """A ward's handoffs (reached through `Repositories.for_ward`)."""

    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def open(
        self, *, channel: str, chat_id: str, masked_question: str, locale: str | None
    ) -> Handoff:
        """Record a question handed over; the caller passes it already masked."""
        handoff = Handoff(
            ward_id=self._ward_id,
            channel=channel,
            chat_id=chat_id,
            masked_question=masked_question,
            locale=locale,
            asked_at=self._clock.now(),
        )
        self._session.add(handoff)
        await self._session.flush()
        return handoff

    async def by_id(self, handoff_id: int) -> Handoff | None:
        result = await self._session.execute(
            select(Handoff).where(Handoff.id == handoff_id, Handoff.ward_id == self._ward_id)
        )
        return result.scalar_one_or_none()

    async def delete_asked_before(self, before: datetime) -> int:
        """Delete the handoffs of questions asked before `before` (answered or not); how many."""
        result = await self._session.execute(
            delete(Handoff)
            .where(Handoff.ward_id == self._ward_id, Handoff.asked_at < before)
            .execution_options(synchronize_session=False)
        )
        return cast(int, getattr(result, "rowcount", 0))

    def answered(self, handoff: Handoff, member_id: int) -> None:
        handoff.answered_at = self._clock.now()
        handoff.answered_by_member_id = member_id

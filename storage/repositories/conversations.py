"""Persisted conversation state and the record of updates already processed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from storage.models import ConversationState, ProcessedUpdate


class ConversationStore:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def first_delivery(self, platform: str, update_id: str) -> bool:
        """Record an update id; False when it was processed before (a redelivery).

        The unique constraint decides, so two processes receiving the same update agree.
        """
        dialect = self._session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(ProcessedUpdate)
            .values(platform=platform, update_id=update_id, processed_at=self._clock.now())
            .on_conflict_do_nothing(index_elements=["platform", "update_id"])
            .returning(ProcessedUpdate.id)
        )
        result = await self._session.execute(statement)
        return result.first() is not None

    async def load(self, platform: str, external_id: str) -> ConversationState:
        """This person's state, locked for the rest of the transaction where the database can."""
        result = await self._session.execute(
            select(ConversationState)
            .where(
                ConversationState.platform == platform,
                ConversationState.external_id == external_id,
            )
            .with_for_update()
        )
        state = result.scalar_one_or_none()
        if state is None:
            state = ConversationState(
                platform=platform,
                external_id=external_id,
                flow=None,
                step=None,
                data={},
                version=0,
                updated_at=self._clock.now(),
            )
            self._session.add(state)
        return state

    def save(
        self, state: ConversationState, *, flow: str | None, step: str | None, data: dict[str, Any]
    ) -> None:
        state.flow = flow
        state.step = step
        state.data = dict(data)
        state.version += 1
        state.updated_at = self._clock.now()

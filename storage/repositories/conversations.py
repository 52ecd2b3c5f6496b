"""Persisted conversation state and the record of updates already processed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from storage.models import ConversationState, ProcessedUpdate


def _first_delivery(insert: Any) -> Any:
    # On the table, not the mapped class: the ORM's bulk-insert path costs a millisecond.
    return (
        insert(ProcessedUpdate.__table__)
        .values(
            platform=bindparam("platform"),
            update_id=bindparam("update_id"),
            processed_at=bindparam("processed_at"),
        )
        .on_conflict_do_nothing(index_elements=["platform", "update_id"])
        .returning(ProcessedUpdate.id)
    )


# Built once: every incoming event runs both, and building a statement costs more than
# running it on SQLite.
_FIRST_DELIVERY = {
    "postgresql": _first_delivery(postgresql_insert),
    "sqlite": _first_delivery(sqlite_insert),
}
_STATE = (
    select(ConversationState)
    .where(
        ConversationState.platform == bindparam("platform"),
        ConversationState.external_id == bindparam("external_id"),
    )
    .with_for_update()
)


class ConversationStore:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def first_delivery(self, platform: str, update_id: str) -> bool:
        """Record an update id; False when it was processed before (a redelivery).

        The unique constraint decides, so two processes receiving the same update agree.
        """
        statement = _FIRST_DELIVERY[self._session.get_bind().dialect.name]
        result = await self._session.execute(
            statement,
            {"platform": platform, "update_id": update_id, "processed_at": self._clock.now()},
        )
        return result.first() is not None

    async def load(self, platform: str, external_id: str) -> ConversationState:
        """This person's state, locked for the rest of the transaction where the database can."""
        result = await self._session.execute(
            _STATE, {"platform": platform, "external_id": external_id}
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

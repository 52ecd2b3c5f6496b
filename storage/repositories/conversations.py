"""Persisted conversation state and the record of updates already processed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import ConversationState, ProcessedUpdate
from storage.sqlite_direct import run_directly


def _first_delivery(insert: Any) -> Any:
    # On the table, not the mapped class: the ORM's bulk-insert path costs a millisecond.
    return (
        insert(ProcessedUpdate.__table__)
        .values(
            channel=bindparam("channel"),
            update_id=bindparam("update_id"),
            processed_at=bindparam("processed_at"),
        )
        .on_conflict_do_nothing(index_elements=["channel", "update_id"])
        .returning(ProcessedUpdate.id)
    )


# Built once: every incoming event runs both, and building a statement costs more than
# running it on SQLite.
_FIRST_DELIVERY = {
    "postgresql": _first_delivery(postgresql_insert),
    "sqlite": run_directly(_first_delivery(sqlite_insert)),
}
_STATES = cast(Table, ConversationState.__table__)
_STATE = run_directly(
    select(
        _STATES.c.id,
        _STATES.c.flow,
        _STATES.c.step,
        _STATES.c.data,
        _STATES.c.version,
        _STATES.c.applied_order,
    )
    .where(
        _STATES.c.channel == bindparam("channel"),
        _STATES.c.chat_id == bindparam("chat_id"),
        _STATES.c.external_id == bindparam("external_id"),
    )
    .with_for_update()
)


def _first_state(insert: Any) -> Any:
    statement = insert(_STATES)
    return statement.on_conflict_do_update(
        index_elements=["channel", "chat_id", "external_id"],
        set_={
            name: statement.excluded[name]
            for name in ("flow", "step", "data", "version", "applied_order", "updated_at")
        },
    )


# A person's first state row is an upsert: two of their first messages handled at once by two
# processes (nothing to lock yet) both land, the later one's state kept, and nobody gets an
# error. Citizens who only ask questions never get a row.
_FIRST_STATE = {
    "postgresql": _first_state(postgresql_insert),
    "sqlite": run_directly(_first_state(sqlite_insert)),
}
_CHANGE_STATE = run_directly(update(_STATES).where(_STATES.c.id == bindparam("the_state")))


class Conversation(NamedTuple):
    """Where a person is, as loaded: plain values, written back only when they change."""

    id: int | None
    flow: str | None
    step: str | None
    data: dict[str, Any]
    version: int
    applied_order: int | None
    # Where it belongs (channel, chat, person), for the first save of a state not yet stored.
    key: dict[str, str]


class ConversationStore:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def first_delivery(self, channel: str, update_id: str) -> bool:
        """Record a channel's update id; False when it was processed before (a redelivery).

        The unique constraint decides, so two processes receiving the same update agree.
        """
        statement = _FIRST_DELIVERY[self._session.get_bind().dialect.name]
        result = await self._session.execute(
            statement,
            {"channel": channel, "update_id": update_id, "processed_at": self._clock.now()},
        )
        return result.first() is not None

    async def forget_updates_before(self, moment: datetime) -> int:
        """Forget the update ids processed before `moment` (no platform redelivers that
        late); how many."""
        result = await self._session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < moment)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def load(self, channel: str, chat_id: str, external_id: str) -> Conversation:
        """This person's state in this chat, locked for the rest of the transaction where the
        database can."""
        key = {"channel": channel, "chat_id": chat_id, "external_id": external_id}
        row = (await self._session.execute(_STATE, key)).first()
        if row is None:
            return Conversation(None, None, None, {}, 0, None, key)
        return Conversation(*row, key)

    async def save(
        self,
        conversation: Conversation,
        *,
        flow: str | None,
        step: str | None,
        data: dict[str, Any],
        sent_order: int | None = None,
    ) -> int:
        """Write the state back if it changed; returns its version (one more for each change).
        `sent_order` is the platform's order of the message that changed it."""
        if (flow, step, data) == (conversation.flow, conversation.step, conversation.data):
            return conversation.version
        version = conversation.version + 1
        values = {
            "flow": flow,
            "step": step,
            "data": dict(data),
            "version": version,
            "applied_order": max(
                (order for order in (conversation.applied_order, sent_order) if order is not None),
                default=None,
            ),
            "updated_at": self._clock.now(),
        }
        if conversation.id is None:
            dialect = self._session.get_bind().dialect.name
            await self._session.execute(_FIRST_STATE[dialect], {**values, **conversation.key})
            return version
        result = await self._session.execute(
            _CHANGE_STATE, {**values, "the_state": conversation.id}
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise RuntimeError(f"conversation state {conversation.id} is gone")
        return version

"""Notifications written in the transaction that caused them and delivered afterwards."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import CONSOLE_CHANNEL, OutboxMessage
from storage.vocabulary import OutboxState


class Outbox:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def enqueue(
        self,
        *,
        channel: str = CONSOLE_CHANNEL,
        platform: str,
        external_id: str,
        payload: dict[str, Any],
        locale: str | None = None,
        ward_id: int | None = None,
        dedup_key: str | None = None,
    ) -> OutboxMessage | None:
        """Queue a message; with a dedup_key already queued, nothing is added (sent once)."""
        if dedup_key is not None:
            existing = await self._session.execute(
                select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key)
            )
            if existing.first() is not None:
                return None
        message = OutboxMessage(
            ward_id=ward_id,
            channel=channel,
            platform=platform,
            external_id=external_id,
            locale=locale,
            payload=payload,
            dedup_key=dedup_key,
            state=OutboxState.PENDING,
            created_at=self._clock.now(),
        )
        self._session.add(message)
        await self._session.flush()
        return message

    async def pending(
        self, platform: str, *, external_id: str | None = None, limit: int = 100
    ) -> list[OutboxMessage]:
        """Undelivered messages of a platform (or of one recipient there), oldest first."""
        query = select(OutboxMessage).where(
            OutboxMessage.platform == platform, OutboxMessage.state == OutboxState.PENDING
        )
        if external_id is not None:
            query = query.where(OutboxMessage.external_id == external_id)
        result = await self._session.execute(query.order_by(OutboxMessage.id).limit(limit))
        return list(result.scalars())

    async def mark_sent_ids(self, ids: list[int]) -> None:
        """The messages of these ids were delivered."""
        if ids:
            await self._session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(
                    state=OutboxState.SENT,
                    attempts=OutboxMessage.attempts + 1,
                    sent_at=self._clock.now(),
                )
            )

    def mark_sent(self, message: OutboxMessage) -> None:
        message.state = OutboxState.SENT
        message.attempts += 1
        message.sent_at = self._clock.now()

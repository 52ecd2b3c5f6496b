"""Each chat's reply window: the message to answer, and until when answering is free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import ReplyWindow

_WINDOWS = cast(Table, ReplyWindow.__table__)
_INSERTS: dict[str, Any] = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


@dataclass(frozen=True)
class Window:
    message_id: str
    closes_at: datetime


class ReplyWindows:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def opened(
        self, channel: str, chat_id: str, message_id: str, closes_at: datetime
    ) -> None:
        """The person wrote `message_id`: the window runs from it (a redelivered older message
        does not shorten it)."""
        insert = _INSERTS[self._session.get_bind().dialect.name]
        statement = insert(_WINDOWS).values(
            channel=channel, chat_id=chat_id, message_id=message_id, closes_at=closes_at
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["channel", "chat_id"],
                set_={"message_id": message_id, "closes_at": closes_at},
                where=_WINDOWS.c.closes_at <= closes_at,
            )
        )

    async def get(self, channel: str, chat_id: str) -> Window | None:
        """The chat's window, or None when the channel keeps none for it (no limit known)."""
        row = (
            await self._session.execute(
                select(_WINDOWS.c.message_id, _WINDOWS.c.closes_at).where(
                    _WINDOWS.c.channel == channel, _WINDOWS.c.chat_id == chat_id
                )
            )
        ).first()
        return Window(row.message_id, row.closes_at) if row else None

    async def close(self, channel: str, chat_id: str) -> None:
        """The platform refused to answer: the window is shut until the person writes again."""
        await self._session.execute(
            update(_WINDOWS)
            .where(_WINDOWS.c.channel == channel, _WINDOWS.c.chat_id == chat_id)
            .values(closes_at=self._clock.now())
        )

"""Leases: which process holds a channel's polling, renewed while it lives."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import ChannelLease

_LEASES = cast(Table, ChannelLease.__table__)
_INSERTS: dict[str, Any] = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


class Leases:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def take(self, channel: str, holder: str, lasting: timedelta) -> bool:
        """Hold `channel` for `lasting` more: True when `holder` has it (it was free, expired,
        or already `holder`'s). Two processes asking at once: the row decides, one wins."""
        now = self._clock.now()
        insert = _INSERTS[self._session.get_bind().dialect.name]
        added = await self._session.execute(
            insert(_LEASES)
            .values(channel=channel, holder=holder, expires_at=now + lasting)
            .on_conflict_do_nothing(index_elements=["channel"])
        )
        if added.rowcount == 1:  # type: ignore[attr-defined]
            return True
        renewed = await self._session.execute(
            update(_LEASES)
            .where(
                _LEASES.c.channel == channel,
                or_(_LEASES.c.holder == holder, _LEASES.c.expires_at < now),
            )
            .values(holder=holder, expires_at=now + lasting)
        )
        return bool(renewed.rowcount == 1)  # type: ignore[attr-defined]

    async def give_up(self, channel: str, holder: str) -> None:
        await self._session.execute(
            delete(_LEASES).where(_LEASES.c.channel == channel, _LEASES.c.holder == holder)
        )

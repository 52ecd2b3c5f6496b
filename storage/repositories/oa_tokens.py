"""A Zalo Official Account's token pair, kept where every process reads the same one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import OaTokenPair

_PAIRS = cast(Table, OaTokenPair.__table__)
_INSERTS: dict[str, Any] = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str

    def __repr__(self) -> str:  # a pair in a traceback or a log must not show its tokens
        return "TokenPair(***)"


class OaTokens:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def seed(self, channel: str, pair: TokenPair) -> None:
        """Store `pair` only if the channel holds none: once a refresh stored its own, the
        configured pair is spent and must not overwrite it."""
        insert = _INSERTS[self._session.get_bind().dialect.name]
        await self._session.execute(
            insert(_PAIRS)
            .values(
                channel=channel,
                access_token=pair.access_token,
                refresh_token=pair.refresh_token,
                refreshed_at=None,
            )
            .on_conflict_do_nothing(index_elements=["channel"])
        )

    async def current(self, channel: str, *, lock: bool = False) -> TokenPair | None:
        """The stored pair; with `lock`, the row stays locked until the transaction ends (on
        SQLite the transaction's write lock does the same)."""
        query = select(_PAIRS.c.access_token, _PAIRS.c.refresh_token).where(
            _PAIRS.c.channel == channel
        )
        if lock:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return TokenPair(row.access_token, row.refresh_token) if row else None

    async def replace(self, channel: str, pair: TokenPair) -> None:
        await self._session.execute(
            update(_PAIRS)
            .where(_PAIRS.c.channel == channel)
            .values(
                access_token=pair.access_token,
                refresh_token=pair.refresh_token,
                refreshed_at=self._clock.now(),
            )
        )

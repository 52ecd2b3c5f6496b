"""The bot accounts rows belong to, kept in step with the configuration at start."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Channel


class ChannelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def ensure(self, name: str, platform: str, ward_id: int | None = None) -> Channel:
        """The channel of this name: added, or its ward brought up to date. Its platform stays
        what it was (the caller compares: a channel's rows are that platform's)."""
        channel = await self._session.get(Channel, name)
        if channel is None:
            channel = Channel(name=name, platform=platform, ward_id=ward_id)
            self._session.add(channel)
        elif channel.platform == platform:
            channel.ward_id = ward_id
        await self._session.flush()
        return channel

    async def all(self) -> list[Channel]:
        result = await self._session.execute(select(Channel).order_by(Channel.name))
        return list(result.scalars())

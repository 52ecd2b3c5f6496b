"""Group chats registered for a ward: the only groups its data may be shown in."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import GroupChat


class GroupChats:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def ward_of(self, channel: str, chat_id: str) -> int | None:
        """The ward this group was registered for, or None."""
        result = await self._session.execute(
            select(GroupChat.ward_id).where(
                GroupChat.channel == channel, GroupChat.chat_id == chat_id
            )
        )
        return result.scalar_one_or_none()

    async def register(
        self, channel: str, chat_id: str, ward_id: int, member_id: int, title: str | None
    ) -> bool:
        """Register the group for the ward; False when it already belongs to another ward."""
        result = await self._session.execute(
            select(GroupChat).where(GroupChat.channel == channel, GroupChat.chat_id == chat_id)
        )
        group = result.scalar_one_or_none()
        if group is not None:
            if group.ward_id != ward_id:
                return False
            group.title = title or group.title
            return True
        self._session.add(
            GroupChat(
                channel=channel,
                chat_id=chat_id,
                ward_id=ward_id,
                title=title,
                registered_by=member_id,
                registered_at=self._clock.now(),
            )
        )
        await self._session.flush()
        return True

    async def move(self, channel: str, old_chat_id: str, new_chat_id: str) -> None:
        """The group got a new id (a Telegram group became a supergroup): its registration
        follows it."""
        await self._session.execute(
            update(GroupChat)
            .where(GroupChat.channel == channel, GroupChat.chat_id == old_chat_id)
            .values(chat_id=new_chat_id)
        )

    async def of_ward(self, ward_id: int) -> list[GroupChat]:
        result = await self._session.execute(
            select(GroupChat).where(GroupChat.ward_id == ward_id).order_by(GroupChat.id)
        )
        return list(result.scalars())

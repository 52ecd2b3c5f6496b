"""Who is behind a messenger account: the lookup every incoming event starts with."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.directory_cache import directory_cache
from storage.models import Identity, Member, MemberRole
from storage.vocabulary import Role

# Built once: this runs for every message.
_MEMBER_FOR = (
    select(Member)
    .join(Identity)
    .where(
        Identity.platform == bindparam("platform"),
        Identity.external_id == bindparam("external_id"),
    )
    .options(
        # One round trip.
        joinedload(Member.grants).joinedload(MemberRole.unit),
        joinedload(Member.identities),
        joinedload(Member.ward),
    )
)


class IdentityDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def member_for(self, platform: str, external_id: str) -> Member | None:
        """The registered member behind this account, with roles, units, identities and ward
        loaded, or None: detached and shared with other turns (storage/directory_cache.py),
        to read, not to change."""
        return await directory_cache(self._session).get(
            self._session,
            ("member", platform, external_id),
            partial(self._load, platform, external_id),
        )

    @staticmethod
    async def _load(platform: str, external_id: str, session: AsyncSession) -> Member | None:
        result = await session.execute(
            _MEMBER_FOR, {"platform": platform, "external_id": external_id}
        )
        return result.unique().scalar_one_or_none()

    async def roles_by_account(
        self, platform: str, channel: str, limit: int
    ) -> dict[str, set[Role]]:
        """The accounts registered through `channel` that were ever given a role, with the
        roles they hold now (none, once withdrawn): the `limit` most recently registered (a
        messenger's per-person settings, such as a menu, are set for them)."""
        recent = (
            select(Identity.external_id, Identity.member_id)
            .where(
                Identity.platform == platform,
                Identity.channel == channel,
                select(MemberRole.id).where(MemberRole.member_id == Identity.member_id).exists(),
            )
            .order_by(Identity.id.desc())
            .limit(limit)
            .subquery()
        )
        rows = await self._session.execute(
            select(recent.c.external_id, MemberRole.role).outerjoin(
                MemberRole,
                (MemberRole.member_id == recent.c.member_id) & MemberRole.ended_at.is_(None),
            )
        )
        found: dict[str, set[Role]] = {}
        for external_id, role in rows:
            held = found.setdefault(external_id, set())
            if role is not None:
                held.add(role)
        return found

    async def mark_unreachable(
        self, channel: str, external_id: str, since: datetime
    ) -> Member | None:
        """The account reached through `channel` as `external_id` refuses messages from
        `since`: the member behind it, or None when there is no such account or it was
        already marked (the coordinators were told then)."""
        result = await self._session.execute(
            update(Identity)
            .where(
                Identity.channel == channel,
                Identity.external_id == external_id,
                Identity.unreachable_since.is_(None),
            )
            .values(unreachable_since=since)
            .returning(Identity.member_id)
        )
        marked = result.first()
        if marked is None:
            return None
        return await self._session.get(Member, marked.member_id)

    async def reachable_again(self, identity_id: int) -> None:
        """The person wrote again: their messages go out again."""
        await self._session.execute(
            update(Identity).where(Identity.id == identity_id).values(unreachable_since=None)
        )

    async def users_on(self, channel: str) -> int:
        """How many people are registered through `channel` (a bot's plan may cap them)."""
        result = await self._session.scalar(
            select(func.count(func.distinct(Identity.member_id))).where(Identity.channel == channel)
        )
        return int(result or 0)

    async def wards_on(self, channel: str) -> list[int]:
        """The wards with people registered through `channel`."""
        result = await self._session.execute(
            select(Member.ward_id)
            .join(Identity)
            .where(Identity.channel == channel)
            .distinct()
            .order_by(Member.ward_id)
        )
        return [ward_id for (ward_id,) in result]

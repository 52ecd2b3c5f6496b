"""Who is behind a messenger account: the lookup every incoming event starts with."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.models import Identity, Member, MemberRole

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
        joinedload(Member.roles).joinedload(MemberRole.unit),
        joinedload(Member.identities),
        joinedload(Member.ward),
    )
)


class IdentityDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def member_for(self, platform: str, external_id: str) -> Member | None:
        """The registered member behind this account, with roles and units loaded, or None."""
        result = await self._session.execute(
            _MEMBER_FOR, {"platform": platform, "external_id": external_id}
        )
        return result.unique().scalar_one_or_none()

"""Members of a ward, their roles and their messenger identities."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import object_session, selectinload

from storage.clock import Clock
from storage.models import CONSOLE_CHANNEL, Identity, Member, MemberRole
from storage.vocabulary import Role


class MemberRepository:
    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def add(self, display_name: str, *, locale: str | None = None) -> Member:
        member = Member(
            ward_id=self._ward_id,
            display_name=display_name,
            locale=locale,
            created_at=self._clock.now(),
            grants=[],
            identities=[],
        )
        self._session.add(member)
        await self._session.flush()
        return member

    async def by_id(self, member_id: int) -> Member | None:
        result = await self._session.execute(
            select(Member)
            .where(Member.id == member_id, Member.ward_id == self._ward_id)
            .options(
                selectinload(Member.grants).selectinload(MemberRole.unit),
                selectinload(Member.identities),
            )
        )
        return result.scalar_one_or_none()

    async def holding_roles(self) -> list[Member]:
        """Everyone who holds a role in the ward now, with their roles, units and accounts, in
        the order they registered."""
        result = await self._session.execute(
            select(Member)
            .where(
                Member.ward_id == self._ward_id,
                select(MemberRole.id)
                .where(MemberRole.member_id == Member.id, MemberRole.ended_at.is_(None))
                .exists(),
            )
            .options(
                selectinload(Member.grants).selectinload(MemberRole.unit),
                selectinload(Member.identities),
            )
            .order_by(Member.id)
        )
        return list(result.scalars())

    def end_roles(self, member: Member, grants: list[MemberRole]) -> None:
        """End these roles of the member now; the rows stay, so what was done under them
        keeps naming the person."""
        _check_in_session(member)
        now = self._clock.now()
        for grant in grants:
            if grant.member_id != member.id:
                raise ValueError("a role of another member")
            grant.ended_at = now

    def grant(
        self, member: Member, role: Role, unit_id: int | None, *, may_submit: bool = False
    ) -> bool:
        """Give a role (for a unit, when the role has one); False when already held (a held
        staff role still gains the right to submit when `may_submit`). A role that had ended
        is given again from now (the audit log keeps when it ended)."""
        _check_in_session(member)
        for held in member.grants:
            if held.role is role and held.unit_id == unit_id:
                if held.ended_at is not None:
                    held.ended_at = None
                    held.granted_at = self._clock.now()
                    held.may_submit = may_submit
                    return True
                held.may_submit = held.may_submit or may_submit
                return False
        member.grants.append(
            MemberRole(
                role=role, unit_id=unit_id, may_submit=may_submit, granted_at=self._clock.now()
            )
        )
        return True

    def link_identity(
        self, member: Member, platform: str, external_id: str, channel: str = CONSOLE_CHANNEL
    ) -> None:
        """`channel` is the bot account the person registered through: it reaches them."""
        _check_in_session(member)
        member.identities.append(
            Identity(
                platform=platform,
                external_id=external_id,
                channel=channel,
                created_at=self._clock.now(),
            )
        )

    async def with_role(self, *roles: Role, unit_id: int | None = None) -> list[Member]:
        """Members holding one of the roles in the ward, or for one unit when `unit_id` is given
        (e.g. every coordinator to notify, the heads of a unit)."""
        query = (
            select(Member)
            .join(MemberRole)
            .where(
                Member.ward_id == self._ward_id,
                MemberRole.role.in_(roles),
                MemberRole.ended_at.is_(None),
            )
            .options(selectinload(Member.identities), selectinload(Member.grants))
            .distinct()
            .order_by(Member.id)
        )
        if unit_id is not None:
            query = query.where(MemberRole.unit_id == unit_id)
        result = await self._session.execute(query)
        return list(result.scalars())


def _check_in_session(member: Member) -> None:
    # A member from the directory cache is shared between turns and belongs to no session:
    # a role or account added to it would be lost and seen by every later turn.
    if object_session(member) is None:
        raise ValueError("change a member loaded in this transaction, not a cached one")

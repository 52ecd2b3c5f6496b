"""One-time registration codes: printed once, stored only as a hash, used once, expiring."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import Invite
from storage.vocabulary import Role

# No 0/O, 1/I/L: codes are read off a screen and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def normalise_code(typed: str) -> str:
    """What a person typed ("abcd-efgh", " ABCD EFGH ") as the canonical code."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


class InviteProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True)
class IssuedInvite:
    code: str
    invite: Invite


class InviteRepository:
    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def issue(
        self,
        role: Role,
        unit_id: int | None,
        valid_for: timedelta,
        *,
        may_submit: bool = False,
        person_name: str | None = None,
        replaces_member_id: int | None = None,
    ) -> IssuedInvite:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        now = self._clock.now()
        invite = Invite(
            ward_id=self._ward_id,
            unit_id=unit_id,
            role=role,
            may_submit=may_submit,
            person_name=person_name,
            replaces_member_id=replaces_member_id,
            code_hash=_hash(code),
            created_at=now,
            expires_at=now + valid_for,
        )
        self._session.add(invite)
        await self._session.flush()
        return IssuedInvite(format_code(code), invite)


async def find_invite(session: AsyncSession, code: str) -> Invite | None:
    """The invite behind a typed code, in whichever ward it was issued."""
    result = await session.execute(select(Invite).where(Invite.code_hash == _hash(code)))
    return result.scalar_one_or_none()


def invite_problem(invite: Invite | None, clock: Clock) -> InviteProblem | None:
    if invite is None:
        return InviteProblem.UNKNOWN
    if invite.used_at is not None:
        return InviteProblem.USED
    if invite.expires_at <= clock.now():
        return InviteProblem.EXPIRED
    return None


async def claim_invite(session: AsyncSession, invite: Invite, member_id: int, clock: Clock) -> bool:
    """Mark the invite used; False when another message used it first (single use under races)."""
    result = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=clock.now(), used_by_member_id=member_id)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]

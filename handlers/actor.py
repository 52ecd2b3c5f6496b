"""Who is speaking: a registered member of a ward with roles, or a citizen."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.events import Sender
from storage.models import Member, Unit, Ward
from storage.vocabulary import Role


@dataclass(frozen=True)
class Actor:
    sender: Sender
    member: Member | None
    ward: Ward | None

    @property
    def is_citizen(self) -> bool:
        return self.member is None

    @property
    def roles(self) -> set[Role]:
        return {role.role for role in self.member.roles} if self.member else set()

    def units_for(self, *roles: Role) -> list[Unit]:
        """The units this member holds one of the roles for, in the order they were granted."""
        if self.member is None:
            return []
        units: list[Unit] = []
        for grant in self.member.roles:
            if grant.role in roles and grant.unit is not None and grant.unit not in units:
                units.append(grant.unit)
        return units

    def held_unit(self, unit_id: int) -> Unit | None:
        """The unit with this id, when the member holds a role for it."""
        if self.member is None:
            return None
        return next((grant.unit for grant in self.member.roles if grant.unit_id == unit_id), None)

    @property
    def actor_label(self) -> str:
        """How the audit log names this person: member id and platform account."""
        prefix = f"member:{self.member.id}" if self.member else "citizen"
        return f"{prefix} ({self.sender.platform}:{self.sender.user_id})"

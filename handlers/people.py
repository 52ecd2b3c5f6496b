"""The people of a ward: invitations (the same for the chat's /moi and `reportbot invite`), a
head handing the unit over to the next, roles withdrawn, and who holds which role now.

A role that ends keeps its row with an end date: the audit log and the answers a person gave
still name them. Drafts belong to the unit (a `TaskReport` is the unit's answer for a task in a
period), so a head who leaves takes nothing with them: the next head finds the drafts in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.i18n import _
from handlers.notify import notify
from storage.models import CONSOLE_CHANNEL, Invite, Member, MemberRole, Unit, Ward
from storage.names import clean_spaces, fold
from storage.repositories import Repositories, WardRepositories
from storage.vocabulary import Role

# How long a code stays valid when nobody says otherwise (the CLI's setting defaults to it).
INVITE_VALID_DAYS = 7

# The words a coordinator types for a role, folded (`storage.names.fold`: no diacritics,
# dashes as spaces), in the CLI's English too; the first of each role is the one shown.
ROLE_WORDS: dict[str, Role] = {
    "truong": Role.UNIT_HEAD,
    "thu truong": Role.UNIT_HEAD,
    "head": Role.UNIT_HEAD,
    "thanh vien": Role.UNIT_STAFF,
    "member": Role.UNIT_STAFF,
    "staff": Role.UNIT_STAFF,
    "dau moi": Role.COORDINATOR,
    "coordinator": Role.COORDINATOR,
    "lanh dao": Role.LEADER,
    "leader": Role.LEADER,
}
# The longest role phrase, in words.
ROLE_PHRASE_WORDS = max(len(words.split()) for words in ROLE_WORDS)


def role_named(typed: str) -> Role | None:
    """The role these words name ("trưởng", "thanh-vien", "Đầu mối", "head"), or None."""
    return ROLE_WORDS.get(fold(typed))


# A typed "yes" or "no" to "withdraw these roles?", folded; "1" and "2" are the options' numbers.
YES_WORDS = frozenset({"co", "dong y", "yes", "y", "1"})
NO_WORDS = frozenset({"khong", "no", "n", "2"})


def name_too_long_text() -> str:
    return _("Tên người dài quá {limit} ký tự; bạn gõ họ tên thôi.").format(limit=NAME_LONGEST)


def role_words() -> str:
    """The role words to type, as a list for a message that refuses one."""
    return _("trưởng (thủ trưởng đơn vị), thành viên (cán bộ đơn vị), đầu mối, lãnh đạo")


class UnitNeeded(ValueError):
    """Heads and staff are invited for a unit."""


# A person's name as typed after /moi or --name: a name, not a paragraph.
NAME_LONGEST = 100


class NameTooLong(ValueError):
    """A person's name over `NAME_LONGEST` characters."""


class NotTheHead(ValueError):
    """A head is handed over from someone who heads the unit now."""

    def __init__(self, member: Member, unit: Unit) -> None:
        super().__init__(member.display_name)
        self.member = member
        self.unit = unit


@dataclass(frozen=True)
class Invitation:
    code: str
    ward: Ward
    unit: Unit | None
    role: Role
    expires_at: datetime
    person_name: str | None
    replaces: Member | None
    # The Zalo bot the person should write to (what to search for in Zalo), when the
    # deployment has Zalo bots; `bots_full` when every one has reached its plan's cap.
    bot: str | None = None
    bots_full: bool = False


def heads_unit(member: Member, unit_id: int) -> bool:
    return any(grant.role is Role.UNIT_HEAD and grant.unit_id == unit_id for grant in member.roles)


async def invite(
    repositories: Repositories,
    ward: Ward,
    role: Role,
    unit: Unit | None,
    valid_days: int,
    *,
    actor: str,
    may_submit: bool = False,
    person_name: str | None = None,
    replaces: Member | None = None,
) -> Invitation:
    """Issue a one-time code for a role (for a unit, when the role has one); with `replaces`,
    a head who takes the unit over from that member once they register."""
    if role.needs_unit and unit is None:
        raise UnitNeeded(role)
    person_name = clean_spaces(person_name) if person_name else None
    if person_name and len(person_name) > NAME_LONGEST:
        raise NameTooLong(person_name)
    if replaces is not None and (unit is None or not heads_unit(replaces, unit.id)):
        raise NotTheHead(replaces, unit) if unit is not None else UnitNeeded(role)
    issued = await repositories.for_ward(ward.id).invites.issue(
        role,
        unit.id if unit else None,
        timedelta(days=valid_days),
        may_submit=may_submit,
        person_name=person_name,
        replaces_member_id=replaces.id if replaces else None,
    )
    repositories.audit.record(
        actor=actor,
        action="invite",
        entity="invite",
        entity_id=issued.invite.id,
        ward_id=ward.id,
        changes={
            "role": [None, str(role)],
            "unit": [None, unit.name if unit else None],
            "may_submit": [None, may_submit],
            "person": [None, person_name],
            "replaces": [None, replaces.display_name if replaces else None],
        },
    )
    return Invitation(
        issued.code, ward, unit, role, issued.invite.expires_at, person_name, replaces
    )


def find_members(members: list[Member], typed: str) -> list[Member]:
    """The members a typed name means: the one whose name it is (with or without diacritics,
    in any case), otherwise every one whose name contains those words ("An" for "Nguyễn Văn
    An")."""
    wanted = fold(typed)
    if not wanted:
        return []
    exact = [member for member in members if fold(member.display_name) == wanted]
    if exact:
        return exact
    return [member for member in members if f" {wanted} " in f" {fold(member.display_name)} "]


def _describe(grants: list[MemberRole]) -> list[str]:
    return [f"{grant.role}" + (f":{grant.unit.name}" if grant.unit else "") for grant in grants]


async def _stop_telling(repositories: Repositories, member: Member) -> None:
    """Notifications already queued for the person's accounts are dropped with the roles."""
    for identity in member.identities:
        await repositories.outbox.withdraw_notifications(
            identity.channel or CONSOLE_CHANNEL, identity.external_id
        )


async def withdraw(
    repositories: Repositories, ward_id: int, member: Member, *, actor: str
) -> list[MemberRole]:
    """End every role the member holds in the ward (from the chat's /thuhoi and `reportbot
    member remove`); their answers and the audit log keep their name, the unit keeps its drafts.
    Returns the roles that ended."""
    ward_repositories = repositories.for_ward(ward_id)
    grants = member.roles
    ward_repositories.members.end_roles(member, grants)
    repositories.audit.record(
        actor=actor,
        action="withdraw",
        entity="member",
        entity_id=member.id,
        ward_id=ward_id,
        changes={"roles": [_describe(grants), []]},
    )
    await _stop_telling(repositories, member)
    return grants


async def hand_over(
    repositories: Repositories, invite: Invite, successor: Member, *, actor: str
) -> Member | None:
    """When the head an invitation named a successor for registers, the predecessor's head
    role in the unit ends; they and the coordinators are told. Returns the predecessor, or
    None when there was nobody to take over from (or they had left meanwhile)."""
    if invite.replaces_member_id is None or invite.unit_id is None:
        return None
    ward_repositories = repositories.for_ward(invite.ward_id)
    predecessor = await ward_repositories.members.by_id(invite.replaces_member_id)
    if predecessor is None or predecessor.id == successor.id:
        return None
    grants = [
        grant
        for grant in predecessor.roles
        if grant.role is Role.UNIT_HEAD and grant.unit_id == invite.unit_id
    ]
    if not grants:
        return None
    unit_name = grants[0].unit.name if grants[0].unit else ""
    ward_repositories.members.end_roles(predecessor, grants)
    repositories.audit.record(
        actor=actor,
        action="hand_over",
        entity="member",
        entity_id=predecessor.id,
        ward_id=invite.ward_id,
        changes={"head": [predecessor.display_name, successor.display_name], "unit": unit_name},
    )
    payload = {
        "kind": "head_handed_over",
        "unit": unit_name,
        "predecessor": predecessor.display_name,
        "successor": successor.display_name,
    }
    if not predecessor.roles:
        await _stop_telling(repositories, predecessor)
    coordinators = await ward_repositories.members.with_role(Role.COORDINATOR)
    await notify(
        repositories,
        invite.ward_id,
        [predecessor, *coordinators],
        payload,
        dedup=f"handed-over:{invite.id}",
        skip_member_id=successor.id,
    )
    return predecessor


@dataclass(frozen=True)
class Holding:
    """One role a person holds now, for the member list."""

    name: str
    role: Role
    unit: str | None
    # The platforms of the person's accounts (`labels.messenger_label` words them).
    messengers: tuple[str, ...]
    since: datetime


async def holdings(ward_repositories: WardRepositories) -> list[Holding]:
    """Who holds which role in which unit, and on which messengers, in the order they
    registered."""
    rows: list[Holding] = []
    for member in await ward_repositories.members.holding_roles():
        messengers = tuple(sorted({identity.platform for identity in member.identities}))
        rows.extend(
            Holding(
                member.display_name,
                grant.role,
                grant.unit.name if grant.unit else None,
                messengers,
                grant.granted_at,
            )
            for grant in member.roles
        )
    return rows

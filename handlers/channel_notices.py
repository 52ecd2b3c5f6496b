"""What the coordinators are told about a channel that cannot carry their ward's messages: its
month's quota is spent, its bot nears its plan's cap on users, a person cannot be reached on
it; and which messages wait when a channel's quota runs short."""

from __future__ import annotations

from typing import Any

from handlers.notify import notify
from storage.repositories import Repositories
from storage.vocabulary import OutboxKind, Role

# Reminders that say again what another message says (the next nudge, the full digest): they
# wait above a channel's quota reserve, so replies and digests have it.
WAIT_FOR_QUOTA = frozenset({"nudge", "progress"})


def waits_for_quota(kind: OutboxKind, payload: dict[str, Any]) -> bool:
    """Whether this row waits above the quota reserve; replies to a person's own message,
    digests and every other notice use the reserve."""
    return kind is OutboxKind.NOTIFICATION and payload.get("kind") in WAIT_FOR_QUOTA


async def _tell_coordinators(
    repositories: Repositories,
    ward_id: int,
    payload: dict[str, Any],
    dedup: str,
    not_on: str | None = None,
) -> int:
    coordinators = await repositories.for_ward(ward_id).members.with_role(Role.COORDINATOR)
    return await notify(repositories, ward_id, coordinators, payload, dedup=dedup, not_on=not_on)


async def quota_spent(repositories: Repositories, channel: str, month: str) -> int:
    """The coordinators of every ward with people on `channel` are told, once a month and on
    another channel, that it sends nothing more this month; returns how many were queued."""
    queued = 0
    for ward_id in await repositories.identities.wards_on(channel):
        payload = {"kind": "quota_spent", "channel": channel, "month": month}
        dedup = f"quota-spent:{channel}:{month}"
        queued += await _tell_coordinators(repositories, ward_id, payload, dedup, channel)
    return queued


async def near_user_cap(repositories: Repositories, channel: str, users: int, cap: int) -> int:
    """The coordinators are warned once that the bot of `channel` is nearly full."""
    queued = 0
    for ward_id in await repositories.identities.wards_on(channel):
        payload = {"kind": "user_cap_near", "channel": channel, "users": users, "cap": cap}
        queued += await _tell_coordinators(repositories, ward_id, payload, f"user-cap:{channel}")
    return queued


async def member_unreachable(
    repositories: Repositories, channel: str, chat_id: str, reason: str
) -> bool:
    """The platform refuses this person's chat for good (blocked, gone): their account is
    marked, what is still queued for it is given up, and the coordinators are told once;
    False when no member is behind the chat or it was marked already."""
    now = repositories.clock.now()
    member = await repositories.identities.mark_unreachable(channel, chat_id, now)
    if member is None:
        return False
    await repositories.outbox.give_up_chat(channel, chat_id, reason)
    payload = {"kind": "member_unreachable", "member": member.display_name, "channel": channel}
    dedup = f"unreachable-member:{channel}:{chat_id}:{now.isoformat()}"
    await _tell_coordinators(repositories, member.ward_id, payload, dedup)
    return True

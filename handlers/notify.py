"""Queueing notifications to members: rendered in their language when delivered (the
language is the recipient's, not that of the person whose turn queued them)."""

from __future__ import annotations

from typing import Any

from storage.models import CONSOLE_CHANNEL, Member
from storage.repositories import Repositories


async def notify(
    repositories: Repositories,
    ward_id: int,
    members: list[Member],
    payload: dict[str, Any],
    *,
    dedup: str,
    skip_member_id: int | None = None,
    not_on: str | None = None,
) -> int:
    """Queue `payload` for every messenger account of these members (but those on the
    channel `not_on`, and those that cannot be reached); returns how many.

    `dedup` names the event, so the same notification is never queued twice for an account.
    """
    queued = 0
    for member in members:
        if member.id == skip_member_id:
            continue
        for identity in member.identities:
            if identity.unreachable_since is not None or (
                not_on is not None and identity.channel == not_on
            ):
                continue
            message = await repositories.outbox.enqueue(
                channel=identity.channel or CONSOLE_CHANNEL,
                chat_id=identity.external_id,
                locale=member.locale,
                ward_id=ward_id,
                payload=payload,
                dedup_key=f"{dedup}:{identity.id}",
            )
            queued += message is not None
    return queued

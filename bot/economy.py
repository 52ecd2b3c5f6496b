"""Message economy: where a channel stands against its plan's monthly quota and user cap.

A channel's month is `ok`, then in its `reserve` (past `Settings.quota_reserve` of the quota:
nudges and progress notes wait, replies and digests still go), then `spent` (nothing goes
until the month's first day, local time). The sending port keeps to it (bot/sending.py);
/healthz and `reportbot channel status` show it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.channels import Capabilities
from handlers.channel_notices import near_user_cap
from storage.repositories import Repositories

# Coordinators are warned when a bot has this few places left for new people.
PLACES_LEFT_WARNING = 5


class QuotaState(StrEnum):
    OK = "ok"
    RESERVE = "reserve"
    SPENT = "spent"


def reserve_starts(quota: int, reserve: float) -> int:
    """How many messages of the month may go before nudges wait (2,700 of 3,000 at 90%)."""
    return int(quota * reserve)


def quota_state(used: int, quota: int | None, reserve: float) -> QuotaState:
    if quota is None or used < reserve_starts(quota, reserve):
        return QuotaState.OK
    return QuotaState.SPENT if used >= quota else QuotaState.RESERVE


async def standing(
    repositories: Repositories, name: str, capabilities: Capabilities, month: str, reserve: float
) -> dict[str, Any]:
    """A channel's month and users as /healthz and the CLI show them."""
    sent = await repositories.sent_counts.sent(name, month)
    quota = capabilities.monthly_quota
    return {
        "sent_this_month": sent,
        "quota_left": None if quota is None else max(quota - sent, 0),
        "quota_state": quota_state(sent, quota, reserve).value,
        "users": await repositories.identities.users_on(name),
        "user_cap": capabilities.user_cap,
    }


async def watch_user_cap(repositories: Repositories, name: str, capabilities: Capabilities) -> int:
    """The channel's users; its wards' coordinators are warned (once) when it is nearly full."""
    cap = capabilities.user_cap
    users = await repositories.identities.users_on(name)
    if cap is not None and users >= cap - PLACES_LEFT_WARNING:
        await near_user_cap(repositories, name, users, cap)
    return users

"""What each messenger can do, as code: the sending port renders replies by these, so a flow
never asks which platform it runs on."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Platform(StrEnum):
    CONSOLE = "console"
    TELEGRAM = "telegram"
    ZALO_BOT = "zalo_bot"
    ZALO_OA = "zalo_oa"


@dataclass(frozen=True)
class Capabilities:
    buttons: bool
    edits: bool
    documents: bool
    photos: bool
    groups: bool
    # The longest text one message may carry, in characters.
    max_text: int
    # Outbound messages a month the plan allows, or None when unlimited.
    monthly_quota: int | None
    # People one bot may serve on the plan, or None when unlimited.
    user_cap: int | None = None


PLATFORM_CAPABILITIES = {
    # A terminal: no buttons (the numbered list is typed from), files written to a folder.
    Platform.CONSOLE: Capabilities(
        buttons=False,
        edits=False,
        documents=True,
        photos=True,
        groups=False,
        max_text=100_000,
        monthly_quota=None,
    ),
    Platform.TELEGRAM: Capabilities(
        buttons=True,
        edits=True,
        documents=True,
        photos=True,
        groups=True,
        max_text=4096,
        monthly_quota=None,
    ),
    # The Zalo Bot API: no buttons, no edits, groups only in beta, 2,000 characters, and the
    # free plan's 3,000 outbound messages a month and 50 users per bot (issue 13's wire facts).
    Platform.ZALO_BOT: Capabilities(
        buttons=False,
        edits=False,
        documents=False,
        photos=True,
        groups=False,
        max_text=2000,
        monthly_quota=3000,
        user_cap=50,
    ),
    # The Official Account API as bot/zalo_oa uses it: consultation text replies of 2,000
    # characters (numbered choices, files as links); its limit is 8 replies within 48 hours
    # of a citizen's message, not a monthly count.
    Platform.ZALO_OA: Capabilities(
        buttons=False,
        edits=False,
        documents=False,
        photos=False,
        groups=False,
        max_text=2000,
        monthly_quota=None,
    ),
}

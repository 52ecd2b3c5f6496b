"""The working sign: shown in the chat again and again while its files are made, then not."""

from __future__ import annotations

import asyncio

from bot.working import WorkingSign


class _Showing:
    def __init__(self, fails: bool = False) -> None:
        self.shown: list[str] = []
        self.fails = fails

    async def show_working(self, chat_id: str) -> None:
        self.shown.append(chat_id)
        if self.fails:
            raise RuntimeError("403 Forbidden: bot was blocked by the user")


async def test_the_sign_is_shown_until_the_files_are_made() -> None:
    sender = _Showing()
    sign = WorkingSign({"telegram": sender}, every=0.01)
    async with sign("telegram", "42"):
        await asyncio.sleep(0.1)
    shown = len(sender.shown)
    assert shown >= 3 and set(sender.shown) == {"42"}
    await asyncio.sleep(0.05)
    assert len(sender.shown) == shown


async def test_a_channel_without_the_sign_and_a_refused_sign_change_nothing() -> None:
    refusing = _Showing(fails=True)
    sign = WorkingSign({"console": object(), "zalo_bot": refusing}, every=0.01)
    async with sign("console", "1"), sign("zalo_bot", "2"), sign("unknown", "3"):
        await asyncio.sleep(0.05)
    assert refusing.shown == ["2"]

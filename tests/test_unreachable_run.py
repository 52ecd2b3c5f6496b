"""`reportbot run` against the fake Bot API: a person who blocked the bot is marked, the
coordinator told once, nothing more tried, until the person writes again (issue 12 item 3)."""

from __future__ import annotations

import asyncio
import signal
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fake_telegram import Call, FakeTelegram
from run_process import RunningBot
from telegram_people import Chat, texts
from test_telegram_run import COORDINATOR, HEAD, _health, _start, fake

__all__ = ["fake"]


async def _settled(bot: RunningBot) -> dict[str, object]:
    """The Telegram channel's outbox once nothing is left to send."""
    for _ in range(120):
        outbox = (await asyncio.to_thread(_health, bot))["channels"]["telegram"]["outbox"]
        if not set(outbox) - {"failed"}:
            return dict(outbox)
        await asyncio.sleep(0.5)
    raise AssertionError(f"the outbox did not settle: {outbox}")


def _next_month() -> str:
    """A period the scheduler does not open by itself: on the wall clock, `reportbot run`
    opens this month's at start (from its first working day) and tells the head at once."""
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    return (today.replace(day=1) + timedelta(days=32)).strftime("%Y-%m")


def _to_head(fake: FakeTelegram) -> list[Call]:
    """Every message the bot tried to send the head, blocked or not."""
    return [call for call in fake.calls_of("sendMessage") if call.params["chat_id"] == str(HEAD.id)]


@pytest.mark.subprocess
async def test_a_head_who_blocked_the_bot(tmp_path: Path, fake: FakeTelegram) -> None:
    bot, codes = await _start(tmp_path, fake, webhook=False)
    try:
        await fake.wait_for(lambda: fake.calls_of("getUpdates"))
        head, coordinator = Chat(fake, HEAD), Chat(fake, COORDINATOR)
        await head.says(f"/start {codes['head']}")
        await coordinator.says(f"/start {codes['coordinator']}")
        before = len(_to_head(fake))
        fake.blocked.add(HEAD.id)
        # The period's opening notice cannot reach the head: the coordinator hears of it.
        await coordinator.says(f"/moky {_next_month()}")
        await fake.wait_for(lambda: "đã chặn bot" in texts(coordinator.messages()), timeout=60)
        # Tried once, given up at once, told once.
        assert await _settled(bot) == {"failed": 1}
        assert texts(coordinator.messages()).count("đã chặn bot") == 1
        assert len(_to_head(fake)) == before + 1
        # Unblocked, the head writes: answered again.
        fake.blocked.discard(HEAD.id)
        assert "Phòng Văn hóa - Xã hội" in texts(await head.says("/toi"))
    finally:
        await asyncio.to_thread(bot.stop, signal.SIGTERM, 30)
    assert bot.process.returncode == 0, bot.log()

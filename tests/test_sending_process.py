"""The sending process (bot/sending_process.py) against the fake Bot API: messages go out from
the child, its failures mean to the delivery loop what the sender's own do, and a child that
dies fails what it was sending as retryable and is started again."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator

import pytest
from fake_telegram import TOKEN, FakeTelegram, User, serving

from bot.config import Settings
from bot.sending import Button, OutboundFile, OutboundText, SendFailed
from bot.sending_process import SendingProcess

LAN = User(501, "Lan")

pytestmark = pytest.mark.subprocess


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with serving(LAN) as fake:
        yield fake


def _process(
    fake: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
    per_chat: float,
    answer_within: float = 60,
) -> SendingProcess:
    # The child reads Telegram's settings from the environment it inherits, as the one
    # `reportbot run` starts does.
    monkeypatch.setenv("REPORTBOT_TELEGRAM_API_BASE", fake.base_url)
    monkeypatch.setenv("REPORTBOT_TELEGRAM_PRIVATE_CHAT_PER_SECOND", str(per_chat))
    settings = Settings(telegram_token=TOKEN)
    channels = [c for c in settings.all_channels() if c.name == "telegram"]
    return SendingProcess(settings, channels, answer_within=answer_within)


@pytest.fixture
async def process(
    fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[SendingProcess]:
    process = _process(fake, monkeypatch, per_chat=1000)
    await process.start()
    yield process
    await process.stop(5)


async def test_a_card_and_a_file_go_out_from_the_child(
    fake: FakeTelegram, process: SendingProcess
) -> None:
    sent = await process.send(
        "telegram", "501", OutboundText("Nhiệm vụ 1", (Button("Xong", "4:HT"),))
    )
    edited = await process.send("telegram", "501", OutboundText("Nhiệm vụ 1: xong", replaces=sent))
    document = await process.send("telegram", "501", OutboundFile("bao-cao.docx", b"PK\x03\x04"))
    card, report = fake.messages_to(501)
    assert str(card["message_id"]) == sent == edited and card["text"] == "Nhiệm vụ 1: xong"
    assert (
        str(report["message_id"]) == document and report["document"]["file_name"] == "bao-cao.docx"
    )


async def test_a_blocked_chat_is_unreachable_and_a_429_says_when(
    fake: FakeTelegram, process: SendingProcess
) -> None:
    fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(SendFailed) as blocked:
        await process.send("telegram", "501", OutboundText("Nhắc việc"))
    assert blocked.value.unreachable and blocked.value.permanent
    # Longer than the limiter waits itself: the delivery loop is told when to try again.
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 300", retry_after=300)
    with pytest.raises(SendFailed) as limited:
        await process.send("telegram", "501", OutboundText("Nhắc việc"))
    assert limited.value.retry_after == 300 and not limited.value.permanent
    assert "Too Many Requests" in str(limited.value)


async def test_a_child_that_dies_fails_as_retryable_and_is_started_again(
    fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One message a second in a chat: the second waits in the child when it is killed.
    process = _process(fake, monkeypatch, per_chat=1)
    await process.start()
    try:
        await process.send("telegram", "501", OutboundText("Trước"))
        waiting = asyncio.create_task(process.send("telegram", "501", OutboundText("Lúc chết")))
        await asyncio.sleep(0.2)
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        with pytest.raises(SendFailed) as failed:
            await waiting
        assert not failed.value.permanent
        await process.send("telegram", "501", OutboundText("Sau"))
        assert [m["text"] for m in fake.messages_to(501)] == ["Trước", "Sau"]
    finally:
        await process.stop(5)


async def test_a_child_that_stops_answering_is_replaced(
    fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    process = _process(fake, monkeypatch, per_chat=1000, answer_within=2)
    await process.start()
    try:
        stuck = process.pid
        assert stuck is not None
        os.kill(stuck, signal.SIGSTOP)
        with pytest.raises(SendFailed) as failed:
            await process.send("telegram", "501", OutboundText("Không ai trả lời"))
        assert not failed.value.permanent
        async with asyncio.timeout(10):
            while process.pid is not None:  # the killed child is waited for
                await asyncio.sleep(0.05)
        await process.send("telegram", "501", OutboundText("Tiến trình mới"))
        assert process.pid not in (None, stuck)
        assert [m["text"] for m in fake.messages_to(501)] == ["Tiến trình mới"]
    finally:
        await process.stop(5)

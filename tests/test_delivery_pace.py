"""The delivery loop keeps as many rows in flight as a channel's rate needs, records the outcomes
of many sends in one transaction, and still sends each chat's rows in order."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from outbox_helpers import RecordingSender, queue

from bot.app import Application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.delivery import Delivery
from bot.sending import OutboundMessage, OutboundText, SendingPort
from handlers.events import TextReply
from storage.repositories import Repositories

TELEGRAM = PLATFORM_CAPABILITIES[Platform.TELEGRAM]


class HeldSender(RecordingSender):
    """Holds every send until released, counting how many are held at once."""

    def __init__(self, name: str) -> None:
        super().__init__(name, TELEGRAM)
        self.held = 0
        self.most_held = 0
        self.release = asyncio.Event()

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        self.held += 1
        self.most_held = max(self.most_held, self.held)
        await self.release.wait()
        self.held -= 1
        return await super().send(chat_id, message)


class PacedHeldSender(HeldSender):
    """Says its rate, as the Telegram adapter does: 30 a second."""

    messages_per_second = 30.0


def _delivery(
    application: Application,
    transaction: Callable[[], AbstractAsyncContextManager[Repositories]],
    *senders: RecordingSender,
) -> Delivery:
    ports = {
        sender.name: SendingPort(sender, transaction, application.clock, "Asia/Ho_Chi_Minh")
        for sender in senders
    }
    return Delivery(transaction, ports, "tester", "vi")


async def _queue_chats(application: Application, channel: str, chats: int, each: int) -> None:
    for chat in range(chats):
        texts = [TextReply(f"{chat}:{n}") for n in range(each)]
        await queue(application, channel, f"c{chat}", texts)


async def _most_in_flight(application: Application, sender: HeldSender, chats: int) -> int:
    async with application.transaction() as repositories:
        await repositories.channels.ensure(sender.name, Platform.TELEGRAM)
    await _queue_chats(application, sender.name, chats, 1)
    delivering = asyncio.create_task(
        _delivery(application, application.transaction, sender).deliver_due()
    )
    while sender.held < min(chats, 8):
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)  # any more that were going to start
    most = sender.most_held
    sender.release.set()
    assert await delivering == chats
    return most


async def test_a_paced_channel_has_twice_its_rate_in_flight(application: Application) -> None:
    # 30 a second, one a second per chat: a second's rows may wait for their chats' turn.
    assert await _most_in_flight(application, PacedHeldSender("tg"), 70) == 60


async def test_a_channel_without_a_rate_has_8_in_flight(application: Application) -> None:
    assert await _most_in_flight(application, HeldSender("plain"), 20) == 8


class ShuffledSender(RecordingSender):
    """Answers after a random short while, so sends finish out of the order they began."""

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        await asyncio.sleep(random.random() / 100)
        return await super().send(chat_id, message)


async def test_outcomes_recorded_together_keep_each_chats_order(
    application: Application,
) -> None:
    opened = 0

    @asynccontextmanager
    async def counted() -> AsyncIterator[Repositories]:
        nonlocal opened
        opened += 1
        async with application.transaction() as repositories:
            yield repositories

    async with application.transaction() as repositories:
        await repositories.channels.ensure("tg", Platform.TELEGRAM)
    sender = ShuffledSender("tg", TELEGRAM)
    chats, each = 30, 4
    await _queue_chats(application, "tg", chats, each)
    assert await _delivery(application, counted, sender).deliver_due() == chats * each
    by_chat: dict[str, list[str]] = {}
    for chat_id, message in sender.delivered:
        assert isinstance(message, OutboundText)
        by_chat.setdefault(chat_id, []).append(message.text)
    assert by_chat == {f"c{c}": [f"{c}:{n}" for n in range(each)] for c in range(chats)}
    # Claim and record share a transaction, and one records many: far fewer than a row's one.
    assert opened < chats * each / 4
    async with application.transaction() as repositories:
        assert await repositories.outbox.pending("tg") == []

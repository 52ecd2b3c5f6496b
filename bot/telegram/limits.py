"""The outgoing request middleware: keeps to Telegram's sending limits, and waits out a 429
(Telegram's `retry_after`) a bounded number of times before the delivery loop takes over.

Requests reach Telegram later than they leave, and unevenly (a busy process writes some late,
then several at once), so the limits are kept with room to spare where that costs nothing: the
bot's messages go in bursts of at most a third of a second's worth (catching up after a pause
without spending Telegram's whole allowance for a burst, the rest of which absorbs the
unevenness), and a private chat's next message waits a second after the previous one's answer
came back (its rows go one after the other anyway), not after it left."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiolimiter import AsyncLimiter

from bot.telegram.settings import TelegramSettings

log = logging.getLogger(__name__)

# Limiters of this many chats are kept; the least recently used is forgotten first.
CHATS_KEPT = 10_000
# The bot's messages may go this many seconds' worth at once (Telegram allows about one).
BOT_BURST_SECONDS = 1 / 3


@dataclass
class _PrivateChat:
    """A private chat's turn: one message at a time, `interval` after the last one's answer."""

    interval: float
    next_at: float = 0.0
    busy: asyncio.Lock = field(default_factory=asyncio.Lock)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        async with self.busy:
            await asyncio.sleep(max(0.0, self.next_at - loop.time()))
            try:
                yield
            finally:
                self.next_at = loop.time() + self.interval


class SendingLimits(BaseRequestMiddleware):
    def __init__(self, settings: TelegramSettings) -> None:
        self._settings = settings
        burst = max(1.0, settings.messages_per_second * BOT_BURST_SECONDS)
        self._bot = AsyncLimiter(burst, burst / settings.messages_per_second)
        self._chats: OrderedDict[str, AsyncLimiter | _PrivateChat] = OrderedDict()

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        chat_id = _chat_of(method)
        chat = None if chat_id is None else self._chat(chat_id)
        waited = 0
        while True:
            try:
                if isinstance(chat, _PrivateChat):
                    async with chat.turn():
                        await self._bot.acquire()
                        return await make_request(bot, method)
                if chat is not None:
                    async with chat, self._bot:
                        pass
                elif method.__api_method__ in _BOT_WIDE:
                    async with self._bot:
                        pass
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                too_long = error.retry_after > self._settings.longest_wait
                if waited >= self._settings.retries_after_429 or too_long:
                    raise
                log.warning(
                    "%s: Telegram asked to wait %s s", method.__api_method__, error.retry_after
                )
                waited += 1
                await asyncio.sleep(error.retry_after)

    def _chat(self, chat_id: str) -> AsyncLimiter | _PrivateChat:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            # Group and supergroup ids are negative; a private chat's is the person's id.
            if chat_id.startswith("-"):
                limiter = AsyncLimiter(self._settings.group_per_minute, 60)
            else:
                limiter = _PrivateChat(1 / self._settings.private_chat_per_second)
            self._chats[chat_id] = limiter
            if len(self._chats) > CHATS_KEPT:
                self._chats.popitem(last=False)
        else:
            self._chats.move_to_end(chat_id)
        return limiter


# Calls that are not messages but come in hundreds (a menu for each member at start): kept to
# the bot's rate too.
_BOT_WIDE = {"setMyCommands", "deleteMyCommands"}


def _chat_of(method: TelegramMethod[Any]) -> str | None:
    """The chat a message-sending call writes to; None for every other call (polling,
    answering a press, the bot's settings), which is not limited."""
    name = method.__api_method__
    if not (name.startswith("send") or name.startswith("editMessage")):
        return None
    chat_id = getattr(method, "chat_id", None)
    return None if chat_id is None else str(chat_id)

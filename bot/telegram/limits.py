"""The outgoing request middleware: keeps to Telegram's sending limits, and waits out a 429
(Telegram's `retry_after`) a bounded number of times before the delivery loop takes over."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
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


class SendingLimits(BaseRequestMiddleware):
    def __init__(self, settings: TelegramSettings) -> None:
        self._settings = settings
        self._bot = AsyncLimiter(settings.messages_per_second, 1)
        self._chats: OrderedDict[str, AsyncLimiter] = OrderedDict()

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        chat_id = _chat_of(method)
        waited = 0
        while True:
            if chat_id is not None:
                async with self._chat(chat_id), self._bot:
                    pass
            elif method.__api_method__ in _BOT_WIDE:
                async with self._bot:
                    pass
            try:
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

    def _chat(self, chat_id: str) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            # Group and supergroup ids are negative; a private chat's is the person's id.
            if chat_id.startswith("-"):
                limiter = AsyncLimiter(self._settings.group_per_minute, 60)
            else:
                limiter = AsyncLimiter(self._settings.private_chat_per_second, 1)
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

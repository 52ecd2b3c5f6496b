"""The Telegram bot as the sending port's `ChannelSender`: one neutral message out, the Bot
API's failures turned into what the delivery loop should do about them."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.enums import ChatAction
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
)
from aiogram.methods import EditMessageText, TelegramMethod
from aiogram.types import Message

from bot.channels import Capabilities
from bot.sending import OutboundFile, OutboundMessage, SendFailed
from bot.telegram.rendering import file_method, sent_anew, text_methods

log = logging.getLogger(__name__)

# An edit that failed because the card cannot be edited any more: it is sent anew.
_NOT_EDITABLE = ("message to edit not found", "message can't be edited", "message_id_invalid")


class TelegramSender:
    def __init__(
        self, name: str, capabilities: Capabilities, bot: Bot, messages_per_second: float
    ) -> None:
        """`messages_per_second`: the bot's sending limit (bot/telegram/limits.py keeps to it)."""
        self._name = name
        self._capabilities = capabilities
        self._bot = bot
        self._messages_per_second = messages_per_second

    @property
    def name(self) -> str:
        return self._name

    @property
    def messages_per_second(self) -> float:
        return self._messages_per_second

    @property
    def capabilities(self) -> Capabilities:
        return self._capabilities

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        """Deliver one message (a long text as several); the id of the last one Telegram
        made. Raises `SendFailed`: unreachable when the person blocked the bot or the chat
        is gone, with Telegram's `retry_after` on a 429 the limiter did not wait out."""
        methods: list[TelegramMethod[Any]]
        if isinstance(message, OutboundFile):
            methods = [file_method(chat_id, message)]
        else:
            methods = list(text_methods(chat_id, message))
        sent = ""
        for method in methods:
            sent = await self._call(method)
        return sent

    async def show_working(self, chat_id: str) -> None:
        # Bot API "sendChatAction": shown for 5 seconds or until the bot's next message.
        await self._bot.send_chat_action(chat_id=chat_id, action=ChatAction.UPLOAD_DOCUMENT)

    async def _call(self, method: TelegramMethod[Any]) -> str:
        try:
            return _message_id(await self._bot(method))
        except TelegramMigrateToChat as moved:
            # The group became a supergroup; the registration follows its migration update.
            method.chat_id = moved.migrate_to_chat_id  # type: ignore[attr-defined]
            return await self._call(method)
        except TelegramBadRequest as error:
            if isinstance(method, EditMessageText):
                if "message is not modified" in error.message:
                    return str(method.message_id)
                if any(words in error.message.lower() for words in _NOT_EDITABLE):
                    return await self._call(sent_anew(method))
            # "chat not found" (the chat is gone: 400 "Bad Request: chat not found"), a text
            # Telegram refuses: the same request fails again.
            gone = "chat not found" in error.message.lower()
            raise SendFailed(self._reason(error), permanent=True, unreachable=gone) from error
        except TelegramRetryAfter as error:
            raise SendFailed(self._reason(error), retry_after=error.retry_after) from error
        except TelegramForbiddenError as error:
            # 403 "Forbidden: bot was blocked by the user" (or the user is deactivated, the
            # bot was removed from the group): nothing reaches that chat until they write.
            raise SendFailed(self._reason(error), unreachable=True) from error
        except TelegramEntityTooLarge as error:
            raise self._failed(error, permanent=True) from error
        except TelegramAPIError as error:
            # The network, Telegram's 5xx, a revoked token: the delivery loop tries again.
            raise self._failed(error, permanent=False) from error

    def _failed(self, error: TelegramAPIError, *, permanent: bool) -> SendFailed:
        return SendFailed(self._reason(error), permanent=permanent)

    def _reason(self, error: TelegramAPIError) -> str:
        # A network error may quote the request's URL, which holds the token.
        return f"{type(error).__name__}: {error.message}".replace(self._bot.token, "<token>")


def _message_id(result: object) -> str:
    if isinstance(result, Message):
        return str(result.message_id)
    # editMessageText answers True for messages sent via inline mode, which this bot never sends.
    return ""

"""One Telegram update handled, whichever way it came (polling or webhook): to the dispatcher
as a neutral event, a group's move to its registration, and every button press answered."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import Update

from bot.runner import ChannelState, RunContext
from bot.telegram.menus import Menus
from bot.telegram.updates import BotAccount, GroupMoved, read_update
from handlers.events import EventKind, IncomingEvent

log = logging.getLogger(__name__)


class UpdateHandler:
    def __init__(
        self,
        channel: str,
        bot: Bot,
        account: BotAccount,
        context: RunContext,
        state: ChannelState,
        menus: Menus,
    ) -> None:
        self._channel = channel
        self._menus = menus
        self._bot = bot
        self._account = account
        self._context = context
        self._state = state

    async def handle(self, update: Update) -> None:
        """Never raises: a failing turn is the dispatcher's to apologise for, and an update
        that fails here must not stop the ones after it."""
        self._state.seen(self._context.clock)
        try:
            read = read_update(update, self._channel, self._account)
            if isinstance(read, GroupMoved):
                async with self._context.transaction() as repositories:
                    await repositories.groups.move(
                        self._channel, read.old_chat_id, read.new_chat_id
                    )
                log.info(
                    "group %s of %s became %s", read.old_chat_id, self._channel, read.new_chat_id
                )
            elif read is not None:
                await self._context.dispatcher.handle(read)
                if _may_register(read):
                    await self._menus.set_for_person(read.sender.user_id)
        except Exception:
            log.exception("update %s of %s failed", update.update_id, self._channel)
        finally:
            if update.callback_query is not None:
                await self._answer_press(update.callback_query.id)

    async def _answer_press(self, callback_id: str) -> None:
        """Telegram shows a spinner on the button until the press is answered; the reply itself
        comes as a message (or the card's edit)."""
        try:
            await self._bot(AnswerCallbackQuery(callback_query_id=callback_id))
        except TelegramAPIError as error:
            # A press older than Telegram keeps (about 15 minutes) can no longer be answered.
            log.info("press %s of %s not answered: %s", callback_id, self._channel, error.message)


def _may_register(event: IncomingEvent) -> bool:
    """/start in a private chat: how a person registers or gains a role (an invite's code)."""
    return event.kind is EventKind.COMMAND and event.command == "start" and event.is_private

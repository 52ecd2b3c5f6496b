"""Who sees which command menu (setMyCommands), in Vietnamese and English: the citizens'
commands in every private chat and the coordinators' in groups; and in a registered member's
own private chat (BotCommandScopeChat) the commands of their roles, so a coordinator sees the
coordinators', a unit head the heads'. A member's menu is set when they send /start (how they
register) and, for the most recently registered, each time the bot starts: a role given or
taken (`/thuhoi`, `reportbot member remove`) while it ran reaches the menu then. Every call goes through the sending
limits (bot/telegram/limits.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import SetMyCommands
from aiogram.types import (
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)

from bot.channels import Platform
from bot.telegram.commands import menu
from handlers.i18n import use_locale
from handlers.router import Command
from storage.repositories import Repositories
from storage.vocabulary import Role

log = logging.getLogger(__name__)

# The menu in each language Telegram shows it in; None is everyone else's.
MENU_LANGUAGES = (("vi", None), ("en", "en"))
# Members whose menus are set at start, the most recently registered first: two calls each,
# at the bot's 30 a second.
MEMBERS_AT_START = 500


class Menus:
    def __init__(
        self,
        channel: str,
        bot: Bot,
        commands: list[Command],
        transaction: Callable[[], AbstractAsyncContextManager[Repositories]],
    ) -> None:
        self._channel = channel
        self._bot = bot
        self._commands = commands
        self._transaction = transaction

    async def set_for_everyone(self) -> None:
        """Citizens' commands in private chats, coordinators' in groups."""
        await self._set(BotCommandScopeDefault(), set(), citizen=True)
        await self._set(BotCommandScopeAllGroupChats(), {Role.COORDINATOR}, citizen=False)

    async def set_for_person(self, user_id: str) -> None:
        """The menu of the member behind this Telegram account (in its private chat, whose id
        is the account's), if they are one; one whose roles ended gets the menu of no role."""
        async with self._transaction() as repositories:
            member = await repositories.identities.member_for(Platform.TELEGRAM.value, user_id)
        if member is not None:
            await self._set_for_chat(user_id, {role.role for role in member.roles})

    async def set_for_members(self) -> None:
        """Every recently registered member's menu, of the roles they hold now: at start."""
        async with self._transaction() as repositories:
            known = await repositories.identities.roles_by_account(
                Platform.TELEGRAM.value, self._channel, MEMBERS_AT_START
            )
        for user_id, roles in known.items():
            await self._set_for_chat(user_id, roles)
        log.info("menus of %s members of %s set", len(known), self._channel)

    async def _set_for_chat(self, user_id: str, roles: set[Role]) -> None:
        try:
            chat_id = int(user_id)
        except ValueError:
            return
        await self._set(BotCommandScopeChat(chat_id=chat_id), roles, citizen=False)

    async def _set(
        self,
        scope: BotCommandScopeDefault | BotCommandScopeAllGroupChats | BotCommandScopeChat,
        roles: set[Role],
        *,
        citizen: bool,
    ) -> None:
        """A menu is a convenience: a failure is logged, never in the way of the turn."""
        for locale, language in MENU_LANGUAGES:
            with use_locale(locale):
                commands = menu(self._commands, roles=roles, citizen=citizen)
            try:
                await self._bot(
                    SetMyCommands(commands=commands, scope=scope, language_code=language)
                )
            except TelegramAPIError as error:
                log.warning(
                    "setMyCommands (%s) of %s failed: %s", scope.type, self._channel, error.message
                )
                return

"""The bot's command menu (setMyCommands), in Vietnamese and English, from the commands the
dispatcher knows and their one wording of help."""

from __future__ import annotations

import re
from collections.abc import Iterable

from aiogram.types import BotCommand

from handlers.router import Command
from storage.vocabulary import Role

# Telegram's rules for a menu entry.
_NAME = re.compile(r"[a-z0-9_]{1,32}")
DESCRIPTION_LIMIT = 256


def menu(commands: Iterable[Command], *, roles: set[Role], citizen: bool) -> list[BotCommand]:
    """The distinct commands someone with `roles` (or a citizen) may use, described in the
    current locale; the help line "/start MÃ — đăng ký…" gives the words after its dash."""
    entries: list[BotCommand] = []
    seen: set[str] = set()
    for command in commands:
        if command.name in seen or not _NAME.fullmatch(command.name):
            continue
        if not command.allowed(roles, citizen):
            continue
        seen.add(command.name)
        line = command.describe()
        _usage, dash, words = line.partition(" — ")
        description = (words if dash else line).strip()[:DESCRIPTION_LIMIT] or command.name
        entries.append(BotCommand(command=command.name, description=description))
    return entries

"""While a chat's files are made, its messenger shows the bot at work ("typing…"): a Word
report takes seconds, and a silent chat reads as a bot that did not hear. Platforms drop the
sign after about five seconds, so it is shown again until the files are made."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from typing import Protocol, runtime_checkable

log = logging.getLogger(__name__)


@runtime_checkable
class ShowsWorking(Protocol):
    async def show_working(self, chat_id: str) -> None:
        """Show the chat that the bot is at work; not a message, nothing is counted."""
        ...


class WorkingSign:
    def __init__(self, senders: Mapping[str, object], *, every: float = 4.0) -> None:
        """`senders` by channel name; those that cannot show the sign are left quiet."""
        self._senders = dict(senders)
        self._every = every

    @asynccontextmanager
    async def __call__(self, channel: str, chat_id: str) -> AsyncIterator[None]:
        sender = self._senders.get(channel)
        if not isinstance(sender, ShowsWorking):
            yield
            return
        showing = asyncio.create_task(self._keep_showing(sender, chat_id))
        try:
            yield
        finally:
            showing.cancel()
            with suppress(asyncio.CancelledError):
                await showing

    async def _keep_showing(self, sender: ShowsWorking, chat_id: str) -> None:
        while True:
            try:
                await sender.show_working(chat_id)
            except Exception as error:  # only a sign: a refusal here changes nothing else
                log.info("could not show the working sign in chat %s: %s", chat_id, error)
                return
            await asyncio.sleep(self._every)

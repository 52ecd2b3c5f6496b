"""Long polling with getUpdates under the channel's lease: one poller per bot across every
process. An update is confirmed (the next offset) only once it has been handled, so a process
that dies mid-batch leaves it to be delivered again, and the dispatcher processes it once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramConflictError
from aiogram.methods import DeleteWebhook, GetUpdates
from aiogram.types import Update

from bot.runner import ChannelState
from bot.telegram.turns import UpdateHandler

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
# Waits after failed polls, doubling up to the longest.
FIRST_WAIT = 1.0
LONGEST_WAIT = 30.0


class Poller:
    def __init__(
        self,
        channel: str,
        bot: Bot,
        handler: UpdateHandler,
        state: ChannelState,
        timeout: int,
        stopping: asyncio.Event,
    ) -> None:
        self._channel = channel
        self._stopping = stopping
        self._bot = bot
        self._handler = handler
        self._state = state
        self._timeout = timeout
        self._offset: int | None = None
        self._request: asyncio.Task[list[Update]] | None = None

    async def run(self, holding: Callable[[], bool]) -> None:
        """Poll while `holding()` (the lease is ours and the process is not stopping)."""
        # A webhook left set makes every getUpdates a 409.
        await self._bot(DeleteWebhook(drop_pending_updates=False))
        self._state.mode = "polling"
        wait = FIRST_WAIT
        while holding():
            try:
                updates = await self._poll()
            except asyncio.CancelledError:
                if not holding():
                    break
                raise
            except TelegramConflictError as error:
                # Another poller with this token (outside this database's leases), or a webhook.
                self._state.problem = error.message
                log.warning("polling %s: %s", self._channel, error.message)
                await self._sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)
                continue
            except TelegramAPIError as error:
                self._state.problem = error.message
                log.warning("polling %s failed: %s", self._channel, error.message)
                await self._sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)
                continue
            wait = FIRST_WAIT
            self._state.problem = None
            if updates:
                # Side by side; the dispatcher keeps one person's events in arrival order.
                await asyncio.gather(*(self._handler.handle(update) for update in updates))
                self._offset = max(update.update_id for update in updates) + 1
        await self._confirm()
        self._state.mode = "standby"

    def interrupt(self) -> None:
        """Stop waiting on a long poll (stopping): its updates are not confirmed, so none is lost."""
        if self._request is not None:
            self._request.cancel()

    async def _poll(self) -> list[Update]:
        method = GetUpdates(
            offset=self._offset, timeout=self._timeout, allowed_updates=ALLOWED_UPDATES
        )
        self._request = asyncio.ensure_future(self._bot(method, request_timeout=self._timeout + 10))
        try:
            return await self._request
        finally:
            self._request = None

    async def _confirm(self) -> None:
        """Tell Telegram the handled updates are done, so the next poller does not get them
        again (it would process them once anyway)."""
        if self._offset is None:
            return
        with suppress(TelegramAPIError, TimeoutError):
            await self._bot(GetUpdates(offset=self._offset, timeout=0, limit=1), request_timeout=3)

    async def _sleep(self, seconds: float) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

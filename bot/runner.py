"""What `reportbot run` gives each channel's adapter, and what it asks of one.

An adapter turns its platform's updates into neutral events for the dispatcher and sends
through the sending port; it builds no server and no delivery loop of its own: its webhook is a
route on the one web server, its outbound messages are outbox rows the delivery loop hands to
its `ChannelSender`, and its polling runs only while it holds the channel's lease.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from aiohttp import web

from bot.config import ChannelSettings, Settings
from bot.sending import ChannelSender
from handlers.dispatcher import Dispatcher
from storage.clock import Clock
from storage.repositories import Repositories

log = logging.getLogger(__name__)

WebhookHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# A lease runs this long unless renewed; its holder renews it three times as often.
LEASE_TIME = timedelta(seconds=15)


@dataclass
class ChannelState:
    """What /healthz shows of a channel."""

    mode: str = "stopped"  # "polling", "standby" (another process polls), "webhook"
    last_update_at: datetime | None = None
    problem: str | None = None

    def seen(self, clock: Clock) -> None:
        self.last_update_at = clock.now()


@dataclass
class RunContext:
    """The shared parts of a running process, as an adapter sees them."""

    dispatcher: Dispatcher
    transaction: Callable[[], AbstractAsyncContextManager[Repositories]]
    clock: Clock
    holder: str
    # The address this server is reached at from outside (webhooks, file links).
    public_url: str
    stopping: asyncio.Event
    routes: dict[str, WebhookHandler] = field(default_factory=dict)

    def add_webhook(self, path: str, handler: WebhookHandler) -> str:
        """Serve `handler` at `path` (POST) on the one web server; returns its public address."""
        if path in self.routes:
            raise ValueError(f"two channels want the webhook path {path}")
        self.routes[path] = handler
        return self.public_url.rstrip("/") + path

    @asynccontextmanager
    async def leading(self, channel: str) -> AsyncIterator[Callable[[], bool]]:
        """Hold the channel's lease while the block runs, renewing it; yields "do I still
        hold it?". Waits while another process holds it (standby), and gives it up on exit."""
        while not self.stopping.is_set() and not await self._take(channel):
            await sleep_unless(self.stopping, LEASE_TIME.total_seconds() / 3)
        held = not self.stopping.is_set()

        async def renew() -> None:
            nonlocal held
            while held and not self.stopping.is_set():
                await sleep_unless(self.stopping, LEASE_TIME.total_seconds() / 3)
                try:
                    held = await self._take(channel)
                except Exception:
                    log.exception("renewing the lease of %s failed", channel)
                    held = False
                if not held:
                    log.warning("lost the polling lease of %s", channel)

        renewing = asyncio.create_task(renew())
        try:
            yield lambda: held and not self.stopping.is_set()
        finally:
            renewing.cancel()
            async with self.transaction() as repositories:
                await repositories.leases.give_up(channel, self.holder)

    async def first_to_start(self, channel: str) -> bool:
        """True in one of the processes starting `channel` at the same time: it takes the
        channel's lease (renewed by its poller, if it polls; left to run out, if not), so a
        start-up job is not repeated by every process."""
        return await self._take(channel)

    async def _take(self, channel: str) -> bool:
        async with self.transaction() as repositories:
            return await repositories.leases.take(channel, self.holder, LEASE_TIME)


async def sleep_unless(stopping: asyncio.Event, seconds: float) -> None:
    """Wait `seconds`, or less if `stopping` is set meanwhile."""
    with suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)


class ChannelRunner(Protocol):
    """One channel's adapter, as `reportbot run` drives it."""

    @property
    def settings(self) -> ChannelSettings: ...

    @property
    def sender(self) -> ChannelSender: ...

    @property
    def state(self) -> ChannelState: ...

    async def start(self, context: RunContext) -> None:
        """Begin receiving: add a webhook route, or start polling under the channel's lease
        (as a task: this returns at once)."""
        ...

    async def stop(self) -> None:
        """Stop receiving; an update being handled finishes."""
        ...

    async def check(self) -> list[str]:
        """Ask the platform who this bot is and how its webhook stands; what is wrong, in
        words for the operator (empty when all is well)."""
        ...


# Makes a platform's runner for one configured channel (bot/adapters.py lists them).
RunnerFactory = Callable[[ChannelSettings, Settings], ChannelRunner]

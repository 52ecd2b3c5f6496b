"""A Zalo Bot channel inside `reportbot run`: long polling under the channel's lease, or a
webhook route on the one web server when a public URL and a webhook secret are set."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import aiohttp
from aiohttp import web

from bot.config import ChannelSettings, Settings
from bot.runner import ChannelState, RunContext
from bot.zalo_bot.client import IDLE_POLL, UNAUTHORIZED, ZaloBotClient, ZaloBotError
from bot.zalo_bot.sender import ZaloBotSender
from bot.zalo_bot.updates import event_from_update, unwrap
from handlers.i18n import _

log = logging.getLogger(__name__)

# docs/ZALO_BOT_API.md "getUpdates": `timeout` in seconds, default 30.
POLL_SECONDS = 30
# docs/ZALO_BOT_API.md "setWebhook": the secret is 8 to 256 characters, sent back in this header.
SECRET_HEADER = "X-Bot-Api-Secret-Token"
SECRET_LENGTHS = range(8, 257)
_RETRY_SECONDS = (1, 2, 5, 10, 30)


class ZaloBotRunner:
    def __init__(self, channel: ChannelSettings, settings: Settings) -> None:
        if channel.token is None:
            raise ValueError(f"channel {channel.name} has no token")
        self.settings = channel
        self.state = ChannelState()
        self._api_base = channel.api_base or settings.zalo_bot_api_base
        secret = channel.webhook_secret or settings.zalo_bot_webhook_secret
        self._webhook_secret = secret.get_secret_value() if secret else None
        self._public = settings.public_url is not None
        self._token = channel.token.get_secret_value()
        self._http: aiohttp.ClientSession | None = None
        self._client = ZaloBotClient(self._session, self._api_base, self._token)
        self.sender = ZaloBotSender(channel.name, channel.capabilities(), self._client)
        self._task: asyncio.Task[None] | None = None

    def _session(self) -> aiohttp.ClientSession:
        # Made on first use, inside the running loop, as aiohttp requires.
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        return self._http

    async def _close(self) -> None:
        if self._http is not None:
            await self._http.close()

    @property
    def _uses_webhook(self) -> bool:
        return self._public and self._webhook_secret is not None

    async def start(self, context: RunContext) -> None:
        if self._uses_webhook:
            url = context.add_webhook(f"/zalo-bot/{self.settings.name}", self._webhook(context))
            await self._client.call(
                "setWebhook", {"url": url, "secret_token": self._webhook_secret}
            )
            self.state.mode = "webhook"
            return
        self.state.mode = "standby"
        self._task = asyncio.create_task(self._poll(context))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
        await self._close()
        self.state.mode = "stopped"

    async def check(self) -> list[str]:
        problems: list[str] = []
        try:
            await self._client.call("getMe")
        except ZaloBotError as error:
            if error.code == UNAUTHORIZED:
                problems.append(_("Mã bot (token) không đúng hoặc đã bị thu hồi."))
            else:
                problems.append(
                    _("Không hỏi được Zalo (getMe): {error}").format(error=error.description)
                )
            await self._close()
            return problems
        try:
            info = await self._client.call("getWebhookInfo") or {}
        except ZaloBotError as error:
            info = {}
            problems.append(
                _("Không xem được webhook (getWebhookInfo): {error}").format(
                    error=error.description
                )
            )
        webhook = info.get("url") if isinstance(info, dict) else None
        if self._uses_webhook and not webhook:
            problems.append(_("Chưa đặt webhook; «reportbot run» sẽ đặt khi chạy."))
        if not self._uses_webhook and webhook:
            problems.append(
                _(
                    "Bot đang có webhook nên không nhận tin bằng cách hỏi định kỳ; «reportbot run» sẽ gỡ webhook khi chạy."
                )
            )
        if self._webhook_secret is not None and len(self._webhook_secret) not in SECRET_LENGTHS:
            problems.append(_("Khóa bí mật của webhook phải dài từ 8 đến 256 ký tự."))
        await self._close()
        return problems

    async def _poll(self, context: RunContext) -> None:
        """Poll while this process holds the channel's lease (waiting for it otherwise, and
        again if it is lost); 408 means nothing came."""
        while not context.stopping.is_set():
            async with context.leading(self.settings.name) as still_leading:
                if still_leading():
                    self.state.mode = "polling"
                    await self._poll_while(context, still_leading)
            self.state.mode = "standby"

    async def _poll_while(self, context: RunContext, still_leading: Callable[[], bool]) -> None:
        name = self.settings.name
        failures = 0
        # docs/ZALO_BOT_API.md: getUpdates does not work while a webhook is set.
        with suppress(ZaloBotError):
            await self._client.call("deleteWebhook")
        while still_leading():
            try:
                update = await self._client.call(
                    "getUpdates", {"timeout": str(POLL_SECONDS)}, timeout=POLL_SECONDS + 10
                )
                failures = 0
            except ZaloBotError as error:
                if error.code == IDLE_POLL:
                    continue
                self.state.problem = str(error)
                log.warning("polling %s failed: %s", name, error)
                await asyncio.sleep(_RETRY_SECONDS[min(failures, len(_RETRY_SECONDS) - 1)])
                failures += 1
                continue
            self.state.problem = None
            await self._handle(context, update)

    async def _handle(self, context: RunContext, body: Any) -> None:
        update = unwrap(body)
        event = event_from_update(update, self.settings.name) if update else None
        if event is None:
            log.info("an update of %s without a message was ignored", self.settings.name)
            return
        self.state.seen(context.clock)
        await context.dispatcher.handle(event)

    def _webhook(self, context: RunContext) -> Any:
        expected = self._webhook_secret or ""

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), expected.encode()):
                log.warning("a webhook call to %s had a wrong secret", self.settings.name)
                raise web.HTTPUnauthorized()
            try:
                body = await request.json()
            except ValueError:
                raise web.HTTPBadRequest() from None
            await self._handle(context, body)
            return web.json_response({"ok": True})

        return receive


def zalo_bot_runner(channel: ChannelSettings, settings: Settings) -> ZaloBotRunner:
    return ZaloBotRunner(channel, settings)

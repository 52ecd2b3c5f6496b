"""Webhook mode: Telegram POSTs each update to this bot's route on the one web server, with the
secret it was given in X-Telegram-Bot-Api-Secret-Token. A call without it is refused (401) and
nothing in it is processed; a body that is not an Update is a 400. A 2xx is answered only once
the update is handled, so Telegram delivers it again if this process dies on the way."""

from __future__ import annotations

import hmac
import json
import logging

from aiogram import Bot
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from bot.telegram.turns import UpdateHandler

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookReceiver:
    def __init__(self, channel: str, bot: Bot, secret: str) -> None:
        self._channel = channel
        self._bot = bot
        self.secret = secret
        self.handler: UpdateHandler | None = None

    async def receive(self, request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning(
                "webhook of %s called without its secret, from %s", self._channel, request.remote
            )
            return web.Response(status=401)
        try:
            body = json.loads(await request.read())
            update = Update.model_validate(body, context={"bot": self._bot})
        except (ValueError, ValidationError):
            log.warning("webhook of %s: a body that is not an update", self._channel)
            return web.Response(status=400)
        if self.handler is None:
            # Still starting: Telegram tries again shortly.
            return web.Response(status=503)
        await self.handler.handle(update)
        return web.Response(status=200)

"""The Official Account channel under `reportbot run`: its signed webhook on the one web
server, and its sender, which answers each citizen's last message within the reply window."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import aiohttp
from aiohttp import web

from bot.channels import Capabilities
from bot.config import ChannelSettings, Settings
from bot.runner import ChannelState, RunContext
from bot.sending import OutboundFile, OutboundMessage, SendFailed
from bot.zalo_oa.api import OaApi, OaError
from bot.zalo_oa.tokens import TokenKeeper
from bot.zalo_oa.wire import (
    RATE_LIMITED,
    REPLY_WINDOW,
    SIGNATURE_HEADER,
    TOKEN_ERRORS,
    WINDOW_CLOSED_ERRORS,
    OaEvent,
    read_event,
    signed,
)
from handlers.events import EventKind, IncomingEvent, Sender, parse_text_event
from handlers.handoff import citizen_unreachable
from handlers.i18n import _
from storage.repositories.oa_tokens import TokenPair

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/zalo-oa/{name}"
# Zalo retries a webhook that does not answer 200 within 2 seconds, for 12 hours
# (hainh.me/zalo-api-php-webhook-callback-official-account.html): the turn runs before the
# answer (so nothing is lost), and takes milliseconds.
RATE_LIMIT_WAIT = 60.0


class OaSender:
    """Sends one message as a consultation reply to the citizen's last message."""

    def __init__(self, settings: ChannelSettings, api: OaApi) -> None:
        self._settings = settings
        self._api = api
        self._context: RunContext | None = None
        self._session: aiohttp.ClientSession | None = None
        self._keeper: TokenKeeper | None = None
        self._capabilities = settings.capabilities()

    @property
    def name(self) -> str:
        return self._settings.name

    @property
    def capabilities(self) -> Capabilities:
        return self._capabilities

    def started(
        self, context: RunContext, session: aiohttp.ClientSession, keeper: TokenKeeper
    ) -> None:
        self._context, self._session, self._keeper = context, session, keeper

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        context, session, keeper = self._context, self._session, self._keeper
        if context is None or session is None or keeper is None:
            raise SendFailed("the Official Account channel has not started yet")
        text = (
            message.caption or message.file_name
            if isinstance(message, OutboundFile)
            else message.text
        )
        async with context.transaction() as repositories:
            window = await repositories.reply_windows.get(self.name, chat_id)
        if window is None or window.closes_at <= context.clock.now():
            await self._unreachable(chat_id, text)
            raise SendFailed("the citizen's reply window is closed", permanent=True)
        pair = await keeper.current()
        if pair is None:
            raise SendFailed("no access token stored for this Official Account", permanent=True)
        try:
            try:
                return await self._api.reply(
                    session, pair.access_token, chat_id, window.message_id, text
                )
            except OaError as error:
                if error.code not in TOKEN_ERRORS:
                    raise
            # An expired token is refreshed once and the reply tried once more, never a loop.
            pair = await keeper.refresh(session, pair)
            return await self._api.reply(
                session, pair.access_token, chat_id, window.message_id, text
            )
        except OaError as error:
            if error.code in WINDOW_CLOSED_ERRORS:
                # "No interaction" or "out of quota": the window is shut, staff are told.
                await self._unreachable(chat_id, text)
                raise SendFailed(str(error), permanent=True) from None
            if error.code == RATE_LIMITED:
                raise SendFailed(str(error), retry_after=RATE_LIMIT_WAIT) from None
            raise SendFailed(str(error)) from None

    async def _unreachable(self, chat_id: str, text: str) -> None:
        assert self._context is not None
        ward_id = self._context.dispatcher.channel_ward_id
        async with self._context.transaction() as repositories:
            await repositories.reply_windows.close(self.name, chat_id)
            if ward_id is not None:
                await citizen_unreachable(
                    repositories, ward_id, self.name, self._settings.platform.value, chat_id, text
                )


class ZaloOaRunner:
    """Receives on the webhook (the Official Account has no polling)."""

    def __init__(self, settings: ChannelSettings, process: Settings) -> None:
        self._settings = settings
        secret = settings.secret_key.get_secret_value() if settings.secret_key else ""
        app_secret = settings.app_secret.get_secret_value() if settings.app_secret else ""
        self._app_id = settings.app_id or ""
        self._secret_key = secret
        self._api = OaApi(
            self._app_id, app_secret, process.zalo_oa_api_base, process.zalo_oa_oauth_base
        )
        self._sender = OaSender(settings, self._api)
        self._state = ChannelState()
        self._context: RunContext | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def settings(self) -> ChannelSettings:
        return self._settings

    @property
    def sender(self) -> OaSender:
        return self._sender

    @property
    def state(self) -> ChannelState:
        return self._state

    async def start(self, context: RunContext) -> None:
        self._context = context
        self._session = aiohttp.ClientSession()
        keeper = TokenKeeper(self._settings.name, self._api, context.transaction)
        await keeper.seed(self._configured_pair())
        self._sender.started(context, self._session, keeper)
        context.add_webhook(WEBHOOK_PATH.format(name=self._settings.name), self._webhook)
        self._state.mode = "webhook"
        problems = self._missing()
        self._state.problem = "; ".join(problems) or None

    async def stop(self) -> None:
        self._state.mode = "stopped"
        if self._session is not None:
            await self._session.close()

    async def check(self) -> list[str]:
        return self._missing()

    def _missing(self) -> list[str]:
        wanted = {
            "REPORTBOT_ZALO_OA_APP_ID": self._app_id,
            "REPORTBOT_ZALO_OA_SECRET_KEY": self._secret_key,
            "REPORTBOT_ZALO_OA_APP_SECRET": self._settings.app_secret,
            "REPORTBOT_ZALO_OA_REFRESH_TOKEN": self._settings.refresh_token,
            "REPORTBOT_ZALO_OA_WARD": self._settings.ward,
        }
        return [
            _("Kênh «{name}» thiếu {setting}.").format(name=self._settings.name, setting=setting)
            for setting, value in wanted.items()
            if not value
        ]

    def _configured_pair(self) -> TokenPair | None:
        if self._settings.token is None:
            return None
        refresh = self._settings.refresh_token
        return TokenPair(
            self._settings.token.get_secret_value(), refresh.get_secret_value() if refresh else ""
        )

    async def _webhook(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        if not self._secret_key or not signed(
            request.headers.get(SIGNATURE_HEADER), self._app_id, body, self._secret_key
        ):
            # Logged without the body: it may hold a citizen's personal data.
            log.warning(
                "a call to the webhook of %s was refused: not signed by Zalo", self.settings.name
            )
            raise web.HTTPUnauthorized()
        event = read_event(json.loads(body))
        context = self._context
        if event is None or context is None:
            return _ok()
        incoming = self._incoming(event)
        if incoming is None:
            return _ok()
        self._state.seen(context.clock)
        if event.message_id or event.name == "follow":
            sent_at = min(event.sent_at or context.clock.now(), context.clock.now())
            async with context.transaction() as repositories:
                await repositories.reply_windows.opened(
                    self.settings.name,
                    event.user_id,
                    event.message_id or "",
                    sent_at + REPLY_WINDOW,
                )
        await context.dispatcher.handle(incoming)
        return _ok()

    def _incoming(self, event: OaEvent) -> IncomingEvent | None:
        """The event for the flows: a text is a question, a follow a greeting, any other
        message from the citizen something the bot does not read; the rest is ignored (the
        OA's own messages come back as events too)."""
        sender = Sender(self.settings.platform.value, event.user_id)
        if event.name == "follow":
            found = IncomingEvent(
                event.update_id, sender, event.user_id, EventKind.COMMAND, command="start"
            )
        elif not event.from_citizen:
            return None
        elif event.text.strip():
            found = parse_text_event(event.update_id, sender, event.user_id, event.text)
        else:
            found = IncomingEvent(event.update_id, sender, event.user_id, EventKind.UNSUPPORTED)
        sent_order = int(event.sent_at.timestamp() * 1000) if event.sent_at else None
        return replace(
            found, channel=self.settings.name, message_id=event.message_id, sent_order=sent_order
        )


def _ok() -> web.Response:
    return web.json_response({"ok": True})

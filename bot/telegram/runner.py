"""The Telegram channel as `reportbot run` drives it: who the bot is, its command menu, then a
webhook route on the one web server (with a public URL) or long polling under the channel's
lease (without)."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import TypeVar

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError
from aiogram.methods import GetMe, GetWebhookInfo, SetWebhook, TelegramMethod
from aiogram.utils.token import TokenValidationError

from bot.config import ChannelSettings, Settings
from bot.runner import ChannelState, RunContext
from bot.telegram.files import download
from bot.telegram.limits import SendingLimits
from bot.telegram.menus import Menus
from bot.telegram.polling import ALLOWED_UPDATES, Poller
from bot.telegram.response_models import KeepResponseModels
from bot.telegram.sender import TelegramSender
from bot.telegram.settings import TelegramSettings
from bot.telegram.turns import UpdateHandler
from bot.telegram.updates import BotAccount
from bot.telegram.webhook import WebhookReceiver
from handlers.i18n import _

log = logging.getLogger(__name__)

T = TypeVar("T")

# Waits between attempts to learn who the bot is, doubling up to the longest.
FIRST_WAIT = 1.0
LONGEST_WAIT = 60.0


class TelegramRunner:
    def __init__(
        self,
        channel: ChannelSettings,
        settings: Settings,
        telegram: TelegramSettings | None = None,
    ) -> None:
        self._channel = channel
        self._telegram = telegram or TelegramSettings()
        if channel.token is None:
            raise ValueError(_("Kênh «{name}» chưa có mã bot (token).").format(name=channel.name))
        token = channel.token.get_secret_value()
        # A `[[channels]]` table may name its own Bot API server and secret.
        api_base = channel.api_base or self._telegram.api_base
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_base))
        session.middleware(KeepResponseModels())
        session.middleware(SendingLimits(self._telegram))
        try:
            self._bot = Bot(token, session=session)
        except TokenValidationError as error:
            raise ValueError(
                _(
                    "Mã bot Telegram của kênh «{name}» không đúng dạng (số:chữ, lấy từ @BotFather)."
                ).format(name=channel.name)
            ) from error
        self._sender = TelegramSender(
            channel.name, channel.capabilities(), self._bot, self._telegram.messages_per_second
        )
        self._state = ChannelState()
        self._public_url = settings.public_url
        secret = (
            channel.webhook_secret.get_secret_value()
            if channel.webhook_secret is not None
            else self._telegram.secret_for(token)
        )
        self._receiver = WebhookReceiver(channel.name, self._bot, secret)
        self._stopped = asyncio.Event()
        self._poller: Poller | None = None
        self._task: asyncio.Task[None] | None = None
        self._members_menus: asyncio.Task[None] | None = None

    @property
    def settings(self) -> ChannelSettings:
        return self._channel

    @property
    def sender(self) -> TelegramSender:
        return self._sender

    @property
    def state(self) -> ChannelState:
        return self._state

    def webhook_path(self) -> str:
        return f"/telegram/{self._channel.name}"

    async def start(self, context: RunContext) -> None:
        url = None
        if self._public_url:
            url = context.add_webhook(self.webhook_path(), self._receiver.receive)
        self._task = asyncio.create_task(self._receive(context, url))

    async def stop(self) -> None:
        self._stopped.set()
        if self._members_menus is not None:
            self._members_menus.cancel()
        if self._poller is not None:
            self._poller.interrupt()
        if self._task is not None:
            with suppress(asyncio.CancelledError):
                await self._task
        await self._bot.session.close()

    async def download(self, file_id: str) -> tuple[bytes, str | None]:
        """A file a person sent this bot (evidence), by its file id."""
        return await download(self._bot, self._channel.name, file_id)

    async def check(self) -> list[str]:
        problems: list[str] = []
        try:
            me = await self._bot(GetMe())
            info = await self._bot(GetWebhookInfo())
        except TelegramUnauthorizedError:
            return [
                _(
                    "Telegram không nhận mã bot: mã sai hoặc đã bị thu hồi; lấy mã mới từ @BotFather."
                )
            ]
        except TelegramAPIError as error:
            return [_("Không hỏi được Telegram: {error}").format(error=error.message)]
        finally:
            await self._bot.session.close()
        if self._public_url:
            wanted = self._public_url.rstrip("/") + self.webhook_path()
            if info.url != wanted:
                problems.append(
                    _(
                        "Webhook của @{bot} đang là «{url}», chưa phải «{wanted}»; "
                        "`reportbot run` sẽ đặt lại khi chạy."
                    ).format(bot=me.username, url=info.url or "—", wanted=wanted)
                )
        elif info.url:
            problems.append(
                _(
                    "@{bot} đang có webhook «{url}» nhưng chưa đặt REPORTBOT_PUBLIC_URL; "
                    "`reportbot run` sẽ xóa webhook và nhận tin bằng cách hỏi định kỳ."
                ).format(bot=me.username, url=info.url)
            )
        if info.last_error_message:
            problems.append(
                _("Telegram báo lỗi gần nhất khi gửi tin tới webhook: {error}").format(
                    error=info.last_error_message
                )
            )
        return problems

    async def _receive(self, context: RunContext, url: str | None) -> None:
        """Receive until stopped; a failure outside Telegram's (the database) is logged and
        receiving starts again."""
        while not self._stopped.is_set() and not context.stopping.is_set():
            try:
                await self._run(context, url)
                return
            except Exception as error:
                log.exception("channel %s stopped receiving", self._channel.name)
                self._state.problem = type(error).__name__
                await self._wait(FIRST_WAIT)

    async def _run(self, context: RunContext, url: str | None) -> None:
        me = await self._until_answered(GetMe())
        if me is None:
            return
        account = BotAccount(me.id, me.username or "")
        menus = Menus(
            self._channel.name,
            self._bot,
            list(context.dispatcher.commands.values()),
            context.transaction,
        )
        handler = UpdateHandler(self._channel.name, self._bot, account, context, self._state, menus)
        await menus.set_for_everyone()
        # Beside the updates: hundreds of members take a while at the bot's sending rate, so
        # one process does it, and processes started together do not repeat it.
        if self._members_menus is None and await context.first_to_start(self._channel.name):
            self._members_menus = asyncio.create_task(self._set_members_menus(menus))
        if url is not None:
            webhook = SetWebhook(
                url=url, secret_token=self._receiver.secret, allowed_updates=ALLOWED_UPDATES
            )
            self._receiver.handler = handler
            await self._until_answered(webhook)
            self._state.mode = "webhook"
            return
        self._state.mode = "standby"
        self._poller = Poller(
            self._channel.name,
            self._bot,
            handler,
            self._state,
            self._telegram.poll_timeout,
            self._stopped,
        )
        while not self._stopped.is_set() and not context.stopping.is_set():
            async with context.leading(self._channel.name) as holding:
                if not holding():
                    continue
                try:
                    await self._poller.run(lambda: holding() and not self._stopped.is_set())
                except TelegramAPIError as error:
                    self._state.problem = error.message
                    log.warning("polling %s stopped: %s", self._channel.name, error.message)
                    await self._wait(FIRST_WAIT)

    async def _until_answered(self, method: TelegramMethod[T]) -> T | None:
        """`method`'s answer, asked until Telegram gives one (a network down at start) or the
        process stops (None)."""
        wait = FIRST_WAIT
        while not self._stopped.is_set():
            try:
                answer = await self._bot(method)
                self._state.problem = None
                return answer
            except TelegramAPIError as error:
                self._state.problem = error.message
                log.warning(
                    "%s of %s failed: %s", method.__api_method__, self._channel.name, error.message
                )
                await self._wait(wait)
                wait = min(wait * 2, LONGEST_WAIT)
        return None

    async def _set_members_menus(self, menus: Menus) -> None:
        try:
            await menus.set_for_members()
        except Exception:
            log.exception("the members' menus of %s were not set", self._channel.name)

    async def _wait(self, seconds: float) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)


def telegram_runner(channel: ChannelSettings, settings: Settings) -> TelegramRunner:
    """The `RunnerFactory` of Telegram channels (bot/adapters.py)."""
    return TelegramRunner(channel, settings)

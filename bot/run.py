"""`reportbot run`: every configured channel, the delivery loop and the one web server, in one
process (Telegram's sending, with `REPORTBOT_SENDING_PROCESS`, in a child of it:
bot/sending_process.py), until SIGTERM or SIGINT. Any number of these processes may share a
PostgreSQL database: each channel is polled by one of them at a time (its lease), and every
outbox row is sent by one (its claim)."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from aiohttp import web

from bot.adapters import RUNNERS
from bot.app import Application
from bot.channels import Platform
from bot.config import ChannelSettings, Settings
from bot.delivery import Delivery
from bot.economy import standing, watch_user_cap
from bot.file_links import SECRET_NAME, FileLinks, MessengerFiles
from bot.runner import ChannelRunner, RunContext, sleep_unless
from bot.scheduler import Scheduler
from bot.sending import ChannelSender, SendingPort, month_of
from bot.sending_process import SENT_APART, SenderApart, SendingProcess
from bot.web import web_application
from bot.working import WorkingSign
from handlers.i18n import _

log = logging.getLogger(__name__)

# SIGTERM must stop the process within 5 s: what is in flight gets this long to finish.
STOP_WITHIN_SECONDS = 4.0
CHILD_STOPS_WITHIN_SECONDS = 0.5
USER_CAP_EVERY_SECONDS = 60.0


class CannotRun(Exception):
    """A configuration `reportbot run` cannot start with; the message says what to change."""


def no_channel_text() -> str:
    return _(
        "Chưa cấu hình kênh nhắn tin nào, nên trợ lý chỉ phục vụ /healthz. Để thêm kênh, đặt "
        "REPORTBOT_TELEGRAM_TOKEN (Telegram), REPORTBOT_ZALO_BOT_TOKEN (Zalo Bot) hoặc "
        "REPORTBOT_ZALO_OA_ACCESS_TOKEN (Zalo OA), hoặc khai báo [[channels]] trong reportbot.toml."
    )


def runners_for(channels: list[ChannelSettings], application: Application) -> list[ChannelRunner]:
    """A runner for each messenger channel; a platform this build cannot run is refused."""
    runners: list[ChannelRunner] = []
    for channel in channels:
        if channel.platform is Platform.CONSOLE:
            continue
        factory = RUNNERS.get(channel.platform)
        if factory is None:
            raise CannotRun(
                _("Kênh «{name}» ({platform}) chưa chạy được trong phiên bản này.").format(
                    name=channel.name, platform=channel.platform.value
                )
            )
        runners.append(factory(channel, application.settings))
    return runners


async def file_links(application: Application) -> FileLinks:
    settings = application.settings
    if settings.file_link_secret is not None:
        key = settings.file_link_secret.get_secret_value()
    else:
        async with application.transaction() as repositories:
            key = await repositories.secrets.get_or_make(SECRET_NAME)
    return FileLinks(
        key, application.clock, settings.public_url or "", timedelta(days=settings.file_link_days)
    )


async def serve(application: Application, *, on_ready: Callable[[str], None] | None = None) -> None:
    """Run until SIGTERM or SIGINT; `on_ready` is told the address once the server listens."""
    settings = application.settings
    registered = await application.register_channels()
    ward_of = {channel.name: ward_id for channel, ward_id in registered}
    runners = runners_for([channel for channel, _ward in registered], application)
    links = await file_links(application)
    sending_process, senders = await _senders(settings, runners)
    ports = {
        runner.settings.name: SendingPort(
            senders[runner.settings.name],
            application.transaction,
            application.clock,
            settings.default_timezone,
            file_link=links.url,
            reserve=settings.quota_reserve,
        )
        for runner in runners
    }
    delivery = Delivery(
        application.transaction,
        ports,
        application.holder,
        settings.default_locale,
        claim_for=timedelta(seconds=settings.outbox_claim_seconds),
    )
    application.on_queued = delivery.wake
    application.while_making = WorkingSign({r.settings.name: r.sender for r in runners})
    stopping = asyncio.Event()
    routes: dict[str, Any] = {}

    async def health() -> dict[str, Any]:
        month = month_of(application.clock, settings.default_timezone)
        async with application.transaction() as repositories:
            backlog = await repositories.outbox.backlog()
            channels = {}
            for runner in runners:
                name = runner.settings.name
                state = runner.state
                channels[name] = {
                    "platform": runner.settings.platform.value,
                    "mode": state.mode,
                    "last_update_at": state.last_update_at.isoformat()
                    if state.last_update_at
                    else None,
                    "problem": state.problem,
                    **await standing(
                        repositories,
                        name,
                        runner.sender.capabilities,
                        month,
                        settings.quota_reserve,
                    ),
                    "outbox": backlog.get(name, {}),
                }
        return {
            "status": "ok",
            "process": application.holder,
            # The child sending Telegram's messages, while one runs (REPORTBOT_SENDING_PROCESS).
            "sending_process": sending_process.pid if sending_process is not None else None,
            "channels": channels,
        }

    messengers = {r.settings.name: r for r in runners if isinstance(r, MessengerFiles)}
    site_runner = web.AppRunner(
        web_application(health, routes, links, application.transaction, messengers),
        access_log=None,
    )
    await site_runner.setup()
    site = web.TCPSite(site_runner, settings.http_host, settings.http_port)
    await site.start()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stopping.set)
    address = _listening_address(site_runner, settings.http_host)
    # Without a public URL this server is the address (its port may have been chosen now).
    public_url = settings.public_url or address
    links.base_url = public_url.rstrip("/")
    log.info("listening on %s", address)
    if not runners:
        log.warning(no_channel_text())
    delivering = asyncio.create_task(delivery.run())
    watching = asyncio.create_task(_watch_user_caps(application, runners, stopping))
    scheduler = Scheduler(
        application.transaction,
        delivery.wake,
        question_months=settings.citizen_question_months,
    )
    scheduler.start()
    try:
        for runner in runners:
            context = RunContext(
                application.dispatcher(
                    ward_of[runner.settings.name], evidence_link=links.evidence_url
                ),
                application.transaction,
                application.clock,
                application.holder,
                public_url,
                stopping,
                routes,
            )
            await runner.start(context)
            log.info("channel %s started (%s)", runner.settings.name, runner.state.mode)
        # What start made (the guidance index, the plan's caches, the libraries' classes)
        # lives as long as the process; frozen, the collector stops walking it on every full
        # collection (5% of a check-in turn's CPU in bench/telegram.py).
        gc.freeze()
        if on_ready is not None:
            on_ready(address)
        await stopping.wait()
        log.info("stopping")
    finally:
        stopping.set()
        scheduler.stop()
        await watching
        await _stop(runners, delivery, delivering)
        if sending_process is not None:
            # What the delivery loop stopped waiting for is released or recorded already.
            await sending_process.stop(CHILD_STOPS_WITHIN_SECONDS)
        await site_runner.cleanup()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signal_number)
        log.info("stopped")


async def _senders(
    settings: Settings, runners: list[ChannelRunner]
) -> tuple[SendingProcess | None, dict[str, ChannelSender]]:
    """Each channel's sender for the delivery loop: its runner's, or, with a sending process,
    the child's for the platforms that can send apart."""
    senders: dict[str, ChannelSender] = {r.settings.name: r.sender for r in runners}
    apart = [r.settings for r in runners if r.settings.platform in SENT_APART]
    if not settings.sending_process or not apart:
        return None, senders
    process = SendingProcess(settings, apart)
    await process.start()
    for channel in apart:
        senders[channel.name] = SenderApart(senders[channel.name], process)
    return process, senders


async def _stop(
    runners: list[ChannelRunner], delivery: Delivery, delivering: asyncio.Task[None]
) -> None:
    """Polling stops, the rows in flight finish (or are released), within the time allowed."""
    try:
        async with asyncio.timeout(STOP_WITHIN_SECONDS):
            await asyncio.gather(*(runner.stop() for runner in runners), return_exceptions=True)
            delivery.stop()
            await delivering
    except TimeoutError:
        log.warning("stopping took too long; rows still claimed are released by their expiry")
        delivering.cancel()


async def _watch_user_caps(
    application: Application, runners: list[ChannelRunner], stopping: asyncio.Event
) -> None:
    """Each minute, the channels whose plan caps their users are counted; the coordinators
    are warned once when one is nearly full (bot/economy.py)."""
    capped = [runner for runner in runners if runner.sender.capabilities.user_cap is not None]
    while capped and not stopping.is_set():
        try:
            async with application.transaction() as repositories:
                for runner in capped:
                    await watch_user_cap(
                        repositories, runner.settings.name, runner.sender.capabilities
                    )
        except Exception:
            log.exception("counting the channels' users failed; trying again")
        await sleep_unless(stopping, USER_CAP_EVERY_SECONDS)


def _listening_address(site_runner: web.AppRunner, host: str) -> str:
    port = site_runner.addresses[0][1] if site_runner.addresses else 0
    return f"http://{host}:{port}"


async def check_channels(application: Application) -> list[tuple[str, list[str]]]:
    """Each messenger channel with what is wrong with it (empty when all is well)."""
    registered = await application.register_channels()
    runners = runners_for([channel for channel, _ward in registered], application)
    found = []
    for runner in runners:
        try:
            problems = await runner.check()
        except Exception as error:
            problems = [_("Không hỏi được nền tảng: {error}").format(error=type(error).__name__)]
        found.append((runner.settings.name, problems))
    return found

"""Wiring: settings → engine (migrated) → repositories and the dispatcher."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import ChannelSettings, Settings
from bot.guidance_directory import GuidanceDirectory
from bot.reports.exports import render
from bot.ward_setup import zalo_bot_with_room
from handlers.context import EvidenceLink
from handlers.dispatcher import Dispatcher
from handlers.fallback import citizen_text, member_text
from handlers.help import send_help
from handlers.i18n import _
from handlers.registry import ROUTERS
from storage.clock import Clock, SystemClock
from storage.db import create_engine, session_factory, upgrade_schema, write_gate
from storage.repositories import Repositories
from storage.transactions import GroupCommit, OwnTransactions, Transactions


def process_name() -> str:
    """Unique among every process sharing the database, now and later (a pid is reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Application:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    guidance: GuidanceDirectory
    gate: AbstractAsyncContextManager[object]
    # Where chat turns get their transactions (a group commit on SQLite).
    transactions: Transactions
    # This process, as outbox claims and channel leases name it.
    holder: str = field(default_factory=process_name)
    on_queued: Callable[[], None] | None = None
    # Entered (channel, chat) while a chat's files are made: the messenger shows the bot at work.
    while_making: Callable[[str, str], AbstractAsyncContextManager[object]] | None = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repositories]:
        """Repositories over one transaction: committed on success, rolled back on error."""
        async with self.gate, self.sessions() as session, session.begin():
            yield Repositories(session, self.clock)

    async def register_channels(self) -> list[tuple[ChannelSettings, int | None]]:
        """Record the configured channels (their rows name them) and return them with the id
        of the ward each answers citizens for; a name already used by another platform is
        refused, its rows would be mixed up."""
        configured = self.settings.all_channels()
        registered: list[tuple[ChannelSettings, int | None]] = []
        async with self.transaction() as repositories:
            for channel in configured:
                ward_id = (await repositories.wards.get(channel.ward)).id if channel.ward else None
                stored = await repositories.channels.ensure(channel.name, channel.platform, ward_id)
                if stored.platform != channel.platform:
                    raise ValueError(
                        _(
                            "Kênh «{name}» đã dùng cho {platform}; đặt tên khác cho kênh mới."
                        ).format(name=channel.name, platform=stored.platform)
                    )
                registered.append((channel, ward_id))
        return registered

    async def invite_bot(self, repositories: Repositories) -> tuple[str | None, bool]:
        """The Zalo bot a new member should write to, and whether every one is full."""
        bot, full = await zalo_bot_with_room(repositories, self.settings.all_channels())
        return (bot.handle or bot.name) if bot else None, full

    def dispatcher(
        self, channel_ward_id: int | None = None, evidence_link: EvidenceLink | None = None
    ) -> Dispatcher:
        return Dispatcher(
            self.transactions,
            self.clock,
            ROUTERS,
            citizen_handler=citizen_text,
            member_text_handler=member_text,
            help_handler=send_help,
            channel_ward_id=channel_ward_id,
            guidance=self.guidance,
            files=render,
            evidence_link=evidence_link,
            invite_bot=self.invite_bot,
            invite_valid_days=self.settings.invite_valid_days,
            holder=self.holder,
            on_queued=self.on_queued,
            while_making=self.while_making,
        )


@asynccontextmanager
async def open_application(
    settings: Settings, clock: Clock | None = None
) -> AsyncIterator[Application]:
    """Connect, apply pending migrations (the schema is always current on start), and close."""
    engine = create_engine(settings.database_url, echo=settings.sql_echo)
    try:
        await upgrade_schema(engine)
        sessions = session_factory(engine)
        gate = write_gate(engine)
        transactions: Transactions = (
            GroupCommit(sessions, gate)
            if engine.dialect.name == "sqlite"
            else OwnTransactions(sessions, gate)
        )
        yield Application(
            settings,
            engine,
            sessions,
            clock or SystemClock(),
            GuidanceDirectory(settings.wards_dir),
            gate,
            transactions,
        )
    finally:
        await engine.dispose()

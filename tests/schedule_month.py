"""A ward left alone for a month under a fake clock: who received what, by day and hour.

The clock moves an hour at a time by day (every notification of the default schedule falls on
the hour) and three at night (20:00, 23:00, 02:00, 05:00, 08:00: the scheduler is still asked,
and must send nothing), the scheduler runs what is due at each step, and people act on the way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import Application
from bot.scheduler import Scheduler
from handlers.i18n import use_locale
from handlers.notifications import render_notification
from storage.clock import FixedClock
from storage.models import OutboxMessage
from storage.vocabulary import OutboxKind

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Received:
    chat_id: str
    at: datetime  # local
    kind: str
    text: str

    @property
    def when(self) -> str:
        return f"{self.at:%d/%m %H:%M}"


async def received(application: Application) -> list[Received]:
    """Every notification queued, in order, worded in its recipient's language."""
    async with application.transaction() as repositories:
        rows = (
            await repositories.session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.kind == OutboxKind.NOTIFICATION)
                .order_by(OutboxMessage.id)
            )
        ).scalars()
        found = []
        for row in rows:
            with use_locale(row.locale or "vi"):
                text = render_notification(row.payload)
            found.append(
                Received(row.chat_id, row.created_at.astimezone(ZONE), row.payload["kind"], text)
            )
        return found


Step = Callable[[datetime], Awaitable[None]]


async def live_through(
    application: Application,
    clock: FixedClock,
    until: datetime,
    *,
    on_hour: Step | None = None,
    every: timedelta = timedelta(hours=1),
    down: tuple[datetime, datetime] | None = None,
) -> None:
    """Move the clock to `until`, running the scheduler at each step (not while `down`);
    `on_hour` acts first at each step (people answering, raising blockers)."""
    scheduler = Scheduler(application.transaction)
    while clock.now() < until:
        hour = clock.now().astimezone(ZONE).hour
        clock.advance(every * 3 if every == timedelta(hours=1) and not 8 <= hour < 20 else every)
        local = clock.now().astimezone(ZONE)
        if on_hour is not None:
            await on_hour(local)
        if down is not None and down[0] <= local < down[1]:
            continue
        await scheduler.run_due()

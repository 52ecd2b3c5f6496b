"""The scheduler's driver: APScheduler wakes `run_due` for every ward once a minute, and once
at start (so a process started late catches up at once). All it decides is when to look; what
is due is decided by handlers/scheduling/ from the injected clock. Once a day, and at start, it
also deletes the citizens' questions older than the retention time (handlers/guidance/
retention.py) and forgets the ids of updates processed a week ago, both found from the
injected clock too.

With several processes on PostgreSQL every one of them looks; the reminders' unique keys alone
make each notification queued once (see handlers/scheduling/due.py): a process that loses a
race has its ward's savepoint refused and finds the work done at its next look.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import IntegrityError

from handlers.guidance import purge_questions
from handlers.scheduling.due import resting, run_due
from storage.repositories import Repositories

# How long the ids of processed updates are kept to recognise a redelivery: Telegram keeps an
# unconfirmed update for 24 hours and Zalo redelivers a webhook within minutes, so a week is
# ample; without it the table grew by every message ever received.
UPDATES_KEPT = timedelta(days=7)

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(
        self,
        transaction: Callable[[], AbstractAsyncContextManager[Repositories]],
        on_queued: Callable[[], None] | None = None,
        *,
        every_seconds: float = 60,
        question_months: int | None = None,
    ) -> None:
        # `question_months`: how long citizens' questions are kept; None keeps them (the
        # demo and tests that only look at what is due).
        self._transaction = transaction
        self._on_queued = on_queued
        self._every_seconds = every_seconds
        self._question_months = question_months
        self._driver: AsyncIOScheduler | None = None

    async def run_due(self) -> list[str]:
        """Everything due now, ward by ward, each in a savepoint of one transaction (a ward
        that fails undoes only its own work); the keys queued."""
        queued: list[str] = []
        async with self._transaction() as repositories:
            now = repositories.clock.now()
            for ward, settings in await repositories.schedules.every_ward():
                if resting(ward, settings, now):
                    continue
                try:
                    async with repositories.session.begin_nested():
                        queued += await run_due(repositories, ward, settings)
                except IntegrityError:
                    log.info("ward %s: another process queued these first; looking again", ward.id)
                except Exception:
                    log.exception("the scheduler failed for ward %s; trying again later", ward.id)
        if queued:
            log.info("scheduled %d notifications", len(queued))
            if self._on_queued is not None:
                self._on_queued()
        return queued

    async def purge_questions(self) -> int:
        """Delete the citizens' questions past the retention time; how many."""
        if self._question_months is None:
            return 0
        async with self._transaction() as repositories:
            deleted = await purge_questions(repositories, self._question_months)
        if deleted:
            log.info("deleted %d citizens' questions past the retention time", deleted)
        return deleted

    async def forget_old_updates(self) -> int:
        """Forget the update ids processed more than `UPDATES_KEPT` ago; how many."""
        async with self._transaction() as repositories:
            moment = repositories.clock.now() - UPDATES_KEPT
            return await repositories.conversations.forget_updates_before(moment)

    def start(self) -> None:
        driver = AsyncIOScheduler(timezone=UTC)
        _every(driver, self.run_due, self._every_seconds)
        _every(driver, self.forget_old_updates, 24 * 3600)
        if self._question_months is not None:
            _every(driver, self.purge_questions, 24 * 3600)
        driver.start()
        self._driver = driver

    def stop(self) -> None:
        if self._driver is not None and self._driver.running:
            self._driver.shutdown(wait=False)


def _every(driver: AsyncIOScheduler, job: Callable[[], Awaitable[object]], seconds: float) -> None:
    driver.add_job(
        job,
        IntervalTrigger(seconds=seconds),
        # The driver's own wake-up time only: what is due, and what is old, is read from the
        # injected clock.
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
    )

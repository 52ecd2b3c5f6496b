"""A ward's schedule settings and the scheduled notifications it was sent (handlers/scheduling/)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import Reminder, Ward, WardSchedule

# Built once: the scheduler runs them every minute.
_EVERY_WARD = (
    select(Ward, WardSchedule.settings)
    .outerjoin(WardSchedule, WardSchedule.ward_id == Ward.id)
    .order_by(Ward.id)
)
_SEEN = select(Reminder.id).where(Reminder.key == bindparam("key"))
_LATEST = (
    select(Reminder.unit_id, func.max(Reminder.at))
    .where(
        Reminder.ward_id == bindparam("ward_id"),
        Reminder.period_id == bindparam("period_id"),
        Reminder.kind == bindparam("kind"),
    )
    .group_by(Reminder.unit_id)
)


class WardSchedules:
    """Every ward with its schedule settings, in one statement: what the scheduler reads at
    each look, most often to find that nothing is due."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def every_ward(self) -> list[tuple[Ward, dict[str, Any]]]:
        result = await self._session.execute(_EVERY_WARD)
        return [(ward, dict(settings or {})) for ward, settings in result]


class ScheduleStore:
    """The settings a coordinator changed (the defaults are the handlers'), as a plain dict."""

    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def settings(self) -> dict[str, Any]:
        row = await self._session.get(WardSchedule, self._ward_id)
        return dict(row.settings) if row else {}

    async def save(self, settings: dict[str, Any]) -> None:
        row = await self._session.get(WardSchedule, self._ward_id)
        if row is None:
            row = WardSchedule(ward_id=self._ward_id, settings={}, updated_at=self._clock.now())
            self._session.add(row)
        row.settings = dict(settings)
        row.updated_at = self._clock.now()
        await self._session.flush()


class Reminders:
    """Scheduled notifications by key. `record` is the once-only gate: a key queued before, in
    any process, is refused; two transactions racing for a key meet at its unique index."""

    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def record(
        self,
        key: str,
        kind: str,
        *,
        period_id: int | None = None,
        unit_id: int | None = None,
        subject_id: int | None = None,
        at: datetime | None = None,
    ) -> bool:
        """True when `key` is new (the caller queues its notification in this transaction)."""
        if await self.seen(key):
            return False
        self._session.add(
            Reminder(
                ward_id=self._ward_id,
                key=key,
                kind=kind,
                period_id=period_id,
                unit_id=unit_id,
                subject_id=subject_id,
                at=at or self._clock.now(),
            )
        )
        await self._session.flush()
        return True

    async def seen(self, key: str) -> bool:
        result = await self._session.execute(_SEEN, {"key": key})
        return result.first() is not None

    async def counts(self, kind: str, period_id: int) -> dict[int, int]:
        """How many of `kind` each unit got in the period."""
        result = await self._session.execute(
            select(Reminder.unit_id, func.count())
            .where(
                Reminder.ward_id == self._ward_id,
                Reminder.period_id == period_id,
                Reminder.kind == kind,
            )
            .group_by(Reminder.unit_id)
        )
        return {unit_id: count for unit_id, count in result if unit_id is not None}

    async def subject_count(self, kind: str, subject_id: int) -> int:
        result = await self._session.execute(
            select(func.count()).where(
                Reminder.ward_id == self._ward_id,
                Reminder.kind == kind,
                Reminder.subject_id == subject_id,
            )
        )
        return int(result.scalar_one())

    async def latest(self, kind: str, period_id: int) -> dict[int, datetime]:
        """The latest `at` of `kind` per unit in the period (a snooze: until when)."""
        result = await self._session.execute(
            _LATEST, {"ward_id": self._ward_id, "period_id": period_id, "kind": kind}
        )
        return {unit_id: at for unit_id, at in result if unit_id is not None}

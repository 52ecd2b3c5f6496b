"""Reporting periods of a ward."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.directory_cache import directory_cache
from storage.models import Period
from storage.vocabulary import PeriodKind, PeriodState

# Built once: every check-in message reads it.
_LATEST_PERIODS = (
    select(Period)
    .where(Period.ward_id == bindparam("ward_id"))
    .order_by(Period.starts_on.desc())
    .limit(24)
)

_OPEN_PERIODS = (
    select(Period)
    .where(Period.ward_id == bindparam("ward_id"), Period.state == PeriodState.OPEN)
    .order_by(Period.starts_on)
)


class PeriodExists(ValueError):
    def __init__(self, period: Period) -> None:
        super().__init__(period.label)
        self.period = period


class PeriodRepository:
    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def by_label(self, label: str) -> Period | None:
        result = await self._session.execute(
            select(Period).where(Period.ward_id == self._ward_id, Period.label == label)
        )
        return result.scalar_one_or_none()

    async def open(
        self, label: str, kind: PeriodKind, starts_on: date, ends_on: date, due_at: datetime
    ) -> Period:
        existing = await self.by_label(label)
        if existing is not None:
            raise PeriodExists(existing)
        period = Period(
            ward_id=self._ward_id,
            label=label,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            due_at=due_at,
            state=PeriodState.OPEN,
            opened_at=self._clock.now(),
        )
        self._session.add(period)
        await self._session.flush()
        return period

    async def current(self) -> Period | None:
        """The open period that started last: the one heads report for."""
        result = await self._session.execute(
            select(Period)
            .where(Period.ward_id == self._ward_id, Period.state == PeriodState.OPEN)
            .order_by(Period.starts_on.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()

    async def all_open(self) -> list[Period]:
        """Every open period, oldest first (a month stays open for late answers until closed)."""
        result = await self._session.execute(_OPEN_PERIODS, {"ward_id": self._ward_id})
        return list(result.scalars())

    async def current_and_previous(self) -> tuple[Period | None, Period | None]:
        """The open period heads report for and the one before it (every check-in message
        needs both): detached and shared with other turns (storage/directory_cache.py), to
        read, not to change."""
        return await directory_cache(self._session).get(
            self._session, ("periods", self._ward_id), self._load_current_and_previous
        )

    async def _load_current_and_previous(
        self, session: AsyncSession
    ) -> tuple[Period | None, Period | None]:
        result = await session.execute(_LATEST_PERIODS, {"ward_id": self._ward_id})
        periods = list(result.scalars())
        current = next((p for p in periods if p.state is PeriodState.OPEN), None)
        if current is None:
            return None, None
        earlier = (p for p in periods if p.starts_on < current.starts_on)
        return current, next(earlier, None)

    async def latest(self) -> Period | None:
        """The period that starts last, open or closed."""
        result = await self._session.execute(_LATEST_PERIODS.limit(1), {"ward_id": self._ward_id})
        return result.scalars().first()

    async def open_periods(self) -> list[Period]:
        """Every open period, the latest first (usually one; two while a late one is kept open)."""
        result = await self._session.execute(
            select(Period)
            .where(Period.ward_id == self._ward_id, Period.state == PeriodState.OPEN)
            .order_by(Period.starts_on.desc())
        )
        return list(result.scalars())

    async def previous(self, period: Period) -> Period | None:
        result = await self._session.execute(
            select(Period)
            .where(Period.ward_id == self._ward_id, Period.starts_on < period.starts_on)
            .order_by(Period.starts_on.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()

    async def months_within(self, starts_on: date, ends_on: date) -> list[Period]:
        """The ward's monthly periods inside [starts_on, ends_on], in order: what a quarter's,
        a half-year's or a year's report is made from."""
        result = await self._session.execute(
            select(Period)
            .where(
                Period.ward_id == self._ward_id,
                Period.kind == PeriodKind.MONTH,
                Period.starts_on >= starts_on,
                Period.ends_on <= ends_on,
            )
            .order_by(Period.starts_on)
        )
        return list(result.scalars())

    def close(self, period: Period) -> None:
        period.state = PeriodState.CLOSED
        period.closed_at = self._clock.now()

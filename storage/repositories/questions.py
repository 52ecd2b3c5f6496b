"""Citizens' questions, kept masked, for the coordinators and the monthly figures; and the
counts kept of those deleted after the retention time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import CitizenQuestion, CitizenQuestionCount


class QuestionCounts(NamedTuple):
    """Questions counted by what the bot did with them."""

    answered: int = 0
    offered_choices: int = 0
    handed_over: int = 0


_COUNTS = cast(Table, CitizenQuestionCount.__table__)
_COUNTED = ("answered", "offered_choices", "handed_over")


def _add(insert: Any) -> Any:
    # One statement, so that counts added by two processes at once are both kept.
    statement = insert(_COUNTS).values(
        ward_id=bindparam("ward_id"),
        day=bindparam("day"),
        **{name: bindparam(name) for name in _COUNTED},
    )
    return statement.on_conflict_do_update(
        index_elements=["ward_id", "day"],
        set_={name: _COUNTS.c[name] + statement.excluded[name] for name in _COUNTED},
    )


_ADD = {"postgresql": _add(postgresql_insert), "sqlite": _add(sqlite_insert)}


def _asked_before(ward_id: int | None, before: datetime) -> Any:
    ward = (
        CitizenQuestion.ward_id.is_(None) if ward_id is None else CitizenQuestion.ward_id == ward_id
    )
    return ward & (CitizenQuestion.asked_at < before)


class QuestionLog:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def record(
        self,
        *,
        ward_id: int | None,
        platform: str,
        masked_text: str,
        outcome: str,
        guide_id: str | None,
        handoff_reason: str | None,
    ) -> CitizenQuestion:
        """Store a question; the caller passes it already masked (never the raw text)."""
        question = CitizenQuestion(
            ward_id=ward_id,
            platform=platform,
            masked_text=masked_text,
            outcome=outcome,
            guide_id=guide_id,
            handoff_reason=handoff_reason,
            asked_at=self._clock.now(),
        )
        self._session.add(question)
        return question

    async def between(self, ward_id: int, start: datetime, end: datetime) -> list[CitizenQuestion]:
        """A ward's questions asked in [start, end), oldest first."""
        result = await self._session.execute(
            select(CitizenQuestion)
            .where(
                CitizenQuestion.ward_id == ward_id,
                CitizenQuestion.asked_at >= start,
                CitizenQuestion.asked_at < end,
            )
            .order_by(CitizenQuestion.id)
        )
        return list(result.scalars())

    async def asked_before(self, ward_id: int | None, before: datetime) -> list[CitizenQuestion]:
        """A ward's questions (or those of no ward) asked before `before`, locked on
        PostgreSQL until the transaction ends: a second process purging at the same time waits,
        then finds them gone, so none is counted twice."""
        result = await self._session.execute(
            select(CitizenQuestion)
            .where(_asked_before(ward_id, before))
            .order_by(CitizenQuestion.id)
            .with_for_update()
        )
        return list(result.scalars())

    async def delete_asked_before(self, ward_id: int | None, before: datetime) -> int:
        """Delete what `asked_before` returns; how many."""
        result = await self._session.execute(
            delete(CitizenQuestion)
            .where(_asked_before(ward_id, before))
            .execution_options(synchronize_session=False)
        )
        return cast(int, getattr(result, "rowcount", 0))

    async def add_counts(self, ward_id: int, day: date, counts: QuestionCounts) -> None:
        """Add `counts` to those kept for the ward's `day`."""
        statement = _ADD[self._session.get_bind().dialect.name]
        await self._session.execute(statement, {"ward_id": ward_id, "day": day, **counts._asdict()})

    async def counts_between(self, ward_id: int, first_day: date, end_day: date) -> QuestionCounts:
        """The counts kept for the ward's days in [first_day, end_day)."""
        result = await self._session.execute(
            select(*(func.coalesce(func.sum(_COUNTS.c[name]), 0) for name in _COUNTED)).where(
                _COUNTS.c.ward_id == ward_id,
                _COUNTS.c.day >= first_day,
                _COUNTS.c.day < end_day,
            )
        )
        return QuestionCounts(*(int(value) for value in result.one()))

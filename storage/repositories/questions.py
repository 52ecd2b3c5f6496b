"""Citizens' questions, kept masked, for the coordinators and the monthly figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import CitizenQuestion


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

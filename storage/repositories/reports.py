"""Task reports and submissions: what units answered in a period, with every revision kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial
from types import MappingProxyType
from typing import Any, NamedTuple, cast

from sqlalchemy import Result, Table, bindparam, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.directory_cache import directory_cache
from storage.models import AuditEntry, Period, Submission, TaskReport, TaskReportRevision
from storage.sqlite_direct import run_directly
from storage.vocabulary import PeriodState, SubmissionState, TaskStatus


class Answer(NamedTuple):
    """A unit's answer as plain values: summaries read a city's worth of them and every
    check-in message reads the unit's, so no ORM object is built or tracked."""

    unit_id: int
    task_id: int
    status: TaskStatus | None
    progress_percent: int | None
    kpi_value: Decimal | None
    result: str | None
    difficulties: str | None
    proposals: str | None
    evidence: list[Any]
    changed_after_due: bool
    updated_at: datetime
    id: int
    revision: int


ANSWER_FIELDS = (
    "status",
    "progress_percent",
    "kpi_value",
    "result",
    "difficulties",
    "proposals",
    "evidence",
)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, TaskStatus):
        return str(value)
    return value


def _snapshot(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _plain(values[name]) for name in ANSWER_FIELDS}


# Built once: a check-in message runs them, and building a statement costs more than running
# it. Reads and writes go to the table directly: ORM objects and flushes cost more still.
_ANSWERS = cast(Table, TaskReport.__table__)
_SELECT_ANSWERS = select(*(_ANSWERS.c[name] for name in Answer._fields))
_UNIT_ANSWERS = run_directly(
    _SELECT_ANSWERS.where(
        _ANSWERS.c.ward_id == bindparam("ward_id"),
        _ANSWERS.c.period_id == bindparam("period"),
        _ANSWERS.c.unit_id == bindparam("unit_id"),
    )
)
_ONE_ANSWER = run_directly(
    _SELECT_ANSWERS.where(
        _ANSWERS.c.ward_id == bindparam("ward_id"),
        _ANSWERS.c.period_id == bindparam("period_id"),
        _ANSWERS.c.task_id == bindparam("task_id"),
        _ANSWERS.c.unit_id == bindparam("unit_id"),
    )
)
_ANSWER_BY_ID = _SELECT_ANSWERS.where(
    _ANSWERS.c.ward_id == bindparam("ward_id"), _ANSWERS.c.id == bindparam("answer_id")
)
_ADD_ANSWER = run_directly(insert(_ANSWERS).returning(_ANSWERS.c.id))
_CHANGE_ANSWER = run_directly(update(_ANSWERS).where(_ANSWERS.c.id == bindparam("the_answer")))
_SUBMISSIONS = cast(Table, Submission.__table__)
_UNIT_SUBMITTED = run_directly(
    select(_SUBMISSIONS.c.id).where(
        _SUBMISSIONS.c.period_id == bindparam("period_id"),
        _SUBMISSIONS.c.unit_id == bindparam("unit_id"),
        _SUBMISSIONS.c.state != SubmissionState.DRAFT,
    )
)
_UNIT_LOCK = text("SELECT pg_advisory_xact_lock(:period_id, :unit_id)")
_ADD_REVISION = run_directly(insert(cast(Table, TaskReportRevision.__table__)))
_ADD_AUDIT_ENTRY = run_directly(insert(cast(Table, AuditEntry.__table__)))


def _answers(result: Result[Any]) -> list[Answer]:
    # All rows at once: iterating a result row by row cost a quarter more.
    return list(map(Answer._make, result.all()))


@dataclass(frozen=True)
class SavedAnswer:
    """The answer after saving (None when there was none and nothing was given) and what
    changed, field by field: [before, after]."""

    answer: Answer | None
    changes: dict[str, list[Any]]


class ReportRepository:
    def __init__(self, session: AsyncSession, ward_id: int, clock: Clock) -> None:
        self._session = session
        self._ward_id = ward_id
        self._clock = clock

    async def for_unit(
        self, period: Period, unit_id: int, session: AsyncSession | None = None
    ) -> dict[int, Answer]:
        """The unit's answers in the period, by task id."""
        result = await (session or self._session).execute(
            _UNIT_ANSWERS, {"ward_id": self._ward_id, "period": period.id, "unit_id": unit_id}
        )
        return {answer.task_id: answer for answer in _answers(result)}

    async def by_id(self, answer_id: int) -> Answer | None:
        """One answer of this ward by its id (a link to its evidence names it)."""
        result = await self._session.execute(
            _ANSWER_BY_ID, {"ward_id": self._ward_id, "answer_id": answer_id}
        )
        return next(iter(_answers(result)), None)

    async def kept_for_unit(self, period: Period, unit_id: int) -> Mapping[int, Answer]:
        """The unit's answers in an earlier period, by task id: read-only, and kept between
        turns once the period is closed (storage/directory_cache.py), since every check-in
        message shows last period's answers and nothing writes a closed period's."""
        if period.state is not PeriodState.CLOSED:
            return await self.for_unit(period, unit_id)
        return await directory_cache(self._session).get(
            self._session,
            ("answers", period.id, unit_id),
            partial(self._frozen_for_unit, period, unit_id),
        )

    async def _frozen_for_unit(
        self, period: Period, unit_id: int, session: AsyncSession
    ) -> Mapping[int, Answer]:
        return MappingProxyType(await self.for_unit(period, unit_id, session))

    async def submitted(self, period: Period, unit_id: int) -> Submission | None:
        """The unit's submission for the period once it left the draft (submitted, returned or
        accepted); None while it is a draft or has no record."""
        # Every check-in answer asks, and the answer is nearly always "a draft": a plain
        # statement built once says so; the ORM object is loaded only for a real submission.
        submission_id = (
            await self._session.execute(
                _UNIT_SUBMITTED, {"period_id": period.id, "unit_id": unit_id}
            )
        ).scalar_one_or_none()
        if submission_id is None:
            return None
        return await self._session.get(Submission, submission_id)

    def reopen(self, submission: Submission) -> None:
        """An accepted report that changed goes back to the coordinator's queue."""
        submission.state = SubmissionState.SUBMITTED
        submission.updated_at = self._clock.now()

    async def for_period(self, period: Period) -> list[Answer]:
        """Every answer of the period, by unit then task (a city's worth is read at once)."""
        result = await self._session.execute(
            _SELECT_ANSWERS.where(
                _ANSWERS.c.ward_id == self._ward_id, _ANSWERS.c.period_id == period.id
            ).order_by(_ANSWERS.c.unit_id, _ANSWERS.c.task_id)
        )
        return _answers(result)

    async def save(
        self,
        period: Period,
        task_id: int,
        unit_id: int,
        values: dict[str, Any],
        *,
        member_id: int | None,
        actor: str,
        loaded: dict[int, Answer] | None = None,
    ) -> SavedAnswer:
        """Set answer fields; a real change becomes a revision and an audit entry (old → new).

        A change after the period's due moment is marked, since it arrived late. `loaded`, the
        unit's answers in the period read earlier in this transaction (by task id), spares
        looking the answer up again.
        """
        unknown = set(values) - set(ANSWER_FIELDS)
        if unknown:
            raise ValueError(f"not an answer field: {', '.join(sorted(unknown))}")
        if self._session.get_bind().dialect.name == "postgresql":
            # Two members of a unit saving at once take turns, and the later one reads what
            # the earlier wrote (it becomes the next revision, both in the audit log). On
            # SQLite the one writer already serialises them.
            await self._session.execute(_UNIT_LOCK, {"period_id": period.id, "unit_id": unit_id})
            loaded = None
        if loaded is not None:
            existing = loaded.get(task_id)
        else:
            result = await self._session.execute(
                _ONE_ANSWER,
                {
                    "ward_id": self._ward_id,
                    "period_id": period.id,
                    "task_id": task_id,
                    "unit_id": unit_id,
                },
            )
            existing = next(iter(_answers(result)), None)
        fields = (
            {name: getattr(existing, name) for name in ANSWER_FIELDS}
            if existing is not None
            else {**dict.fromkeys(ANSWER_FIELDS), "evidence": []}
        )
        before = _snapshot(fields)
        fields.update(values)
        after = _snapshot(fields)
        changes = {
            name: [before[name], after[name]]
            for name in ANSWER_FIELDS
            if before[name] != after[name]
        }
        if not changes:
            return SavedAnswer(existing, {})
        now = self._clock.now()
        late = now > period.due_at
        written = {
            **fields,
            "changed_after_due": (existing is not None and existing.changed_after_due) or late,
            "updated_by_member_id": member_id,
            "updated_at": now,
        }
        if existing is None:
            revision = 1
            result = await self._session.execute(
                _ADD_ANSWER,
                {
                    **written,
                    "ward_id": self._ward_id,
                    "period_id": period.id,
                    "task_id": task_id,
                    "unit_id": unit_id,
                    "revision": revision,
                },
            )
            answer_id = result.scalar_one()
        else:
            answer_id, revision = existing.id, existing.revision + 1
            await self._session.execute(
                _CHANGE_ANSWER, {**written, "the_answer": answer_id, "revision": revision}
            )
        await self._session.execute(
            _ADD_REVISION,
            {
                "task_report_id": answer_id,
                "revision": revision,
                "snapshot": after,
                "changed_by_member_id": member_id,
                "changed_at": now,
            },
        )
        await self._session.execute(
            _ADD_AUDIT_ENTRY,
            {
                "ward_id": self._ward_id,
                "actor": actor,
                "action": "answer",
                "entity": "task_report",
                "entity_id": str(answer_id),
                "changes": {**changes, "after_due": [False, True]} if late else changes,
                "at": now,
            },
        )
        answer = Answer(
            unit_id=unit_id,
            task_id=task_id,
            changed_after_due=written["changed_after_due"],
            updated_at=now,
            id=answer_id,
            revision=revision,
            **{name: fields[name] for name in ANSWER_FIELDS},
        )
        return SavedAnswer(answer, changes)

    async def submission(self, period: Period, unit_id: int) -> Submission:
        """The unit's submission record for the period (a draft until submitted)."""
        result = await self._session.execute(
            select(Submission).where(
                Submission.period_id == period.id, Submission.unit_id == unit_id
            )
        )
        submission = result.scalar_one_or_none()
        if submission is None:
            submission = Submission(
                ward_id=self._ward_id,
                period_id=period.id,
                unit_id=unit_id,
                state=SubmissionState.DRAFT,
                submitted_late=False,
                updated_at=self._clock.now(),
            )
            self._session.add(submission)
            await self._session.flush()
        return submission

    async def submissions(self, period: Period) -> dict[int, Submission]:
        result = await self._session.execute(
            select(Submission).where(
                Submission.ward_id == self._ward_id, Submission.period_id == period.id
            )
        )
        return {submission.unit_id: submission for submission in result.scalars()}

    def submit(self, submission: Submission, period: Period, member_id: int) -> None:
        now = self._clock.now()
        submission.state = SubmissionState.SUBMITTED
        submission.submitted_at = now
        submission.submitted_by_member_id = member_id
        submission.submitted_late = now > period.due_at
        submission.return_reason = None
        submission.updated_at = now

    def review(
        self, submission: Submission, member_id: int, *, accepted: bool, reason: str | None = None
    ) -> None:
        now = self._clock.now()
        submission.state = SubmissionState.ACCEPTED if accepted else SubmissionState.RETURNED
        submission.reviewed_at = now
        submission.reviewed_by_member_id = member_id
        submission.return_reason = None if accepted else reason
        submission.updated_at = now

"""What an action on a period or a unit's report came to: done, or why not. Plain values,
worded for people by `action_texts.py`."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Period, Unit


@dataclass(frozen=True)
class PeriodOpened:
    period: Period
    timezone: str
    units_told: int


@dataclass(frozen=True)
class PeriodLabelUnreadable:
    """The text names no period (see `parse_period`)."""

    text: str


@dataclass(frozen=True)
class PeriodOpenedBefore:
    period: Period


@dataclass(frozen=True)
class DueDayOutOfRange:
    day: int


@dataclass(frozen=True)
class NoOpenPeriod:
    pass


@dataclass(frozen=True)
class PeriodClosed:
    period: Period


@dataclass(frozen=True)
class UnitNotNamed:
    pass


@dataclass(frozen=True)
class UnitUnknown:
    name: str
    known: tuple[str, ...]


@dataclass(frozen=True)
class ReturnReasonMissing:
    pass


@dataclass(frozen=True)
class NotSubmitted:
    unit: Unit
    period: Period


@dataclass(frozen=True)
class SubmissionReviewed:
    unit: Unit
    accepted: bool


@dataclass(frozen=True)
class SubmitNotAllowed:
    pass


@dataclass(frozen=True)
class TasksUnanswered:
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ReportSubmitted:
    period: Period
    late: bool


OpenOutcome = PeriodOpened | PeriodLabelUnreadable | PeriodOpenedBefore | DueDayOutOfRange
CloseOutcome = PeriodClosed | NoOpenPeriod
UnitLookup = Unit | UnitNotNamed | UnitUnknown
ReviewOutcome = (
    SubmissionReviewed
    | NoOpenPeriod
    | UnitNotNamed
    | UnitUnknown
    | ReturnReasonMissing
    | NotSubmitted
)
SubmitOutcome = ReportSubmitted | SubmitNotAllowed | TasksUnanswered
Outcome = OpenOutcome | CloseOutcome | ReviewOutcome | SubmitOutcome

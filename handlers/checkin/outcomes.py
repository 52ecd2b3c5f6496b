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
class PeriodNotOpen:
    """The period named is not among the open ones."""

    text: str
    open_labels: tuple[str, ...]


@dataclass(frozen=True)
class SeveralPeriodsOpen:
    """More than one period is open and the action must say which."""

    open_labels: tuple[str, ...]


@dataclass(frozen=True)
class PeriodClosed:
    period: Period


@dataclass(frozen=True)
class UnitNotNamed:
    """The command was sent without the unit's name; its example is this command's own."""

    command: str


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
PeriodLookup = Period | NoOpenPeriod | PeriodNotOpen | SeveralPeriodsOpen
CloseOutcome = PeriodClosed | NoOpenPeriod | PeriodNotOpen | SeveralPeriodsOpen
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

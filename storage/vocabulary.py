"""The closed vocabularies of BRIEF.md, shared by storage, import and flows."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COORDINATOR = "coordinator"
    UNIT_HEAD = "head"
    UNIT_STAFF = "staff"
    LEADER = "leader"

    @property
    def needs_unit(self) -> bool:
        return self in (Role.UNIT_HEAD, Role.UNIT_STAFF)


class UnitKind(StrEnum):
    OFFICE = "office"
    POLICE = "police"
    CENTRE = "centre"
    MASS_ORGANISATION = "mass_organisation"
    SCHOOL = "school"
    # Bodies outside the ward's offices ("Tổ dân phố", "Các trường trên địa bàn"): no head of
    # their own; someone the coordinator invites for the group reports for it.
    GROUP = "group"
    OTHER = "other"


class UnitLink(StrEnum):
    """How a task names a unit: as its lead (chủ trì) or as a coordinating unit (phối hợp)."""

    LEAD = "lead"
    COORDINATE = "coordinate"


class DeadlineKind(StrEnum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    WHOLE_YEAR = "whole_year"
    ANNUAL = "annual"
    RECURRING = "recurring"
    CONDITIONAL = "conditional"
    UNKNOWN = "unknown"


class Comparator(StrEnum):
    AT_LEAST = ">="
    MORE_THAN = ">"
    EXACTLY = "="
    AT_MOST = "<="
    LESS_THAN = "<"


class TaskStatus(StrEnum):
    """Declared in the national monitoring system's order, which every list of statuses keeps
    (`handlers.reporting.statuses.STATUS_ORDER`)."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    NOT_APPLICABLE = "not_applicable"


class PeriodKind(StrEnum):
    MONTH = "month"
    HALF_YEAR = "half_year"


class PeriodState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class SubmissionState(StrEnum):
    """Where a unit's report for a period stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


# A unit whose report stands so has sent it: no more nudges, counted as in.
SUBMITTED_STATES = frozenset({SubmissionState.SUBMITTED, SubmissionState.ACCEPTED})


class IncidentCategory(StrEnum):
    INFRASTRUCTURE = "infrastructure"
    SECURITY = "security"


class BlockerState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class OutboxState(StrEnum):
    PENDING = "pending"
    # A file the turn promised, made once it committed; a row left making by a process that
    # died is told to the person as a file that could not be made.
    MAKING = "making"
    SENT = "sent"
    FAILED = "failed"
    # A scheduled notification that no longer held when its turn came (handlers/scheduling/
    # relevance.py): never sent, kept with why.
    DROPPED = "dropped"
    # Waiting for the channel's monthly quota (bot/economy.py): not sent and not failed,
    # and, unlike a pending row, not holding back the rows of its chat that may go.
    HELD = "held"


class OutboxKind(StrEnum):
    REPLY = "reply"
    NOTIFICATION = "notification"

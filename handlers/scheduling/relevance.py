"""Whether a scheduled notification still holds when it is about to be sent.

The scheduler queues a notification inside its window (rules.py); a process that was down, a
quota that held it back or a long queue can bring the sending later. At delivery it goes only
if it still holds: before its window ends (the evening's quiet hours, or the due moment for a
nudge), outside the ward's quiet hours (it waits for the morning if it keeps until then), its
period still open and, for a nudge or an overdue notice, its unit not yet submitted. Otherwise
it is dropped: a reminder sent late, at night or after the report is in is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.scheduling.policy import Schedule, schedule_of
from handlers.scheduling.rules import Window, is_quiet, quiet_ends
from storage.repositories import Repositories
from storage.vocabulary import SUBMITTED_STATES, PeriodState

STALE_AT = "stale_at"
UNIT_ID = "unit_id"


def judged_at_delivery(window: Window, unit_id: int | None = None) -> dict[str, Any]:
    """What a scheduled notification's payload carries to be judged when it is sent."""
    carried: dict[str, Any] = {STALE_AT: window.ends.isoformat()}
    if unit_id is not None:
        carried[UNIT_ID] = unit_id
    return carried


@dataclass(frozen=True)
class Verdict:
    """Send now (neither set), send at `wait_until`, or never (`dropped`, and why)."""

    dropped: str | None = None
    wait_until: datetime | None = None


SEND = Verdict()


class DeliveryJudge:
    """Judges the notifications of one claim at the moment `now`: what it reads of a ward (its
    quiet hours, a period's submissions) is read once for the claim, not once a row, since a
    fan-out claims many rows of one ward at a time."""

    def __init__(self, repositories: Repositories, now: datetime) -> None:
        self._repositories = repositories
        self._now = now
        # (ward, period label) → the units that have submitted, or None: the period is closed.
        self._submitted: dict[tuple[int, str], frozenset[int] | None] = {}
        # Ward → its schedule and timezone, or None: the ward is gone.
        self._wards: dict[int, tuple[Schedule, str] | None] = {}

    async def verdict(self, ward_id: int | None, payload: dict[str, Any]) -> Verdict:
        ends = _moment(payload.get(STALE_AT))
        if ends is None:  # not the scheduler's: a person's turn caused it
            return SEND
        if self._now >= ends:
            return Verdict(dropped="its time has passed")
        if ward_id is None:
            return SEND
        unit_id = payload.get(UNIT_ID)
        if isinstance(unit_id, int):
            submitted = await self._submitted_in(ward_id, str(payload.get("period")))
            if submitted is None:
                return Verdict(dropped="its period is closed")
            if unit_id in submitted:
                return Verdict(dropped="its unit has submitted")
        ward = await self._ward(ward_id)
        if ward is None:
            return Verdict(dropped="its ward is gone")
        schedule, timezone = ward
        if not is_quiet(schedule, self._now, timezone):
            return SEND
        morning = quiet_ends(schedule, self._now, timezone)
        return Verdict(wait_until=morning) if morning < ends else Verdict(dropped="night has come")

    async def _submitted_in(self, ward_id: int, label: str) -> frozenset[int] | None:
        key = (ward_id, label)
        if key not in self._submitted:
            ward = self._repositories.for_ward(ward_id)
            period = await ward.periods.by_label(label)
            self._submitted[key] = (
                None
                if period is None or period.state is not PeriodState.OPEN
                else frozenset(
                    unit_id
                    for unit_id, submission in (await ward.reports.submissions(period)).items()
                    if submission.state in SUBMITTED_STATES
                )
            )
        return self._submitted[key]

    async def _ward(self, ward_id: int) -> tuple[Schedule, str] | None:
        if ward_id not in self._wards:
            found = await self._repositories.wards.by_id(ward_id)
            settings = await self._repositories.for_ward(ward_id).schedule.settings()
            self._wards[ward_id] = (schedule_of(settings), found.timezone) if found else None
        return self._wards[ward_id]


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None

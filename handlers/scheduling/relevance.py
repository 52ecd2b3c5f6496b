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

from handlers.scheduling.policy import schedule_of
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


async def at_delivery(
    repositories: Repositories, ward_id: int | None, payload: dict[str, Any], now: datetime
) -> Verdict:
    ends = _moment(payload.get(STALE_AT))
    if ends is None:  # not the scheduler's: a person's turn caused it
        return SEND
    if now >= ends:
        return Verdict(dropped="its time has passed")
    if ward_id is None:
        return SEND
    ward = repositories.for_ward(ward_id)
    unit_id = payload.get(UNIT_ID)
    if isinstance(unit_id, int):
        period = await ward.periods.by_label(str(payload.get("period")))
        if period is None or period.state is not PeriodState.OPEN:
            return Verdict(dropped="its period is closed")
        submission = (await ward.reports.submissions(period)).get(unit_id)
        if submission is not None and submission.state in SUBMITTED_STATES:
            return Verdict(dropped="its unit has submitted")
    found = await repositories.wards.by_id(ward_id)
    if found is None:
        return Verdict(dropped="its ward is gone")
    schedule = schedule_of(await ward.schedule.settings())
    if not is_quiet(schedule, now, found.timezone):
        return SEND
    morning = quiet_ends(schedule, now, found.timezone)
    return Verdict(wait_until=morning) if morning < ends else Verdict(dropped="night has come")


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None

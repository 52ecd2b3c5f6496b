"""Run what is due now for one ward: open its period, nudge the units that have not submitted,
tell late units and the coordinators, remind of unanswered blockers, send the digests.

Called every minute (and at start) by the process's driver, in one transaction per ward. Every
notification passes `Reminders.record` under its key (ward, kind, period, unit or blocker,
step) before it is queued, in the same transaction: run again, in this process or another, it
queues nothing twice. Two processes racing for a key meet at the key's unique index: one
commits, the other's transaction fails and is run again at the next tick, finding it done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.checkin.actions import open_period
from handlers.checkin.outcomes import PeriodOpened
from handlers.checkin.periods import due_moment
from handlers.checkin.session import answered
from handlers.i18n import _, use_locale
from handlers.notify import notify
from handlers.reporting.digest import digest_messages
from handlers.reporting.summary import summarize
from handlers.scheduling.policy import Schedule, schedule_of
from handlers.scheduling.relevance import judged_at_delivery
from handlers.scheduling.rules import (
    Window,
    after_due,
    after_snooze,
    blocker_reminders,
    is_quiet,
    nudges,
    opening,
    period_for,
    progress_notes,
)
from storage.models import Member, Period, Unit, Ward
from storage.repositories import Repositories, WardRepositories
from storage.vocabulary import SUBMITTED_STATES, Role

NUDGE = "nudge"
SNOOZE = "snooze"
# A nudge day done for every unit waiting then.
ROUND = "nudge_round"
BLOCKER = "blocker"


@dataclass(frozen=True)
class Reporter:
    """A unit that owes a report in a period, its heads and where it stands."""

    unit: Unit
    heads: list[Member]
    tasks: int
    answered: int
    submitted: bool


@dataclass
class WardRun:
    """One ward at one moment; `queued` lists the keys queued (logs, the demo)."""

    repositories: Repositories
    ward: Ward
    schedule: Schedule
    now: datetime
    queued: list[str] = field(default_factory=list)

    @property
    def _ward(self) -> WardRepositories:
        return self.repositories.for_ward(self.ward.id)

    def _key(self, *parts: object) -> str:
        return ":".join(str(part) for part in (self.ward.id, *parts))

    def _open(self, window: Window) -> bool:
        return window.open_at(self.now, self.schedule, self.ward.timezone)

    async def _first_time(self, key: str, kind: str, **about: Any) -> bool:
        if await self._ward.reminders.record(key, kind, **about):
            self.queued.append(key)
            return True
        return False

    async def reporters(self, period: Period) -> list[Reporter]:
        ward = self._ward
        submissions = await ward.reports.submissions(period)
        found = []
        for unit in await ward.units.all():
            tasks = (await ward.plans.tasks_for_unit(unit.id)).reporting
            heads = await ward.members.with_role(Role.UNIT_HEAD, unit_id=unit.id)
            if not tasks or not heads:
                continue
            answers = await ward.reports.for_unit(period, unit.id)
            submission = submissions.get(unit.id)
            found.append(
                Reporter(
                    unit,
                    heads,
                    len(tasks),
                    sum(answered(answers.get(task.id)) for task in tasks),
                    submission is not None and submission.state in SUBMITTED_STATES,
                )
            )
        return found

    async def tell_coordinators(self, key: str, payload: dict[str, Any]) -> None:
        """To the ward's registered groups, or (with none) to each coordinator."""
        groups = await self.repositories.groups.of_ward(self.ward.id)
        for group in groups:
            await self.repositories.outbox.enqueue(
                channel=group.channel,
                chat_id=group.chat_id,
                payload=payload,
                ward_id=self.ward.id,
                dedup_key=f"{key}:group:{group.id}",
            )
        if not groups:
            coordinators = await self._ward.members.with_role(Role.COORDINATOR)
            await notify(self.repositories, self.ward.id, coordinators, payload, dedup=key)

    async def nudge(self, period: Period, reporter: Reporter, window: Window) -> bool:
        """One nudge to a unit's heads, within the cap; the key makes it once."""
        counts = await self._ward.reminders.counts(NUDGE, period.id)
        if counts.get(reporter.unit.id, 0) >= self.schedule.nudge_cap:
            return False
        key = self._key(NUDGE, period.id, reporter.unit.id, window.step)
        if not await self._first_time(key, NUDGE, period_id=period.id, unit_id=reporter.unit.id):
            return False
        payload = {
            "kind": "nudge",
            "period": period.label,
            "unit": reporter.unit.name,
            "due_at": period.due_at.isoformat(),
            "timezone": self.ward.timezone,
            "tasks": reporter.tasks,
            "left": reporter.tasks - reporter.answered,
            **judged_at_delivery(window, reporter.unit.id),
        }
        await notify(self.repositories, self.ward.id, reporter.heads, payload, dedup=key)
        return True


async def ward_run(repositories: Repositories, ward: Ward) -> WardRun:
    settings = await repositories.for_ward(ward.id).schedule.settings()
    return WardRun(repositories, ward, schedule_of(settings), repositories.clock.now())


def resting(ward: Ward, settings: dict[str, Any], now: datetime) -> bool:
    """Nothing goes out in quiet hours: every window waits for the morning, or goes stale."""
    return is_quiet(schedule_of(settings), now, ward.timezone)


async def run_due(repositories: Repositories, ward: Ward, settings: dict[str, Any]) -> list[str]:
    """Everything due for the ward now (`settings`: its stored schedule); the keys queued."""
    run = WardRun(repositories, ward, schedule_of(settings), repositories.clock.now())
    if is_quiet(run.schedule, run.now, ward.timezone):
        return []
    periods = run.repositories.for_ward(ward.id).periods
    open_periods = await periods.all_open()
    if await _open_period(run, open_periods):
        open_periods = await periods.all_open()
    for period in open_periods:
        await _period_notices(run, period)
    await _blocker_reminders(run)
    return run.queued


async def _open_period(run: WardRun, open_periods: list[Period]) -> bool:
    """The period of this month (or half-year) opens once (True when it opened now); an
    earlier one left open stays open, and the coordinators are told it is."""
    zone = ZoneInfo(run.ward.timezone)
    spec = period_for(run.schedule, run.now.astimezone(zone).date())
    if any(period.label == spec.label for period in open_periods):
        return False
    due_at = due_moment(run.ward, spec)
    if not run._open(opening(run.schedule, spec, due_at, run.ward.timezone)):
        return False
    periods = run.repositories.for_ward(run.ward.id).periods
    if await periods.by_label(spec.label) is not None:
        return False
    if not await run._first_time(run._key("open", spec.label), "open"):
        return False
    opened = await open_period(run.repositories, run.ward, spec.label, actor="scheduler")
    if not isinstance(opened, PeriodOpened):
        return False
    for earlier in open_periods:
        payload = {"kind": "still_open", "period": earlier.label, "new": opened.period.label}
        key = run._key("still-open", earlier.id, opened.period.id)
        if await run._first_time(key, "still_open", period_id=earlier.id):
            await run.tell_coordinators(key, payload)
    return True


async def _period_notices(run: WardRun, period: Period) -> None:
    """The period's nudges, snoozed nudges, progress notes and after-due notices open now;
    the units are read only when one is."""
    timezone = run.ward.timezone
    open_nudges = [w for w in nudges(run.schedule, period.due_at, timezone) if run._open(w)]
    open_notes = [w for w in progress_notes(run.schedule, period.due_at, timezone) if run._open(w)]
    due_open = run._open(after_due(run.schedule, period.due_at, timezone))
    snoozed = (
        await run.repositories.for_ward(run.ward.id).reminders.latest(SNOOZE, period.id)
        if _may_resume(run, period)
        else {}
    )
    # Each round is marked done, so the rest of its day costs a look-up, not the units.
    seen = run._ward.reminders.seen
    rounds = [w for w in open_nudges if not await seen(run._key(ROUND, period.id, w.step))]
    notes = [w for w in open_notes if not await seen(run._key("progress", period.id, w.step))]
    due_round = due_open and not await seen(run._key("digest", period.id))
    resumed = {}
    for unit_id, until in snoozed.items():
        window = after_snooze(run.schedule, until, period.due_at, timezone)
        if run._open(window) and not await seen(run._key(NUDGE, period.id, unit_id, window.step)):
            resumed[unit_id] = window
    if not (rounds or notes or due_round or resumed):
        return
    reporters = await run.reporters(period)
    waiting = [reporter for reporter in reporters if not reporter.submitted]
    for window in rounds:
        for reporter in waiting:
            if snoozed.get(reporter.unit.id, run.now) <= run.now:
                await run.nudge(period, reporter, window)
        await run._first_time(run._key(ROUND, period.id, window.step), ROUND, period_id=period.id)
    for reporter in waiting:
        # A day with a nudge of its own needs no second one for the snooze.
        if reporter.unit.id in resumed and not open_nudges:
            await run.nudge(period, reporter, resumed[reporter.unit.id])
    for window in notes:
        key = run._key("progress", period.id, window.step)
        if await run._first_time(key, "progress", period_id=period.id):
            payload = _progress_payload(run, period, reporters) | judged_at_delivery(window)
            await run.tell_coordinators(key, payload)
    if due_round:
        await _after_due(run, period, waiting, after_due(run.schedule, period.due_at, timezone))


def _may_resume(run: WardRun, period: Period) -> bool:
    """A snoozed nudge can fall due now: a working day before due, from the nudge hour."""
    local = run.now.astimezone(ZoneInfo(run.ward.timezone))
    return (
        run.now < period.due_at
        and run.schedule.calendar.is_working_day(local.date())
        and local.time() >= run.schedule.nudge_at
    )


def _progress_payload(run: WardRun, period: Period, reporters: list[Reporter]) -> dict[str, Any]:
    return {
        "kind": "progress",
        "period": period.label,
        "due_at": period.due_at.isoformat(),
        "timezone": run.ward.timezone,
        "submitted": sum(reporter.submitted for reporter in reporters),
        "total": len(reporters),
        "missing": [reporter.unit.name for reporter in reporters if not reporter.submitted],
    }


async def _after_due(run: WardRun, period: Period, late: list[Reporter], window: Window) -> None:
    """Each late unit is told once; the coordinators get the late units (with how often each
    was nudged) and the full digest; the leaders the full digest."""
    for reporter in late:
        key = run._key("overdue", period.id, reporter.unit.id)
        if await run._first_time(key, "overdue", period_id=period.id, unit_id=reporter.unit.id):
            payload = {
                "kind": "overdue",
                "period": period.label,
                "unit": reporter.unit.name,
                "due_at": period.due_at.isoformat(),
                "timezone": run.ward.timezone,
                **judged_at_delivery(window, reporter.unit.id),
            }
            await notify(run.repositories, run.ward.id, reporter.heads, payload, dedup=key)
    key = run._key("late-list", period.id)
    if late and await run._first_time(key, "late_list", period_id=period.id):
        counts = await run.repositories.for_ward(run.ward.id).reminders.counts(NUDGE, period.id)
        units = [[reporter.unit.name, counts.get(reporter.unit.id, 0)] for reporter in late]
        payload = {"kind": "late_units", "period": period.label, "units": units}
        await run.tell_coordinators(key, payload | judged_at_delivery(window))
    key = run._key("digest", period.id)
    if await run._first_time(key, "digest", period_id=period.id):
        await _full_digest(run, period, key, window)


async def _full_digest(run: WardRun, period: Period, key: str, window: Window) -> None:
    """The digest as it stands at the due moment, worded in each recipient's language when
    queued; unanswered blockers past their answer time stand first."""
    summary = await summarize(run.repositories, run.ward, period)

    def text(locale: str | None) -> dict[str, Any]:
        with use_locale(locale or run.ward.locale):
            overdue = [blocker for blocker in summary.blockers if blocker.overdue]
            lines = []
            if overdue:
                lines.append(_("Vướng mắc quá hạn trả lời:"))
                lines.extend(f"• #{b.id} {b.unit}: {b.description[:120]}" for b in overdue)
                lines.append("")
            lines.extend(digest_messages(summary, "telegram"))
            return {"kind": "digest", "text": "\n".join(lines), **judged_at_delivery(window)}

    groups = await run.repositories.groups.of_ward(run.ward.id)
    for group in groups:
        await run.repositories.outbox.enqueue(
            channel=group.channel,
            chat_id=group.chat_id,
            payload=text(None),
            ward_id=run.ward.id,
            dedup_key=f"{key}:group:{group.id}",
        )
    roles = (Role.LEADER,) if groups else (Role.COORDINATOR, Role.LEADER)
    for member in await run.repositories.for_ward(run.ward.id).members.with_role(*roles):
        await notify(run.repositories, run.ward.id, [member], text(member.locale), dedup=key)


async def _blocker_reminders(run: WardRun) -> None:
    """An unanswered blocker past its answer time: the coordinators, once, then each working
    morning, up to the cap."""
    ward = run.repositories.for_ward(run.ward.id)
    blockers = await ward.blockers.answer_overdue(run.now)
    if not blockers:
        return
    units = {unit.id: unit.name for unit in await ward.units.all()}
    for blocker in blockers:
        for window in blocker_reminders(
            run.schedule, blocker.answer_due_at, run.now, run.ward.timezone
        ):
            if not run._open(window):
                continue
            sent = await ward.reminders.subject_count(BLOCKER, blocker.id)
            if sent >= run.schedule.blocker_cap:
                break
            key = run._key(BLOCKER, blocker.id, window.step)
            if await run._first_time(key, BLOCKER, subject_id=blocker.id):
                payload = {
                    "kind": "blocker_overdue",
                    "id": blocker.id,
                    "unit": units.get(blocker.unit_id, ""),
                    "description": blocker.description[:200],
                    "due_at": blocker.answer_due_at.isoformat(),
                    "timezone": run.ward.timezone,
                    "times": sent + 1,
                    **judged_at_delivery(window),
                }
                await run.tell_coordinators(key, payload)

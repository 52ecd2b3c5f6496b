"""Opening and closing reporting periods, and telling each unit head when one opens."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from handlers.notify import notify
from storage.models import Period, Ward
from storage.repositories import Repositories
from storage.vocabulary import PeriodKind, Role


class BadMonth(ValueError):
    """The month is not written as YEAR-MONTH (2026-11)."""


@dataclass(frozen=True)
class OpenedPeriod:
    period: Period
    units_told: int


def parse_month(text: str) -> tuple[int, int]:
    try:
        year_text, month_text = text.strip().split("-")
        year, month = int(year_text), int(month_text)
    except ValueError as error:
        raise BadMonth(text) from error
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise BadMonth(text)
    return year, month


def due_moment(ward: Ward, year: int, month: int, due_day: int | None = None) -> datetime:
    """Reports are due *before* the report day ("trước ngày 16"): at its first moment, local time."""
    day = min(due_day or ward.report_day, calendar.monthrange(year, month)[1])
    return datetime.combine(date(year, month, day), time(0, 0), ZoneInfo(ward.timezone))


async def open_month(
    repositories: Repositories, ward: Ward, month: str, *, due_day: int | None = None, actor: str
) -> OpenedPeriod:
    """Open the month's period and queue one message per unit head with what to do.

    Raises BadMonth, or PeriodExists when the month was opened before.
    """
    year, number = parse_month(month)
    ward_repositories = repositories.for_ward(ward.id)
    period = await ward_repositories.periods.open(
        f"{year:04d}-{number:02d}",
        PeriodKind.MONTH,
        date(year, number, 1),
        date(year, number, calendar.monthrange(year, number)[1]),
        due_moment(ward, year, number, due_day),
    )
    repositories.audit.record(
        actor=actor,
        action="open",
        entity="period",
        entity_id=period.label,
        ward_id=ward.id,
        changes={"due_at": [None, period.due_at.isoformat()]},
    )
    units_told = 0
    for unit in await ward_repositories.units.all():
        tasks = await ward_repositories.plans.tasks_for_unit(unit.id)
        heads = await ward_repositories.members.with_role(Role.UNIT_HEAD, unit_id=unit.id)
        if not tasks.reporting or not heads:
            continue
        payload = {
            "kind": "period_opened",
            "period": period.label,
            "due_at": period.due_at.isoformat(),
            "timezone": ward.timezone,
            "unit": unit.name,
            "tasks": len(tasks.reporting),
        }
        await notify(
            repositories, ward.id, heads, payload, dedup=f"period-opened:{period.id}:{unit.id}"
        )
        units_told += 1
    return OpenedPeriod(period, units_told)

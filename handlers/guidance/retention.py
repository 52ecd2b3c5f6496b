"""How long citizens' questions are kept: the brief keeps personal data minimal, and even
masked, a question can say who asked it. After the retention time (the setting
`citizen_question_months` in bot/config.py, 12 by default) they are deleted; what the monthly figures count
of them is kept first, per ward and day, so no period's figures change. The handoffs made of
them (the question as handed to the ward's staff, with the citizen's chat) go with them.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo

from handlers.guidance.stats import counted
from storage.repositories import Repositories


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, or that month's last day if it is
    shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def retention_start(now: datetime, zone: tzinfo, months: int) -> datetime:
    """The first moment still kept: midnight, in the ward's calendar, `months` months ago."""
    return datetime.combine(months_before(now.astimezone(zone).date(), months), time(), zone)


async def purge_questions(repositories: Repositories, months: int, *, dry_run: bool = False) -> int:
    """Delete every question asked before the retention time, keeping its ward's counts, and
    the handoffs made of them; how many questions were deleted (with `dry_run`, would be, and
    nothing changes)."""
    now = repositories.clock.now()
    questions = repositories.questions
    deleted = 0
    for ward in await repositories.wards.all():
        zone = ZoneInfo(ward.timezone)
        start = retention_start(now, zone, months)
        old = await questions.asked_before(ward.id, start)
        if dry_run:
            deleted += len(old)
            continue
        by_day: defaultdict[date, list[tuple[str, str]]] = defaultdict(list)
        for question in old:
            by_day[question.asked_at.astimezone(zone).date()].append(
                (question.masked_text, question.outcome)
            )
        for day, records in by_day.items():
            await questions.add_counts(ward.id, day, counted(records))
        deleted += await questions.delete_asked_before(ward.id, start)
        await repositories.for_ward(ward.id).handoffs.delete_asked_before(start)
    # Questions asked where no ward was known are in no ward's figures: only deleted.
    start = retention_start(now, UTC, months)
    if dry_run:
        return deleted + len(await questions.asked_before(None, start))
    return deleted + await questions.delete_asked_before(None, start)

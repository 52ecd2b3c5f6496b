"""How many messages each channel sent in a month, added to by every process."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SentCount

_COUNTS = cast(Table, SentCount.__table__)


def _add(insert: Any) -> Any:
    # One statement, so two processes adding at once both count.
    statement = insert(_COUNTS).values(
        channel=bindparam("channel"), month=bindparam("month"), sent=bindparam("sent")
    )
    return statement.on_conflict_do_update(
        index_elements=["channel", "month"], set_={"sent": _COUNTS.c.sent + statement.excluded.sent}
    ).returning(_COUNTS.c.sent)


_ADD = {"postgresql": _add(postgresql_insert), "sqlite": _add(sqlite_insert)}
_SENT = select(_COUNTS.c.sent).where(
    _COUNTS.c.channel == bindparam("channel"), _COUNTS.c.month == bindparam("month")
)


class SentCounts:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, channel: str, month: str, sent: int) -> int:
        """Count `sent` more messages of `channel` in `month` ("2026-11"); the month's count
        now, every process's sends included (what the sending port keeps its quota by)."""
        statement = _ADD[self._session.get_bind().dialect.name]
        result = await self._session.execute(
            statement, {"channel": channel, "month": month, "sent": sent}
        )
        return int(result.scalar_one())

    async def sent(self, channel: str, month: str) -> int:
        result = await self._session.execute(_SENT, {"channel": channel, "month": month})
        return result.scalar_one_or_none() or 0

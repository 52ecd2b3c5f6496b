"""The outbox of record: every message to send is a row written in the transaction that caused
it, claimed by one sender at a time, confirmed with the platform's id for it.

Within one chat rows go out in the order they were written: a row is not claimed while an
earlier row of its chat is still unsent (pending or being made), so the second question of a
turn never overtakes the first, whichever process sends them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import CONSOLE_CHANNEL, OutboxMessage, Ward
from storage.sqlite_direct import run_directly
from storage.vocabulary import OutboxKind, OutboxState

_ROWS = cast(Table, OutboxMessage.__table__)
_EARLIER = _ROWS.alias("earlier")
_WARDS = cast(Table, Ward.__table__)
_UNSENT = (OutboxState.PENDING, OutboxState.MAKING)
# Written in the turn's transaction, several at once: on the table, one statement.
_ADD = run_directly(insert(_ROWS).returning(_ROWS.c.id, sort_by_parameter_order=True))


# The delivery loop claims after every batch it sends: its statements are built once (building
# and keying one cost more than running it).
_NOW = bindparam("now", type_=_ROWS.c.claimed_until.type)
_CLAIM = run_directly(
    update(_ROWS)
    .where(_ROWS.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        claimed_by=bindparam("holder"),
        claimed_until=bindparam("until", type_=_ROWS.c.claimed_until.type),
    )
    .returning(
        _ROWS.c.id,
        _ROWS.c.ward_id,
        _ROWS.c.channel,
        _ROWS.c.chat_id,
        _ROWS.c.kind,
        _ROWS.c.pressed,
        _ROWS.c.locale,
        _ROWS.c.payload,
        _ROWS.c.attempts,
    )
)

_SENT = run_directly(
    update(_ROWS)
    .where(_ROWS.c.id == bindparam("row_id"))
    .values(
        state=OutboxState.SENT,
        attempts=_ROWS.c.attempts + 1,
        provider_message_id=bindparam("provider_id"),
        sent_at=bindparam("sent_at", type_=_ROWS.c.sent_at.type),
        claimed_by=None,
        claimed_until=None,
        last_error=None,
    )
)

_ABANDONED_MAKING = select(_ROWS.c.id).where(
    _ROWS.c.state == OutboxState.MAKING, _ROWS.c.claimed_until < _NOW
)


@cache
def _claim_query(*, postgresql: bool, one_chat: bool, retry: bool) -> Select[Any]:
    """The due rows first in their chat: never tried (`retry` False) or due for a retry."""
    earlier_unsent = exists().where(
        _EARLIER.c.channel == _ROWS.c.channel,
        _EARLIER.c.chat_id == _ROWS.c.chat_id,
        _EARLIER.c.id < _ROWS.c.id,
        _EARLIER.c.state.in_(_UNSENT),
        # A notification waiting for a later time (the morning, a retry) does not hold up
        # the chat: the answers to what the person types go out meanwhile.
        # (Spelt out for NULLs: a comparison with NULL would make the whole test unknown.)
        ~and_(
            _EARLIER.c.kind == OutboxKind.NOTIFICATION,
            _EARLIER.c.next_attempt_at.is_not(None),
            _EARLIER.c.next_attempt_at > _NOW,
        ),
    )
    query = (
        select(_ROWS.c.id, _WARDS.c.locale)
        .outerjoin(_WARDS, _WARDS.c.id == _ROWS.c.ward_id)
        .where(
            _ROWS.c.channel.in_(bindparam("channels", expanding=True)),
            _ROWS.c.state == OutboxState.PENDING,
            or_(_ROWS.c.claimed_until.is_(None), _ROWS.c.claimed_until < _NOW),
            ~earlier_unsent,
            _ROWS.c.next_attempt_at <= _NOW if retry else _ROWS.c.next_attempt_at.is_(None),
        )
        .order_by(_ROWS.c.id)
        .limit(bindparam("limit", type_=Integer))
    )
    if one_chat:
        query = query.where(_ROWS.c.chat_id == bindparam("chat_id"))
    if postgresql:
        return query.with_for_update(skip_locked=True, of=_ROWS)
    return run_directly(query)


@dataclass(frozen=True)
class QueuedMessage:
    """One row to write: where it goes and what it says (see handlers/outbox_records.py)."""

    chat_id: str
    payload: dict[str, Any]
    making: bool = False


@dataclass(frozen=True)
class ClaimedMessage:
    """A row this sender holds until `claimed_until`: plain values, used after the claim's
    transaction has committed."""

    id: int
    ward_id: int | None
    channel: str
    chat_id: str
    kind: OutboxKind
    pressed: str | None
    # The row's language, or its ward's when it was queued without one (None: neither).
    locale: str | None
    payload: dict[str, Any]
    attempts: int


class Outbox:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock
        # While a turn runs, its notifications wait here and are written after its replies:
        # a notice to the person's own chat (the open period, to a head who just registered)
        # then comes after the answer to what they typed, not before it.
        self._held: list[OutboxMessage] | None = None

    def hold_notifications(self) -> None:
        """Keep notifications queued from now on until `write_held()`."""
        self._held = []

    async def write_held(self) -> None:
        """Write the notifications held since `hold_notifications()`, after the rows so far."""
        held, self._held = self._held or [], None
        if held:
            self._session.add_all(held)
            await self._session.flush()

    async def enqueue(
        self,
        *,
        channel: str = CONSOLE_CHANNEL,
        chat_id: str,
        payload: dict[str, Any],
        locale: str | None = None,
        ward_id: int | None = None,
        dedup_key: str | None = None,
    ) -> OutboxMessage | None:
        """Queue a notification; with a dedup_key already queued, nothing is added (sent once)."""
        if dedup_key is not None:
            if any(message.dedup_key == dedup_key for message in self._held or ()):
                return None
            existing = await self._session.execute(
                select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key)
            )
            if existing.first() is not None:
                return None
        message = OutboxMessage(
            ward_id=ward_id,
            channel=channel,
            chat_id=chat_id,
            kind=OutboxKind.NOTIFICATION,
            locale=locale,
            payload=payload,
            dedup_key=dedup_key,
            state=OutboxState.PENDING,
            attempts=0,
            created_at=self._clock.now(),
        )
        if self._held is not None:
            self._held.append(message)
            return message
        self._session.add(message)
        await self._session.flush()
        return message

    async def withdraw_notifications(self, channel: str, chat_id: str) -> int:
        """Drop the notifications still waiting for a chat (a person whose roles ended is told
        nothing more); returns how many."""
        result = await self._session.execute(
            update(_ROWS)
            .where(
                _ROWS.c.channel == channel,
                _ROWS.c.chat_id == chat_id,
                _ROWS.c.kind == OutboxKind.NOTIFICATION,
                _ROWS.c.state == OutboxState.PENDING,
                _ROWS.c.claimed_by.is_(None),
            )
            .values(state=OutboxState.DROPPED, last_error="its recipient's roles ended")
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def add_replies(
        self,
        *,
        channel: str,
        update_id: str | None,
        messages: Sequence[QueuedMessage],
        ward_id: int | None,
        locale: str | None,
        pressed: str | None,
        holder: str,
        making_for: timedelta,
    ) -> list[int]:
        """A turn's replies, in order; a row `making` a file is held by `holder` while the
        file is made after the commit. Returns the rows' ids, in order."""
        if not messages:
            return []
        now = self._clock.now()
        rows = [
            {
                "ward_id": ward_id,
                "channel": channel,
                "chat_id": message.chat_id,
                "kind": OutboxKind.REPLY,
                "update_id": update_id,
                "pressed": pressed,
                "locale": locale,
                "payload": message.payload,
                "dedup_key": None,
                "state": OutboxState.MAKING if message.making else OutboxState.PENDING,
                "attempts": 0,
                "next_attempt_at": None,
                "claimed_by": holder if message.making else None,
                "claimed_until": now + making_for if message.making else None,
                "provider_message_id": None,
                "last_error": None,
                "created_at": now,
                "sent_at": None,
            }
            for message in messages
        ]
        result = await self._session.execute(_ADD, rows)
        return [row[0] for row in result]

    async def made(self, message_id: int, payload: dict[str, Any]) -> None:
        """The file a row waited for is made (or could not be): the row is due now."""
        await self._session.execute(
            update(_ROWS)
            .where(_ROWS.c.id == message_id, _ROWS.c.state == OutboxState.MAKING)
            .values(payload=payload, state=OutboxState.PENDING, claimed_by=None, claimed_until=None)
        )

    async def abandoned_making(self) -> list[int]:
        """Rows whose maker died before the file was made (their claim ran out)."""
        result = await self._session.execute(_ABANDONED_MAKING, {"now": self._clock.now()})
        return [row[0] for row in result]

    async def resend(self, channel: str, update_id: str) -> int:
        """A redelivered update: its rows not yet confirmed are due now (unless a sender holds
        them). Returns how many are still to send."""
        now = self._clock.now()
        unconfirmed = and_(
            _ROWS.c.channel == channel,
            _ROWS.c.update_id == update_id,
            _ROWS.c.state.in_(_UNSENT),
        )
        await self._session.execute(
            update(_ROWS)
            .where(
                unconfirmed,
                _ROWS.c.state == OutboxState.PENDING,
                or_(_ROWS.c.claimed_until.is_(None), _ROWS.c.claimed_until < now),
            )
            .values(next_attempt_at=now)
        )
        result = await self._session.execute(select(_ROWS.c.id).where(unconfirmed))
        return len(result.all())

    async def claim(
        self,
        channels: Sequence[str],
        holder: str,
        claim_for: timedelta,
        *,
        chat_id: str | None = None,
        limit: int = 50,
    ) -> list[ClaimedMessage]:
        """Take the due rows that are first in their chat, for `claim_for`; the caller commits
        before sending, so no other sender takes them meanwhile. On PostgreSQL rows another
        transaction is claiming are skipped, not waited for."""
        now = self._clock.now()
        postgresql = self._session.get_bind().dialect.name == "postgresql"
        values: dict[str, Any] = {"now": now, "channels": list(channels), "limit": limit}
        if chat_id is not None:
            values["chat_id"] = chat_id
        # Rows never tried and rows whose retry is due, asked apart: the first are read in
        # the order of the (state, next attempt) index, which is their ids' order, and the
        # reading stops at `limit`, where one question would sort every pending row each time.
        ward_locales: dict[int, str | None] = {}
        for retry in (False, True):
            query = _claim_query(postgresql=postgresql, one_chat=chat_id is not None, retry=retry)
            ward_locales.update(tuple(row) for row in await self._session.execute(query, values))
        ward_locales = dict(sorted(ward_locales.items())[:limit])
        ids = list(ward_locales)
        if not ids:
            return []
        result = await self._session.execute(
            _CLAIM, {"ids": ids, "holder": holder, "until": now + claim_for}
        )
        claimed = [
            replace(message, locale=message.locale or ward_locales[message.id])
            for message in (ClaimedMessage(*row) for row in result)
        ]
        return sorted(claimed, key=lambda message: message.id)

    async def sent(self, rows: Sequence[tuple[int, str | None]]) -> None:
        """Rows that went out, each with the platform's id for its last message: one
        statement for all (the delivery loop records many sends in one transaction)."""
        if not rows:
            return
        now = self._clock.now()
        await self._session.execute(
            _SENT,
            [
                {"row_id": row_id, "provider_id": provider_id, "sent_at": now}
                for row_id, provider_id in rows
            ],
        )

    async def failed(self, message_id: int, error: str, retry_at: datetime | None) -> None:
        """A send failed: tried again at `retry_at`, or given up on when it is None."""
        await self._session.execute(
            update(_ROWS)
            .where(_ROWS.c.id == message_id)
            .values(
                state=OutboxState.PENDING if retry_at else OutboxState.FAILED,
                attempts=_ROWS.c.attempts + 1,
                next_attempt_at=retry_at,
                claimed_by=None,
                claimed_until=None,
                last_error=error[:500],
            )
        )

    async def dropped(self, message_id: int, why: str) -> None:
        """A claimed notification that no longer holds: never sent."""
        await self._session.execute(
            update(_ROWS)
            .where(_ROWS.c.id == message_id)
            .values(state=OutboxState.DROPPED, claimed_by=None, claimed_until=None, last_error=why)
        )

    async def postponed(self, message_id: int, until: datetime) -> None:
        """A claimed notification to send at `until` (after the night), not now."""
        await self._session.execute(
            update(_ROWS)
            .where(_ROWS.c.id == message_id)
            .values(next_attempt_at=until, claimed_by=None, claimed_until=None)
        )

    async def release(self, holder: str) -> None:
        """Give back the rows `holder` claimed and did not send (stopping)."""
        await self._session.execute(
            update(_ROWS)
            .where(_ROWS.c.claimed_by == holder, _ROWS.c.state == OutboxState.PENDING)
            .values(claimed_by=None, claimed_until=None)
        )

    async def pending(
        self, channel: str, chat_id: str | None = None, kind: OutboxKind | None = None
    ) -> list[OutboxMessage]:
        """Unsent rows of a channel (or of one chat there, of one kind), oldest first."""
        query = select(OutboxMessage).where(
            OutboxMessage.channel == channel, OutboxMessage.state.in_(_UNSENT)
        )
        if chat_id is not None:
            query = query.where(OutboxMessage.chat_id == chat_id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        result = await self._session.execute(query.order_by(OutboxMessage.id))
        return list(result.scalars())

    async def backlog(self) -> dict[str, dict[str, int]]:
        """Rows not sent, per channel and state (pending, making, failed), for /healthz."""
        result = await self._session.execute(
            select(_ROWS.c.channel, _ROWS.c.state, func.count())
            .where(_ROWS.c.state.not_in((OutboxState.SENT, OutboxState.DROPPED)))
            .group_by(_ROWS.c.channel, _ROWS.c.state)
        )
        backlog: dict[str, dict[str, int]] = {}
        for channel, state, count in result:
            backlog.setdefault(channel, {})[str(state)] = count
        return backlog

    async def hold(self, message_id: int, reason: str) -> None:
        """A row waits for the channel's quota: unclaimed, its attempts untouched."""
        await self._session.execute(
            update(_ROWS)
            .where(_ROWS.c.id == message_id)
            .values(
                state=OutboxState.HELD, claimed_by=None, claimed_until=None, last_error=reason[:500]
            )
        )

    async def held(self, channel: str) -> list[tuple[int, OutboxKind, dict[str, Any]]]:
        """The rows of a channel waiting for its quota, oldest first."""
        result = await self._session.execute(
            select(_ROWS.c.id, _ROWS.c.kind, _ROWS.c.payload)
            .where(_ROWS.c.channel == channel, _ROWS.c.state == OutboxState.HELD)
            .order_by(_ROWS.c.id)
        )
        return [(row_id, kind, payload) for row_id, kind, payload in result]

    async def unhold(self, message_ids: Sequence[int]) -> None:
        """Held rows are due again (the quota allows them, or a new month began)."""
        await self._session.execute(
            update(_ROWS)
            .where(_ROWS.c.id.in_(message_ids), _ROWS.c.state == OutboxState.HELD)
            .values(state=OutboxState.PENDING, next_attempt_at=None, last_error=None)
        )

    async def give_up_chat(self, channel: str, chat_id: str, reason: str) -> None:
        """Nothing more goes to this chat: its unsent rows fail (no sender holds them now)."""
        await self._session.execute(
            update(_ROWS)
            .where(
                _ROWS.c.channel == channel,
                _ROWS.c.chat_id == chat_id,
                _ROWS.c.state.in_((OutboxState.PENDING, OutboxState.HELD)),
                or_(_ROWS.c.claimed_until.is_(None), _ROWS.c.claimed_until < self._clock.now()),
            )
            .values(state=OutboxState.FAILED, last_error=reason[:500])
        )

"""The delivery loop: claims due outbox rows of the channels this process sends for, commits the
claim, sends each row through its channel's port, and records the outcomes of many sends in one
transaction (the same one that claims the next rows).

Each channel keeps a number of rows in flight (claimed, being sent or sent and waiting for the
transaction that records them): sized from the channel's sending rate, so a chat waiting its
turn under the platform's per-chat limit does not hold up the others, or `chats_at_once` for a
channel that says no rate. A row's place is freed only when its outcome is committed, so the
rows in flight are all that can be sent and not recorded.

The guarantee (README, "Delivery"): a process killed outside a request, with nothing sent and
unrecorded, loses and repeats nothing; killed otherwise, only the rows in flight at the kill
may go out twice (their claims expire and another sender takes them), at most the channel's
number in flight each. Rows of one chat go out in order (a chat's next row is claimed only
once its previous is recorded); chats are served side by side.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager, suppress
from datetime import timedelta

from bot.sending import Outcome, PacedSender, SendingPort, record
from handlers.i18n import use_locale
from handlers.outbox_records import file_failed_record, file_of, reply_from_row
from handlers.scheduling.relevance import DeliveryJudge
from storage.repositories import Repositories
from storage.repositories.outbox import ClaimedMessage
from storage.vocabulary import OutboxKind

log = logging.getLogger(__name__)

# A paced channel keeps this many seconds of its rate in flight: a row may wait up to a second
# for its chat's turn (one message a second in a private chat) while the others go out.
SECONDS_IN_FLIGHT = 2.0


def in_flight_for(port: SendingPort, chats_at_once: int) -> int:
    """How many of a channel's rows are sent side by side."""
    sender = port.sender
    if isinstance(sender, PacedSender):
        return max(chats_at_once, math.ceil(sender.messages_per_second * SECONDS_IN_FLIGHT))
    return chats_at_once


class Delivery:
    def __init__(
        self,
        transaction: Callable[[], AbstractAsyncContextManager[Repositories]],
        ports: Mapping[str, SendingPort],
        holder: str,
        default_locale: str,
        *,
        claim_for: timedelta = timedelta(seconds=60),
        poll_seconds: float = 1.0,
        chats_at_once: int = 8,
        record_within: float = 0.05,
        record_rows: int = 200,
    ) -> None:
        """`ports` by channel name: the channels this process sends for. A claim lasts
        `claim_for` (longer than any one send takes); other processes' rows and retries fall
        due are looked for every `poll_seconds`. Outcomes are recorded together: those that
        arrive within `record_within` seconds of the first, up to `record_rows`."""
        self._transaction = transaction
        self._ports = dict(ports)
        self._holder = holder
        self._default_locale = default_locale
        self._claim_for = claim_for
        self._poll_seconds = poll_seconds
        self._record_within = record_within
        self._record_rows = record_rows
        self.in_flight = {name: in_flight_for(port, chats_at_once) for name, port in ports.items()}
        # A row takes one of its channel's places to be sent, and gives it back once its
        # outcome is recorded; rows claimed beyond the places wait for one.
        self._places = {name: asyncio.Semaphore(n) for name, n in self.in_flight.items()}
        # Rows of each channel claimed and not yet recorded (or given back).
        self._unrecorded = dict.fromkeys(self._ports, 0)
        self._outcomes: list[Outcome] = []
        self._finished = asyncio.Event()
        # Rows being sent now (they have a place and no outcome yet).
        self._sending_now = 0
        # Rows were written since the last claim (a turn's replies: claimed without waiting).
        self._queued = False
        self._sending: set[asyncio.Task[None]] = set()
        self._one_at_a_time = asyncio.Lock()
        self._woken = asyncio.Event()
        self._stopping = asyncio.Event()

    def wake(self) -> None:
        """Rows were written: look now rather than at the next poll (or, while rows are in
        flight, at the next recording)."""
        self._woken.set()
        self._queued = True
        self._finished.set()

    async def deliver_due(self, chat_id: str | None = None) -> int:
        """Send every row that is due now (of one chat, if given), until none is left or the
        loop is stopping; returns how many went out."""
        async with self._one_at_a_time:
            for port in self._ports.values():
                await port.keep_month()
            delivered = 0
            while True:
                recorded, claimed = await self._record_and_claim(chat_id)
                delivered += sum(outcome.went_out for outcome in recorded)
                for row, reply, file in claimed:
                    self._unrecorded[row.channel] += 1
                    task = asyncio.create_task(self._send(row, reply, file))
                    self._sending.add(task)
                    task.add_done_callback(self._sending.discard)
                if not self._outcomes and not any(self._unrecorded.values()):
                    return delivered
                await self._until_finished()

    async def run(self) -> None:
        """Deliver until `stop()`; rows this process claimed and did not send are released."""
        try:
            while not self._stopping.is_set():
                try:
                    await self.deliver_due()
                except Exception:
                    log.exception("the delivery loop failed; trying again")
                self._woken.clear()
                waits = [asyncio.ensure_future(self._woken.wait())]
                waits.append(asyncio.ensure_future(self._stopping.wait()))
                await asyncio.wait(waits, timeout=self._poll_seconds, return_when="FIRST_COMPLETED")
                for wait in waits:
                    wait.cancel()
        finally:
            for task in self._sending:
                task.cancel()
            async with self._transaction() as repositories:
                # What went out is recorded before the rest is given back, or it would repeat.
                await record(repositories, self._outcomes, self._ports)
                await repositories.outbox.release(self._holder)

    def stop(self) -> None:
        self._stopping.set()

    async def _record_and_claim(
        self, chat_id: str | None
    ) -> tuple[list[Outcome], list[tuple[ClaimedMessage, bytes, tuple[int, int | None] | None]]]:
        """In one transaction: the outcomes finished so far recorded, and due rows claimed for
        the room they leave (none when stopping), each with the bytes of the file it sends."""
        outcomes, self._outcomes = self._outcomes, []
        self._queued = False
        try:
            async with self._transaction() as repositories:
                await record(repositories, outcomes, self._ports)
                recorded = Counter(outcome.row.channel for outcome in outcomes)
                claimed = await self._claim(repositories, chat_id, recorded)
        except BaseException:
            # Not recorded: kept for the next transaction (or, killed, repeated by the claim's
            # expiry, as rows in flight may be).
            self._outcomes = outcomes + self._outcomes
            raise
        for outcome in outcomes:
            self._ports[outcome.row.channel].settled(outcome)
            self._unrecorded[outcome.row.channel] -= 1
            self._places[outcome.row.channel].release()
        return outcomes, claimed

    async def _claim(
        self, repositories: Repositories, chat_id: str | None, recorded: Counter[str]
    ) -> list[tuple[ClaimedMessage, bytes, tuple[int, int | None] | None]]:
        """Due rows for the room there is once `recorded` rows' places are given back."""
        if self._stopping.is_set():
            return []
        room = {
            name: self.in_flight[name] - self._unrecorded[name] + recorded[name]
            for name in self._ports
        }
        channels = [name for name, free in room.items() if free > 0]
        if not channels:
            return []
        outbox = repositories.outbox
        for abandoned in await outbox.abandoned_making():
            await outbox.made(abandoned, file_failed_record())
        # One channel's rows may take the others' room: those wait for a place. Claimed again
        # when every row claimed was judged out: the chats they held up have rows to send now;
        # each round judges out at least one row, so it ends.
        limit = sum(room[name] for name in channels)
        while rows := await outbox.claim(
            channels, self._holder, self._claim_for, chat_id=chat_id, limit=limit
        ):
            if rows := await _still_holding(repositories, rows):
                break
        claimed: list[tuple[ClaimedMessage, bytes, tuple[int, int | None] | None]] = []
        for row in rows:
            file_id = file_of(row.payload)
            if file_id is None:
                claimed.append((row, b"", None))
                continue
            stored = await repositories.files.get(file_id)
            claimed.append((row, stored.content if stored else b"", (file_id, row.ward_id)))
        return claimed

    async def _send(
        self, row: ClaimedMessage, content: bytes, file: tuple[int, int | None] | None
    ) -> None:
        """One row, worded in its language, once its channel has a place for it; the place
        is kept until the outcome is recorded."""
        place = self._places[row.channel]
        await place.acquire()
        outcome: Outcome | None = None
        self._sending_now += 1
        try:
            if not self._stopping.is_set():
                with use_locale(row.locale or self._default_locale):
                    reply = reply_from_row(row.kind, row.payload, content)
                    outcome = await self._ports[row.channel].deliver(row, reply, file)
        except Exception:
            log.exception("outbox row %s on %s could not be sent", row.id, row.channel)
        finally:
            self._sending_now -= 1
            if outcome is None:
                # Nothing went out: given back on stopping, or taken again when its claim ends.
                place.release()
                self._unrecorded[row.channel] -= 1
            else:
                self._outcomes.append(outcome)
            self._finished.set()

    async def _until_finished(self) -> None:
        """Until a send has finished, then, while others are being sent, a little longer, so
        one transaction records many; at once when nothing else is being sent or new rows
        were written (a turn's replies are waiting)."""
        loop = asyncio.get_running_loop()
        while not self._outcomes and any(self._unrecorded.values()) and not self._queued:
            self._finished.clear()
            await self._finished.wait()
        deadline = loop.time() + self._record_within
        while len(self._outcomes) < self._record_rows and self._sending_now and not self._queued:
            left = deadline - loop.time()
            if left <= 0:
                break
            self._finished.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), left)


async def _still_holding(
    repositories: Repositories, claimed: list[ClaimedMessage]
) -> list[ClaimedMessage]:
    """The claimed rows to send now: a scheduled notification that no longer holds is dropped,
    one that keeps past the night waits for the morning (handlers/scheduling/relevance.py)."""
    judge = DeliveryJudge(repositories, repositories.clock.now())
    sending = []
    for row in claimed:
        if row.kind is OutboxKind.NOTIFICATION:
            verdict = await judge.verdict(row.ward_id, row.payload)
            if verdict.dropped is not None:
                log.info("outbox row %s not sent: %s", row.id, verdict.dropped)
                await repositories.outbox.dropped(row.id, verdict.dropped)
                continue
            if verdict.wait_until is not None:
                await repositories.outbox.postponed(row.id, verdict.wait_until)
                continue
        sending.append(row)
    return sending

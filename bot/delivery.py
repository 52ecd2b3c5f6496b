"""The delivery loop: claims due outbox rows of the channels this process sends for, commits the
claim, sends each row through its channel's port, which records the outcome.

The guarantee (README, "Delivery"): a process killed outside a request loses and repeats
nothing; killed during one, only that row may go out twice (its claim expires and another
sender takes it). Rows of one chat go out in order; chats are served side by side.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import timedelta

from bot.sending import SendingPort
from handlers.i18n import use_locale
from handlers.outbox_records import file_failed_record, file_of, reply_from_row
from handlers.scheduling.relevance import at_delivery
from storage.repositories import Repositories
from storage.repositories.outbox import ClaimedMessage
from storage.vocabulary import OutboxKind

log = logging.getLogger(__name__)


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
    ) -> None:
        """`ports` by channel name: the channels this process sends for. A claim lasts
        `claim_for` (longer than any one send takes); other processes' rows and retries fall
        due are looked for every `poll_seconds`."""
        self._transaction = transaction
        self._ports = dict(ports)
        self._holder = holder
        self._default_locale = default_locale
        self._claim_for = claim_for
        self._poll_seconds = poll_seconds
        self._chats_at_once = asyncio.Semaphore(chats_at_once)
        self._woken = asyncio.Event()
        self._stopping = asyncio.Event()

    def wake(self) -> None:
        """Rows were written: look now rather than at the next poll."""
        self._woken.set()

    async def deliver_due(self, chat_id: str | None = None) -> int:
        """Send every row that is due now (of one chat, if given), until none is left or the
        loop is stopping; returns how many went out."""
        delivered = 0
        for port in self._ports.values():
            await port.keep_month()
        while not self._stopping.is_set():
            claimed, files, locales = await self._claim(chat_id)
            if not claimed:
                break
            # A claim holds the first row of each chat, so the rows go out side by side.
            sent = await asyncio.gather(*(self._send(row, files, locales) for row in claimed))
            delivered += sum(sent)
        return delivered

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
            async with self._transaction() as repositories:
                await repositories.outbox.release(self._holder)

    def stop(self) -> None:
        self._stopping.set()

    async def _claim(
        self, chat_id: str | None
    ) -> tuple[list[ClaimedMessage], dict[int, bytes], dict[int, str]]:
        """Claim due rows, with the bytes of the files they send and the language of rows
        queued without one (the ward's)."""
        async with self._transaction() as repositories:
            outbox = repositories.outbox
            for abandoned in await outbox.abandoned_making():
                await outbox.made(abandoned, file_failed_record())
            # Claimed again when every row claimed was judged out: the chats they held up have
            # rows to send now. Each round judges out at least one row, so it ends.
            while claimed := await outbox.claim(
                list(self._ports), self._holder, self._claim_for, chat_id=chat_id
            ):
                if claimed := await _still_holding(repositories, claimed):
                    break
            files: dict[int, bytes] = {}
            locales: dict[int, str] = {}
            for row in claimed:
                file_id = file_of(row.payload)
                if file_id is not None:
                    stored = await repositories.files.get(file_id)
                    files[file_id] = stored.content if stored else b""
                if row.locale is None and row.ward_id is not None:
                    ward = await repositories.wards.by_id(row.ward_id)
                    locales[row.id] = ward.locale if ward else self._default_locale
        return claimed, files, locales

    async def _send(
        self, row: ClaimedMessage, files: dict[int, bytes], locales: dict[int, str]
    ) -> bool:
        """One row, worded in its language; the chat's next row waits until it is sent."""
        if self._stopping.is_set():
            return False
        async with self._chats_at_once:
            file_id = file_of(row.payload)
            with use_locale(row.locale or locales.get(row.id) or self._default_locale):
                reply = reply_from_row(row.kind, row.payload, files.get(file_id or 0, b""))
                file = (file_id, row.ward_id) if file_id is not None else None
                return await self._ports[row.channel].deliver(row, reply, file)


async def _still_holding(
    repositories: Repositories, claimed: list[ClaimedMessage]
) -> list[ClaimedMessage]:
    """The claimed rows to send now: a scheduled notification that no longer holds is dropped,
    one that keeps past the night waits for the morning (handlers/scheduling/relevance.py)."""
    now = repositories.clock.now()
    sending = []
    for row in claimed:
        if row.kind is OutboxKind.NOTIFICATION:
            verdict = await at_delivery(repositories, row.ward_id, row.payload, now)
            if verdict.dropped is not None:
                log.info("outbox row %s not sent: %s", row.id, verdict.dropped)
                await repositories.outbox.dropped(row.id, verdict.dropped)
                continue
            if verdict.wait_until is not None:
                await repositories.outbox.postponed(row.id, verdict.wait_until)
                continue
        sending.append(row)
    return sending

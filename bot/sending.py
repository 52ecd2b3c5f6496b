"""The one sending port: neutral replies rendered by what a channel can do, sent by the
channel's adapter, every message counted against the channel's month.

Adapters implement `ChannelSender` (send one rendered message, say who they are); nothing
else in the application talks to a messenger.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from bot.channels import Capabilities
from bot.economy import reserve_starts
from handlers.channel_notices import member_unreachable, quota_spent, waits_for_quota
from handlers.events import ChoicesReply, DocumentReply, ImageReply, Link, Reply, TextReply
from handlers.i18n import _
from storage.clock import Clock
from storage.repositories import Repositories
from storage.repositories.outbox import ClaimedMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Button:
    label: str
    # What the press brings back (ChoicesReply.button_value: the card's version and value).
    data: str


@dataclass(frozen=True)
class OutboundText:
    text: str
    buttons: tuple[Button, ...] = ()
    link: Link | None = None
    # The platform's id of a message to edit into this one, instead of sending a new one.
    replaces: str | None = None


@dataclass(frozen=True)
class OutboundFile:
    file_name: str
    content: bytes
    caption: str = ""
    photo: bool = False
    # Where the kept file can be downloaded, for platforms that take files by URL only.
    url: str | None = None


OutboundMessage = OutboundText | OutboundFile


class ChannelSender(Protocol):
    """One channel's adapter, as the port sees it."""

    @property
    def name(self) -> str: ...

    @property
    def capabilities(self) -> Capabilities: ...

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        """Deliver one message; returns the platform's id for it."""
        ...


@runtime_checkable
class PacedSender(Protocol):
    """An adapter that keeps to a platform's sending rate: the delivery loop keeps enough of
    its rows in flight to use the rate, and no more."""

    @property
    def messages_per_second(self) -> float: ...


def split_text(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at line ends where a line fits
    (a digest is read line by line; a word cut in two is not), within a line only when one
    line alone is longer than the limit."""
    pieces: list[str] = []
    current: list[str] | None = None
    size = 0
    for line in text.split("\n"):
        while len(line) > limit:
            if current is not None:
                pieces.append("\n".join(current))
                current = None
            pieces.append(line[:limit])
            line = line[limit:]
        if current is not None and size + 1 + len(line) <= limit:
            current.append(line)
            size += 1 + len(line)
        else:
            if current is not None:
                pieces.append("\n".join(current))
            current, size = [line], len(line)
    if current is not None:
        pieces.append("\n".join(current))
    return pieces


def render(
    reply: Reply, capabilities: Capabilities, pressed: str | None = None
) -> list[OutboundMessage]:
    """One neutral reply as the messages this channel can carry, in order; `pressed` is the
    platform's id of the card whose button the event pressed, if any."""
    if isinstance(reply, ChoicesReply | TextReply):
        replaces = pressed if reply.replaces_card and capabilities.edits else None
        messages = _text_messages(reply, capabilities)
        return [replace(messages[0], replaces=replaces), *messages[1:]]
    photo = isinstance(reply, ImageReply)
    if capabilities.photos if photo else capabilities.documents:
        return [OutboundFile(reply.file_name, reply.content, reply.caption, photo)]
    return [
        *_texts(
            _("Kênh này chưa gửi được tệp «{name}». Bạn vui lòng lấy tệp trên kênh khác.").format(
                name=reply.file_name
            ),
            capabilities,
        )
    ]


def _text_messages(
    reply: ChoicesReply | TextReply, capabilities: Capabilities
) -> list[OutboundText]:
    if isinstance(reply, ChoicesReply):
        if not capabilities.buttons:
            return _texts(reply.numbered_text(), capabilities)
        buttons = tuple(Button(c.label, reply.button_value(c)) for c in reply.choices)
        return _buttons_on_last(reply.text, capabilities, buttons=buttons)
    if reply.link is None:
        return _texts(reply.text, capabilities)
    if not capabilities.buttons:
        return _texts(f"{reply.text}\n{reply.link.label}: {reply.link.url}", capabilities)
    return _buttons_on_last(reply.text, capabilities, link=reply.link)


def _buttons_on_last(
    text: str,
    capabilities: Capabilities,
    *,
    buttons: tuple[Button, ...] = (),
    link: Link | None = None,
) -> list[OutboundText]:
    """A long text in pieces, its buttons under the last piece (where the question ends)."""
    *leading, last = split_text(text, capabilities.max_text)
    return [*(OutboundText(piece) for piece in leading), OutboundText(last, buttons, link)]


def _texts(text: str, capabilities: Capabilities) -> list[OutboundText]:
    return [OutboundText(piece) for piece in split_text(text, capabilities.max_text)]


def month_of(clock: Clock, timezone: str) -> str:
    """The month a message counts in: quotas run by the calendar month in Vietnam."""
    return clock.now().astimezone(ZoneInfo(timezone)).strftime("%Y-%m")


class SendFailed(Exception):
    """An adapter could not deliver: `permanent` when trying again cannot help (the person
    blocked the bot, the chat is gone), `retry_after` when the platform said when to retry,
    `unreachable` when the person's chat refuses the bot for good (nothing more is sent there
    until they write again), `quota_spent` when the platform says the month's quota is."""

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        unreachable: bool = False,
        quota_spent: bool = False,
    ):
        super().__init__(reason)
        self.permanent = permanent or unreachable
        self.retry_after = retry_after
        self.unreachable = unreachable
        self.quota_spent = quota_spent

    def __reduce__(self) -> tuple[Any, ...]:
        # An exception pickles by its arguments only; a failure from the sending process
        # (bot/sending_process.py) must keep what it means for the row.
        return (
            _send_failed,
            (str(self), self.permanent, self.retry_after, self.unreachable, self.quota_spent),
        )


def _send_failed(
    reason: str,
    permanent: bool,
    retry_after: float | None,
    unreachable: bool,
    quota_spent: bool,
) -> SendFailed:
    return SendFailed(
        reason,
        permanent=permanent,
        retry_after=retry_after,
        unreachable=unreachable,
        quota_spent=quota_spent,
    )


class QuotaHeld(Exception):
    """The row waits for the channel's quota: above the reserve (`spent` False) or past the
    whole month's (`spent` True)."""

    def __init__(self, channel: str, *, spent: bool) -> None:
        where = "spent" if spent else "in its reserve"
        super().__init__(f"the monthly quota of {channel} is {where}: waiting")
        self.spent = spent


@dataclass(frozen=True)
class RetryPolicy:
    """How a failed send is tried again: doubling waits from `first` up to `longest`, given up
    after `attempts` tries (a reply hours late is worse than an honest failure on /healthz)."""

    first: timedelta = timedelta(seconds=2)
    longest: timedelta = timedelta(minutes=10)
    attempts: int = 8

    def next_attempt(self, now: datetime, tried: int, failure: SendFailed) -> datetime | None:
        """When to try again after the `tried`-th failed attempt, or None to give up."""
        if failure.permanent or tried >= self.attempts:
            return None
        if failure.retry_after is not None:
            return now + timedelta(seconds=failure.retry_after)
        return now + min(self.first * 2 ** (tried - 1), self.longest)


@dataclass(frozen=True)
class Outcome:
    """What became of one row's send, to be recorded (`record`): the platform's
    ids of what went out, in the month they count in, and the failure with when to retry."""

    row: ClaimedMessage
    sent: tuple[str, ...]
    month: str
    failure: SendFailed | None = None
    retry_at: datetime | None = None
    # The row waits for the channel's quota instead (bot/economy.py).
    held: QuotaHeld | None = None
    # Messages the port counted as under way against its quota until this is recorded.
    counted: int = 0

    @property
    def went_out(self) -> bool:
        return self.failure is None and self.held is None


async def record(
    repositories: Repositories, outcomes: Sequence[Outcome], ports: Mapping[str, SendingPort]
) -> None:
    """The outcomes of sends on any channels (`ports` by name), in the caller's transaction (one
    for many sends): the rows sent, with the platform's id of their last message, in one
    statement; each failure with its retry (an unreachable person marked, the coordinators
    told); a row held for the quota; what went out added to each channel's month, in the same
    transaction as the rows' states, so a message is counted exactly when its row is recorded."""
    counts = Counter[tuple[str, str]]()
    for outcome in outcomes:
        counts[(outcome.row.channel, outcome.month)] += len(outcome.sent)
    for (channel, month), count in counts.items():
        if count:
            used = await repositories.sent_counts.add(channel, month, count)
            ports[channel].counted(month, used)
    await repositories.outbox.sent(
        [(o.row.id, o.sent[-1] if o.sent else None) for o in outcomes if o.went_out]
    )
    for outcome in outcomes:
        row = outcome.row
        if outcome.held is not None:
            await ports[row.channel].hold(repositories, row, outcome.held)
        elif outcome.failure is not None:
            await repositories.outbox.failed(row.id, str(outcome.failure), outcome.retry_at)
            if outcome.failure.unreachable:
                await member_unreachable(
                    repositories, row.channel, row.chat_id, str(outcome.failure)
                )


class SendingPort:
    """Sends outbox rows through one channel's adapter: renders each by the channel's
    capabilities, keeps to its quota, and says what became of it (`record` writes that).

    The quota is kept from the month's count as this port last recorded it (the count every
    process adds to, read back when a send is recorded), so the check itself costs nothing;
    other processes' sends are seen at the next recording."""

    def __init__(
        self,
        sender: ChannelSender,
        transaction: Callable[[], AbstractAsyncContextManager[Repositories]],
        clock: Clock,
        timezone: str,
        *,
        file_link: Callable[[int, int | None], str] | None = None,
        retry: RetryPolicy = RetryPolicy(),
        reserve: float = 0.9,
    ) -> None:
        """`file_link` makes a download link for a kept file (id, ward): how a file reaches a
        channel that cannot carry documents. Past `reserve` of the monthly quota nudges wait."""
        self.sender = sender
        self._transaction = transaction
        self._clock = clock
        self._timezone = timezone
        self._file_link = file_link
        self._retry = retry
        self._reserve = reserve
        # The month the count below is of (as last recorded), the messages of sends under way
        # (rows of several chats go out at once), and whether the coordinators were told the
        # month is spent.
        self._month: str | None = None
        self._used = 0
        self._under_way = 0
        self._told_spent = False

    def month(self) -> str:
        return month_of(self._clock, self._timezone)

    async def deliver(
        self, row: ClaimedMessage, reply: Reply, file: tuple[int, int | None] | None = None
    ) -> Outcome:
        """Send one row's reply (its file, if it names one, as `file`: id and ward); the
        outcome is for `record`. What went out is counted even when a send fails half-way."""
        sent: list[str] = []
        failure: SendFailed | None = None
        held: QuotaHeld | None = None
        counted = 0
        try:
            messages = await self._render(reply, row.pressed, file)
            counted = await self._keep_to_quota(row, len(messages))
            for message in messages:
                sent.append(await self.sender.send(row.chat_id, message))
        except QuotaHeld as waiting:
            held = waiting
        except SendFailed as failed:
            if failed.quota_spent:
                # The platform counts more than this port did (another tool on the same bot).
                self._used = max(self._used, self.sender.capabilities.monthly_quota or 0)
                held = QuotaHeld(self.sender.name, spent=True)
            else:
                failure = failed
        except Exception as error:  # an adapter's bug or a network error: tried again
            log.exception("sending outbox row %s on %s failed", row.id, self.sender.name)
            failure = SendFailed(f"{type(error).__name__}: {error}")
        if failure is not None:
            log.warning(
                "outbox row %s on %s not sent (attempt %s): %s",
                row.id,
                self.sender.name,
                row.attempts + 1,
                failure,
            )
        retry_at = (
            None
            if failure is None
            else self._retry.next_attempt(self._clock.now(), row.attempts + 1, failure)
        )
        return Outcome(row, tuple(sent), self.month(), failure, retry_at, held, counted)

    async def _render(
        self, reply: Reply, pressed: str | None, file: tuple[int, int | None] | None
    ) -> list[OutboundMessage]:
        """`reply` as this channel's messages; a file it cannot carry becomes its link, where
        links can be made."""
        capabilities = self.sender.capabilities
        if not isinstance(reply, DocumentReply | ImageReply) or file is None:
            return render(reply, capabilities, pressed)
        if self._file_link is None:
            return render(reply, capabilities, pressed)
        url = self._file_link(*file)
        photo = isinstance(reply, ImageReply)
        if capabilities.photos if photo else capabilities.documents:
            return [
                replace(message, url=url) if isinstance(message, OutboundFile) else message
                for message in render(reply, capabilities, pressed)
            ]
        # Messengers' in-app browsers handle downloads badly: the link says where to open it.
        label = _("Mở bằng trình duyệt để tải tệp {name}").format(name=reply.file_name)
        return render(
            TextReply(reply.caption or reply.file_name, link=Link(label, url)), capabilities
        )

    async def _keep_to_quota(self, row: ClaimedMessage, count: int) -> int:
        """Raises `QuotaHeld` when `count` more messages of this row would pass the month's
        quota, or its reserve for a row that waits there (a nudge); otherwise they are
        counted as under way and their number returned."""
        quota = self.sender.capabilities.monthly_quota
        if quota is None:
            return 0
        await self.keep_month()
        after = self._used + self._under_way + count
        if after > quota:
            raise QuotaHeld(self.sender.name, spent=True)
        if after > reserve_starts(quota, self._reserve) and waits_for_quota(row.kind, row.payload):
            raise QuotaHeld(self.sender.name, spent=False)
        self._under_way += count
        return count

    def counted(self, month: str, used: int) -> None:
        """The month's count as a recording left it (every process's sends included)."""
        if self._month == month:
            self._used = max(self._used, used)

    def settled(self, outcome: Outcome) -> None:
        """The outcome is committed: its messages are in the count, no longer under way (and a
        spent month's notice, queued with it, is known to be written)."""
        self._under_way -= outcome.counted
        if outcome.held is not None and outcome.held.spent:
            self._told_spent = True

    async def keep_month(self) -> None:
        """Called before each delivery pass: a new month (or this process's first look)
        starts the count afresh and lets go of what waited for it."""
        if self.sender.capabilities.monthly_quota is not None and self._month != self.month():
            await self._start_month()

    async def _start_month(self) -> None:
        """A month's first send (in this process): its count read, and the rows held for the
        quota let go where it allows them now (one whose moment has passed is then dropped at
        its claim, by the rule every scheduled notification is judged by at delivery)."""
        month = self.month()
        quota = self.sender.capabilities.monthly_quota or 0
        async with self._transaction() as repositories:
            used = await repositories.sent_counts.sent(self.sender.name, month)
            free = []
            for row_id, kind, payload in await repositories.outbox.held(self.sender.name):
                if used < (
                    reserve_starts(quota, self._reserve)
                    if waits_for_quota(kind, payload)
                    else quota
                ):
                    free.append(row_id)
            await repositories.outbox.unhold(free)
        self._month, self._used, self._told_spent = month, used, False

    async def hold(self, repositories: Repositories, row: ClaimedMessage, held: QuotaHeld) -> None:
        """The row waits; the coordinators are told once a month that the channel is spent.
        Until a hold is committed (`settled`) the notice is queued with each one: a transaction
        that rolls back takes its notice with it, and the dedup key keeps the repeats out."""
        await repositories.outbox.hold(row.id, str(held))
        if held.spent and not self._told_spent:
            await quota_spent(repositories, self.sender.name, self.month())

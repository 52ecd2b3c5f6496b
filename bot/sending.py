"""The one sending port: neutral replies rendered by what a channel can do, sent by the
channel's adapter, every message counted against the channel's month.

Adapters implement `ChannelSender` (send one rendered message, say who they are); nothing
else in the application talks to a messenger.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.channels import Capabilities
from handlers.events import ChoicesReply, ImageReply, Reply, TextReply
from handlers.i18n import _
from storage.clock import Clock
from storage.repositories import Repositories


@dataclass(frozen=True)
class Button:
    label: str
    # What the press brings back (ChoicesReply.button_value: the card's version and value).
    data: str


@dataclass(frozen=True)
class OutboundText:
    text: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class OutboundFile:
    file_name: str
    content: bytes
    caption: str = ""
    photo: bool = False


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


def render(reply: Reply, capabilities: Capabilities) -> list[OutboundMessage]:
    """One neutral reply as the messages this channel can carry, in order."""
    if isinstance(reply, ChoicesReply):
        if not capabilities.buttons:
            return _texts(reply.numbered_text(), capabilities)
        *leading, last = split_text(reply.text, capabilities.max_text)
        buttons = tuple(Button(c.label, reply.button_value(c)) for c in reply.choices)
        return [*(OutboundText(piece) for piece in leading), OutboundText(last, buttons)]
    if isinstance(reply, TextReply):
        return _texts(reply.text, capabilities)
    photo = isinstance(reply, ImageReply)
    if capabilities.photos if photo else capabilities.documents:
        return [OutboundFile(reply.file_name, reply.content, reply.caption, photo)]
    return _texts(
        _("Kênh này chưa gửi được tệp «{name}». Bạn vui lòng lấy tệp trên kênh khác.").format(
            name=reply.file_name
        ),
        capabilities,
    )


def _texts(text: str, capabilities: Capabilities) -> list[OutboundMessage]:
    return [OutboundText(piece) for piece in split_text(text, capabilities.max_text)]


def month_of(clock: Clock, timezone: str) -> str:
    """The month a message counts in: quotas run by the calendar month in Vietnam."""
    return clock.now().astimezone(ZoneInfo(timezone)).strftime("%Y-%m")


class SendingPort:
    """Sends replies through one channel's adapter and counts what went out."""

    def __init__(
        self,
        sender: ChannelSender,
        transaction: Callable[[], AbstractAsyncContextManager[Repositories]],
        clock: Clock,
        timezone: str,
    ) -> None:
        self.sender = sender
        self._transaction = transaction
        self._clock = clock
        self._timezone = timezone

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> list[str]:
        """Render and send `replies` to a chat in order; returns the platform's message ids.
        The count is kept even when a send fails half-way: what went out counts."""
        sent: list[str] = []
        try:
            for reply in replies:
                for message in render(reply, self.sender.capabilities):
                    sent.append(await self.sender.send(chat_id, message))
        finally:
            if sent:
                async with self._transaction() as repositories:
                    month = month_of(self._clock, self._timezone)
                    await repositories.sent_counts.add(self.sender.name, month, len(sent))
        return sent

"""The one sending port: neutral replies rendered by what a channel can do, sent by the
channel's adapter, every message counted against the channel's month.

Adapters implement `ChannelSender` (send one rendered message, say who they are); nothing
else in the application talks to a messenger.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.channels import Capabilities
from handlers.events import ChoicesReply, ImageReply, Link, Reply, TextReply
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
    link: Link | None = None
    # The platform's id of a message to edit into this one, instead of sending a new one.
    replaces: str | None = None


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

    async def send(
        self, chat_id: str, replies: Sequence[Reply], *, pressed: str | None = None
    ) -> list[str]:
        """Render and send `replies` in order, each to its own chat or else to `chat_id`;
        `pressed` is the card the event's button was on. Returns the platform's message ids.
        The count is kept even when a send fails half-way: what went out counts."""
        sent: list[str] = []
        try:
            for reply in replies:
                for message in render(reply, self.sender.capabilities, pressed):
                    sent.append(await self.sender.send(reply.chat_id or chat_id, message))
        finally:
            if sent:
                async with self._transaction() as repositories:
                    month = month_of(self._clock, self._timezone)
                    await repositories.sent_counts.add(self.sender.name, month, len(sent))
        return sent

"""The neutral message model: what adapters turn platform updates into, and replies back into.

Plain values only, so a flow written once works on the console, Telegram, the Zalo Bot API and
the Zalo Official Account alike.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from storage.models import CONSOLE_CHANNEL


class EventKind(StrEnum):
    TEXT = "text"
    COMMAND = "command"
    CHOICE = "choice"
    FILE = "file"
    PHOTO = "photo"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Sender:
    """A messenger account: the platform and the platform's id for the person."""

    platform: str
    user_id: str
    display_name: str | None = None
    language_hint: str | None = None


@dataclass(frozen=True)
class Attachment:
    file_id: str
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class IncomingEvent:
    """One update from a person in a chat (private or a group) of one channel (bot account).
    `update_id` is the channel's, used to process it only once."""

    update_id: str
    sender: Sender
    chat_id: str
    kind: EventKind
    text: str = ""
    command: str | None = None
    argument: str = ""
    choice: str | None = None
    attachment: Attachment | None = None
    is_private: bool = True
    # A button press: the conversation version its card was shown at (None when the choice was
    # typed), and the platform's id for the press, to acknowledge it.
    choice_version: int | None = None
    callback_id: str | None = None
    channel: str = CONSOLE_CHANNEL
    # The platform's id for this message, and for the message it replies to.
    message_id: str | None = None
    reply_to: str | None = None
    # In a group: the bot was mentioned or its message replied to (the adapter knows how).
    addressed_to_bot: bool = False
    # Where the platform puts this message among the chat's messages (a date in milliseconds,
    # or an id that only grows), so one sent earlier but handled later (another process took
    # it) is never applied to a step the person has since moved past. None: no such order.
    sent_order: int | None = None


def parse_text_event(update_id: str, sender: Sender, chat_id: str, text: str) -> IncomingEvent:
    """A typed message as an event: "/start ABCD" is a command with its argument."""
    stripped = text.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        head, _, argument = stripped[1:].partition(" ")
        # Telegram appends the bot's name in groups: /toi@ReportBot.
        command = head.split("@", 1)[0].lower()
        return IncomingEvent(
            update_id,
            sender,
            chat_id,
            EventKind.COMMAND,
            text=text,
            command=command,
            argument=argument.strip(),
        )
    return IncomingEvent(update_id, sender, chat_id, EventKind.TEXT, text=text)


def button_event(
    update_id: str,
    sender: Sender,
    chat_id: str,
    data: str,
    *,
    callback_id: str | None = None,
    channel: str = CONSOLE_CHANNEL,
    is_private: bool = True,
) -> IncomingEvent:
    """A button press as an event; `data` is what `ChoicesReply.button_value` put on it."""
    version, separator, value = data.partition(VERSION_SEPARATOR)
    stamped = bool(separator) and version.isdigit()
    return IncomingEvent(
        update_id,
        sender,
        chat_id,
        EventKind.CHOICE,
        choice=value if stamped else data,
        choice_version=int(version) if stamped else None,
        callback_id=callback_id,
        channel=channel,
        is_private=is_private,
    )


VERSION_SEPARATOR = ":"


@dataclass(frozen=True)
class Choice:
    """One option: `value` comes back in a CHOICE event; `label` is what the person reads."""

    value: str
    label: str
    # Where a number is asked, a typed number is the answer, not an option: this option is then
    # typed as its keyword («chưa có») or pressed, and is listed without a number.
    keyword: str | None = None


@dataclass(frozen=True)
class Link:
    """An address offered as a button (a file link); the address is written out where the
    messenger has no buttons."""

    label: str
    url: str


@dataclass(frozen=True)
class TextReply:
    text: str
    link: Link | None = None
    # Instead of a new message, replace the card whose button was pressed (where the channel
    # edits messages; sent anew where it cannot).
    replaces_card: bool = False
    # Another chat than the event's (the coordinators' group); None: the event's.
    chat_id: str | None = None


@dataclass(frozen=True)
class ChoicesReply:
    """A question with options. Adapters render buttons where they can; the numbered list
    is the typed fallback, and typing a number is understood by the dispatcher."""

    text: str
    choices: tuple[Choice, ...]
    # The conversation's version once the turn that asked has saved (set by the dispatcher):
    # a press on a card older than the conversation is recognised and changes nothing.
    version: int | None = None
    replaces_card: bool = False
    chat_id: str | None = None

    def button_value(self, choice: Choice) -> str:
        """What a button carries back: the choice's value behind the card's version."""
        if self.version is None:
            return choice.value
        return f"{self.version}{VERSION_SEPARATOR}{choice.value}"

    def numbered_text(self) -> str:
        lines = [
            self.text,
            *(
                f"{n}. {c.label}" if c.keyword is None else f"«{c.keyword}»: {c.label}"
                for n, c in enumerate(self.choices, start=1)
            ),
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class DocumentReply:
    file_name: str
    content: bytes
    caption: str = ""
    chat_id: str | None = None


@dataclass(frozen=True)
class ImageReply:
    file_name: str
    content: bytes
    caption: str = ""
    chat_id: str | None = None


Reply = TextReply | ChoicesReply | DocumentReply | ImageReply


@dataclass
class Outgoing:
    """The replies to one event, in order."""

    replies: list[Reply] = field(default_factory=list)
    # Files made once the turn has committed (see Dispatcher.handle): where each goes among
    # `replies`, the turn's context (its locale) and what makes it.
    later: list[tuple[int, contextvars.Context, Callable[[], Reply]]] = field(default_factory=list)

    def add_later(self, make: Callable[[], Reply]) -> None:
        self.later.append((len(self.replies), contextvars.copy_context(), make))

    def texts(self) -> list[str]:
        rendered = []
        for reply in self.replies:
            if isinstance(reply, ChoicesReply):
                rendered.append(reply.numbered_text())
            elif isinstance(reply, TextReply):
                rendered.append(reply.text)
            else:
                rendered.append(reply.caption or reply.file_name)
        return rendered

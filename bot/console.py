"""The console adapter: a terminal chat through the same dispatcher as every messenger."""

from __future__ import annotations

import itertools
import sys
import uuid
from pathlib import Path
from typing import Protocol, TextIO

from bot.app import Application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.console_input import TypedMessages
from bot.delivery import Delivery
from bot.sending import OutboundFile, OutboundMessage, SendingPort
from handlers.dispatcher import Dispatcher
from handlers.events import (
    Attachment,
    EventKind,
    IncomingEvent,
    Sender,
    parse_text_event,
)
from handlers.i18n import _, format_number
from storage.models import CONSOLE_CHANNEL, Unit, Ward
from storage.vocabulary import Role

PLATFORM = "console"


class TextSink(Protocol):
    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...


def console_event(sender: Sender, line: str) -> IncomingEvent:
    """A typed line as an event; "/file PATH" stands in for sending a file from a phone."""
    update_id = uuid.uuid4().hex
    if line.startswith("/file "):
        path = line.removeprefix("/file ").strip()
        return IncomingEvent(
            update_id,
            sender,
            sender.user_id,
            EventKind.FILE,
            attachment=Attachment(file_id=path, file_name=path.rsplit("/", 1)[-1]),
        )
    return parse_text_event(update_id, sender, sender.user_id, line)


class ConsoleSender:
    """The terminal as a channel's adapter: texts printed, files written to `files_dir` and
    shown by their path."""

    name = CONSOLE_CHANNEL
    capabilities = PLATFORM_CAPABILITIES[Platform.CONSOLE]

    def __init__(self, stdout: TextSink, files_dir: Path) -> None:
        self._stdout = stdout
        self._files_dir = files_dir
        self._sent = itertools.count(1)

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        if isinstance(message, OutboundFile):
            self._files_dir.mkdir(parents=True, exist_ok=True)
            path = self._files_dir / message.file_name
            path.write_bytes(message.content)
            text = _("[tệp {path}, {size} byte] {caption}").format(
                path=path, size=format_number(len(message.content)), caption=message.caption
            )
        else:
            text = message.text
        self._stdout.write(text + "\n")
        self._stdout.flush()
        return str(next(self._sent))


async def console_identity(
    application: Application,
    ward: Ward,
    *,
    unit: Unit | None = None,
    role: Role | None = None,
    citizen: bool = False,
) -> Sender:
    """The terminal user: registered with `role` (for `unit`); with no role, the console's own
    user, who may register with a code; a `citizen` is never anyone registered."""
    if citizen:
        async with application.transaction() as repositories:
            registered = await repositories.identities.member_for(PLATFORM, "citizen")
        # Before the console's own user had an id of its own, registering took this one.
        user_id = "citizen" if registered is None else f"citizen-{uuid.uuid4().hex[:8]}"
        return Sender(PLATFORM, user_id, _("Người dân"))
    if role is None:
        return Sender(PLATFORM, "console", _("Người dùng bảng điều khiển"))
    user_id = f"{role}:{unit.id}" if unit else str(role)
    display = _("Bảng điều khiển — {place}").format(place=unit.name if unit else ward.name)
    async with application.transaction() as repositories:
        known = await repositories.identities.member_for(PLATFORM, user_id)
        # The member looked up is shared between turns, read-only: the role is granted on
        # this transaction's own copy.
        members = repositories.for_ward(known.ward_id if known else ward.id).members
        member = await members.by_id(known.id) if known else None
        if member is None:
            member = await members.add(display)
            members.link_identity(member, PLATFORM, user_id)
        members.grant(member, role, unit.id if unit else None)
    return Sender(PLATFORM, user_id, display)


class ConsoleChat:
    def __init__(
        self,
        application: Application,
        dispatcher: Dispatcher,
        sender: Sender,
        *,
        stdin: TextIO = sys.stdin,
        stdout: TextSink = sys.stdout,
        files_dir: Path = Path("reportbot-files"),
    ) -> None:
        self._application = application
        self._dispatcher = dispatcher
        self._sender = sender
        self._stdin = stdin
        self._stdout = stdout
        port = SendingPort(
            ConsoleSender(stdout, files_dir),
            application.transaction,
            application.clock,
            application.settings.default_timezone,
        )
        self._delivery = Delivery(
            application.transaction,
            {CONSOLE_CHANNEL: port},
            application.holder,
            application.settings.default_locale,
        )

    def write(self, text: str) -> None:
        self._stdout.write(text + "\n")
        self._stdout.flush()

    async def say(self, line: str) -> None:
        """Send one line as the terminal user; what the outbox then holds for this chat (the
        replies, and notifications queued for this person) is printed through the port."""
        await self._dispatcher.handle(console_event(self._sender, line))
        await self._delivery.deliver_due(chat_id=self._sender.user_id)

    async def run(self) -> None:
        self.write(
            _(
                "Gõ tin nhắn như trên điện thoại; dán cả báo cáo nhiều dòng rồi Enter thêm một "
                "dòng trống; /huongdan để xem cách dùng, /thoat để thoát."
            )
        )
        messages = TypedMessages(self._stdin)
        while True:
            self._stdout.write("> ")
            self._stdout.flush()
            message = await messages.next()
            if message is None or message in ("/thoat", "/quit", "/exit"):
                break
            if message:
                await self.say(message)

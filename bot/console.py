"""The console adapter: a terminal chat through the same dispatcher as every messenger."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TextIO

from bot.app import Application
from handlers.dispatcher import Dispatcher
from handlers.events import (
    Attachment,
    ChoicesReply,
    DocumentReply,
    EventKind,
    ImageReply,
    IncomingEvent,
    Reply,
    Sender,
    TextReply,
    parse_text_event,
)
from handlers.i18n import _, format_number, use_locale
from handlers.notifications import render_notification
from storage.models import Unit, Ward
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


def render_reply(reply: Reply, files_dir: Path) -> str:
    """Replies as the terminal shows them: choices as a numbered list to type from; files are
    written to `files_dir` and shown by their path."""
    if isinstance(reply, ChoicesReply):
        return reply.numbered_text()
    if isinstance(reply, TextReply):
        return reply.text
    if isinstance(reply, DocumentReply | ImageReply):
        files_dir.mkdir(parents=True, exist_ok=True)
        path = files_dir / reply.file_name
        path.write_bytes(reply.content)
        return _("[tệp {path}, {size} byte] {caption}").format(
            path=path, size=format_number(len(reply.content)), caption=reply.caption
        )
    raise TypeError(reply)


async def console_identity(
    application: Application,
    ward: Ward,
    *,
    unit: Unit | None = None,
    role: Role | None = None,
) -> Sender:
    """The terminal user: registered with `role` (for `unit`) unless a citizen is wanted."""
    if role is None:
        return Sender(PLATFORM, "citizen", _("Người dân"))
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


async def deliver_console_outbox(
    application: Application, sender: Sender, write: Callable[[str], None]
) -> None:
    """Show the notifications queued for this terminal user, and mark them sent."""
    async with application.transaction() as repositories:
        for message in await repositories.outbox.pending(PLATFORM, external_id=sender.user_id):
            write("🔔 " + render_notification(message.payload))
            repositories.outbox.mark_sent(message)


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
        self._files_dir = files_dir
        self._application = application
        self._dispatcher = dispatcher
        self._sender = sender
        self._stdin = stdin
        self._stdout = stdout

    def write(self, text: str) -> None:
        self._stdout.write(text + "\n")
        self._stdout.flush()

    async def say(self, line: str) -> list[str]:
        """Send one line as the terminal user; returns the rendered replies (also printed)."""
        outgoing = await self._dispatcher.handle(console_event(self._sender, line))
        with use_locale(self._sender.language_hint):
            rendered = [render_reply(reply, self._files_dir) for reply in outgoing.replies]
        for text in rendered:
            self.write(text)
        await deliver_console_outbox(self._application, self._sender, self.write)
        return rendered

    async def run(self) -> None:
        self.write(
            _("Gõ tin nhắn như trên điện thoại; /huongdan để xem cách dùng, /thoat để thoát.")
        )
        while True:
            self._stdout.write("> ")
            self._stdout.flush()
            line = await asyncio.to_thread(self._stdin.readline)
            if not line:
                break
            line = line.strip()
            if line in ("/thoat", "/quit", "/exit"):
                break
            if line:
                await self.say(line)

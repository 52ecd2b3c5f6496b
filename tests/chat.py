"""A transcript-style harness: a person sends lines, the test reads what the bot answered."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from handlers.dispatcher import Dispatcher
from handlers.events import EventKind, IncomingEvent, Reply, Sender, parse_text_event

_update_ids = itertools.count(1)


@dataclass
class Person:
    dispatcher: Dispatcher
    sender: Sender
    replies: list[Reply] = field(default_factory=list)

    async def send(self, text: str, *, update_id: str | None = None) -> list[str]:
        event = parse_text_event(
            update_id or f"u{next(_update_ids)}", self.sender, self.sender.user_id, text
        )
        return await self.deliver(event)

    async def deliver(self, event: IncomingEvent) -> list[str]:
        outgoing = await self.dispatcher.handle(event)
        self.replies.extend(outgoing.replies)
        return outgoing.texts()

    async def send_sticker(self) -> list[str]:
        event = IncomingEvent(
            f"u{next(_update_ids)}", self.sender, self.sender.user_id, EventKind.UNSUPPORTED
        )
        return await self.deliver(event)


def person(
    dispatcher: Dispatcher,
    user_id: str,
    name: str = "Nguyễn Văn A",
    platform: str = "test",
    language: str | None = None,
) -> Person:
    return Person(dispatcher, Sender(platform, user_id, name, language))

"""Writing outbox rows as a turn would, and delivering them, for tests of the sending side."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.app import Application
from bot.channels import Capabilities
from bot.delivery import Delivery
from bot.sending import ChannelSender, OutboundMessage, RetryPolicy, SendingPort
from handlers.events import IncomingEvent, Outgoing, Reply
from handlers.outbox_records import reply_record
from storage.repositories import Repositories
from storage.repositories.outbox import QueuedMessage


class RecordingSender:
    """A channel's adapter that keeps what it was given."""

    def __init__(self, name: str, capabilities: Capabilities) -> None:
        self.name = name
        self.capabilities = capabilities
        self.delivered: list[tuple[str, OutboundMessage]] = []

    async def send(self, chat_id: str, message: OutboundMessage) -> str:
        self.delivered.append((chat_id, message))
        return f"m{len(self.delivered)}"


async def queue_turn(
    repositories: Repositories, event: IncomingEvent, outgoing: Outgoing
) -> list[int]:
    messages = [
        QueuedMessage(reply.chat_id or event.chat_id, {"reply": reply_record(reply)})
        for reply in outgoing.replies
    ]
    return await repositories.outbox.add_replies(
        channel=event.channel,
        update_id=event.update_id,
        messages=messages,
        ward_id=None,
        locale=None,
        pressed=None,
        holder="test",
        making_for=timedelta(minutes=5),
    )


async def queue(
    application: Application, channel: str, chat_id: str, replies: Sequence[Reply]
) -> list[int]:
    async with application.transaction() as repositories:
        return await repositories.outbox.add_replies(
            channel=channel,
            update_id=None,
            messages=[QueuedMessage(chat_id, {"reply": reply_record(r)}) for r in replies],
            ward_id=None,
            locale=None,
            pressed=None,
            holder="test",
            making_for=timedelta(minutes=5),
        )


def delivery_for(
    application: Application,
    *senders: ChannelSender,
    holder: str = "tester",
    retry: RetryPolicy | None = None,
    file_link: object = None,
) -> Delivery:
    ports = {
        sender.name: SendingPort(
            sender,
            application.transaction,
            application.clock,
            "Asia/Ho_Chi_Minh",
            retry=retry or RetryPolicy(),
            file_link=file_link,  # type: ignore[arg-type]
        )
        for sender in senders
    }
    return Delivery(application.transaction, ports, holder, "vi")


async def deliver(application: Application, *senders: ChannelSender) -> int:
    return await delivery_for(application, *senders).deliver_due()

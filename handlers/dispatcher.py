"""Routing an event to a flow by the sender's role and persisted conversation state.

One transaction per event (on SQLite a share of a group commit, see storage/transactions.py):
the update id is recorded, the state is loaded (locked where the database can), the flow runs,
the new state is saved and the turn's replies are written to the outbox, all or nothing. A
redelivered update finds its id already recorded: its replies not yet confirmed are sent again
and the turn is not run twice. A crash before the commit rolls everything back, so the
redelivery is processed in full; after it, the outbox still holds the replies.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import weakref
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.actor import Actor
from handlers.context import (
    CHOICES_KEY,
    EvidenceLink,
    FlowContext,
    GuidanceSource,
    InviteBot,
)
from handlers.events import (
    ChoicesReply,
    DocumentReply,
    EventKind,
    ImageReply,
    IncomingEvent,
    Outgoing,
    Reply,
    Sender,
    TextReply,
)
from handlers.groups import group_allows
from handlers.i18n import _, format_number, use_locale
from handlers.outbox_records import file_failed_reply, reply_record
from handlers.people import INVITE_VALID_DAYS
from handlers.reporting.files import FileMaker
from handlers.router import Command, Handler, Router
from handlers.text.hygiene import MAX_COMMAND, MAX_TEXT, clean_text, too_long
from handlers.text.numbers import read_number
from storage.clock import Clock
from storage.models import Member, Ward
from storage.repositories import Repositories
from storage.repositories.outbox import QueuedMessage
from storage.transactions import Transactions
from storage.vocabulary import Role

log = logging.getLogger(__name__)

# Files are made one at a time in this thread: off the event loop, and never two charts at once
# (matplotlib's settings are process-wide).
_MAKING_FILES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reportbot-files")

# Commands that may leave a flow half-way (stopping it, registering); help keeps the flow.
LEAVING_COMMANDS = {"huy", "start"}
HELP_COMMAND = "huongdan"
# How long a turn's file may take to make before its row is given up as a file not made.
FILE_MAKING_TIME = timedelta(minutes=5)


@dataclass
class _Turn:
    """What a committed turn left to do: its replies as the caller sees them, and the files
    still to make into the outbox rows waiting for them."""

    outgoing: Outgoing
    ward_id: int | None = None
    making_rows: tuple[int, ...] = ()
    queued: bool = False


class Dispatcher:
    def __init__(
        self,
        transactions: Transactions,
        clock: Clock,
        routers: Iterable[Router],
        *,
        citizen_handler: Handler,
        member_text_handler: Handler,
        help_handler: Handler,
        channel_ward_id: int | None = None,
        guidance: GuidanceSource | None = None,
        files: FileMaker | None = None,
        evidence_link: EvidenceLink | None = None,
        invite_bot: InviteBot | None = None,
        invite_valid_days: int = INVITE_VALID_DAYS,
        holder: str = "reportbot",
        on_queued: Callable[[], None] | None = None,
        while_making: Callable[[str, str], AbstractAsyncContextManager[object]] | None = None,
    ) -> None:
        """`channel_ward_id` is the ward this channel (bot account) serves its citizens for;
        `holder` names this process on the outbox rows it holds while it makes their files;
        `on_queued` is told when rows were written (the delivery loop wakes); `while_making`
        (channel, chat) is entered while that chat's files are made (the messenger shows the
        bot at work)."""
        self._transactions = transactions
        self._clock = clock
        self.commands: dict[str, Command] = {}
        self._flows: dict[str, Handler] = {}
        self._prompts: dict[str, Handler] = {}
        self._resting_steps: dict[str, frozenset[str]] = {}
        for router in routers:
            self.commands.update(router.commands)
            self._flows.update(router.flows)
            self._prompts.update(router.prompts)
            self._resting_steps.update(router.resting_steps)
        self._citizen_handler = citizen_handler
        self._member_text_handler = member_text_handler
        self._help_handler = help_handler
        self.channel_ward_id = channel_ward_id
        self._guidance = guidance
        self._files = files
        self._evidence_link = evidence_link
        self._invite_bot = invite_bot
        self._invite_valid_days = invite_valid_days
        self._holder = holder
        self._on_queued = on_queued
        self._while_making = while_making
        self._sender_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._help_by_roles: dict[tuple[frozenset[Role], bool], tuple[Callable[[], str], ...]] = {}

    def _lock_for(self, key: str) -> asyncio.Lock:
        lock = self._sender_locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._sender_locks[key] = lock
        return lock

    async def handle(self, event: IncomingEvent) -> Outgoing:
        """Process one event: its replies go to the outbox (the delivery loop sends them) and
        are returned too, as the person will read them."""
        event = _cleaned(event)
        sender = event.sender
        if not _reaches_flows(event):
            return Outgoing()
        # Events of one person in one chat are handled in arrival order within a process;
        # across processes the row lock on the conversation state serialises them once the
        # person has one (in a flow, or after one: a citizen asking questions never needs it).
        async with self._lock_for(f"{event.channel}:{event.chat_id}:{sender.user_id}"):
            try:
                turn = await self._transactions.run(lambda session: self._turn(event, session))
            except Exception:
                log.exception("event %s of channel %s failed", event.update_id, event.channel)
                with use_locale(sender.language_hint):
                    apology = _error_reply()
                await self._queue_apology(event, apology)
                return Outgoing([apology])
            outgoing = await self._make_later_files(turn, event)
        if turn.queued and self._on_queued is not None:
            self._on_queued()
        return outgoing

    async def _turn(self, event: IncomingEvent, session: AsyncSession) -> _Turn:
        sender = event.sender
        repositories = Repositories(session, self._clock)
        conversations = repositories.conversations
        if not await conversations.first_delivery(event.channel, event.update_id):
            unconfirmed = await repositories.outbox.resend(event.channel, event.update_id)
            return _Turn(Outgoing(), queued=unconfirmed > 0)
        if too_long(event.text):
            return await self._refuse_long(repositories, event)
        repositories.outbox.hold_notifications()
        state = await conversations.load(event.channel, event.chat_id, sender.user_id)
        member = await repositories.identities.member_for(sender.platform, sender.user_id)
        ward: Ward | None
        if member is not None:
            await _reachable_again(repositories, member, sender)
            ward = member.ward
        elif self.channel_ward_id is not None:
            ward = await repositories.wards.by_id(self.channel_ward_id)
        else:
            ward = None
        locale = (
            (member.locale if member else None)
            or sender.language_hint
            or (ward.locale if ward else None)
        )
        context = FlowContext(
            event=event,
            actor=Actor(sender, member, ward),
            repositories=repositories,
            clock=self._clock,
            flow=state.flow,
            step=state.step,
            # A deep copy: the state is written back only if it changed, nested lists included.
            data=copy.deepcopy(state.data),
        )
        context.command_help = self._command_help(context.actor)
        context.guidance = self._guidance
        context.files = self._files
        context.evidence_link = self._evidence_link
        context.invite_bot = self._invite_bot
        context.invite_valid_days = self._invite_valid_days
        with use_locale(locale):
            if _pressed_on_old_card(event, state.version):
                await self._ask_again(context)
            elif _sent_before_the_last_applied(event, state.applied_order, state.flow):
                await self._ask_again(context, _sent_earlier_text())
            else:
                await self._route(context)
        version = await conversations.save(
            state,
            flow=context.flow,
            step=context.step,
            data=context.data,
            sent_order=event.sent_order,
        )
        _stamp_cards(context.outgoing, version)
        ward_id = ward.id if ward else None
        rows = await _queue_replies(
            repositories, event, context.outgoing, ward_id, locale, self._holder
        )
        await repositories.outbox.write_held()
        making_rows = tuple(row for row, queued in rows if queued.making)
        # Woken even without replies: the turn may have queued notifications.
        return _Turn(context.outgoing, ward_id, making_rows, queued=True)

    async def _refuse_long(self, repositories: Repositories, event: IncomingEvent) -> _Turn:
        """A message past the limit is not read at all (nothing of it is saved), and the
        person is told the limit."""
        member = await repositories.identities.member_for(
            event.sender.platform, event.sender.user_id
        )
        with use_locale((member.locale if member else None) or event.sender.language_hint):
            outgoing = Outgoing(
                [
                    TextReply(
                        _(
                            "Tin nhắn dài {length} ký tự, quá giới hạn {limit} ký tự nên trợ lý "
                            "chưa đọc. Bạn chia thành nhiều tin ngắn hơn rồi gửi lại."
                        ).format(
                            length=format_number(len(event.text)), limit=format_number(MAX_TEXT)
                        )
                    )
                ]
            )
        await _queue_replies(repositories, event, outgoing, None, None, self._holder)
        return _Turn(outgoing, queued=True)

    async def _make_later_files(self, turn: _Turn, event: IncomingEvent) -> Outgoing:
        """The turn has committed: make its files, each into the row waiting for it and in its
        place among the replies returned."""
        outgoing = turn.outgoing
        if not outgoing.later:
            return outgoing
        loop = asyncio.get_running_loop()
        replies = list(outgoing.replies)
        making: AbstractAsyncContextManager[object] = (
            self._while_making(event.channel, event.chat_id)
            if self._while_making
            else nullcontext()
        )
        async with making:
            for made, ((position, context, make), row) in enumerate(
                zip(outgoing.later, turn.making_rows, strict=True)
            ):
                reply: Reply
                try:
                    reply = await loop.run_in_executor(_MAKING_FILES, context.run, make)
                except Exception:
                    log.exception("making a file failed")
                    reply = context.run(file_failed_reply)
                replies.insert(position + made, reply)
                await self._transactions.run(self._filling(row, reply, turn.ward_id))
        return Outgoing(replies)

    def _filling(
        self, row: int, reply: Reply, ward_id: int | None
    ) -> Callable[[AsyncSession], Awaitable[None]]:
        async def fill(session: AsyncSession) -> None:
            repositories = Repositories(session, self._clock)
            file_id = await _keep_file(repositories, reply, ward_id)
            await repositories.outbox.made(row, {"reply": reply_record(reply, file_id)})

        return fill

    async def _queue_apology(self, event: IncomingEvent, apology: TextReply) -> None:
        """The turn failed and rolled back: the apology is a row of its own, not tied to the
        update, so a redelivery runs the turn again."""

        async def queue(session: AsyncSession) -> None:
            await Repositories(session, self._clock).outbox.add_replies(
                channel=event.channel,
                update_id=None,
                messages=[QueuedMessage(event.chat_id, {"reply": reply_record(apology)})],
                ward_id=None,
                locale=event.sender.language_hint,
                pressed=None,
                holder=self._holder,
                making_for=FILE_MAKING_TIME,
            )

        try:
            await self._transactions.run(queue)
        except Exception:
            log.exception("queueing the apology for event %s failed", event.update_id)
            return
        if self._on_queued is not None:
            self._on_queued()

    async def _ask_again(self, context: FlowContext, why: str | None = None) -> None:
        """A press on a card the conversation has moved past (or a message sent before the one
        that moved it): nothing is answered, the current question is asked again (pressing
        "Không phát sinh" twice must not answer the next task)."""
        context.reply(why or _("Nút bạn bấm thuộc câu hỏi trước nên không được tính."))
        prompt = self._prompts.get(context.flow or "")
        if prompt is not None:
            await prompt(context)

    async def _route(self, context: FlowContext) -> None:
        event = context.event
        if not await group_allows(context):
            return
        offered = context.data.pop(CHOICES_KEY, None)
        if event.kind is EventKind.TEXT and offered:
            context.event = _typed_choice(event, offered)
        if context.event.kind is EventKind.COMMAND:
            await self._run_command(context)
        elif context.event.kind is EventKind.UNSUPPORTED:
            context.reply(_unsupported_text())
            if offered:
                context.data[CHOICES_KEY] = offered
        elif context.flow and context.flow in self._flows:
            await self._flows[context.flow](context)
        elif context.actor.is_citizen:
            await self._citizen_handler(context)
        else:
            await self._member_text_handler(context)

    async def _run_command(self, context: FlowContext) -> None:
        actor = context.actor
        command = self.commands.get(context.event.command or "")
        if command is None:
            context.reply(
                _("Không có lệnh /{command}.").format(
                    command=(context.event.command or "")[:MAX_COMMAND]
                )
            )
            await self._help_handler(context)
            return
        if not command.allowed(actor.roles, actor.is_citizen):
            context.reply(
                _("Bạn không có quyền dùng lệnh /{command}.").format(command=command.name)
            )
            await self._help_handler(context)
            return
        flow = context.flow or ""
        resting = context.step in self._resting_steps.get(flow, frozenset())
        prompt = None if resting else self._prompts.get(flow)
        if prompt is not None and command.name == HELP_COMMAND:
            await command.handler(context)
            await prompt(context)
            return
        if prompt is not None and command.name not in LEAVING_COMMANDS:
            # Half-way through a flow a stray command would lose the answer under way.
            context.reply(
                _("Bạn đang trả lời dở. Trả lời tiếp câu hỏi dưới đây, hoặc gửi /huy để dừng.")
            )
            await prompt(context)
            return
        context.finish()
        await command.handler(context)

    def _command_help(self, actor: Actor) -> tuple[Callable[[], str], ...]:
        """The help lines of the distinct commands this actor may use, in registration order
        (worked out once per combination of roles: every message needs them)."""
        key = (frozenset(actor.roles), actor.is_citizen)
        described = self._help_by_roles.get(key)
        if described is None:
            allowed: list[Command] = []
            for command in self.commands.values():
                if command not in allowed and command.allowed(actor.roles, actor.is_citizen):
                    allowed.append(command)
            described = self._help_by_roles[key] = tuple(command.describe for command in allowed)
        return described


async def _queue_replies(
    repositories: Repositories,
    event: IncomingEvent,
    outgoing: Outgoing,
    ward_id: int | None,
    locale: str | None,
    holder: str,
) -> list[tuple[int, QueuedMessage]]:
    """Write the turn's replies to the outbox in the order the person reads them; a file made
    after the commit holds its place with a row `making` it."""
    later_at = [position for position, _context, _make in outgoing.later]
    queued: list[QueuedMessage] = []
    for position in range(len(outgoing.replies) + 1):
        queued.extend(
            QueuedMessage(event.chat_id, {}, making=True) for at in later_at if at == position
        )
        if position < len(outgoing.replies):
            reply = outgoing.replies[position]
            file_id = await _keep_file(repositories, reply, ward_id)
            queued.append(
                QueuedMessage(
                    reply.chat_id or event.chat_id, {"reply": reply_record(reply, file_id)}
                )
            )
    ids = await repositories.outbox.add_replies(
        channel=event.channel,
        update_id=event.update_id,
        messages=queued,
        ward_id=ward_id,
        locale=locale,
        pressed=event.message_id if event.kind is EventKind.CHOICE else None,
        holder=holder,
        making_for=FILE_MAKING_TIME,
    )
    return list(zip(ids, queued, strict=True))


async def _keep_file(repositories: Repositories, reply: Reply, ward_id: int | None) -> int | None:
    if isinstance(reply, DocumentReply | ImageReply):
        return await repositories.files.keep(ward_id, reply.file_name, reply.content)
    return None


def _cleaned(event: IncomingEvent) -> IncomingEvent:
    """The event with every text a person typed made safe (handlers/text/hygiene.py)."""
    name = event.sender.display_name
    sender = replace(event.sender, display_name=clean_text(name)[:200] if name else name)
    return replace(
        event,
        sender=sender,
        text=clean_text(event.text),
        argument=clean_text(event.argument),
        command=clean_text(event.command) if event.command is not None else None,
        choice=clean_text(event.choice) if event.choice is not None else None,
    )


def _reaches_flows(event: IncomingEvent) -> bool:
    """In a group the bot answers only what is meant for it: a command, a button on its card,
    a mention or a reply to it; the rest is people talking to each other."""
    return (
        event.is_private
        or event.addressed_to_bot
        or event.kind in (EventKind.COMMAND, EventKind.CHOICE)
    )


def _pressed_on_old_card(event: IncomingEvent, version: int) -> bool:
    return event.kind is EventKind.CHOICE and event.choice_version not in (None, version)


def _sent_before_the_last_applied(
    event: IncomingEvent, applied_order: int | None, flow: str | None
) -> bool:
    """Two messages of one person handled by two processes may be applied in either order:
    the earlier one, arriving second, was meant for a step the conversation has left."""
    return (
        flow is not None
        # A command stands on its own; what is read as an answer belongs to one step.
        and event.kind is not EventKind.COMMAND
        and event.sent_order is not None
        and applied_order is not None
        and event.sent_order < applied_order
    )


def _sent_earlier_text() -> str:
    return _(
        "Tin nhắn này được gửi trước câu trả lời bạn vừa gửi nên không được tính cho câu hỏi "
        "hiện tại."
    )


def _stamp_cards(outgoing: Outgoing, version: int) -> None:
    """Every card of the turn carries the version its answer will be checked against."""
    outgoing.replies = [
        replace(reply, version=version) if isinstance(reply, ChoicesReply) else reply
        for reply in outgoing.replies
    ]


def _typed_choice(event: IncomingEvent, offered: list[str]) -> IncomingEvent:
    """ "2" typed after a numbered list is the second option, on messengers without buttons."""
    number = read_number(event.text.strip().rstrip("."))
    if number is None or number.percent or not number.whole:
        return event
    if 1 <= number.value <= len(offered):
        return replace(event, kind=EventKind.CHOICE, choice=offered[int(number.value) - 1])
    return event


def _unsupported_text() -> str:
    return _(
        "Mình chưa đọc được loại tin nhắn này (nhãn dán, ghi âm…). "
        "Bạn vui lòng gõ bằng chữ, hoặc gửi /huongdan để xem cách dùng."
    )


def _error_reply() -> TextReply:
    return TextReply(_("Xin lỗi, đã có lỗi khi xử lý tin nhắn. Bạn vui lòng gửi lại sau ít phút."))


async def _reachable_again(repositories: Repositories, member: Member, sender: Sender) -> None:
    """A person who writes can be written to again (they unblocked the bot): the mark the
    sending port left on their account (bot/sending.py, `unreachable`) is cleared."""
    for identity in member.identities:
        if (
            identity.unreachable_since is not None
            and identity.platform == sender.platform
            and identity.external_id == sender.user_id
        ):
            await repositories.identities.reachable_again(identity.id)

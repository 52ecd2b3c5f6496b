"""Routing an event to a flow by the sender's role and persisted conversation state.

One transaction per event (on SQLite a share of a group commit, see storage/transactions.py):
the update id is recorded, the state is loaded (locked where the database can), the flow runs,
the new state is saved. A redelivered update finds its id already recorded and is dropped; a
crash rolls everything back, so the redelivery is processed in full.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.actor import Actor
from handlers.context import CHOICES_KEY, FlowContext, GuidanceSource
from handlers.events import ChoicesReply, EventKind, IncomingEvent, Outgoing, TextReply
from handlers.i18n import _, use_locale
from handlers.reporting.files import FileMaker
from handlers.router import Command, Handler, Router
from handlers.text.numbers import read_number
from storage.clock import Clock
from storage.models import Ward
from storage.repositories import Repositories
from storage.transactions import Transactions
from storage.vocabulary import Role

log = logging.getLogger(__name__)

# Files are made one at a time in this thread: off the event loop, and never two charts at once
# (matplotlib's settings are process-wide).
_MAKING_FILES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reportbot-files")

# Commands that may leave a flow half-way (stopping it, registering); help keeps the flow.
LEAVING_COMMANDS = {"huy", "start"}
HELP_COMMAND = "huongdan"


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
    ) -> None:
        """`channel_ward_id` is the ward this channel (bot account) serves its citizens for."""
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
        """Process one event and return the replies to send to its chat."""
        sender = event.sender
        if not _reaches_flows(event):
            return Outgoing()
        # Events of one person in one chat are handled in arrival order within a process;
        # across processes the row lock on the conversation state serialises them once the
        # person has one (in a flow, or after one: a citizen asking questions never needs it).
        async with self._lock_for(f"{event.channel}:{event.chat_id}:{sender.user_id}"):
            try:
                outgoing = await self._transactions.run(lambda session: self._turn(event, session))
            except Exception:
                log.exception("event %s from %s failed", event.update_id, sender.platform)
                outgoing = Outgoing()
                with use_locale(sender.language_hint):
                    outgoing.replies.append(_error_reply())
                return outgoing
            return await _make_later_files(outgoing)

    async def _turn(self, event: IncomingEvent, session: AsyncSession) -> Outgoing:
        sender = event.sender
        repositories = Repositories(session, self._clock)
        conversations = repositories.conversations
        if not await conversations.first_delivery(event.channel, event.update_id):
            return Outgoing()
        state = await conversations.load(event.channel, event.chat_id, sender.user_id)
        member = await repositories.identities.member_for(sender.platform, sender.user_id)
        ward: Ward | None
        if member is not None:
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
        with use_locale(locale):
            if _pressed_on_old_card(event, state.version):
                await self._ask_again(context)
            else:
                await self._route(context)
        version = await conversations.save(
            state,
            event.channel,
            event.chat_id,
            sender.user_id,
            flow=context.flow,
            step=context.step,
            data=context.data,
        )
        _stamp_cards(context.outgoing, version)
        return context.outgoing

    async def _ask_again(self, context: FlowContext) -> None:
        """A press on a card the conversation has moved past: nothing is answered, the current
        question is asked again (pressing "Không phát sinh" twice must not answer the next task)."""
        context.reply(_("Nút bạn bấm thuộc câu hỏi trước nên không được tính."))
        prompt = self._prompts.get(context.flow or "")
        if prompt is not None:
            await prompt(context)

    async def _route(self, context: FlowContext) -> None:
        event = context.event
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
            context.reply(_("Không có lệnh /{command}.").format(command=context.event.command))
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


async def _make_later_files(outgoing: Outgoing) -> Outgoing:
    """The turn has committed: make its files, each in its place among the replies."""
    if not outgoing.later:
        return outgoing
    loop = asyncio.get_running_loop()
    replies = list(outgoing.replies)
    for made, (position, context, make) in enumerate(outgoing.later):
        try:
            reply = await loop.run_in_executor(_MAKING_FILES, context.run, make)
        except Exception:
            log.exception("making a file failed")
            reply = context.run(_file_error_reply)
        replies.insert(position + made, reply)
    return Outgoing(replies)


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


def _file_error_reply() -> TextReply:
    return TextReply(_("Xin lỗi, chưa tạo được tệp. Bạn vui lòng gửi lại lệnh sau ít phút."))


def _error_reply() -> TextReply:
    return TextReply(_("Xin lỗi, đã có lỗi khi xử lý tin nhắn. Bạn vui lòng gửi lại sau ít phút."))

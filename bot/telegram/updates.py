"""Telegram updates as neutral events: text and commands (deep links `/start CODE`, `/cmd@Bot`
in groups), button presses, documents and photos; what the flows do not handle is ignored here
or passed on as unsupported, never an error."""

from __future__ import annotations

from dataclasses import dataclass, replace

from aiogram.types import CallbackQuery, Message, Update, User

from bot.channels import Platform
from handlers.events import (
    Attachment,
    EventKind,
    IncomingEvent,
    Sender,
    button_event,
    parse_text_event,
)


@dataclass(frozen=True)
class BotAccount:
    """Who the bot is (getMe): how a group message is recognised as meant for it."""

    id: int
    username: str


@dataclass(frozen=True)
class GroupMoved:
    """A group became a supergroup: a new chat id, and its registration should follow."""

    old_chat_id: str
    new_chat_id: str


def read_update(update: Update, channel: str, bot: BotAccount) -> IncomingEvent | GroupMoved | None:
    """The event an update means, a group's move, or None when it is nothing for the flows
    (edited messages, channel posts, membership changes, other bots' commands, service
    messages)."""
    update_id = str(update.update_id)
    if update.callback_query is not None:
        return _press(update_id, update.callback_query, channel)
    message = update.message
    if message is None:
        return None
    if message.migrate_to_chat_id is not None:
        return GroupMoved(str(message.chat.id), str(message.migrate_to_chat_id))
    user = message.from_user
    if user is None or user.is_bot or message.sender_chat is not None:
        return None
    event = _message_event(update_id, _sender(user), message, bot)
    if event is None:
        return None
    return replace(
        event,
        channel=channel,
        is_private=message.chat.type == "private",
        message_id=str(message.message_id),
        # Message ids only grow within a chat, finer than `date`, which counts whole seconds.
        sent_order=message.message_id,
        reply_to=str(message.reply_to_message.message_id) if message.reply_to_message else None,
        addressed_to_bot=_addressed_to(message, bot),
    )


def _sender(user: User) -> Sender:
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    return Sender(Platform.TELEGRAM.value, str(user.id), name or user.username, user.language_code)


def _press(update_id: str, query: CallbackQuery, channel: str) -> IncomingEvent | None:
    # Inline-mode presses carry no message, and an empty press carries no data.
    if query.message is None or not query.data or query.from_user.is_bot:
        return None
    chat = query.message.chat
    event = button_event(
        update_id,
        _sender(query.from_user),
        str(chat.id),
        query.data,
        callback_id=query.id,
        channel=channel,
        is_private=chat.type == "private",
    )
    return replace(event, message_id=str(query.message.message_id))


def _message_event(
    update_id: str, sender: Sender, message: Message, bot: BotAccount
) -> IncomingEvent | None:
    chat_id = str(message.chat.id)
    if message.text is not None:
        event = parse_text_event(update_id, sender, chat_id, message.text)
        if event.kind is EventKind.COMMAND and not _command_for(message.text, bot):
            return None
        return event
    caption = message.caption or ""
    if message.document is not None:
        document = message.document
        attachment = Attachment(
            document.file_id, document.file_name, document.mime_type, document.file_size
        )
        return IncomingEvent(
            update_id, sender, chat_id, EventKind.FILE, text=caption, attachment=attachment
        )
    if message.photo:
        # Telegram sends every size it made; the largest is the evidence.
        largest = max(message.photo, key=lambda size: size.width * size.height)
        attachment = Attachment(largest.file_id, None, "image/jpeg", largest.file_size)
        return IncomingEvent(
            update_id, sender, chat_id, EventKind.PHOTO, text=caption, attachment=attachment
        )
    if _is_service(message):
        return None
    return IncomingEvent(update_id, sender, chat_id, EventKind.UNSUPPORTED)


def _command_for(text: str, bot: BotAccount) -> bool:
    """`/cmd@OtherBot` in a group is for another bot; `/cmd` and `/cmd@ThisBot` are ours."""
    head = text.strip().split(maxsplit=1)[0]
    _command, at, name = head.partition("@")
    return not at or name.lower() == bot.username.lower()


def _addressed_to(message: Message, bot: BotAccount) -> bool:
    """A mention of the bot, or a reply to one of its messages."""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return True
    text = message.text or message.caption or ""
    for entity in message.entities or message.caption_entities or ():
        if (
            entity.type == "mention"
            and entity.extract_from(text).lower() == f"@{bot.username}".lower()
        ):
            return True
        if entity.type == "text_mention" and entity.user is not None and entity.user.id == bot.id:
            return True
    return False


# Messages Telegram writes about the chat itself, not a person writing to the bot.
_SERVICE_FIELDS = (
    "new_chat_members",
    "left_chat_member",
    "new_chat_title",
    "new_chat_photo",
    "delete_chat_photo",
    "group_chat_created",
    "supergroup_chat_created",
    "migrate_from_chat_id",
    "pinned_message",
)


def _is_service(message: Message) -> bool:
    return any(getattr(message, name, None) for name in _SERVICE_FIELDS)

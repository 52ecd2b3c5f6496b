"""Zalo Bot API updates as neutral events.

An update is `{event_name, message}`, in a webhook call either bare or wrapped as
`{ok, result: {event_name, message}}`, and from getUpdates one per call (docs/ZALO_BOT_API.md,
"getUpdates" sample response; openclaw extensions/zalo/src/api.ts `ZaloUpdate`). The sender's
name is `display_name` in current copies of the docs, `first_name` or `name` in older ones:
all are accepted. `date` is in milliseconds.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.epoch import milliseconds
from handlers.events import EventKind, IncomingEvent, Sender, parse_text_event

PLATFORM = "zalo_bot"
TEXT = "message.text.received"
IMAGE = "message.image.received"
# Sticker, voice and whatever Zalo adds later: answered with what the bot understands.
GROUP = "GROUP"
_MAX_TEXT = 4000


def unwrap(body: Any) -> dict[str, Any] | None:
    """The update inside a webhook body or a getUpdates result, or None if there is none."""
    if not isinstance(body, dict):
        return None
    if "result" in body and isinstance(body["result"], dict):
        body = body["result"]
    if not isinstance(body.get("message"), dict):
        return None
    return body


def event_from_update(update: dict[str, Any], channel: str) -> IncomingEvent | None:
    """The event an update brings, or None when it names no chat, sender or message id (or
    comes from a bot). Zalo's getUpdates has no offset: the message id is the update id, so a
    message delivered twice (a restart) is processed once."""
    message = update["message"]
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    author = message.get("from") if isinstance(message.get("from"), dict) else {}
    message_id, chat_id, user_id = message.get("message_id"), chat.get("id"), author.get("id")
    if not (message_id and chat_id and user_id) or author.get("is_bot") is True:
        return None
    name = author.get("display_name") or author.get("first_name") or author.get("name")
    sender = Sender(PLATFORM, str(user_id), str(name)[:200] if name else None)
    is_private = str(chat.get("chat_type") or "PRIVATE").upper() != GROUP
    update_id = str(message_id)
    kind = update.get("event_name")
    text = message.get("text") if kind == TEXT else message.get("caption")
    if kind in (TEXT, IMAGE) and isinstance(text, str) and text.strip():
        event = parse_text_event(update_id, sender, str(chat_id), text[:_MAX_TEXT])
    else:
        event = IncomingEvent(update_id, sender, str(chat_id), EventKind.UNSUPPORTED)
    # In a group the bot is shown only messages that mention it or reply to it (groups are
    # in beta on the Zalo Bot platform), so whatever arrives there is addressed to it.
    return replace(
        event,
        channel=channel,
        message_id=update_id,
        sent_order=milliseconds(message.get("date")),
        is_private=is_private,
        addressed_to_bot=not is_private,
    )

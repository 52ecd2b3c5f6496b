"""Replies as outbox rows and back: what a turn promised, kept in plain JSON so any process can
send it after a restart. A file's bytes are kept apart (storage's file store); the row names it."""

from __future__ import annotations

from typing import Any

from handlers.events import Choice, ChoicesReply, DocumentReply, ImageReply, Link, Reply, TextReply
from handlers.i18n import _
from handlers.notifications import render_notification
from storage.vocabulary import OutboxKind

_FILE_TYPES: dict[str, type[DocumentReply] | type[ImageReply]] = {
    "document": DocumentReply,
    "image": ImageReply,
}


def reply_record(reply: Reply, file_id: int | None = None) -> dict[str, Any]:
    """The row's payload for `reply`; a document or image names its kept file, `file_id`."""
    if isinstance(reply, TextReply):
        link = {"label": reply.link.label, "url": reply.link.url} if reply.link else None
        return {
            "type": "text",
            "text": reply.text,
            "link": link,
            "replaces_card": reply.replaces_card,
        }
    if isinstance(reply, ChoicesReply):
        return {
            "type": "choices",
            "text": reply.text,
            "choices": [[choice.value, choice.label] for choice in reply.choices],
            "version": reply.version,
            "replaces_card": reply.replaces_card,
        }
    if file_id is None:
        raise ValueError("a file reply is recorded with the id of its kept file")
    return {
        "type": "document" if isinstance(reply, DocumentReply) else "image",
        "file_id": file_id,
        "file_name": reply.file_name,
        "caption": reply.caption,
    }


def file_of(payload: dict[str, Any]) -> int | None:
    """The kept file a reply row sends, if it sends one."""
    record = payload.get("reply", {})
    return record.get("file_id") if record.get("type") in _FILE_TYPES else None


def reply_from_row(kind: OutboxKind, payload: dict[str, Any], content: bytes = b"") -> Reply:
    """The reply a row sends, in the current locale (a notification is worded now, in the
    recipient's language); `content` is the bytes of the file it names."""
    if kind is OutboxKind.NOTIFICATION:
        return TextReply("🔔 " + render_notification(payload))
    record = payload["reply"]
    kind_of_reply = record["type"]
    if kind_of_reply == "text":
        link = Link(**record["link"]) if record.get("link") else None
        return TextReply(record["text"], link=link, replaces_card=record["replaces_card"])
    if kind_of_reply == "choices":
        return ChoicesReply(
            record["text"],
            tuple(Choice(value, label) for value, label in record["choices"]),
            version=record["version"],
            replaces_card=record["replaces_card"],
        )
    if kind_of_reply == "file_failed":
        return file_failed_reply()
    return _FILE_TYPES[kind_of_reply](record["file_name"], content, record["caption"])


def file_failed_record() -> dict[str, Any]:
    """What a row waiting for a file says when the file could not be made (or its maker died)."""
    return {"reply": {"type": "file_failed"}}


def file_failed_reply() -> TextReply:
    return TextReply(_("Xin lỗi, chưa tạo được tệp. Bạn vui lòng gửi lại lệnh sau ít phút."))

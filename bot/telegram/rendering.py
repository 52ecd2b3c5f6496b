"""Neutral outbound messages as Bot API calls: HTML parse mode with everything escaped, choices
as inline keyboards, an edit where the message replaces a card, files as documents or photos."""

from __future__ import annotations

import html
import logging

from aiogram.methods import EditMessageText, SendDocument, SendMessage, SendPhoto
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
)

from bot.sending import Button, OutboundFile, OutboundText, split_text

log = logging.getLogger(__name__)

# Telegram's limits: a message's text and a file's caption, in UTF-16 code units after the
# HTML is parsed; a button's callback data, in bytes.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64

TextMethod = SendMessage | EditMessageText


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` in pieces Telegram accepts: the port cut it by characters, but Telegram counts
    UTF-16 units, in which an emoji is two; a piece too long is cut again at half the limit
    (never more than two units a character), at line ends where it can be."""
    if utf16_length(text) <= limit:
        return [text]
    return split_text(text, limit // 2)


def text_methods(chat_id: str, message: OutboundText) -> list[TextMethod]:
    """The calls that carry `message`: an edit of the card it replaces, or new messages, its
    buttons under the last."""
    text = message.text
    keyboard = _keyboard(message)
    if keyboard is None and message.buttons:
        # Buttons whose data Telegram would refuse: the numbered list, which can be typed.
        text = "\n".join(
            [text, *(f"{n}. {b.label}" for n, b in enumerate(message.buttons, start=1))]
        )
    # Telegram refuses a blank text.
    pieces = [piece for piece in fit(text) if piece.strip()] or ["…"]
    methods: list[TextMethod] = [_send(chat_id, piece) for piece in pieces[:-1]]
    last = pieces[-1]
    if message.replaces is not None and len(pieces) == 1:
        methods.append(
            EditMessageText(
                chat_id=chat_id,
                message_id=int(message.replaces),
                text=html.escape(last, quote=False),
                parse_mode="HTML",
                reply_markup=keyboard,
                link_preview_options=_NO_PREVIEW,
            )
        )
    else:
        methods.append(_send(chat_id, last, keyboard))
    return methods


def sent_anew(method: EditMessageText) -> SendMessage:
    """The card could not be edited (too old, deleted): the same message, sent as a new one."""
    return SendMessage(
        chat_id=method.chat_id or "",
        text=method.text or "…",
        parse_mode="HTML",
        reply_markup=method.reply_markup,
        link_preview_options=_NO_PREVIEW,
    )


def file_method(chat_id: str, message: OutboundFile) -> SendDocument | SendPhoto:
    upload = BufferedInputFile(message.content, filename=message.file_name)
    caption = _caption(message.caption)
    if message.photo:
        return SendPhoto(chat_id=chat_id, photo=upload, caption=caption, parse_mode="HTML")
    return SendDocument(chat_id=chat_id, document=upload, caption=caption, parse_mode="HTML")


_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _send(chat_id: str, text: str, keyboard: InlineKeyboardMarkup | None = None) -> SendMessage:
    return SendMessage(
        chat_id=chat_id,
        text=html.escape(text, quote=False),
        parse_mode="HTML",
        reply_markup=keyboard,
        link_preview_options=_NO_PREVIEW,
    )


def _caption(caption: str) -> str | None:
    if not caption:
        return None
    if utf16_length(caption) > CAPTION_LIMIT:
        caption = fit(caption, CAPTION_LIMIT)[0].rstrip() + "…"
    return html.escape(caption, quote=False)


def _keyboard(message: OutboundText) -> InlineKeyboardMarkup | None:
    """One button a row (the labels are long sentences); None when there are none, or when a
    button's data is over Telegram's 64 bytes (the caller writes the list out instead)."""
    rows: list[list[InlineKeyboardButton]] = []
    if any(not _fits(button) for button in message.buttons):
        log.warning("a card's button data is over %s bytes: sent as a list", CALLBACK_DATA_LIMIT)
    else:
        rows = [[InlineKeyboardButton(text=b.label, callback_data=b.data)] for b in message.buttons]
    if message.link is not None:
        rows.append([InlineKeyboardButton(text=message.link.label, url=message.link.url)])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _fits(button: Button) -> bool:
    return 0 < len(button.data.encode()) <= CALLBACK_DATA_LIMIT

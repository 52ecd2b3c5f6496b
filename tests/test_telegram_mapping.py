"""Telegram updates → neutral events, and neutral messages → Bot API calls (bot/telegram)."""

from __future__ import annotations

from typing import Any

from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import Update
from fake_telegram import BOT_ID, BOT_USERNAME, parsed_html, utf16_length
from hypothesis import given, settings, strategies as st

from bot.sending import Button, OutboundText
from bot.telegram.commands import menu
from bot.telegram.rendering import CALLBACK_DATA_LIMIT, TEXT_LIMIT, fit, text_methods
from bot.telegram.updates import BotAccount, GroupMoved, read_update
from handlers.events import EventKind, IncomingEvent, Link
from handlers.i18n import use_locale
from handlers.registry import ROUTERS
from storage.vocabulary import Role

BOT = BotAccount(BOT_ID, BOT_USERNAME)
PERSON = {
    "id": 501,
    "is_bot": False,
    "first_name": "Lan",
    "last_name": "Trần",
    "language_code": "vi",
}
PRIVATE = {"id": 501, "type": "private", "first_name": "Lan"}
GROUP = {"id": -100200, "type": "supergroup", "title": "VHXH phường"}


def _message(chat: dict[str, Any] = PRIVATE, **content: Any) -> dict[str, Any]:
    return {"message_id": 7, "from": PERSON, "chat": chat, "date": 1_700_000_000, **content}


def _read(update: dict[str, Any]) -> IncomingEvent | GroupMoved | None:
    return read_update(Update.model_validate({"update_id": 42, **update}), "telegram", BOT)


def _event(update: dict[str, Any]) -> IncomingEvent:
    event = _read(update)
    assert isinstance(event, IncomingEvent)
    return event


def test_a_deep_link_is_the_start_command_with_its_code() -> None:
    event = _event({"message": _message(text="/start ABCD-EFGH")})
    assert (event.kind, event.command, event.argument) == (EventKind.COMMAND, "start", "ABCD-EFGH")
    assert event.sender.platform == "telegram" and event.sender.user_id == "501"
    assert event.sender.display_name == "Lan Trần" and event.sender.language_hint == "vi"
    assert (event.update_id, event.chat_id, event.message_id) == ("42", "501", "7")
    assert event.sent_order == 7
    assert event.is_private and event.channel == "telegram"


def test_a_command_named_for_this_bot_counts_and_one_for_another_bot_is_ignored() -> None:
    ours = _event({"message": _message(GROUP, text=f"/tiendo@{BOT_USERNAME.upper()}")})
    assert ours.command == "tiendo" and not ours.is_private and ours.chat_id == "-100200"
    assert _read({"message": _message(GROUP, text="/tiendo@SomeOtherBot")}) is None


def test_in_a_group_a_mention_or_a_reply_to_the_bot_addresses_it_and_chatter_does_not() -> None:
    chatter = _event({"message": _message(GROUP, text="Chiều nay họp nhé")})
    assert not chatter.addressed_to_bot
    text = f"Chào @{BOT_USERNAME} 👋"
    mention = {"type": "mention", "offset": utf16_length("Chào "), "length": len(BOT_USERNAME) + 1}
    assert _event({"message": _message(GROUP, text=text, entities=[mention])}).addressed_to_bot
    bot_message = {
        "message_id": 3,
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "ReportBot"},
        "chat": GROUP,
        "date": 1,
        "text": "Nhóm đã đăng ký",
    }
    reply = _event({"message": _message(GROUP, text="cảm ơn", reply_to_message=bot_message)})
    assert reply.addressed_to_bot and reply.reply_to == "3"
    other = {**bot_message, "from": PERSON}
    assert not _event(
        {"message": _message(GROUP, text="ừ", reply_to_message=other)}
    ).addressed_to_bot


def test_a_press_carries_the_card_version_the_press_id_and_the_card() -> None:
    card = {
        **_message(text="Nhiệm vụ 1"),
        "message_id": 9,
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "B"},
    }
    press = {"id": "Q1", "from": PERSON, "message": card, "chat_instance": "c", "data": "5:HT"}
    event = _event({"callback_query": press})
    assert (event.kind, event.choice, event.choice_version) == (EventKind.CHOICE, "HT", 5)
    assert (event.callback_id, event.message_id, event.chat_id) == ("Q1", "9", "501")
    # Inline-mode presses have no message: nothing for the flows.
    assert _read({"callback_query": {**press, "message": None}}) is None


def test_documents_and_photos_are_evidence_with_their_file_ids() -> None:
    document = {
        "file_id": "D1",
        "file_unique_id": "u",
        "file_name": "bien-ban.pdf",
        "mime_type": "application/pdf",
        "file_size": 52_428_800,
    }
    event = _event({"message": _message(document=document, caption="Biên bản")})
    assert event.kind is EventKind.FILE and event.text == "Biên bản"
    assert event.attachment is not None and event.attachment.file_id == "D1"
    assert event.attachment.size == 52_428_800
    sizes = [
        {"file_id": "small", "file_unique_id": "a", "width": 90, "height": 60},
        {"file_id": "large", "file_unique_id": "b", "width": 1280, "height": 960},
    ]
    photo = _event({"message": _message(photo=sizes)})
    assert photo.kind is EventKind.PHOTO and photo.attachment is not None
    assert photo.attachment.file_id == "large"


def test_what_the_flows_do_not_handle_is_unsupported_or_ignored() -> None:
    sticker = {
        "file_id": "S",
        "file_unique_id": "s",
        "type": "regular",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
    }
    assert _event({"message": _message(sticker=sticker)}).kind is EventKind.UNSUPPORTED
    assert _read({"edited_message": _message(text="sửa")}) is None
    assert (
        _read({"channel_post": {**_message(text="tin"), "chat": {"id": -5, "type": "channel"}}})
        is None
    )
    joined = _message(GROUP, new_chat_members=[PERSON])
    assert _read({"message": joined}) is None
    bot_writes = _message(text="hi", **{"from": {"id": 9, "is_bot": True, "first_name": "X"}})
    assert _read({"message": bot_writes}) is None
    member = {
        "chat": GROUP,
        "from": PERSON,
        "date": 1,
        "old_chat_member": {"status": "left", "user": PERSON},
        "new_chat_member": {"status": "member", "user": PERSON},
    }
    assert _read({"my_chat_member": member}) is None


def test_a_group_that_became_a_supergroup_is_a_move() -> None:
    moved = _read(
        {
            "message": _message(
                {"id": -300, "type": "group", "title": "g"}, migrate_to_chat_id=-100300
            )
        }
    )
    assert moved == GroupMoved("-300", "-100300")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "Ư", "<b>", ">", "&", "\n", " ", "😀", "👨‍👩‍👧", "&amp;", "x" * 300]),
        max_size=600,
    ).map("".join)
)
def test_any_text_is_sent_escaped_in_pieces_telegram_accepts(text: str) -> None:
    methods = text_methods("501", OutboundText(text))
    read = []
    for method in methods:
        assert isinstance(method, SendMessage) and method.parse_mode == "HTML"
        shown = parsed_html(method.text)
        assert shown.strip() and utf16_length(shown) <= TEXT_LIMIT
        read.append(shown)
    if text.strip():
        # Nothing lost or changed: only the line breaks where it was cut are gone.
        assert "".join(read).replace("\n", "") == text.replace("\n", "")


def test_4096_emoji_fit_in_two_messages() -> None:
    assert [utf16_length(piece) for piece in fit("😀" * 4096)] == [4096, 4096]


def test_choices_are_an_inline_keyboard_and_a_replaced_card_an_edit() -> None:
    buttons = (Button("Hoàn thành", "3:HT"), Button("Đang thực hiện", "3:DTH"))
    (edit,) = text_methods("501", OutboundText("Nhiệm vụ 2 <KPI>", buttons, replaces="9"))
    assert isinstance(edit, EditMessageText) and edit.message_id == 9
    assert edit.text == "Nhiệm vụ 2 &lt;KPI&gt;"
    assert edit.reply_markup is not None
    rows = edit.reply_markup.inline_keyboard
    assert [[b.callback_data for b in row] for row in rows] == [["3:HT"], ["3:DTH"]]


def test_button_data_over_64_bytes_becomes_a_numbered_list_that_can_be_typed() -> None:
    long_value = "7:" + "hướng-dẫn-" * 8
    assert len(long_value.encode()) > CALLBACK_DATA_LIMIT
    message = OutboundText(
        "Bạn hỏi về:", (Button("Đăng ký VNeID", long_value), Button("Khác", "7:x"))
    )
    (sent,) = text_methods("501", message)
    assert isinstance(sent, SendMessage) and sent.reply_markup is None
    assert sent.text == "Bạn hỏi về:\n1. Đăng ký VNeID\n2. Khác"


def test_a_link_is_a_url_button() -> None:
    (sent,) = text_methods(
        "501", OutboundText("Báo cáo tháng", link=Link("Tải tệp", "https://x.vn/f/abc"))
    )
    assert isinstance(sent, SendMessage) and sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].url == "https://x.vn/f/abc"


def test_the_menu_is_in_each_language_and_fits_telegram_rules() -> None:
    commands = [command for router in ROUTERS for command in router.commands.values()]
    with use_locale("vi"):
        citizens = menu(commands, roles=set(), citizen=True)
        coordinators = menu(commands, roles={Role.COORDINATOR}, citizen=False)
    with use_locale("en"):
        english = menu(commands, roles=set(), citizen=True)
    names = [entry.command for entry in citizens]
    assert "start" in names and "nhom" not in names and len(names) == len(set(names))
    assert "nhom" in [entry.command for entry in coordinators]
    assert [e.command for e in english] == names
    assert [e.description for e in english] != [e.description for e in citizens]
    for entry in citizens + coordinators:
        assert 1 <= len(entry.description) <= 256 and not entry.description.startswith("/")

"""The sending port: replies rendered by a channel's capabilities, every message counted."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from hypothesis import given, strategies as st
from outbox_helpers import RecordingSender, deliver, queue, queue_turn

from bot.app import Application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.console import ConsoleChat, console_identity
from bot.sending import (
    Button,
    OutboundFile,
    OutboundText,
    render,
    split_text,
)
from bot.ward_setup import ensure_example_ward
from handlers.events import (
    Choice,
    ChoicesReply,
    DocumentReply,
    ImageReply,
    Link,
    Outgoing,
    Sender,
    TextReply,
    parse_text_event,
)
from handlers.notify import notify
from storage.vocabulary import Role

TELEGRAM = PLATFORM_CAPABILITIES[Platform.TELEGRAM]
ZALO_BOT = PLATFORM_CAPABILITIES[Platform.ZALO_BOT]


def test_text_is_split_at_line_ends_to_the_channel_limit() -> None:
    assert split_text("một\nhai\nba", 7) == ["một\nhai", "ba"]
    assert split_text("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert split_text("", 10) == [""]


@given(st.lists(st.text(alphabet="aă ", max_size=12), max_size=8), st.integers(12, 30))
def test_pieces_fit_and_keep_every_line(lines: list[str], limit: int) -> None:
    text = "\n".join(lines)
    pieces = split_text(text, limit)
    assert all(len(piece) <= limit for piece in pieces)
    assert "\n".join(pieces) == text


def test_a_question_is_buttons_where_the_channel_has_them_and_numbered_text_elsewhere() -> None:
    card = ChoicesReply("Tình trạng?", (Choice("done", "Hoàn thành"), Choice("kps", "KPS")), 4)
    assert render(card, TELEGRAM) == [
        OutboundText("Tình trạng?", (Button("Hoàn thành", "4:done"), Button("KPS", "4:kps")))
    ]
    assert render(card, ZALO_BOT) == [OutboundText("Tình trạng?\n1. Hoàn thành\n2. KPS")]


def test_files_go_where_the_channel_takes_them() -> None:
    chart = ImageReply("bieu-do.png", b"png", "Biểu đồ")
    report = DocumentReply("bao-cao.docx", b"docx")
    assert render(chart, ZALO_BOT) == [OutboundFile("bieu-do.png", b"png", "Biểu đồ", True)]
    assert render(report, TELEGRAM) == [OutboundFile("bao-cao.docx", b"docx", "", False)]
    [told] = render(report, ZALO_BOT)
    assert isinstance(told, OutboundText) and "bao-cao.docx" in told.text


async def test_every_message_sent_is_counted_per_channel_and_month(
    application: Application,
) -> None:
    async with application.transaction() as repositories:
        await repositories.channels.ensure("zalo", "zalo_bot")
    small = RecordingSender("zalo", replace(ZALO_BOT, max_text=10))
    await queue(application, "zalo", "c1", [TextReply("dòng một\ndòng hai"), TextReply("ba")])
    await queue(application, "zalo", "c2", [TextReply("bốn")])
    assert await deliver(application, small) == 3
    assert sorted(chat for chat, _ in small.delivered) == ["c1", "c1", "c1", "c2"]
    async with application.transaction() as repositories:
        assert await repositories.sent_counts.sent("zalo", "2026-11") == 4
        assert await repositories.sent_counts.sent("console", "2026-11") == 0


async def test_the_console_prints_through_the_port(
    sqlite_application: Application, tmp_path: Path
) -> None:
    async with sqlite_application.transaction() as repositories:
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
    sender = await console_identity(sqlite_application, ward, role=Role.COORDINATOR)
    out = io.StringIO()
    chat = ConsoleChat(
        sqlite_application,
        sqlite_application.dispatcher(ward.id),
        sender,
        stdout=out,
        files_dir=tmp_path,
    )
    await chat.say("/toi")
    assert "Hồng Bàng" in out.getvalue()
    async with sqlite_application.transaction() as repositories:
        assert await repositories.sent_counts.sent("console", "2026-11") >= 1


async def test_a_notification_is_rendered_in_the_recipients_language(
    sqlite_application: Application, tmp_path: Path
) -> None:
    async with sqlite_application.transaction() as repositories:
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        members = repositories.for_ward(ward.id).members
        english = await members.add("Ms Lan", locale="en")
        members.link_identity(english, "console", "lan")
        vietnamese = await members.add("Chị Mai")
        members.link_identity(vietnamese, "console", "mai")
        accepted = {"kind": "accepted", "period": "2026-11", "unit": "Công an phường"}
        await notify(repositories, ward.id, [english, vietnamese], accepted, dedup="accepted:1")
    for user_id, expected in (
        ("lan", "The 2026-11 report of Công an phường has been accepted."),
        ("mai", "Báo cáo kỳ 2026-11 của Công an phường đã được duyệt."),
    ):
        out = io.StringIO()
        # The terminal itself says nothing of a language: the row's decides.
        sender = Sender("console", user_id)
        dispatcher = sqlite_application.dispatcher(ward.id)
        chat = ConsoleChat(sqlite_application, dispatcher, sender, stdout=out, files_dir=tmp_path)
        await chat.say("/toi")
        assert "🔔 " + expected in out.getvalue()


def test_a_reply_replaces_the_pressed_card_where_the_channel_edits() -> None:
    answered = TextReply("Đã ghi: Hoàn thành.", replaces_card=True)
    assert render(answered, TELEGRAM, pressed="77") == [
        OutboundText("Đã ghi: Hoàn thành.", replaces="77")
    ]
    assert render(answered, ZALO_BOT, pressed="77") == [OutboundText("Đã ghi: Hoàn thành.")]
    assert render(TextReply("Mới."), TELEGRAM, pressed="77") == [OutboundText("Mới.")]


def test_a_link_is_a_button_or_written_out() -> None:
    offer = TextReply("Báo cáo kỳ 2026-11:", link=Link("Tải về", "https://bot.example/f/abc"))
    assert render(offer, TELEGRAM) == [
        OutboundText("Báo cáo kỳ 2026-11:", link=Link("Tải về", "https://bot.example/f/abc"))
    ]
    assert render(offer, ZALO_BOT) == [
        OutboundText("Báo cáo kỳ 2026-11:\nTải về: https://bot.example/f/abc")
    ]


async def test_a_reply_may_go_to_another_chat(sqlite_application: Application) -> None:
    """A turn's reply addressed to the coordinators' group goes there, the rest to the chat."""
    recorder = RecordingSender("console", PLATFORM_CAPABILITIES[Platform.CONSOLE])
    sender = Sender("console", "head")
    event = parse_text_event("u1", sender, "head", "/toi")
    outgoing = Outgoing([TextReply("Đã gửi."), TextReply("Đơn vị đã gửi.", chat_id="group")])
    async with sqlite_application.transaction() as repositories:
        await queue_turn(repositories, event, outgoing)
    await deliver(sqlite_application, recorder)
    assert [chat for chat, _ in recorder.delivered] == ["head", "group"]

"""The Telegram sender against the fake Bot API: what goes out, and what each failure means
to the delivery loop."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from fake_telegram import TOKEN, FakeTelegram, User, serving

from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.sending import Button, OutboundFile, OutboundText, SendFailed
from bot.telegram.limits import SendingLimits
from bot.telegram.sender import TelegramSender
from bot.telegram.settings import TelegramSettings

LAN = User(501, "Lan")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with serving(LAN) as fake:
        yield fake


def _sender(fake: FakeTelegram, **limits: float) -> TelegramSender:
    settings = TelegramSettings(api_base=fake.base_url, **limits)
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.api_base))
    session.middleware(SendingLimits(settings))
    return TelegramSender(
        "telegram",
        PLATFORM_CAPABILITIES[Platform.TELEGRAM],
        Bot(TOKEN, session=session),
        settings.messages_per_second,
    )


@pytest.fixture
async def sender(fake: FakeTelegram) -> AsyncIterator[TelegramSender]:
    sender = _sender(fake, private_chat_per_second=1000)
    yield sender
    await sender._bot.session.close()


async def test_a_card_goes_out_with_buttons_and_is_edited_in_place(
    fake: FakeTelegram, sender: TelegramSender
) -> None:
    card = OutboundText("Nhiệm vụ 1 & 2", (Button("Hoàn thành", "4:HT"),))
    message_id = await sender.send("501", card)
    (shown,) = fake.messages_to(501)
    assert shown["text"] == "Nhiệm vụ 1 & 2" and str(shown["message_id"]) == message_id
    assert shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "4:HT"
    edited = await sender.send("501", OutboundText("Nhiệm vụ 1: Hoàn thành", replaces=message_id))
    assert edited == message_id
    (shown,) = fake.messages_to(501)
    assert shown["text"] == "Nhiệm vụ 1: Hoàn thành" and "reply_markup" not in shown
    # The same edit again: Telegram says "not modified", which is no failure.
    again = await sender.send("501", OutboundText("Nhiệm vụ 1: Hoàn thành", replaces=message_id))
    assert again == message_id and len(fake.messages_to(501)) == 1


async def test_a_card_that_cannot_be_edited_is_sent_anew(
    fake: FakeTelegram, sender: TelegramSender
) -> None:
    sent = await sender.send("501", OutboundText("Câu hỏi tiếp", replaces="999"))
    assert [m["text"] for m in fake.messages_to(501)] == ["Câu hỏi tiếp"]
    assert sent == str(fake.messages_to(501)[0]["message_id"])


async def test_files_go_as_documents_and_photos(fake: FakeTelegram, sender: TelegramSender) -> None:
    await sender.send(
        "501", OutboundFile("bao-cao-11-2026.docx", b"PK\x03\x04word", "Báo cáo <tháng 11>")
    )
    await sender.send("501", OutboundFile("bieu-do.png", b"\x89PNG", photo=True))
    document, photo = fake.messages_to(501)
    assert document["document"]["file_name"] == "bao-cao-11-2026.docx"
    assert document["caption"] == "Báo cáo <tháng 11>"
    assert fake.files[document["document"]["file_id"]] == (
        "bao-cao-11-2026.docx",
        b"PK\x03\x04word",
    )
    assert "photo" in photo


async def test_4096_emoji_arrive_whole(fake: FakeTelegram, sender: TelegramSender) -> None:
    await sender.send("501", OutboundText("😀" * 4096))
    assert "".join(m["text"] for m in fake.messages_to(501)) == "😀" * 4096


async def test_a_person_who_blocked_the_bot_is_unreachable_for_good(
    fake: FakeTelegram, sender: TelegramSender
) -> None:
    fake.blocked.add(501)
    with pytest.raises(SendFailed) as failed:
        await sender.send("501", OutboundText("Nhắc báo cáo"))
    assert failed.value.permanent and failed.value.unreachable and "blocked" in str(failed.value)
    with pytest.raises(SendFailed) as gone:
        await sender.send("777", OutboundText("Nhắc báo cáo"))
    assert gone.value.permanent and gone.value.unreachable
    assert "chat not found" in str(gone.value)


async def test_a_short_429_is_waited_out_and_a_long_one_left_to_the_delivery_loop(
    fake: FakeTelegram, sender: TelegramSender
) -> None:
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    await sender.send("501", OutboundText("Lần một"))
    assert len(fake.calls_of("sendMessage")) == 2 and len(fake.messages_to(501)) == 1
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 300", retry_after=300)
    with pytest.raises(SendFailed) as failed:
        await sender.send("501", OutboundText("Lần hai"))
    assert failed.value.retry_after == 300 and not failed.value.permanent


async def test_server_errors_are_tried_again_later_and_never_show_the_token(
    fake: FakeTelegram, sender: TelegramSender
) -> None:
    fake.fail_next("sendMessage", 502, "Bad Gateway")
    with pytest.raises(SendFailed) as failed:
        await sender.send("501", OutboundText("Xin chào"))
    assert not failed.value.permanent and failed.value.retry_after is None
    await fake.close()
    with pytest.raises(SendFailed) as unreachable:
        await sender.send("501", OutboundText("Xin chào"))
    assert not unreachable.value.permanent and TOKEN not in str(unreachable.value)


async def test_a_private_chats_next_message_waits_its_interval_after_the_answer(
    fake: FakeTelegram,
) -> None:
    sender = _sender(fake, private_chat_per_second=4)
    answered = []
    for n in range(5):
        await sender.send("501", OutboundText(f"Tin {n}"))
        answered.append(time.monotonic())
    await sender._bot.session.close()
    # A quarter of a second from one answer to the next message, so never early at Telegram
    # however unevenly the requests travel; no burst at the start either.
    gaps = [later - earlier for earlier, later in itertools.pairwise(answered)]
    assert min(gaps) >= 0.25


async def test_a_bots_messages_go_in_bursts_of_a_third_of_a_second(fake: FakeTelegram) -> None:
    people = [User(600 + n, f"Người {n}") for n in range(40)]
    for person in people:
        fake.join(person)
    sender = _sender(fake, messages_per_second=20)
    started = time.monotonic()
    await asyncio.gather(*(sender.send(str(p.id), OutboundText("Nhắc")) for p in people))
    await sender._bot.session.close()
    # About 7 at once, then 20 a second: (40 - 20 / 3) / 20 s; a second's worth (20) at once
    # would leave Telegram no room for requests that arrive closer together than they left.
    assert time.monotonic() - started >= 1.5
    assert len(fake.calls_of("sendMessage")) == 40

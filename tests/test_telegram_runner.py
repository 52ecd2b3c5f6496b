"""The Telegram runner in this process against the fake Bot API: the webhook's refusals, a
redelivered update, a group turned supergroup, and what `channel check` says."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from fake_telegram import TOKEN, FakeTelegram, User
from pydantic import SecretStr
from telegram_people import Chat, texts

from bot.app import Application, open_application
from bot.channels import Platform
from bot.config import Settings
from bot.delivery import Delivery
from bot.file_links import FileLinks
from bot.runner import RunContext
from bot.sending import SendingPort
from bot.telegram.runner import TelegramRunner
from bot.telegram.settings import TelegramSettings
from bot.telegram.webhook import SECRET_HEADER
from bot.ward_setup import ensure_example_ward, invite
from bot.web import web_application
from handlers.checkin.actions import open_period
from storage.clock import FixedClock
from storage.vocabulary import Role

COORDINATOR = User(2001, "Trần Minh")
HEAD = User(2002, "Nguyễn Thị Lan")
FORMER = User(2003, "Lê Cũ")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.close()


async def _running(
    tmp_path: Path,
    fake: FakeTelegram,
    clock: FixedClock,
    public_url: str | None,
    links: FileLinks | None = None,
    holder: str | None = None,
) -> AsyncIterator[tuple[Application, TelegramRunner, RunContext]]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 't.db'}",
        telegram_token=SecretStr(TOKEN),
        public_url=public_url,
    )
    async with open_application(settings, clock) as application:
        application.holder = holder or application.holder
        await application.register_channels()
        (channel,) = [c for c in settings.all_channels() if c.name == "telegram"]
        runner = TelegramRunner(
            channel,
            settings,
            TelegramSettings(api_base=fake.base_url, poll_timeout=1, private_chat_per_second=100),
        )
        port = SendingPort(runner.sender, application.transaction, clock, "Asia/Ho_Chi_Minh")
        delivery = Delivery(application.transaction, {"telegram": port}, application.holder, "vi")
        application.on_queued = delivery.wake
        stopping = asyncio.Event()
        context = RunContext(
            application.dispatcher(evidence_link=links.evidence_url if links else None),
            application.transaction,
            clock,
            application.holder,
            public_url or "http://127.0.0.1:1",
            stopping,
        )
        delivering = asyncio.create_task(delivery.run())
        await runner.start(context)
        try:
            yield application, runner, context
        finally:
            stopping.set()
            await runner.stop()
            delivery.stop()
            await delivering


@pytest.fixture
async def polling(
    tmp_path: Path, fake: FakeTelegram, clock: FixedClock
) -> AsyncIterator[tuple[Application, TelegramRunner, RunContext]]:
    async for running in _running(tmp_path, fake, clock, None):
        yield running


@pytest.fixture
async def webhook(
    tmp_path: Path, fake: FakeTelegram, clock: FixedClock
) -> AsyncIterator[tuple[TestClient[web.Request, web.Application], FakeTelegram]]:
    async for _application, _runner, context in _running(
        tmp_path, fake, clock, "https://bot.example.vn"
    ):
        app = web.Application()
        for path, handler in context.routes.items():
            app.router.add_post(path, handler)
        async with TestClient(TestServer(app)) as client:
            await fake.wait_for(lambda: fake.webhook)
            yield client, fake


async def test_the_webhook_refuses_calls_without_its_secret_and_bodies_that_are_not_updates(
    webhook: tuple[TestClient[web.Request, web.Application], FakeTelegram],
) -> None:
    client, fake = webhook
    path = "/telegram/telegram"
    secret = fake.webhook["secret"] if fake.webhook else ""
    assert fake.webhook and fake.webhook["url"] == "https://bot.example.vn" + path and secret
    fake.join(COORDINATOR)
    update = {
        "update_id": 5,
        "message": {
            "message_id": 1,
            "from": COORDINATOR.as_json(),
            "chat": {"id": COORDINATOR.id, "type": "private", "first_name": "Minh"},
            "date": 1,
            "text": "/start",
        },
    }
    assert (await client.post(path, json=update)).status == 401
    assert (await client.post(path, json=update, headers={SECRET_HEADER: "wrong"})).status == 401
    headers = {SECRET_HEADER: secret}
    for body in (b"{not json", b"[1, 2]", b'{"update_id": "five"}', "\u00ff".encode("latin-1")):
        assert (await client.post(path, data=body, headers=headers)).status == 400
    assert not fake.messages_to(COORDINATOR.id)
    assert (await client.post(path, json=update, headers=headers)).status == 200
    welcome = await fake.wait_for(lambda: fake.messages_to(COORDINATOR.id))
    assert "Chào bạn" in welcome[0]["text"]


async def test_a_redelivered_update_is_answered_once(
    polling: tuple[Application, TelegramRunner, RunContext], fake: FakeTelegram
) -> None:
    chat = Chat(fake, COORDINATOR)
    await chat.says("/start")
    answered = len(chat.messages())
    # Telegram's first update id in the fake is 1000: the /start above, delivered again.
    fake.redeliver(
        {
            "update_id": 1000,
            "message": {
                "message_id": 1,
                "from": COORDINATOR.as_json(),
                "chat": {"id": COORDINATOR.id, "type": "private", "first_name": "Minh"},
                "date": 1,
                "text": "/start",
            },
        }
    )
    await fake.wait_for(lambda: not fake.updates)
    await asyncio.sleep(1.0)
    assert len(chat.messages()) == answered


async def test_a_group_turned_supergroup_keeps_its_registration(
    polling: tuple[Application, TelegramRunner, RunContext],
    fake: FakeTelegram,
    clock: FixedClock,
) -> None:
    application, _runner, _context = polling
    async with application.transaction() as repositories:
        ward, _summary = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        code = (await invite(repositories, ward, Role.COORDINATOR, None, 7)).code
    await Chat(fake, COORDINATOR).says(f"/start {code}")
    fake.add_group(-4001, "Tổ VHXH")
    assert "Đã đăng ký nhóm" in (await Chat(fake, COORDINATOR, -4001).says("/nhom"))[-1]["text"]
    fake.send(COORDINATOR, "", chat_id=-4001, migrate_to_chat_id=-1004001)
    await fake.wait_for(lambda: not fake.updates)
    await asyncio.sleep(0.5)
    async with application.transaction() as repositories:
        assert await repositories.groups.ward_of("telegram", "-1004001") == ward.id
        assert await repositories.groups.ward_of("telegram", "-4001") is None


async def test_a_press_with_unknown_data_is_answered_and_changes_nothing(
    polling: tuple[Application, TelegramRunner, RunContext], fake: FakeTelegram
) -> None:
    (welcome, *_rest) = await Chat(fake, COORDINATOR).says("/start")
    fake.press(COORDINATOR, welcome, "not-a-choice")
    await fake.wait_for(lambda: fake.callback_answered("Q1"))
    # Stale data from an old version of the bot, with a version stamp.
    fake.press(COORDINATOR, welcome, "99999:gone")
    await fake.wait_for(lambda: fake.callback_answered("Q2"))


async def test_channel_check_says_what_is_wrong(
    tmp_path: Path, fake: FakeTelegram, clock: FixedClock
) -> None:
    settings = Settings(telegram_token=SecretStr(TOKEN), public_url="https://bot.example.vn")
    (channel,) = [c for c in settings.all_channels() if c.name == "telegram"]
    runner = TelegramRunner(channel, settings, TelegramSettings(api_base=fake.base_url))
    (problem,) = await runner.check()
    assert "https://bot.example.vn/telegram/telegram" in problem
    fake.token = "other"
    runner = TelegramRunner(channel, settings, TelegramSettings(api_base=fake.base_url))
    (refused,) = await runner.check()
    assert "@BotFather" in refused and TOKEN not in refused


async def _a_coordinator_before_the_start(
    tmp_path: Path, fake: FakeTelegram, clock: FixedClock
) -> str:
    """The example ward with a coordinator on Telegram and a former one; an invite code for a
    police head."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 't.db'}")
    async with open_application(settings, clock) as application:
        async with application.transaction() as repositories:
            ward, _summary = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
            await repositories.channels.ensure("telegram", Platform.TELEGRAM, None)
            in_ward = repositories.for_ward(ward.id)
            coordinator = await in_ward.members.add("Trần Minh")
            in_ward.members.grant(coordinator, Role.COORDINATOR, None)
            in_ward.members.link_identity(coordinator, "telegram", str(COORDINATOR.id), "telegram")
            # A coordinator whose role was withdrawn while the bot was down.
            former = await in_ward.members.add("Lê Cũ")
            in_ward.members.grant(former, Role.COORDINATOR, None)
            in_ward.members.link_identity(former, "telegram", str(FORMER.id), "telegram")
            await repositories.session.flush()
            in_ward.members.end_roles(former, former.roles)
        async with application.transaction() as repositories:
            code = (await invite(repositories, ward, Role.UNIT_HEAD, "Công an phường", 7)).code
    fake.join(COORDINATOR)
    fake.join(FORMER)
    return code


async def test_each_member_sees_the_menu_of_their_roles(
    tmp_path: Path, fake: FakeTelegram, clock: FixedClock
) -> None:
    # A coordinator registered before the bot starts: their menu is set as it starts.
    code = await _a_coordinator_before_the_start(tmp_path, fake, clock)
    async for _running_parts in _running(tmp_path, fake, clock, None):
        mine = await fake.wait_for(lambda: fake.commands.get((f"chat:{COORDINATOR.id}", "en")))
        assert "moky" in [c["command"] for c in mine]
        assert "moky" not in [c["command"] for c in fake.commands[("default", None)]]
        # Theirs is set to the menu of no role.
        gone = await fake.wait_for(lambda: fake.commands.get((f"chat:{FORMER.id}", None)))
        assert "toi" in [c["command"] for c in gone]
        assert "moky" not in [c["command"] for c in gone]
        # A head registering by the invite's code gets the heads' menu.
        await Chat(fake, HEAD).says(f"/start {code}")
        theirs = await fake.wait_for(lambda: fake.commands.get((f"chat:{HEAD.id}", None)))
        names = [c["command"] for c in theirs]
        assert "baocao" in names and "moky" not in names
        described = {c["command"]: c["description"] for c in theirs}
        assert described["baocao"].startswith("báo cáo tiến độ")
        english = {c["command"]: c["description"] for c in fake.commands[(f"chat:{HEAD.id}", "en")]}
        assert english["baocao"] != described["baocao"]


async def test_processes_started_together_set_the_members_menus_once(
    tmp_path: Path, fake: FakeTelegram, clock: FixedClock
) -> None:
    await _a_coordinator_before_the_start(tmp_path, fake, clock)

    def set_for_coordinator() -> list[object]:
        scopes = [call.params.get("scope") or {} for call in fake.calls_of("setMyCommands")]
        return [
            s for s in scopes if s.get("type") == "chat" and int(s["chat_id"]) == COORDINATOR.id
        ]

    async for _first in _running(tmp_path, fake, clock, "https://bot.example.vn", holder="one"):
        async for _second in _running(
            tmp_path, fake, clock, "https://bot.example.vn", holder="two"
        ):
            await fake.wait_for(lambda: len(set_for_coordinator()) >= 2)
            await asyncio.sleep(0.5)
    # Once in Vietnamese (the default language) and once in English, by one of the two.
    assert len(set_for_coordinator()) == 2


async def test_a_coordinator_downloads_the_evidence_a_head_sent_from_its_link(
    tmp_path: Path, fake: FakeTelegram, clock: FixedClock
) -> None:
    links = FileLinks("k" * 32, clock, "http://reportbot.test", timedelta(days=7))
    async for application, runner, _context in _running(tmp_path, fake, clock, None, links):
        async with application.transaction() as repositories:
            ward, _summary = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
            head_code = (await invite(repositories, ward, Role.UNIT_HEAD, "Công an phường", 7)).code
            own_code = (await invite(repositories, ward, Role.COORDINATOR, None, 7)).code
            await open_period(repositories, ward, "2026-11", actor="test")
        head, coordinator = Chat(fake, HEAD), Chat(fake, COORDINATOR)
        await head.says(f"/start {head_code}")
        await coordinator.says(f"/start {own_code}")
        (overview,) = [m for m in await head.says("/baocao") if "reply_markup" in m]
        card = (await head.presses(overview, "Trả lời lần lượt từng nhiệm vụ"))[-1]
        card = (await head.presses(card, "Hoàn thành"))[-1]
        while "Minh chứng" not in card["text"]:
            if _labels(card) and "Bỏ qua" in _labels(card):
                card = (await head.presses(card, "Bỏ qua"))[-1]
            else:
                card = (await head.says("100"))[-1]
        minutes = b"%PDF-1.4 bien ban hop"
        assert "Đã nhận minh chứng" in texts(await head.sends_document("bien-ban.pdf", minutes))
        # 50 MB: kept by its file id like any other, answered like any other.
        huge = bytes(50 * 1024 * 1024)
        assert "Đã nhận minh chứng" in texts(await head.sends_document("video.mp4", huge))
        await head.sends_document("anh.jpg", b"\xff\xd8 photo", photo=True)

        listing = texts(await coordinator.says("/minhchung Công an phường"))
        assert "bien-ban.pdf" in listing and "ảnh" in listing
        urls = re.findall(r"http://reportbot\.test\S+", listing)
        assert len(urls) == 3

        async def health() -> dict[str, Any]:
            return {}

        served = web_application(health, {}, links, application.transaction, {"telegram": runner})
        async with TestClient(TestServer(served)) as client:
            pdf, video, photo = [await client.get(urlsplit(url).path) for url in urls]
            assert pdf.status == 200 and await pdf.read() == minutes
            assert "bien-ban.pdf" in pdf.headers["Content-Disposition"]
            assert photo.status == 200 and await photo.read() == b"\xff\xd8 photo"
            # Over Telegram's 20 MB for bots: said in words, not a crash.
            assert video.status == 502 and "20 MB" in await video.text()
            assert fake.calls_of("getFile")


def _labels(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]

"""`reportbot run` as a subprocess against the fake Bot API: a whole month on Telegram, by
long polling and by webhook."""

from __future__ import annotations

import asyncio
import copy
import json
import signal
import urllib.request
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fake_telegram import TOKEN, FakeTelegram, User
from run_process import RunningBot, free_port
from telegram_people import Chat, texts

from bot.app import open_application
from bot.config import Settings
from bot.ward_setup import ensure_example_ward, invite
from storage.vocabulary import Role

HEAD = User(1001, "Nguyễn Thị Lan")
POLICE = User(1002, "Đỗ Văn Hải")
COORDINATOR = User(1003, "Trần Minh", language_code="vi")
GROUP_ID = -1009000


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    fake.add_group(GROUP_ID, "Tổ VHXH phường Hồng Bàng")
    yield fake
    await fake.close()


async def _ward(database_url: str) -> dict[str, str]:
    """The example ward with its plan, and invite codes for a head, the police and VHXH."""
    settings = Settings(database_url=database_url)
    async with open_application(settings) as application, application.transaction() as repositories:
        ward, _summary = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        codes = {}
        for key, role, unit in (
            ("head", Role.UNIT_HEAD, "Phòng Văn hóa - Xã hội"),
            ("police", Role.UNIT_HEAD, "Công an phường"),
            ("coordinator", Role.COORDINATOR, None),
        ):
            codes[key] = (await invite(repositories, ward, role, unit, 7)).code
    return codes


def _started(tmp_path: Path, env: dict[str, str], name: str = "bot") -> RunningBot:
    """Given longer to start: the machine is shared."""
    return RunningBot(tmp_path, env, name, start_within=180)


async def _start(
    tmp_path: Path, fake: FakeTelegram, webhook: bool, sending_process: bool = False
) -> tuple[RunningBot, dict[str, str]]:
    database_url = f"sqlite:///{tmp_path / 'r.db'}"
    codes = await _ward(database_url)
    env = {
        "REPORTBOT_DATABASE_URL": database_url,
        "REPORTBOT_TELEGRAM_TOKEN": TOKEN,
        "REPORTBOT_TELEGRAM_API_BASE": fake.base_url,
        "REPORTBOT_TELEGRAM_POLL_TIMEOUT": "5",
        "REPORTBOT_TELEGRAM_PRIVATE_CHAT_PER_SECOND": "50",
        "REPORTBOT_TELEGRAM_GROUP_PER_MINUTE": "600",
        "REPORTBOT_SENDING_PROCESS": str(sending_process).lower(),
    }
    if webhook:
        port = free_port()
        env["REPORTBOT_HTTP_PORT"] = str(port)
        env["REPORTBOT_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    # Started from a thread: its wait for the address must not stop this loop (the fake).
    bot: RunningBot = await asyncio.to_thread(_started, tmp_path, env)
    return bot, codes


def _this_month() -> str:
    """The period `reportbot run` (on the wall clock) can export: one that has begun."""
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m")


def _health(bot: RunningBot) -> dict[str, Any]:
    with urllib.request.urlopen(f"{bot.url}/healthz", timeout=10) as response:
        return dict(json.load(response))


async def _idle(bot: RunningBot) -> dict[str, Any]:
    """/healthz once every reply is made and sent."""
    for _ in range(120):
        health = await asyncio.to_thread(_health, bot)
        if not health["channels"]["telegram"]["outbox"]:
            return health
        await asyncio.sleep(0.5)
    raise AssertionError(f"the outbox did not empty: {health}")


@pytest.mark.subprocess
@pytest.mark.parametrize(
    ("webhook", "sending_process"),
    [(False, False), (True, False), (False, True)],
    ids=["polling", "webhook", "polling-sending-process"],
)
async def test_a_month_on_telegram(
    tmp_path: Path, fake: FakeTelegram, webhook: bool, sending_process: bool
) -> None:
    bot, codes = await _start(tmp_path, fake, webhook, sending_process)
    try:
        await _month(fake, codes, webhook)
        health = await _idle(bot)
        channel = health["channels"]["telegram"]
        assert channel["mode"] == ("webhook" if webhook else "polling")
        assert channel["sent_this_month"] >= 20 and channel["last_update_at"]
        assert isinstance(health["sending_process"], int) is sending_process
    finally:
        # Exiting after "stopped" takes seconds on a loaded machine (interpreter shutdown).
        took = await asyncio.to_thread(bot.stop, signal.SIGTERM, 30)
    assert bot.process.returncode == 0, bot.log()
    # Stopping in time is tests/test_run.py's; here it must not lose the channel's stop.
    assert "stopping took too long" not in bot.log(), took
    assert TOKEN not in bot.log()
    assert ("sending process" in bot.log()) is sending_process


async def _month(fake: FakeTelegram, codes: dict[str, str], webhook: bool) -> None:
    await fake.wait_for(lambda: fake.calls_of("setWebhook" if webhook else "getUpdates"))
    if webhook:
        assert fake.webhook is not None and fake.webhook["url"].endswith("/telegram/telegram")
    else:
        assert fake.calls_of("deleteWebhook")
    # The menu, in both languages.
    await fake.wait_for(lambda: ("default", "en") in fake.commands)
    assert "start" in [c["command"] for c in fake.commands[("default", None)]]

    head, police, coordinator = Chat(fake, HEAD), Chat(fake, POLICE), Chat(fake, COORDINATOR)
    # Invited people register by the deep link's /start CODE.
    welcome = texts(await head.says(f"/start {codes['head']}"))
    assert "Phòng Văn hóa - Xã hội" in welcome
    await police.says(f"/start {codes['police']}")
    await coordinator.says(f"/start {codes['coordinator']}")
    opened = texts(await coordinator.says(f"/moky {_this_month()}"))
    assert _this_month()[-2:].lstrip("0") in opened

    # Check-in by buttons: each press answered, the pressed card edited to show the answer.
    (overview,) = [m for m in await head.says("/baocao") if "reply_markup" in m]
    first = (await head.presses(overview, "Trả lời lần lượt từng nhiệm vụ"))[-1]
    assert "Tình trạng kỳ này?" in first["text"]
    # As the phone shows it: a second tap can come before the edit arrives.
    as_shown = copy.deepcopy(first)
    after = await head.presses(first, "Hoàn thành")
    edited = fake.messages[(HEAD.id, first["message_id"])]
    assert edited["text"].endswith("✔ Hoàn thành") and "reply_markup" not in edited
    assert all(fake.callback_answered(f"Q{n}") for n in (1, 2))
    # A press on the old card changes nothing: the current question is asked again.
    stale = await head.presses(as_shown, "Không phát sinh trong kỳ")
    assert "câu hỏi trước" in texts(stale)
    assert after[-1]["text"] in texts(stale)
    result = await head.says("100")
    await head.presses(result[-1], "Bỏ qua các mục còn lại")
    stopped = [m for m in head.messages() if "reply_markup" in m][-1]
    await head.presses(stopped, "Dừng lại (đã lưu)")

    # Check-in by one message.
    await police.says("/baocao")
    summary = texts(
        await police.says(
            "1 HT\n2 60% vướng kinh phí\nI.15: đang thực hiện 80%\n4 kps\n"
            "II.12 ht, đã diễn tập ứng cứu sự cố\n6 đang làm 50%\n7 ctk\n9 ht"
        )
    )
    assert "Hoàn thành" in summary
    save = [m for m in police.messages() if "reply_markup" in m][-1]
    await police.presses(save, save["reply_markup"]["inline_keyboard"][0][0]["text"])
    review = [m for m in police.messages() if "reply_markup" in m][-1]
    submitted = texts(await police.presses(review, "Gửi báo cáo"))
    assert "Đã gửi" in submitted or "đã gửi" in submitted

    # The coordinator reviews in private, registers the group, and the digest goes there.
    progress = texts(await coordinator.says("/tiendo"))
    assert "Công an phường" in progress
    accepted = texts(await coordinator.says("/duyet Công an phường"))
    assert "Công an phường" in accepted
    group = Chat(fake, COORDINATOR, GROUP_ID)
    # People talking to each other in the group: the bot stays out of it.
    fake.send(COORDINATOR, "Chiều nay 3 giờ họp giao ban nhé", chat_id=GROUP_ID)
    registered = texts(await group.says("/nhom"))
    assert "Đã đăng ký nhóm" in registered
    digest = texts(await group.says("/tonghop"))
    assert "TỔNG HỢP" in digest and "Đơn vị đã gửi: 1/" in digest
    assert not any("giao ban" in (m.get("text") or "") for m in group.messages())

    # The files arrive as documents, the chart as a photo (made one after another: waited for).
    before = len(coordinator.messages())
    fake.send(COORDINATOR, "/xuat")

    def arrived() -> list[dict[str, Any]]:
        new = coordinator.messages()[before:]
        names = [m["document"]["file_name"] for m in new if "document" in m]
        done = any(n.endswith(".docx") for n in names) and any(n.endswith(".xlsx") for n in names)
        return new if done and any("photo" in m for m in new) else []

    await fake.wait_for(arrived, timeout=120)
    # While the files were made, the chat showed the bot at work.
    shown = [c.params for c in fake.calls_of("sendChatAction")]
    assert {"chat_id": str(COORDINATOR.id), "action": "upload_document"} in shown, shown

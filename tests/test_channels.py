"""Channels as the dispatcher sees them: button versions, update ids per channel, groups."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from chat import Person, person
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import Application, open_application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.config import ChannelSettings, Settings
from bot.ward_setup import ensure_example_ward, invite
from handlers.dispatcher import Dispatcher
from handlers.events import ChoicesReply, IncomingEvent, Sender, button_event, parse_text_event
from storage.clock import FixedClock
from storage.models import TaskReport
from storage.vocabulary import Role

POLICE = "Công an phường"


async def _register(
    application: Application, dispatcher: Dispatcher, user: str, role: Role, unit: str | None
) -> Person:
    async with application.transaction() as repositories:
        ward = await repositories.wards.get("Hồng Bàng")
        code = (await invite(repositories, ward, role, unit, 7)).code
    who = person(dispatcher, user)
    assert "thành công" in (await who.send(f"/start {code}"))[0]
    return who


@pytest.fixture
async def head(sqlite_application: Application) -> Person:
    """A unit head of the example ward, with the month open."""
    async with sqlite_application.transaction() as repositories:
        example, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
    dispatcher = sqlite_application.dispatcher(example.id)
    coordinator = await _register(sqlite_application, dispatcher, "coord", Role.COORDINATOR, None)
    await coordinator.send("/moky 2026-11")
    return await _register(sqlite_application, dispatcher, "head", Role.UNIT_HEAD, POLICE)


def _last_question(who: Person) -> ChoicesReply:
    return next(r for r in reversed(who.replies) if isinstance(r, ChoicesReply))


async def _press(who: Person, card: ChoicesReply, label_start: str, update_id: str) -> list[str]:
    """Press the button of `card` whose label starts so, as a messenger with buttons sends it."""
    choice = next(c for c in card.choices if c.label.startswith(label_start))
    event = button_event(
        update_id, who.sender, who.sender.user_id, card.button_value(choice), callback_id="cb"
    )
    return await who.deliver(event)


async def _answers(application: Application) -> int:
    async with application.sessions() as session:
        return (await session.execute(select(func.count()).select_from(TaskReport))).scalar_one()


async def test_a_press_on_an_old_card_asks_the_current_question_and_changes_nothing(
    sqlite_application: Application, head: Person
) -> None:
    await head.send("/baocao")
    await _press(head, _last_question(head), "Trả lời lần lượt", "p1")
    first_card = _last_question(head)
    assert first_card.text.startswith("1. [I.2]")
    await _press(head, first_card, "Không phát sinh", "p2")
    assert _last_question(head).text.startswith("2. [I.14]")
    assert await _answers(sqlite_application) == 1

    # The same button again, on the card of task 1: task 2 must stay unanswered.
    replies = await _press(head, first_card, "Không phát sinh", "p3")
    assert "câu hỏi trước" in replies[0]
    assert replies[-1].startswith("2. [I.14]")
    assert await _answers(sqlite_application) == 1

    # The current card still works, and so does typing its number.
    await _press(head, _last_question(head), "Không phát sinh", "p4")
    assert _last_question(head).text.startswith("3. ")
    assert await _answers(sqlite_application) == 2


@pytest.fixture
async def two_bots(tmp_path: Path, clock: FixedClock) -> AsyncIterator[Application]:
    """Two Telegram bots of one deployment, on SQLite."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'bots.db'}",
        channels=[
            ChannelSettings(name="hong-bang", platform=Platform.TELEGRAM, token=SecretStr("a:1")),
            ChannelSettings(name="vinh-tuy", platform=Platform.TELEGRAM, token=SecretStr("b:2")),
        ],
    )
    async with open_application(settings, clock) as application:
        await application.register_channels()
        yield application


def _citizen_says(channel: str, update_id: str, text: str, **chat: Any) -> IncomingEvent:
    sender = Sender("telegram", "42", "Người dân")
    event = parse_text_event(update_id, sender, chat.pop("chat_id", "42"), text)
    return replace(event, channel=channel, **chat)


async def test_two_bots_of_one_platform_both_process_their_update_1(
    two_bots: Application,
) -> None:
    dispatcher = two_bots.dispatcher()
    for channel in ("hong-bang", "vinh-tuy"):
        outgoing = await dispatcher.handle(_citizen_says(channel, "1", "/toi"))
        assert outgoing.replies, channel
    again = await dispatcher.handle(_citizen_says("vinh-tuy", "1", "/toi"))
    assert again.replies == []


async def test_in_a_group_only_what_is_meant_for_the_bot_reaches_the_flows(
    two_bots: Application,
) -> None:
    dispatcher = two_bots.dispatcher()
    group = {"chat_id": "-100", "is_private": False}
    chatter = await dispatcher.handle(_citizen_says("hong-bang", "1", "quên mật khẩu", **group))
    assert chatter.replies == []
    asked = await dispatcher.handle(
        _citizen_says("hong-bang", "2", "quên mật khẩu", addressed_to_bot=True, **group)
    )
    assert asked.replies
    command = await dispatcher.handle(_citizen_says("hong-bang", "3", "/toi", **group))
    assert command.replies


async def test_a_conversation_belongs_to_its_chat(sqlite_application: Application) -> None:
    async with sqlite_application.transaction() as repositories:
        store = repositories.conversations
        private = await store.load("console", "42", "42")
        await store.save(private, flow="f", step="s", data={})
    async with sqlite_application.transaction() as repositories:
        store = repositories.conversations
        assert (await store.load("console", "42", "42")).flow == "f"
        assert (await store.load("console", "-100", "42")).flow is None


def test_channels_from_the_environment_and_toml_keep_their_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "reportbot.toml"
    config.write_text(
        "[[channels]]\n"
        'name = "vinh-tuy-oa"\n'
        'platform = "zalo_oa"\n'
        'token = "oa-secret-123"\n'
        'ward = "Vĩnh Tuy"\n'
        "max_text = 1500\n"
        "monthly_quota = 2000\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("REPORTBOT_CONFIG", str(config))
    monkeypatch.setenv("REPORTBOT_TELEGRAM_TOKEN", "123:tg-secret")
    settings = Settings()
    console, telegram, oa = settings.all_channels()
    assert (console.name, console.platform) == ("console", Platform.CONSOLE)
    assert telegram.name == "telegram" and telegram.capabilities().max_text == 4096
    assert oa.ward == "Vĩnh Tuy"
    assert oa.capabilities() == replace(
        PLATFORM_CAPABILITIES[Platform.ZALO_OA], max_text=1500, monthly_quota=2000
    )
    assert telegram.token is not None and telegram.token.get_secret_value() == "123:tg-secret"
    print(settings, repr(settings), settings.model_dump(), settings.model_dump_json())
    shown = capsys.readouterr().out
    assert "tg-secret" not in shown and "oa-secret" not in shown


def test_a_channel_name_is_used_once() -> None:
    settings = Settings(channels=[ChannelSettings(name="console", platform=Platform.TELEGRAM)])
    with pytest.raises(ValueError, match="console"):
        settings.all_channels()


async def test_a_channel_name_keeps_its_platform(two_bots: Application) -> None:
    two_bots.settings.channels.append(ChannelSettings(name="vinh-tuy", platform=Platform.ZALO_BOT))
    with pytest.raises(ValueError, match="vinh-tuy"):
        await two_bots.register_channels()


def _in_group(who: Person, text: str, update_id: str, group: str = "-100") -> IncomingEvent:
    event = parse_text_event(update_id, who.sender, group, text)
    return replace(event, is_private=False)


async def test_a_wards_data_is_shown_only_in_a_group_registered_for_it(
    sqlite_application: Application, head: Person
) -> None:
    coordinator = person(head.dispatcher, "coord")
    before = await coordinator.deliver(_in_group(coordinator, "/tiendo", "g1"))
    assert "chưa được đăng ký" in before[0] and POLICE not in "\n".join(before)
    assert (
        "Đã đăng ký nhóm này"
        in (await coordinator.deliver(_in_group(coordinator, "/nhom", "g2")))[0]
    )
    progress = "\n".join(await coordinator.deliver(_in_group(coordinator, "/tiendo", "g3")))
    assert POLICE in progress
    # Another group stays closed; /nhom in private says where it belongs.
    other = await coordinator.deliver(_in_group(coordinator, "/tiendo", "g4", group="-200"))
    assert "chưa được đăng ký" in other[0]
    assert "trong nhóm" in (await coordinator.send("/nhom"))[0]
    # A head may not register a group (a coordinator's command).
    assert "không có quyền" in (await head.deliver(_in_group(head, "/nhom", "g5", "-300")))[0]


async def test_a_member_of_another_ward_sees_nothing_in_a_registered_group(
    sqlite_application: Application, head: Person
) -> None:
    coordinator = person(head.dispatcher, "coord")
    await coordinator.deliver(_in_group(coordinator, "/nhom", "g1"))
    async with sqlite_application.transaction() as repositories:
        await repositories.wards.add(
            "Phường Vĩnh Tuy", timezone="Asia/Ho_Chi_Minh", report_day=18, locale="vi"
        )
        other_ward = await repositories.wards.get("Vĩnh Tuy")
        code = (await invite(repositories, other_ward, Role.COORDINATOR, None, 7)).code
    stranger = person(head.dispatcher, "stranger")
    await stranger.send(f"/start {code}")
    seen = await stranger.deliver(_in_group(stranger, "/tiendo", "g2"))
    assert "thuộc phường khác" in seen[0] and POLICE not in "\n".join(seen)
    taken = await stranger.deliver(_in_group(stranger, "/nhom", "g3"))
    assert "phường khác" in taken[0]

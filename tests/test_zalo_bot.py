"""The Zalo Bot adapter: updates as events, sending, and whole conversations through
`reportbot run` against the fake Zalo Bot API — including kill -9 and two processes."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fake_zalo_bot import FakeZaloBot
from hypothesis import given, strategies as st
from run_process import RunningBot, settle, wait_until

from bot.app import open_application
from bot.channels import PLATFORM_CAPABILITIES, Platform
from bot.config import Settings
from bot.sending import OutboundFile, OutboundText, SendFailed
from bot.ward_setup import ensure_example_ward, invite
from bot.zalo_bot.client import ZaloBotClient
from bot.zalo_bot.sender import ZaloBotSender
from bot.zalo_bot.updates import event_from_update, unwrap
from handlers.events import EventKind
from storage.vocabulary import Role

ZALO_BOT = PLATFORM_CAPABILITIES[Platform.ZALO_BOT]
POLICE = "Công an phường"


def _update(**message: Any) -> dict[str, Any]:
    base = {
        "message_id": "m1",
        "date": 1766619597466,
        "chat": {"id": "c1", "chat_type": "PRIVATE"},
        "from": {"id": "u1", "display_name": "Lê Hùng", "is_bot": False},
        "text": "/start ABCD-EFGH",
    }
    return {"event_name": "message.text.received", "message": base | message}


def test_an_update_wrapped_or_bare_is_one_event_keyed_by_its_message_id() -> None:
    for body in (_update(), {"ok": True, "result": _update()}):
        update = unwrap(body)
        assert update is not None
        event = event_from_update(update, "zalo_bot")
        assert event is not None
        assert (event.update_id, event.chat_id, event.sender.user_id) == ("m1", "c1", "u1")
        assert (event.kind, event.command, event.argument) == (
            EventKind.COMMAND,
            "start",
            "ABCD-EFGH",
        )
        assert event.sender.display_name == "Lê Hùng" and event.is_private
        assert event.sent_order == 1766619597466


def test_the_sending_time_orders_messages_when_it_is_a_number_of_milliseconds() -> None:
    for date, order in (("1766619597466", 1766619597466), (None, None), ("soon", None)):
        event = event_from_update(_update(date=date), "z")
        assert event is not None and event.sent_order == order, date
    for date in (True, -5, 10**20, "9" * 40, 1.5):
        event = event_from_update(_update(date=date), "z")
        assert event is not None and event.sent_order is None, date


def test_older_sender_fields_groups_and_what_is_not_text() -> None:
    older = event_from_update(_update(**{"from": {"id": "u1", "first_name": "Mai"}}), "z")
    assert older is not None and older.sender.display_name == "Mai"
    group = event_from_update(_update(chat={"id": "g1", "chat_type": "GROUP"}), "z")
    assert group is not None and not group.is_private and group.addressed_to_bot
    sticker = _update(sticker="abc")
    sticker["event_name"] = "message.sticker.received"
    event = event_from_update(sticker, "z")
    assert event is not None and event.kind is EventKind.UNSUPPORTED
    photo = _update(text=None, caption="1 ht", photo="https://x/y.jpg")
    photo["event_name"] = "message.image.received"
    event = event_from_update(photo, "z")
    assert event is not None and event.text == "1 ht"
    assert event_from_update(_update(**{"from": {"id": "b", "is_bot": True}}), "z") is None
    assert event_from_update(_update(message_id=None), "z") is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.sampled_from(["ok", "result", "event_name", "message"]), json_values))
def test_any_body_is_an_event_or_nothing_never_an_error(body: dict[str, Any]) -> None:
    update = unwrap(body)
    if update is not None:
        event_from_update(update, "z")


@given(
    st.dictionaries(st.sampled_from(["message_id", "chat", "from", "text", "date"]), json_values)
)
def test_any_message_is_an_event_or_nothing(message: dict[str, Any]) -> None:
    event_from_update({"event_name": "message.text.received", "message": message}, "z")


async def _sender(fake: FakeZaloBot, token: str | None = None) -> tuple[ZaloBotSender, Any]:
    import aiohttp

    session = aiohttp.ClientSession()
    client = ZaloBotClient(lambda: session, fake.url, token or fake.token)
    return ZaloBotSender("zalo_bot", ZALO_BOT, client), session


async def test_sending_reads_the_envelope_not_the_status() -> None:
    with FakeZaloBot(quota=2) as fake:
        sender, session = await _sender(fake)
        try:
            assert await sender.send("c1", OutboundText("Xin chào"))
            # Refused with HTTP 200 and ok: false (an empty text): an error, and final.
            with pytest.raises(SendFailed) as refused:
                await sender.send("c1", OutboundText("x" * 2001))
            assert refused.value.permanent
            assert await sender.send(
                "c1", OutboundFile("b.png", b"", "Biểu đồ", True, "http://h/f/t")
            )
            # The quota is spent: 429 is not a rate to wait out.
            with pytest.raises(SendFailed) as spent:
                await sender.send("c1", OutboundText("ba"))
            assert spent.value.permanent and "quota" in str(spent.value)
            fake.refuse_sends_with = 502
            fake.quota = 10
            with pytest.raises(SendFailed) as flaky:
                await sender.send("c1", OutboundText("bốn"))
            assert not flaky.value.permanent
        finally:
            await session.close()
        bad, session = await _sender(fake, token="1:wrong-token-here")
        try:
            with pytest.raises(SendFailed) as unauthorized:
                await bad.send("c1", OutboundText("x"))
            assert unauthorized.value.permanent and "wrong-token" not in str(unauthorized.value)
        finally:
            await session.close()
    assert [sent.text for sent in fake.sent][:1] == ["Xin chào"]


# Whole conversations through `reportbot run` -------------------------------------------


def _seed(database_url: str) -> dict[str, str]:
    """The example ward with codes for a coordinator and the police's head."""

    async def seed() -> dict[str, str]:
        settings = Settings(database_url=database_url)
        async with (
            open_application(settings) as application,
            application.transaction() as repositories,
        ):
            ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
            coordinator = await invite(repositories, ward, Role.COORDINATOR, None, 7)
            head = await invite(repositories, ward, Role.UNIT_HEAD, POLICE, 7)
            other = await invite(
                repositories, ward, Role.UNIT_HEAD, "Văn phòng HĐND và UBND phường", 7
            )
        return {"coordinator": coordinator.code, "head": head.code, "other": other.code}

    return asyncio.run(seed())


def _registers(fake: FakeZaloBot, user: str, code: str) -> None:
    """Register; an open period's notice may come before the confirmation."""
    fake.user_says(user, f"/start {code}")
    wait_until(lambda: any("thành công" in t for t in fake.texts_to(user)), 60, "not registered")


def _unsent(database_url: str) -> dict[str, dict[str, int]]:
    async def backlog() -> dict[str, dict[str, int]]:
        settings = Settings(database_url=database_url)
        async with (
            open_application(settings) as application,
            application.transaction() as repositories,
        ):
            return await repositories.outbox.backlog()

    return asyncio.run(backlog())


def _bot(
    tmp_path: Path, fake: FakeZaloBot, database_url: str, name: str = "bot", **env: str
) -> RunningBot:
    return RunningBot(
        tmp_path,
        {
            "REPORTBOT_DATABASE_URL": database_url,
            "REPORTBOT_ZALO_BOT_TOKEN": fake.token,
            "REPORTBOT_ZALO_BOT_API_BASE": fake.url,
            "REPORTBOT_OUTBOX_CLAIM_SECONDS": "3",
            **env,
        },
        name=name,
    )


def _says(
    fake: FakeZaloBot, user: str, text: str, *, expect: int = 1, seconds: float = 30
) -> list[str]:
    """Type a message and wait for at least `expect` new replies; returns them."""
    before = len(fake.texts_to(user))
    fake.user_says(user, text)
    wait_until(
        lambda: len(fake.texts_to(user)) >= before + expect, seconds, f"no reply to {text!r}"
    )
    # The rest of the turn's replies: under load they come later than a fixed wait.
    settle(lambda: len(fake.texts_to(user)))
    return fake.texts_to(user)[before:]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'zalo.db'}"
    return str(request.getfixturevalue("postgres_database"))


@pytest.mark.subprocess
def test_a_unit_heads_whole_month_by_typing_and_the_coordinators_review_on_zalo(
    tmp_path: Path,
) -> None:
    """No buttons: registration, the one-message report, an edit, the submission, a blocker
    and its answer, the coordinator's review and the files as links, all typed."""
    url = f"sqlite:///{tmp_path / 'zalo.db'}"
    codes = _seed(url)
    month = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m")
    with FakeZaloBot() as fake:
        bot = _bot(tmp_path, fake, url)
        try:
            assert "thành công" in _says(fake, "coord", f"/start {codes['coordinator']}")[0]
            _registers(fake, "head", codes["head"])
            # The scheduler may have opened the month already (it runs on the wall clock).
            opened = _says(fake, "coord", f"/moky {month}")
            assert f"kỳ {month}" in opened[0].lower()
            wait_until(lambda: any(f"Kỳ báo cáo {month} đã mở" in t for t in fake.texts_to("head")))
            # No buttons on Zalo: the choice is typed as its number.
            asked = _says(fake, "head", "/baocao")
            assert any("1." in text for text in asked)
            report = "1 HT\n2 60% vướng kinh phí\n3 kps\n4 ht\n5 ht\n6 ht\n7 ht"
            confirmation = _says(fake, "head", report)
            assert "1. Lưu 7 nhiệm vụ" in confirmation[-1], confirmation
            saved = _says(fake, "head", "1", expect=2)
            assert saved[0] == "Đã lưu 7 nhiệm vụ." and "1. Gửi báo cáo" in saved[1]
            # The edit: task 2 is done after all, typed as the report's own abbreviation.
            assert "cần sửa" in _says(fake, "head", "2")[0]
            assert "Tình trạng kỳ này?" in _says(fake, "head", "2")[0]
            assert "Kết quả" in _says(fake, "head", "ht")[0]
            review = _says(fake, "head", "2")
            assert "2. [I.14] Hoàn thành" in review[0], review
            submitted = _says(fake, "head", "1")
            assert submitted[0].startswith(f"Đã gửi báo cáo kỳ {month}")
            wait_until(
                lambda: any("Công an phường" in t and "gửi" in t for t in fake.texts_to("coord")),
                30,
                "the coordinator was not told of the submission",
            )
            raised = _says(fake, "head", "/vuongmac I.14 thiếu kinh phí mua thiết bị")
            assert "vướng mắc" in raised[0].lower(), raised
            wait_until(lambda: any("thiếu kinh phí" in t for t in fake.texts_to("coord")))
            listed = _says(fake, "coord", "/vuongmac")
            number = listed[0].split("#", 1)[1].split(" ", 1)[0]
            _says(fake, "coord", f"/traloi {number} Đã đề nghị bổ sung kinh phí")
            wait_until(lambda: any("bổ sung kinh phí" in t for t in fake.texts_to("head")))
            answers = _says(fake, "coord", "/donvi công an")
            assert "2. [I.14] Hoàn thành" in answers[0], answers
            assert _says(fake, "coord", "/duyet công an phường")[0].startswith("Đã duyệt")
            wait_until(lambda: any("duyệt" in t for t in fake.texts_to("head")[-3:]))
            health = json.load(urllib.request.urlopen(f"{bot.url}/healthz", timeout=10))
            zalo = health["channels"]["zalo_bot"]
            assert zalo["mode"] == "polling" and zalo["sent_this_month"] >= 6
            assert zalo["quota_left"] == 3000 - zalo["sent_this_month"]
            # The head and the coordinator registered through this bot, of the free plan's 50.
            assert (zalo["quota_state"], zalo["users"], zalo["user_cap"]) == ("ok", 2, 50)
            exported = _says(fake, "coord", "/xuat", expect=3, seconds=60)
            # While the files were made, the chat showed the bot typing.
            assert ("coord", "typing") in [(a.chat_id, a.text) for a in fake.chat_actions]
            links = [
                line.rsplit(": ", 1)[1]
                for text in exported
                for line in text.splitlines()
                if "/f/" in line and "trình duyệt" in line
            ]
            assert len(links) == 2, exported
            with urllib.request.urlopen(links[0], timeout=10) as download:
                assert download.status == 200 and download.read()[:2] == b"PK"
            assert any(text.startswith("[photo http") for text in exported)
            # Every reply fits Zalo's 2,000 characters.
            assert all(1 <= len(sent.text) <= 2000 for sent in fake.sent)
        finally:
            took = bot.stop()
        assert took < 5 and bot.process.returncode == 0
        assert fake.token not in bot.log() and fake.token.split(":")[1] not in bot.log()


@pytest.mark.subprocess
def test_a_message_delivered_twice_is_answered_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'zalo.db'}"
    _seed(url)
    with FakeZaloBot() as fake:
        bot = _bot(tmp_path, fake, url)
        try:
            update = fake.user_says("citizen", "/toi")
            wait_until(lambda: len(fake.texts_to("citizen")) >= 1)
            fake.queue(update)  # polled again after a restart of Zalo's side
            fake.user_says("citizen", "/huongdan")
            wait_until(lambda: len(fake.texts_to("citizen")) >= 2)
            time.sleep(1)
            texts = fake.texts_to("citizen")
            assert sum("phường nào" in text for text in texts) == 1, texts
        finally:
            bot.stop()


@pytest.mark.subprocess
def test_killed_outside_a_request_nothing_is_lost_or_repeated(
    tmp_path: Path, database: str
) -> None:
    codes = _seed(database)
    with FakeZaloBot() as fake:
        bot = _bot(tmp_path, fake, database)
        _says(fake, "coord", f"/start {codes['coordinator']}")
        # Zalo fails every send: the turn commits, its replies wait in the outbox between
        # attempts; the process is killed there.
        fake.refuse_sends_with = 502
        fake.user_says("coord", "/huongdan")
        wait_until(lambda: "not sent" in bot.log(), 30, "no failed attempt")
        bot.kill()
        fake.refuse_sends_with = None
        sent_before = len(fake.texts_to("coord"))
        again = _bot(tmp_path, fake, database, name="again")
        try:
            wait_until(lambda: _unsent(database) == {}, 30, "rows left unsent")
            replies = fake.texts_to("coord")[sent_before:]
        finally:
            again.stop()
        # Nothing had gone out; now everything did, once.
        assert len(replies) == len(set(replies)) >= 1 and replies[0].startswith("Các lệnh bạn dùng")


@pytest.mark.subprocess
def test_killed_during_a_send_only_that_row_may_repeat(tmp_path: Path, database: str) -> None:
    codes = _seed(database)
    with FakeZaloBot() as fake:
        bot = _bot(tmp_path, fake, database)
        _says(fake, "coord", f"/start {codes['coordinator']}")
        _says(fake, "coord", "/moky 2026-12")
        before = len(fake.texts_to("coord"))
        # The next send is received and never answered: kill -9 during the request.
        fake.hold_sends.set()
        fake.user_says("coord", "/tiendo")
        wait_until(lambda: len(fake.texts_to("coord")) > before, 30)
        in_flight = fake.texts_to("coord")[before]
        bot.kill()
        fake.hold_sends.clear()
        again = _bot(tmp_path, fake, database, name="again")
        try:
            # The dead process's claim expires (3 s) and the row goes out again.
            wait_until(lambda: _unsent(database) == {}, 30, "rows left unsent")
            replies = fake.texts_to("coord")[before:]
        finally:
            again.stop()
        assert replies[0] == in_flight and replies.count(in_flight) <= 2
        # Only the row in flight may arrive twice; nothing else repeats.
        assert all(replies.count(text) == 1 for text in replies if text != in_flight)


@pytest.mark.subprocess
@pytest.mark.postgres
def test_two_processes_poll_once_and_send_every_row_once(
    tmp_path: Path, postgres_database: str
) -> None:
    codes = _seed(postgres_database)
    with FakeZaloBot() as fake:
        first = _bot(tmp_path, fake, postgres_database, name="first")
        second = _bot(tmp_path, fake, postgres_database, name="second")
        bots = [first, second]
        try:

            def modes() -> list[str]:
                return sorted(
                    json.load(urllib.request.urlopen(f"{b.url}/healthz", timeout=10))["channels"][
                        "zalo_bot"
                    ]["mode"]
                    for b in bots
                )

            wait_until(lambda: modes() == ["polling", "standby"], 30, "no single leader")
            _says(fake, "coord", f"/start {codes['coordinator']}")
            for n in range(12):
                fake.user_says(f"citizen{n}", "/toi")
            wait_until(lambda: all(fake.texts_to(f"citizen{n}") for n in range(12)), 60)
            time.sleep(2)
            assert all(len(fake.texts_to(f"citizen{n}")) == 1 for n in range(12))
            # The leader dies: the other takes the channel over once the lease runs out.
            leader = next(
                b
                for b in bots
                if json.load(urllib.request.urlopen(f"{b.url}/healthz"))["channels"]["zalo_bot"][
                    "mode"
                ]
                == "polling"
            )
            survivor = second if leader is first else first
            leader.kill()
            bots = [survivor]
            wait_until(lambda: modes() == ["polling"], 45, "no takeover")
            _registers(fake, "head", codes["head"])
        finally:
            for b in bots:
                b.stop()


def test_channel_check_says_in_vietnamese_what_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from bot.cli import app

    monkeypatch.setenv("REPORTBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    monkeypatch.setenv("REPORTBOT_CONFIG", str(tmp_path / "absent.toml"))
    with FakeZaloBot() as fake:
        monkeypatch.setenv("REPORTBOT_ZALO_BOT_API_BASE", fake.url)
        monkeypatch.setenv("REPORTBOT_ZALO_BOT_TOKEN", fake.token)
        good = CliRunner().invoke(app, ["channel", "check"])
        assert good.exit_code == 0 and "Kênh zalo_bot: ổn." in good.stdout
        fake.webhook = {"url": "https://old.example/hook", "secret": "12345678"}
        stale = CliRunner().invoke(app, ["channel", "check"])
        assert stale.exit_code == 1 and "đang có webhook" in stale.stdout
        monkeypatch.setenv("REPORTBOT_ZALO_BOT_TOKEN", "1:revoked-token-value")
        bad = CliRunner().invoke(app, ["channel", "check"])
    assert bad.exit_code == 1 and "token" in bad.stdout and "revoked-token-value" not in bad.stdout

"""The Official Account's wire rules, its token pair, and the handoff behind it, in process."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from chat import person
from fake_zalo_oa import FakeOa
from hypothesis import given, strategies as st
from sqlalchemy import select

from bot.app import Application
from bot.logs import Redacting
from bot.ward_setup import ensure_example_ward, invite
from bot.zalo_oa.api import OaApi, OaError
from bot.zalo_oa.tokens import TokenKeeper
from bot.zalo_oa.wire import read_event, signed
from storage.models import OutboxMessage
from storage.repositories.oa_tokens import TokenPair
from storage.vocabulary import Role

APP_ID, SECRET = "1234567890123456789", "the-oa-secret-key"


def _mac(body: bytes, timestamp: str, app_id: str = APP_ID, secret: str = SECRET) -> str:
    return hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret.encode()).hexdigest()


events = st.fixed_dictionaries(
    {
        "app_id": st.just(APP_ID),
        "event_name": st.sampled_from(["user_send_text", "follow", "user_send_image", "x"]),
        "sender": st.fixed_dictionaries({"id": st.text(min_size=1, max_size=20)}),
        "message": st.fixed_dictionaries({"msg_id": st.text(max_size=32), "text": st.text()}),
        "timestamp": st.integers(0, 2**45).map(str),
    }
)


@given(events)
def test_a_call_signed_as_zalo_signs_is_accepted_in_either_form(payload: dict[str, Any]) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    mac = _mac(body, payload["timestamp"])
    assert signed(f"mac={mac}", APP_ID, body, SECRET)
    assert signed(mac.upper(), APP_ID, body, SECRET)


@given(events, st.integers(min_value=0), st.sampled_from(["body", "secret", "app", "hmac"]))
def test_any_change_to_a_signed_call_is_refused(
    payload: dict[str, Any], position: int, change: str
) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    timestamp = payload["timestamp"]
    mac = _mac(body, timestamp)
    if change == "body":
        index = position % len(body)
        body = body[:index] + bytes([body[index] ^ 1]) + body[index + 1 :]
    elif change == "secret":
        mac = _mac(body, timestamp, secret=SECRET + "x")
    elif change == "app":
        mac = _mac(body, timestamp, app_id="1")
    else:  # an HMAC of the same text is not what Zalo sends
        import hmac

        mac = hmac.new(
            SECRET.encode(), APP_ID.encode() + body + timestamp.encode(), "sha256"
        ).hexdigest()
    assert not signed(f"mac={mac}", APP_ID, body, SECRET)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_whatever_a_webhook_body_holds_reading_it_never_fails(value: Any) -> None:
    payload = (
        value if isinstance(value, dict) else {"event_name": "user_send_text", "sender": value}
    )
    event = read_event(payload)
    assert event is None or 0 < len(event.user_id) <= 128
    assert event is None or event.message_id is None or len(event.message_id) <= 128


def test_a_follow_names_the_follower_and_a_message_its_sender() -> None:
    follow = read_event(
        {"event_name": "follow", "follower": {"id": "42"}, "timestamp": "1700000000000"}
    )
    assert follow is not None and follow.user_id == "42" and follow.message_id is None
    text = read_event(
        {
            "event_name": "user_send_text",
            "sender": {"id": "7"},
            "message": {"msg_id": "m1", "text": "hỏi"},
        }
    )
    assert text is not None and (text.user_id, text.message_id, text.text) == ("7", "m1", "hỏi")
    assert text.from_citizen and not follow.from_citizen


@pytest.fixture
def fake() -> Iterator[FakeOa]:
    platform = FakeOa().start()
    yield platform
    platform.stop()


async def test_two_processes_refreshing_at_once_spend_the_refresh_token_once(
    application: Application, fake: FakeOa
) -> None:
    async with application.transaction() as repositories:
        await repositories.channels.ensure("zalo_oa", "zalo_oa", None)
    api = OaApi(fake.app_id, fake.app_secret, fake.url, fake.url)
    first = TokenKeeper("zalo_oa", api, application.transaction)
    second = TokenKeeper("zalo_oa", api, application.transaction)
    failed = TokenPair(*fake.first_pair)
    await first.seed(failed)
    await second.seed(TokenPair("configured-later", "also-later"))  # the stored pair wins
    fake.expire_access_tokens()
    async with aiohttp.ClientSession() as session:
        pairs = await asyncio.gather(
            first.refresh(session, failed), second.refresh(session, failed)
        )
        assert pairs[0] == pairs[1] != failed
        assert fake.refreshes == 1
        assert await first.current() == pairs[0]
        # The spent refresh token is refused by Zalo: refreshing it again would fail.
        with pytest.raises(OaError):
            await api.refresh(session, failed.refresh_token)


def test_a_refreshed_token_never_reaches_a_log_line() -> None:
    from bot.logs import also_redact

    also_redact("AT-learnt-while-running")
    assert "AT-learnt" not in Redacting([]).scrub("refresh gave AT-learnt-while-running")
    assert "***" in repr(TokenPair("secret-a", "secret-b"))
    assert "secret-a" not in repr(TokenPair("secret-a", "secret-b"))


async def test_traloidan_refuses_what_it_cannot_answer_and_changes_nothing(
    application: Application,
) -> None:
    async with application.transaction() as repositories:
        ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
        code = (await invite(repositories, ward, Role.COORDINATOR, None, 7)).code
    dispatcher = application.dispatcher(ward.id)
    coordinator = person(dispatcher, "coord", "Phạm Thu")
    await coordinator.send(f"/start {code}")
    citizen = person(dispatcher, "citizen", "Người dân")
    await citizen.send("con mèo nhà tôi bị lạc mất rồi")
    async with application.sessions() as session:
        before = len((await session.execute(select(OutboxMessage))).scalars().all())
    for typed, says in [
        ("/traloidan", "Không có câu hỏi số"),
        ("/traloidan abc nội dung", "Không có câu hỏi số «abc»"),
        ("/traloidan 99 nội dung", "Không có câu hỏi số «99»"),
        ("/traloidan 1", "Câu trả lời cần có chữ"),
        ("/traloidan 1 " + "x" * 5000, "quá giới hạn"),
    ]:
        assert says in "\n".join(await coordinator.send(typed)), typed
    # A citizen may not answer for the ward.
    assert "không có quyền" in "\n".join(await citizen.send("/traloidan 1 tự trả lời")).lower()
    async with application.sessions() as session:
        rows = (await session.execute(select(OutboxMessage))).scalars().all()
    kinds = [row.payload.get("kind") for row in rows[before:]]
    assert "handoff_answer" not in kinds
    # Answered properly, the citizen's chat gets it (no window kept on this channel).
    assert "Đã gửi câu trả lời" in "\n".join(
        await coordinator.send("/traloidan 1 Bạn báo tổ dân phố.")
    )
    async with application.sessions() as session:
        rows = (await session.execute(select(OutboxMessage))).scalars().all()
    answers = [row for row in rows if row.payload.get("kind") == "handoff_answer"]
    assert [(row.chat_id, row.payload["answer"]) for row in answers] == [
        ("citizen", "Bạn báo tổ dân phố.")
    ]


def test_every_oa_secret_is_scrubbed_from_logs_and_the_simple_case_makes_one_channel() -> None:
    from bot.config import Settings

    settings = Settings(
        zalo_oa_app_id="1234",
        zalo_oa_secret_key="oa-key-1",
        zalo_oa_app_secret="app-secret-1",
        zalo_oa_access_token="access-1",
        zalo_oa_refresh_token="refresh-1",
        zalo_oa_ward="Hồng Bàng",
    )
    assert {"oa-key-1", "app-secret-1", "access-1", "refresh-1"} <= set(settings.secrets())
    oa = settings.all_channels()[-1]
    assert (oa.name, oa.ward, oa.app_id) == ("zalo_oa", "Hồng Bàng", "1234")
    line = Redacting(settings.secrets()).scrub("refresh-1 access-1 oa-key-1 app-secret-1")
    assert set(line.split()) == {"***"}

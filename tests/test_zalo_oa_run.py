"""Citizens on the Zalo Official Account, end to end: `reportbot run` as a subprocess against
a fake OA platform (tests/fake_zalo_oa.py), every call signed and answered as Zalo does."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_zalo_oa import FakeOa
from run_process import RunningBot, wait_until

WARD = "Phường Hồng Bàng"
CITIZEN, COORDINATOR = "citizen-1", "coordinator-1"


def _cli(tmp_path: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env={**os.environ, "REPORTBOT_CONFIG": str(tmp_path / "absent.toml"), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def fake() -> Iterator[FakeOa]:
    platform = FakeOa().start()
    yield platform
    platform.stop()


@pytest.fixture
def environment(tmp_path: Path, fake: FakeOa) -> dict[str, str]:
    env = {"REPORTBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}", **fake.environment(WARD)}
    _cli(tmp_path, env, "ward", "add", WARD)
    return env


def _invite(tmp_path: Path, env: dict[str, str]) -> str:
    return _cli(tmp_path, env, "invite", "--ward", WARD, "--role", "coordinator").split()[0]


def _reply_texts(fake: FakeOa, user: str) -> list[str]:
    return [reply.text for reply in fake.replies_to(user)]


def _wait_for_reply(fake: FakeOa, user: str, containing: str, seconds: float = 20) -> str:
    def found() -> str | None:
        return next((text for text in _reply_texts(fake, user) if containing in text), None)

    wait_until(
        found, seconds, f"no reply to {user} with {containing!r}: {_reply_texts(fake, user)}"
    )
    text = found()
    assert text is not None
    return text


def _rows(tmp_path: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(tmp_path / "r.db") as connection:
        return connection.execute(query).fetchall()


@pytest.mark.subprocess
def test_a_wrongly_signed_call_gets_401_and_nothing_is_processed(
    tmp_path: Path, fake: FakeOa, environment: dict[str, str]
) -> None:
    bot = RunningBot(tmp_path, environment)
    try:
        assert (
            fake.event(bot.url, CITIZEN, text="quên mật khẩu VNeID", signature="mac=" + "0" * 64)
            == 401
        )
        assert fake.event(bot.url, CITIZEN, text="quên mật khẩu VNeID", signature="") == 401
        assert fake.event(bot.url, CITIZEN, text="quên mật khẩu VNeID", signature="mac=abc") == 401
        time.sleep(1.5)
        assert fake.replies == []
        assert _rows(tmp_path, "SELECT count(*) FROM processed_update") == [(0,)]
        assert _rows(tmp_path, "SELECT count(*) FROM citizen_question") == [(0,)]
        assert "VNeID" not in bot.log()  # refused calls are logged without their body
        # The same question, signed, is answered as a reply to the citizen's message.
        assert fake.event(bot.url, CITIZEN, text="quên mật khẩu VNeID") == 200
        answer = _wait_for_reply(fake, CITIZEN, "VNeID")
        assert "Nguồn:" in answer
        assert fake.replies_to(CITIZEN)[0].message_id == fake.citizens[CITIZEN].last_msg_id
    finally:
        bot.stop()


@pytest.mark.subprocess
def test_a_follower_is_welcomed_and_told_what_the_bot_answers(
    tmp_path: Path, fake: FakeOa, environment: dict[str, str]
) -> None:
    bot = RunningBot(tmp_path, environment)
    try:
        assert fake.event(bot.url, CITIZEN, "follow") == 200
        _wait_for_reply(fake, CITIZEN, "Chào bạn")
        # A sticker is not read: the citizen is told what the bot understands.
        assert fake.event(bot.url, CITIZEN, "user_send_sticker") == 200
        wait_until(lambda: len(fake.replies_to(CITIZEN)) >= 3, 20)
        # The same event delivered twice is processed once.
        answered = len(fake.replies_to(CITIZEN))
        assert fake.repeat(bot.url) == 200
        time.sleep(1.0)
        assert len(fake.replies_to(CITIZEN)) == answered
        # The OA's own messages come back as events too: never answered.
        before = len(fake.replies)
        assert fake.event(bot.url, CITIZEN, "oa_send_text", text="xin chào") == 200
        time.sleep(1.0)
        assert len(fake.replies) == before
    finally:
        bot.stop()


@pytest.mark.subprocess
def test_an_expired_token_is_refreshed_once_and_a_restart_keeps_the_stored_pair(
    tmp_path: Path, fake: FakeOa, environment: dict[str, str]
) -> None:
    bot = RunningBot(tmp_path, environment)
    try:
        fake.event(bot.url, CITIZEN, text="quên mật khẩu VNeID")
        _wait_for_reply(fake, CITIZEN, "VNeID")
        fake.expire_access_tokens()
        fake.event(bot.url, CITIZEN, text="đăng ký thường trú online")
        wait_until(lambda: len(fake.replies_to(CITIZEN)) >= 2, 20, bot.log())
        assert fake.refreshes == 1
        assert (CITIZEN, -216) in fake.refused
    finally:
        bot.stop()
    spent_access, spent_refresh = fake.first_pair
    log = bot.log()
    assert spent_access not in log and spent_refresh not in log
    # Started again with the same environment, whose pair is spent: the stored pair is used.
    bot = RunningBot(tmp_path, environment, name="bot2")
    try:
        fake.event(bot.url, CITIZEN, text="quên mật khẩu VNeID")
        wait_until(lambda: len(fake.replies_to(CITIZEN)) >= 3, 20, bot.log())
        assert fake.refreshes == 1
        stored = _rows(tmp_path, "SELECT access_token, refresh_token FROM oa_token_pair")
        assert stored != [fake.first_pair] and stored[0][0] in fake.access_tokens
        for secret in (*stored[0], fake.secret_key, fake.app_secret):
            assert secret not in bot.log()
    finally:
        bot.stop()


@pytest.mark.subprocess
def test_a_handoff_is_answered_by_staff_and_a_closed_window_is_handed_to_staff_not_retried(
    tmp_path: Path, fake: FakeOa, environment: dict[str, str]
) -> None:
    code = _invite(tmp_path, environment)
    bot = RunningBot(tmp_path, environment)
    try:
        # A coordinator of the ward registers on the same Official Account.
        fake.event(bot.url, COORDINATOR, text=f"/start {code}")
        _wait_for_reply(fake, COORDINATOR, "Đăng ký thành công")
        # The guides have nothing on this: the citizen is told a person will look, the
        # coordinator is told at once, with the masked question and the window.
        fake.event(bot.url, CITIZEN, text="Con mèo nhà tôi bị lạc, số tôi 0912345678")
        _wait_for_reply(fake, CITIZEN, "chuyển tới cán bộ phường")
        notice = _wait_for_reply(fake, COORDINATOR, "/traloidan 1")
        assert "zalo_oa" in notice and "Trả lời được đến" in notice
        assert "0912345678" not in notice and "mèo" in notice
        fake.event(bot.url, COORDINATOR, text="/traloidan 1 Bạn báo tổ dân phố giúp nhé.")
        _wait_for_reply(fake, COORDINATOR, "Đã gửi câu trả lời")
        _wait_for_reply(fake, CITIZEN, "Bạn báo tổ dân phố giúp nhé.")

        # Two days later Zalo no longer lets the ward answer: the reply is refused once,
        # the coordinator is told, and it is never tried again.
        fake.age(CITIZEN, 49 * 3600)
        fake.event(bot.url, COORDINATOR, text="/traloidan 1 Bổ sung: mang theo ảnh con mèo.")
        _wait_for_reply(fake, COORDINATOR, "Không gửi được tin trả lời")
        time.sleep(3)
        assert fake.refused.count((CITIZEN, -230)) == 1
        assert not any("Bổ sung" in text for text in _reply_texts(fake, CITIZEN))
        # Asked again, the command says the window is closed and sends nothing.
        fake.event(bot.url, COORDINATOR, text="/traloidan 1 Lần nữa.")
        _wait_for_reply(fake, COORDINATOR, "thời hạn trả lời người dân")
        assert fake.refused.count((CITIZEN, -230)) == 1
    finally:
        bot.stop()

"""The CLI's view of the message economy: which Zalo bot an invitation names, and each
channel's month and users (`reportbot channel status`)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app import open_application
from bot.channels import Platform
from bot.cli import app
from bot.config import Settings
from storage.clock import SystemClock
from storage.vocabulary import Role

runner = CliRunner()
CONFIG = """
[[channels]]
name = "zalo-1"
platform = "zalo_bot"
token = "1:one"
handle = "Trợ lý Hồng Bàng 1"
user_cap = 1

[[channels]]
name = "zalo-2"
platform = "zalo_bot"
token = "2:two"
handle = "Trợ lý Hồng Bàng 2"
user_cap = 1
"""


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    config = tmp_path / "reportbot.toml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("REPORTBOT_DATABASE_URL", url)
    monkeypatch.setenv("REPORTBOT_CONFIG", str(config))
    return url


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _registers_on(url: str, channel: str, user: str) -> None:
    async def work() -> None:
        settings = Settings(database_url=url)
        async with (
            open_application(settings, SystemClock()) as application,
            application.transaction() as repositories,
        ):
            await repositories.channels.ensure(channel, Platform.ZALO_BOT)
            ward = await repositories.wards.get("Hồng Bàng")
            members = repositories.for_ward(ward.id).members
            member = await members.add(user)
            members.grant(member, Role.COORDINATOR, None)
            members.link_identity(member, "zalo_bot", user, channel)

    asyncio.run(work())


def test_an_invitation_names_the_first_zalo_bot_with_room(database: str) -> None:
    assert invoke("ward", "add", "Phường Hồng Bàng", "--report-day", "16")[0] == 0
    code, out, err = invoke("invite", "--ward", "Hồng Bàng", "--role", "coordinator")
    assert code == 0 and "«Trợ lý Hồng Bàng 1»" in err and f"/start {out.strip()}" in err
    _registers_on(database, "zalo-1", "thu")
    assert "«Trợ lý Hồng Bàng 2»" in invoke("invite", "--ward", "Hồng Bàng", "--role", "leader")[2]
    _registers_on(database, "zalo-2", "lan")
    code, _out, err = invoke("invite", "--ward", "Hồng Bàng", "--role", "leader")
    assert code == 0 and "Trợ lý Hồng Bàng" not in err and "đã đủ số người dùng" in err

    code, out, _err = invoke("channel", "status", "--json")
    channels = json.loads(out)["channels"]
    assert code == 0 and set(channels) == {"zalo-1", "zalo-2"}
    assert channels["zalo-1"] == {
        "platform": "zalo_bot",
        "sent_this_month": 0,
        "quota_left": 3000,
        "quota_state": "ok",
        "users": 1,
        "user_cap": 1,
    }
    code, out, _err = invoke("channel", "status")
    assert code == 0
    assert "Kênh zalo-1: đã gửi 0 tin trong tháng" in out and "1/1 người dùng" in out
    assert "còn trong hạn mức" in out

"""`reportbot run` as an operator starts it."""

from __future__ import annotations

import json
import signal
import urllib.request
from pathlib import Path

import pytest
from run_process import RunningBot


@pytest.mark.subprocess
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_with_no_messenger_it_serves_healthz_says_what_adds_one_and_stops_in_time(
    tmp_path: Path, sig: int
) -> None:
    bot = RunningBot(tmp_path, {"REPORTBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"})
    try:
        with urllib.request.urlopen(f"{bot.url}/healthz", timeout=10) as response:
            assert response.status == 200
            health = json.load(response)
        assert health["status"] == "ok" and health["channels"] == {}
        log = bot.log()
        for setting in ("REPORTBOT_TELEGRAM_TOKEN", "REPORTBOT_ZALO_BOT_TOKEN", "[[channels]]"):
            assert setting in log
    finally:
        took = bot.stop(sig)
    assert bot.process.returncode == 0, bot.log()
    assert took < 5.0
    assert "stopped" in bot.log()


@pytest.mark.subprocess
def test_a_file_link_is_refused_by_the_running_server_when_not_signed(tmp_path: Path) -> None:
    bot = RunningBot(tmp_path, {"REPORTBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"})
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{bot.url}/f/bm90LmEubGluaw.AAAAAAAAAAAAAAAAAAAAAA", timeout=10)
        assert refused.value.code == 403
    finally:
        bot.stop()

"""A process killed with SIGKILL in the middle of a fan-out of nudges to 60 units, then
restarted: each unit gets its nudge once, except the messages that were in flight (the fake
messenger's log shows which): the delivery loop sends to 8 chats at once, so at most the last
8 the messenger received before the kill may come twice, and none more than twice."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("fanout_process.py")
# Chats the delivery loop serves side by side (bot/delivery.py's default).
CHATS_AT_ONCE = 8


def _run(database: str, log: Path, *kill_at: str) -> int:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), database, str(log), *kill_at],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode


@pytest.mark.subprocess
def test_a_kill_mid_fan_out_repeats_at_most_the_message_in_flight(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'fanout.db'}"
    log = tmp_path / "messenger.log"
    assert _run(database, log, "30") == -9
    first = log.read_text().split()
    assert len(first) == 30
    assert _run(database, log) == 0
    received = log.read_text().split()
    counts = Counter(received)
    assert set(counts) == {f"head-{n:02d}" for n in range(60)}
    repeated = {chat for chat, count in counts.items() if count > 1}
    assert repeated <= set(first[-CHATS_AT_ONCE:])
    assert counts.most_common(1)[0][1] <= 2
    assert len(received) <= 60 + CHATS_AT_ONCE

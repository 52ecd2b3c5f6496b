"""`reportbot run` killed with SIGKILL at random moments while people keep writing: before a
turn commits (the update is delivered again), between the commit and the send, during a send,
after it. No message goes unanswered, and a reply is repeated only when it was in flight."""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fake_telegram import TOKEN, FakeTelegram, User
from run_process import RunningBot, free_port

from bot.app import open_application
from bot.config import Settings
from bot.ward_setup import ensure_example_ward

PEOPLE = [User(2000 + n, f"Người dân {n}") for n in range(5)]
KILLS = int(os.environ.get("REPORTBOT_KILLS", "4"))
SEED = int(os.environ.get("REPORTBOT_KILL_SEED", "57"))


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kill.db'}"
    return str(request.getfixturevalue("postgres_database"))


def _started(tmp_path: Path, env: dict[str, str], name: str = "bot") -> RunningBot:
    """Given longer to start: the machine is shared."""
    return RunningBot(tmp_path, env, name, start_within=180)


async def _seed(database_url: str) -> None:
    async with (
        open_application(Settings(database_url=database_url)) as application,
        application.transaction() as repositories,
    ):
        await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")


def _answer(command: str) -> str:
    return f"Không có lệnh /{command}."


@pytest.mark.subprocess
async def test_killed_at_random_points_no_reply_is_lost_and_only_one_in_flight_repeats(
    tmp_path: Path, fake: FakeTelegram, database: str
) -> None:
    await _seed(database)
    port = free_port()
    # By webhook: Telegram sends an update again until it is answered with 200, which comes
    # only after the turn has committed. The new process listens where the old one did.
    env = {
        "REPORTBOT_DATABASE_URL": database,
        "REPORTBOT_TELEGRAM_TOKEN": TOKEN,
        "REPORTBOT_TELEGRAM_API_BASE": fake.base_url,
        "REPORTBOT_HTTP_PORT": str(port),
        "REPORTBOT_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "REPORTBOT_TELEGRAM_PRIVATE_CHAT_PER_SECOND": "50",
        "REPORTBOT_OUTBOX_CLAIM_SECONDS": "3",
    }
    rng = random.Random(SEED)
    sent: dict[int, list[str]] = {person.id: [] for person in PEOPLE}
    bot: RunningBot = await asyncio.to_thread(_started, tmp_path, env, "run0")
    try:
        for kill in range(KILLS):
            for n, person in enumerate(PEOPLE):
                command = f"lenh{kill}x{n}"
                fake.send(person, f"/{command}")
                sent[person.id].append(command)
                await asyncio.sleep(rng.uniform(0, 0.15))
            # Anywhere from before the first turn commits to after the last reply is sent.
            await asyncio.sleep(rng.uniform(0, 1.5))
            bot.kill()
            bot = await asyncio.to_thread(_started, tmp_path, env, f"run{kill + 1}")

        def answered() -> bool:
            return all(
                all(any(_answer(c) in t for t in _texts(fake, p.id)) for c in sent[p.id])
                for p in PEOPLE
            )

        await fake.wait_for(answered, timeout=120)
        await asyncio.sleep(2)  # anything still to be repeated
    finally:
        await asyncio.to_thread(bot.stop)
    for person in PEOPLE:
        texts = _texts(fake, person.id)
        answers = Counter(
            command for command in sent[person.id] for text in texts if _answer(command) in text
        )
        assert set(answers) == set(sent[person.id]), texts
        # Each kill may have caught one row of this chat in flight: that row alone repeats.
        assert sum(n - 1 for n in answers.values()) <= KILLS, answers
        replies_per_turn = len(_texts_of_one_turn(fake))
        assert len(texts) <= replies_per_turn * len(sent[person.id]) + KILLS, texts


def _texts(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [str(message.get("text", "")) for message in fake.messages_to(chat_id)]


def _texts_of_one_turn(fake: FakeTelegram) -> list[str]:
    """What one unknown command is answered with, from the first person's first turn."""
    texts = _texts(fake, PEOPLE[0].id)
    first = next(n for n, text in enumerate(texts) if _answer("lenh0x0") in text)
    following = next(
        (n for n, text in enumerate(texts) if n > first and "Không có lệnh" in text), len(texts)
    )
    return texts[first:following]

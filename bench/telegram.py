"""Simulated unit heads completing a 30-task check-in through the fake Telegram Bot API, against
`reportbot run` as a subprocess; and a bare aiogram echo bot through the same fake as the
baseline, in the same run.

Three kinds of process: this one (it prepares the database and measures), the fake Bot API
with the people at Telegram's end (`python bench/telegram.py fake …`, a process of its own, so
its CPU is not the bot's), and the bot (`reportbot run`, or the echo bot, `python
bench/telegram.py echo …`). Every person sends the next message the moment the bot's answer
arrives (a closed loop), so updates/s is the most the bot serves; a check-in turn is answered
when the bot's next question (a message with buttons) or the submission's confirmation arrives,
an echo when the echo arrives. Both bots long-poll. Telegram's own sending limits (30 messages
a second per bot, one a second per private chat) are lifted for `reportbot run`: they would
measure Telegram, not the bot.

`reportbot run` runs twice, each on a fresh database: as one process, and with its sending
process (`REPORTBOT_SENDING_PROCESS=true`: Telegram's messages sent from a child on the
second core). The echo bot runs before and after them; its baseline is the mean of the two,
since the machine's pace drifts over the minutes a run takes.

Prints JSON: for each bot its updates/s and CPU ms per update (its process and its children,
user and system time), the fake's share of a core, and reportbot's updates/s as a fraction of
the echo bot's. Target (issue 12): ≥ 0.5 of the echo baseline.

    python bench/telegram.py --users 200
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkin import TASKS, answered_last_month, appendix, checkin_script
from fake_telegram import TOKEN, FakeTelegram, User
from processes import cpu_seconds, read_line

SUBMITTED = "Đã gửi báo cáo"
# A turn not answered in this long stops the run: the bot is stuck, not slow.
TURN_TIMEOUT = 120.0
# The bot has finished starting (its menu, its first poll) when it has been this long without
# calling anything but getUpdates.
QUIET_SECONDS = 1.0
FIRST_USER_ID = 10_000


# The fake's process: the Bot API and the people.


class _Fake(FakeTelegram):
    """The fake, telling the person waiting in a chat when the bot's answer arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: dict[int, tuple[str, asyncio.Future[dict[str, Any]]]] = {}

    def _keep(self, chat_id: int, content: dict[str, Any]) -> dict[str, Any]:
        message = super()._keep(chat_id, content)
        waiting = self.waiting.get(chat_id)
        if waiting is not None and _answers(waiting[0], message):
            del self.waiting[chat_id]
            if not waiting[1].done():
                waiting[1].set_result(message)
        return message


def _answers(kind: str, message: dict[str, Any]) -> bool:
    if kind == "echo":
        return True
    return "reply_markup" in message or SUBMITTED in (message.get("text") or "")


async def _person(fake: _Fake, user: User, kind: str, script: list[str]) -> None:
    loop = asyncio.get_running_loop()
    for text in script:
        answered: asyncio.Future[dict[str, Any]] = loop.create_future()
        fake.waiting[user.id] = (kind, answered)
        fake.send(user, text)
        try:
            await asyncio.wait_for(answered, TURN_TIMEOUT)
        except TimeoutError:
            shown = [m.get("text", "")[:120] for m in fake.messages_to(user.id)[-3:]]
            raise RuntimeError(f"{user.id}: no answer to {text!r}; last: {shown}") from None
    if kind == "checkin":
        last = fake.messages_to(user.id)[-1].get("text") or ""
        if SUBMITTED not in last:
            raise RuntimeError(f"{user.id} did not submit: {last[:200]}")


async def _until_started(fake: _Fake) -> None:
    """Wait for the bot's first poll, then for it to finish what it does at start."""
    while not fake.calls_of("getUpdates"):
        await asyncio.sleep(0.1)
    while True:
        count = len([c for c in fake.calls if c.method != "getUpdates"])
        await asyncio.sleep(QUIET_SECONDS)
        if len([c for c in fake.calls if c.method != "getUpdates"]) == count:
            return


async def fake_process(kind: str, users: int) -> None:
    """Serve the Bot API; once the bot polls, play `users` people; print what it took."""
    fake = _Fake()
    people = [User(FIRST_USER_ID + n, f"Người thử {n + 1}") for n in range(users)]
    for person in people:
        # Registered people have opened the bot's chat: what the bot sends at start reaches them.
        fake.join(person)
    await fake.start()
    _say({"base_url": fake.base_url})
    await _until_started(fake)
    script = checkin_script()
    _say({"started": True})
    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(_person(fake, person, kind, script) for person in people))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    _say({"updates": users * len(script), "seconds": seconds, "fake_cpu_seconds": cpu})
    # Serving until told to stop: the bot's last poll must not meet a closed port.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await fake.close()


def _say(line: dict[str, Any]) -> None:
    print(json.dumps(line), flush=True)


# The echo bot's process: aiogram and nothing else.


async def echo_process(api_base: str) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message

    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "…")

    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base))
    await dispatcher.start_polling(Bot(TOKEN, session=session), polling_timeout=5)


# This process: the database, the processes, the figures.


async def _database(url: str, users: int, folder: Path) -> None:
    """A ward with a unit and a registered head (on Telegram) for each person, the 30-task
    plan, last month answered and closed, this month open."""
    from bot.app import open_application
    from bot.channels import Platform
    from bot.config import Settings
    from bot.plan_import.importer import import_appendix
    from handlers.checkin.actions import open_period
    from storage.clock import SystemClock
    from storage.vocabulary import Role

    async with open_application(Settings(database_url=url), SystemClock()) as application:
        async with application.transaction() as repositories:
            ward = await repositories.wards.add(
                "Phường Đo Tải", timezone="Asia/Ho_Chi_Minh", report_day=28, locale="vi"
            )
            # The channel `reportbot run` registers as it starts, named as it names it.
            await repositories.channels.ensure("telegram", Platform.TELEGRAM, None)
            in_ward = repositories.for_ward(ward.id)
            for index in range(users):
                unit = await in_ward.units.add(f"Đơn vị thử {index + 1}")
                member = await in_ward.members.add(f"Thủ trưởng {index + 1}")
                in_ward.members.grant(member, Role.UNIT_HEAD, unit.id)
                in_ward.members.link_identity(
                    member, "telegram", str(FIRST_USER_ID + index), "telegram"
                )
            await import_appendix(repositories, ward, appendix(folder), number="1/KH")
        await answered_last_month(application, ward)
        async with application.transaction() as repositories:
            await open_period(repositories, ward, time.strftime("%Y-%m"), actor="bench")


def _measure(kind: str, users: int, bot_command: list[str], env: dict[str, str]) -> dict[str, Any]:
    """One bot against a fresh fake: updates/s, the bot's CPU per update, the fake's share."""
    fake = subprocess.Popen(
        [sys.executable, __file__, "fake", "--kind", kind, "--users", str(users)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    bot: subprocess.Popen[str] | None = None
    log_path = Path(env["BENCH_FOLDER"]) / f"{kind}.log"
    try:
        base_url = read_line(fake)["base_url"]
        with log_path.open("w") as log:
            bot = subprocess.Popen(
                bot_command + ([base_url] if kind == "echo" else []),
                env={**os.environ, **env, "REPORTBOT_TELEGRAM_API_BASE": base_url},
                cwd=env["BENCH_FOLDER"],
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
        read_line(fake)  # started
        cpu = cpu_seconds(bot.pid)
        done = read_line(fake)
        cpu = cpu_seconds(bot.pid) - cpu
    except Exception:
        print(log_path.read_text()[-3000:] if log_path.exists() else "", file=sys.stderr)
        raise
    finally:
        if bot is not None:
            bot.terminate()
            bot.wait(30)
        fake.communicate(timeout=30)
    updates, seconds = done["updates"], done["seconds"]
    return {
        "updates": updates,
        "updates_per_second": round(updates / seconds, 1),
        "cpu_ms_per_update": round(cpu / updates * 1000, 3),
        "bot_cores_used": round(cpu / seconds, 2),
        "fake_cores_used": round(done["fake_cpu_seconds"] / seconds, 2),
        "seconds": round(seconds, 2),
    }


def _reportbot(users: int, folder: Path, common: dict[str, str], apart: bool) -> dict[str, Any]:
    """`reportbot run` on a database of its own, with or without its sending process."""
    url = f"sqlite:///{folder / ('apart' if apart else 'one')}.db"
    asyncio.run(_database(url, users, folder))
    return _measure(
        "checkin",
        users,
        [sys.executable, "-m", "bot", "run"],
        {
            **common,
            "REPORTBOT_CONFIG": str(folder / "absent.toml"),
            "REPORTBOT_DATABASE_URL": url,
            "REPORTBOT_HTTP_PORT": "0",
            "REPORTBOT_TELEGRAM_TOKEN": TOKEN,
            "REPORTBOT_TELEGRAM_POLL_TIMEOUT": "5",
            "REPORTBOT_TELEGRAM_MESSAGES_PER_SECOND": "100000",
            "REPORTBOT_TELEGRAM_PRIVATE_CHAT_PER_SECOND": "100000",
            "REPORTBOT_SENDING_PROCESS": "true" if apart else "false",
        },
    )


def main(users: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        common = {"BENCH_FOLDER": name, "PYTHONUNBUFFERED": "1"}
        echo_command = [sys.executable, __file__, "echo"]
        # The echo bot before and after: the machine's pace drifts over the minutes a run
        # takes, and the baseline is their mean.
        echo_before = _measure("echo", users, echo_command, common)
        one_process = _reportbot(users, folder, common, apart=False)
        sending_process = _reportbot(users, folder, common, apart=True)
        echo_after = _measure("echo", users, echo_command, common)
    echo = {
        "updates_per_second": round(
            (echo_before["updates_per_second"] + echo_after["updates_per_second"]) / 2, 1
        ),
        "before": echo_before,
        "after": echo_after,
    }
    print(
        json.dumps(
            {
                "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                "python": platform.python_version(),
                "users": users,
                "tasks_per_user": TASKS,
                "database": "sqlite",
                "reportbot": one_process,
                "reportbot_with_sending_process": sending_process,
                "echo_baseline": echo,
                "reportbot_vs_echo": _ratio(one_process, echo),
                "reportbot_with_sending_process_vs_echo": _ratio(sending_process, echo),
            },
            indent=2,
        )
    )


def _ratio(run: dict[str, Any], baseline: dict[str, Any]) -> float:
    return round(run["updates_per_second"] / baseline["updates_per_second"], 3)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("role", nargs="?", choices=["bench", "fake", "echo"], default="bench")
    parser.add_argument("api_base", nargs="?", help="echo: the fake Bot API's address")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--kind", choices=["checkin", "echo"], default="checkin")
    arguments = parser.parse_args()
    if arguments.role == "fake":
        asyncio.run(fake_process(arguments.kind, arguments.users))
    elif arguments.role == "echo":
        asyncio.run(echo_process(arguments.api_base))
    else:
        main(arguments.users)

"""A fan-out of nudges to the unit heads of many wards, through ten Telegram bots, against
`reportbot run` as a subprocess and a fake Telegram Bot API that keeps Telegram's limits.

Three kinds of process: this one (it queues the nudges and measures), the fake Bot API (`python
bench/fanout.py fake …`, a process of its own), and `reportbot run` with one `[[channels]]`
table per bot. The nudges are outbox rows with the scheduler's payload, written straight into
the database: queued through the scheduler they would need a linked head per chat, and each
bot would first set those 20,000 heads' menus at start (bot/telegram/menus.py), which measures
the menus, not the fan-out. Each ward is served by one bot; each head has two nudges queued
(written one after the other, so the second waits for the chat's one-a-second turn).

The fake answers a message over a limit with 429 and `retry_after`, and does not count it:
30 messages a second per bot (a burst of 30 allowed, as aiolimiter's bucket allows), one a
second per private chat, 20 a minute per group; a message may come `--jitter` seconds (0.1)
early, the network's unevenness. The ceiling is the quickest the limits allow the queued
messages: for each bot its messages after the first burst at 30 a second, or its busiest
chat's at one a second, whichever is longer.

Prints JSON: achieved rate ÷ the ceiling, 429s in the first second and after it, the total
time, the bot's and the fake's CPU. Target (issue 14): ≥ 0.95 of the ceiling, no 429 after the
first second.

    python bench/fanout.py --nudges 40000
    python bench/fanout.py --nudges 3000
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
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from processes import cpu_seconds, read_line

BOT_IDS = 700_000
FIRST_CHAT = 1_000_000_000
PER_SECOND = 30.0
PRIVATE_PER_SECOND = 1.0
GROUP_PER_MINUTE = 20.0
# The process has been stopped this long after the fan-out was done: a stuck stop is a failure.
STOP_SECONDS = 30


def token(bot: int) -> str:
    return f"{BOT_IDS + bot}:fanout-bench-{bot}"


# The fake's process.


@dataclass
class Pace:
    """Generic cell rate: `per_second`, a burst of `burst`, `early` seconds of leeway."""

    per_second: float
    burst: float
    early: float
    due: float = 0.0  # when the next message is due at the steady rate

    def until(self, now: float) -> float:
        """Seconds until a message may come (0: now)."""
        interval = 1 / self.per_second
        return max(0.0, self.due - (self.burst - 1) * interval - self.early - now)

    def count(self, now: float) -> None:
        self.due = max(self.due, now) + 1 / self.per_second


class FakeBots:
    def __init__(self, bots: int, expected: int, jitter: float) -> None:
        self._tokens = {token(n): n for n in range(bots)}
        self._expected = expected
        self._jitter = jitter
        self._bots = [Pace(PER_SECOND, PER_SECOND, jitter) for _ in range(bots)]
        self._chats: dict[tuple[int, int], Pace] = {}
        self.accepted = Counter[int]()
        self.first: float | None = None
        self.last = 0.0
        self.refused_at: list[float] = []
        self.refused_for = Counter[str]()
        # Messages the fake took in each second of the fan-out, all bots together.
        self.per_second = Counter[int]()
        self.done = asyncio.Event()

    async def api(self, request: web.Request) -> web.Response:
        bot = self._tokens.get(request.match_info["token"])
        if bot is None:
            return _answer({"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = request.match_info["method"].lower()
        params = dict(await request.post())
        if method == "sendmessage":
            return _answer(self._send(bot, params))
        if method == "getupdates":
            await asyncio.sleep(min(float(str(params.get("timeout", 0)) or 0), 5))
            return _answer({"ok": True, "result": []})
        if method == "getme":
            me = {"id": BOT_IDS + bot, "is_bot": True, "first_name": f"Bot {bot}"}
            return _answer({"ok": True, "result": {**me, "username": f"fanout_{bot}_bot"}})
        if method == "getwebhookinfo":
            info = {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
            return _answer({"ok": True, "result": info})
        return _answer({"ok": True, "result": True})

    def _send(self, bot: int, params: dict[str, Any]) -> dict[str, Any]:
        now = time.monotonic()
        chat_id = int(params["chat_id"])
        chat = self._chats.get((bot, chat_id))
        if chat is None:
            group = chat_id < 0
            per_second = GROUP_PER_MINUTE / 60 if group else PRIVATE_PER_SECOND
            chat = Pace(per_second, GROUP_PER_MINUTE if group else 1, self._jitter)
            self._chats[(bot, chat_id)] = chat
        # Both limits are asked before either counts the message.
        by_bot, by_chat = self._bots[bot].until(now), chat.until(now)
        wait = max(by_bot, by_chat)
        if wait > 0:
            self.refused_at.append(now)
            self.refused_for["bot" if by_bot > 0 else "chat"] += 1
            retry_after = max(1, round(wait + 0.5))
            return {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            }
        self._bots[bot].count(now)
        chat.count(now)
        if self.first is None:
            self.first = now
        self.last = now
        self.accepted[bot] += 1
        self.per_second[int(now - self.first)] += 1
        if sum(self.accepted.values()) >= self._expected:
            self.done.set()
        kind = "group" if chat_id < 0 else "private"
        message = {
            "message_id": self.accepted[bot],
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": kind, "first_name": "Thủ trưởng"},
            "text": str(params.get("text", "")),
        }
        return {"ok": True, "result": message}

    def figures(self) -> dict[str, Any]:
        first = self.first or 0.0
        return {
            "accepted": sum(self.accepted.values()),
            "accepted_by_bot": [self.accepted[n] for n in range(len(self._bots))],
            "seconds": self.last - first,
            "refused_in_first_second": sum(1 for t in self.refused_at if t - first <= 1),
            "refused_after_first_second": sum(1 for t in self.refused_at if t - first > 1),
            "refused_by_second": Counter(int(t - first) for t in self.refused_at),
            "refused_for": self.refused_for,
            "accepted_by_second": [self.per_second[n] for n in range(max(self.per_second) + 1)],
        }


def _answer(body: dict[str, Any]) -> web.Response:
    return web.json_response(body, status=200 if body["ok"] else body["error_code"])


async def fake_process(bots: int, expected: int, jitter: float) -> None:
    fake = FakeBots(bots, expected, jitter)
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", fake.api)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    _say({"base_url": f"http://127.0.0.1:{runner.addresses[0][1]}"})
    cpu = time.process_time()
    await fake.done.wait()
    _say({**fake.figures(), "fake_cpu_seconds": time.process_time() - cpu})
    # Serving until told to stop: the bot's last poll must not meet a closed port.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


def _say(line: dict[str, Any]) -> None:
    print(json.dumps(line), flush=True)


# This process: the database, the processes, the figures.


@dataclass(frozen=True)
class Fanout:
    """Who gets what: chat ids by bot, two nudges each."""

    chats_by_bot: dict[int, list[int]]
    per_chat: int

    def ceiling_seconds(self) -> float:
        """The quickest the fake's limits let every queued message through."""
        longest = 0.0
        for chats in self.chats_by_bot.values():
            messages = len(chats) * self.per_chat
            by_bot = max(0.0, messages - PER_SECOND) / PER_SECOND
            by_chat = (self.per_chat - 1) / PRIVATE_PER_SECOND
            longest = max(longest, by_bot, by_chat)
        return longest


async def _database(url: str, nudges: int, bots: int, wards: int) -> Fanout:
    """The wards, a channel per bot, and the nudges as outbox rows, in the scheduler's words."""
    from sqlalchemy import Table, insert

    from bot.app import open_application
    from bot.channels import Platform
    from bot.config import Settings
    from storage.clock import SystemClock
    from storage.models import OutboxMessage
    from storage.vocabulary import OutboxKind, OutboxState

    per_chat = 2
    clock = SystemClock()
    now = clock.now()
    rows: list[dict[str, Any]] = []
    chats_by_bot: dict[int, list[int]] = {bot: [] for bot in range(bots)}
    async with open_application(Settings(database_url=url), clock) as application:
        async with application.transaction() as repositories:
            ward_ids = [
                (
                    await repositories.wards.add(
                        f"Phường Đo Tải {number + 1}",
                        timezone="Asia/Ho_Chi_Minh",
                        report_day=16,
                        locale="vi",
                    )
                ).id
                for number in range(wards)
            ]
            for bot in range(bots):
                await repositories.channels.ensure(f"tg{bot}", Platform.TELEGRAM, None)
        for head in range(nudges // per_chat):
            in_ward = head % wards
            bot = in_ward % bots
            chat_id = FIRST_CHAT + head
            chats_by_bot[bot].append(chat_id)
            for step, days in enumerate((5, 2)[:per_chat]):
                payload = {
                    "kind": "nudge",
                    "period": "2026-11",
                    "unit": f"Đơn vị {head // wards + 1}",
                    "due_at": datetime(2026, 11, 15, 17, tzinfo=UTC).isoformat(),
                    "timezone": "Asia/Ho_Chi_Minh",
                    "tasks": 30,
                    "left": 30 - 5 * step,
                }
                rows.append(
                    {
                        "ward_id": ward_ids[in_ward],
                        "channel": f"tg{bot}",
                        "chat_id": str(chat_id),
                        "kind": OutboxKind.NOTIFICATION,
                        "locale": None,
                        "payload": payload,
                        "dedup_key": f"bench:nudge:{head}:{days}",
                        "state": OutboxState.PENDING,
                        "attempts": 0,
                        "created_at": now,
                    }
                )
        table = OutboxMessage.__table__
        assert isinstance(table, Table)
        for start in range(0, len(rows), 5000):
            async with application.transaction() as repositories:
                await repositories.session.execute(insert(table), rows[start : start + 5000])
    return Fanout(chats_by_bot, per_chat)


async def _all_sent(url: str) -> dict[str, int]:
    from bot.app import open_application
    from bot.config import Settings
    from storage.clock import SystemClock

    async with (
        open_application(Settings(database_url=url), SystemClock()) as application,
        application.transaction() as repositories,
    ):
        backlog = await repositories.outbox.backlog()
    left = Counter[str]()
    for states in backlog.values():
        left.update(states)
    return dict(left)


_PROFILED = """
import cProfile, os, runpy, sys
os._exit = sys.exit
sys.argv = ["reportbot", "run"]
cProfile.run("runpy.run_module('bot', run_name='__main__')", {path!r})
"""


def main(
    nudges: int,
    bots: int,
    wards: int,
    jitter: float,
    database: str | None,
    keep_log: bool,
    profile: str | None,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = database or f"sqlite:///{Path(folder) / 'fanout.db'}"
        fanout = asyncio.run(_database(url, nudges, bots, wards))
        expected = sum(len(chats) for chats in fanout.chats_by_bot.values()) * fanout.per_chat
        limits = ["--bots", str(bots), "--nudges", str(expected), "--jitter", str(jitter)]
        fake = subprocess.Popen(
            [sys.executable, __file__, "fake", *limits],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        log_path = Path(folder) / "reportbot.log"
        bot: subprocess.Popen[str] | None = None
        try:
            base_url = read_line(fake)["base_url"]
            config = Path(folder) / "reportbot.toml"
            config.write_text(
                "".join(
                    f'[[channels]]\nname = "tg{n}"\nplatform = "telegram"\n'
                    f'token = "{token(n)}"\napi_base = "{base_url}"\n\n'
                    for n in range(bots)
                )
            )
            started = time.monotonic()
            with log_path.open("w") as log:
                command = ["-m", "bot", "run"]
                if profile:
                    # `reportbot run` ends with os._exit, which would skip writing the profile.
                    command = ["-c", _PROFILED.format(path=profile)]
                bot = subprocess.Popen(
                    [sys.executable, *command],
                    env={
                        **os.environ,
                        "REPORTBOT_CONFIG": str(config),
                        "REPORTBOT_DATABASE_URL": url,
                        "REPORTBOT_HTTP_PORT": "0",
                        "REPORTBOT_TELEGRAM_POLL_TIMEOUT": "5",
                        "PYTHONUNBUFFERED": "1",
                    },
                    cwd=folder,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            done = read_line(fake)
            total = time.monotonic() - started
            cpu = cpu_seconds(bot.pid)
            time.sleep(1)  # the last outcomes recorded
            left = asyncio.run(_all_sent(url))
        except Exception:
            print(log_path.read_text()[-3000:] if log_path.exists() else "", file=sys.stderr)
            raise
        else:
            if keep_log:
                print(log_path.read_text(), file=sys.stderr)
        finally:
            if bot is not None:
                bot.terminate()
                bot.wait(STOP_SECONDS)
            fake.communicate(timeout=STOP_SECONDS)
    ceiling = fanout.ceiling_seconds()
    print(
        json.dumps(
            {
                "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                "python": platform.python_version(),
                "database": url.split(":", 1)[0],
                "nudges": expected,
                "bots": bots,
                "wards": wards,
                "chats": expected // fanout.per_chat,
                "messages_per_second": round(expected / done["seconds"], 1),
                "ceiling_per_second": round(expected / ceiling, 1),
                "of_ceiling": round(ceiling / done["seconds"], 3),
                "429_in_first_second": done["refused_in_first_second"],
                "429_after_first_second": done["refused_after_first_second"],
                "429_by_second": done["refused_by_second"],
                "429_for": done["refused_for"],
                "received_by_second": done["accepted_by_second"],
                "sending_seconds": round(done["seconds"], 2),
                "total_seconds": round(total, 2),
                "received_by_fake": done["accepted"],
                "not_sent_in_outbox": left,
                "reportbot_cpu_seconds": round(cpu, 2),
                "fake_cpu_seconds": round(done["fake_cpu_seconds"], 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("role", nargs="?", choices=["bench", "fake"], default="bench")
    parser.add_argument("--nudges", type=int, default=40_000)
    parser.add_argument("--bots", type=int, default=10)
    parser.add_argument("--wards", type=int, default=126)
    parser.add_argument("--jitter", type=float, default=0.1)
    parser.add_argument("--database", help="a database URL (default: a fresh SQLite file)")
    parser.add_argument("--log", action="store_true", help="print reportbot's log (stderr)")
    parser.add_argument("--profile", help="write reportbot's cProfile statistics to this file")
    arguments = parser.parse_args()
    if arguments.role == "fake":
        asyncio.run(fake_process(arguments.bots, arguments.nudges, arguments.jitter))
    else:
        main(
            arguments.nudges,
            arguments.bots,
            arguments.wards,
            arguments.jitter,
            arguments.database,
            arguments.log,
            arguments.profile,
        )

"""Simulated unit heads completing a 30-task check-in concurrently through the dispatcher.

Prints JSON per database, in these runs:
- capacity: every head sends its next message the moment the reply comes (a closed loop), so
  turns/s is the most one process serves; latency there is mostly queueing (heads / rate);
- paced, once per --rate: other heads pause between messages (exponential, averaging
  heads / rate seconds, so `rate` turns/s offered if replies were instant), and p50/p99 are
  what a head waits at that load; the run's turns/s includes its tail, the last heads
  finishing alone, so it is below the offered rate;
- one head alone: a turn's latency with nobody else waiting.
Every unit answered last month, now closed, so every card shows last period's answer.
On SQLite the capacity run is repeated with the aiosqlite driver as the in-process baseline.
Targets (issue 3), in one process on a 2-core machine: ≥ 1,000 turns/s (capacity) and
p99 ≤ 20 ms (paced: 200 heads answering every 2 s offer 100 turns/s; 1,000 offered is the
capacity target as a load).
PostgreSQL runs too when reachable (REPORTBOT_TEST_POSTGRES_URL or 127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from appendix_files import Layout, write_csv

from bot.app import Application, open_application
from bot.config import Settings
from bot.plan_import.importer import import_appendix
from handlers.checkin.actions import open_period
from handlers.checkin.outcomes import PeriodOpened
from handlers.events import Sender, parse_text_event
from storage.clock import SystemClock
from storage.models import Ward
from storage.vocabulary import Role, TaskStatus

TASKS = 30
POSTGRES_URL = os.environ.get(
    "REPORTBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def appendix(folder: Path) -> Path:
    rows = [["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"]]
    for number in range(1, TASKS + 1):
        content = (
            f"Tối thiểu {50 + number}% hồ sơ được xử lý trực tuyến đợt {number}"
            if number % 5 == 0
            else f"Triển khai nhiệm vụ chuyển đổi số số {number}"
        )
        rows.append([str(number), content, "Các phòng, đơn vị thuộc phường", "Tháng 12/2026"])
    return write_csv(Layout(4, rows), folder / "appendix.csv")


async def _setup(application: Application, heads: int, folder: Path) -> tuple[int, list[Sender]]:
    async with application.transaction() as repositories:
        ward = await repositories.wards.add(
            "Phường Đo Tải", timezone="Asia/Ho_Chi_Minh", report_day=28, locale="vi"
        )
        ward_repositories = repositories.for_ward(ward.id)
        senders = []
        for index in range(heads):
            unit = await ward_repositories.units.add(f"Đơn vị thử {index + 1}")
            member = await ward_repositories.members.add(f"Thủ trưởng {index + 1}")
            ward_repositories.members.grant(member, Role.UNIT_HEAD, unit.id)
            ward_repositories.members.link_identity(member, "bench", f"head-{index}")
            senders.append(Sender("bench", f"head-{index}", member.display_name))
        await import_appendix(repositories, ward, appendix(folder), number="1/KH")
    await answered_last_month(application, ward)
    async with application.transaction() as repositories:
        await open_period(repositories, ward, time.strftime("%Y-%m"), actor="bench")
    return ward.id, senders


async def answered_last_month(application: Application, ward: Ward) -> None:
    """Last month answered by every unit and closed, as in any month but the first: every
    card shows last period's answer."""
    today = date.today()
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    async with application.transaction() as repositories:
        opened = await open_period(repositories, ward, last_month, actor="bench")
        assert isinstance(opened, PeriodOpened)
        period = opened.period
        ward_repositories = repositories.for_ward(ward.id)
        for unit in await ward_repositories.units.all():
            for number, task in enumerate(
                (await ward_repositories.plans.tasks_for_unit(unit.id)).reporting, start=1
            ):
                answer = (
                    {"status": TaskStatus.DONE, "result": "Đã hoàn thành đúng hạn"}
                    if number % 2
                    else {
                        "status": TaskStatus.IN_PROGRESS,
                        "progress_percent": 40,
                        "difficulties": "Thiếu kinh phí và nhân lực",
                    }
                )
                await ward_repositories.reports.save(
                    period, task.id, unit.id, answer, member_id=None, actor="bench"
                )
        ward_repositories.periods.close(period)


def checkin_script() -> list[str]:
    """What a head types for the whole check-in: /baocao, "answer task by task", then for each
    task "not applicable" (one turn) or, for every third task, "done" and "skip the rest"; then
    submit (45 messages for 30 tasks)."""
    script = ["/baocao", "1"]
    for number in range(1, TASKS + 1):
        script += (
            ["1", "2"]
            if number % 3 == 0 and number % 5
            else (["1", "1", "2"] if number % 15 == 0 else ["4"])
        )
    return [*script, "1"]


async def _one_head(
    application: Application,
    ward_id: int,
    sender: Sender,
    latencies: list[float],
    pause: float = 0.0,
    seed: int = 0,
) -> None:
    dispatcher = application.dispatcher(ward_id)
    pauses = random.Random(seed)
    for text in checkin_script():
        if pause:
            await asyncio.sleep(pauses.expovariate(1 / pause))
        event = parse_text_event(uuid.uuid4().hex, sender, sender.user_id, text)
        started = time.perf_counter()
        outgoing = await dispatcher.handle(event)
        latencies.append(time.perf_counter() - started)
        if not outgoing.replies:
            raise RuntimeError(f"no reply to {text!r}")
    if "Đã gửi báo cáo" not in outgoing.texts()[-1]:
        raise RuntimeError(f"{sender.user_id} did not submit: {outgoing.texts()[-1][:200]}")


def _percentiles(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000, 2),
    }


async def _heads(
    application: Application, ward_id: int, senders: list[Sender], pause: float
) -> dict[str, object]:
    latencies: list[float] = []
    cpu = time.process_time()
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _one_head(application, ward_id, sender, latencies, pause, seed)
            for seed, sender in enumerate(senders)
        )
    )
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    return {
        "turns": len(latencies),
        "turns_per_second": round(len(latencies) / wall, 1),
        **_percentiles(latencies),
        "cpu_ms_per_turn": round(cpu / len(latencies) * 1000, 3),
        "seconds": round(wall, 2),
    }


async def _run(url: str, heads: int, rates: list[float]) -> dict[str, object]:
    """Capacity with `heads` heads, then for each rate `heads` other heads paced to it."""
    with tempfile.TemporaryDirectory() as folder:
        if url.startswith("sqlite"):
            url = f"{url}:///{Path(folder) / 'bench.db'}"
        async with open_application(Settings(database_url=url), SystemClock()) as application:
            paced_heads = heads * len(rates)
            ward_id, senders = await _setup(application, heads + paced_heads + 1, Path(folder))
            # One head alone first: the time a turn takes when nobody else is waiting.
            alone: list[float] = []
            await _one_head(application, ward_id, senders.pop(), alone)
            result: dict[str, object] = {
                "heads": heads,
                "one_head_alone": _percentiles(alone),
                "capacity": await _heads(application, ward_id, senders[:heads], 0.0),
            }
            paced_runs: list[dict[str, object]] = []
            for round_number, rate in enumerate(rates, start=1):
                paced = senders[heads * round_number : heads * (round_number + 1)]
                paced_runs.append(
                    {
                        "offered_turns_per_second": rate,
                        "mean_pause_seconds": round(heads / rate, 3),
                        **await _heads(application, ward_id, paced, heads / rate),
                    }
                )
            if paced_runs:
                result["paced"] = paced_runs
    return result


async def _postgres_database() -> tuple[str, str] | None:
    import asyncpg

    dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    try:
        connection = await asyncio.wait_for(asyncpg.connect(dsn), 5)
    except Exception:
        return None
    name = f"reportbot_bench_{uuid.uuid4().hex[:8]}"
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    return POSTGRES_URL.rpartition("/")[0] + "/" + name, name


async def _drop(name: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(
        POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    )
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()


def _capacity_ratio(run: dict[str, object], baseline: dict[str, object]) -> float:
    capacity, base = run["capacity"], baseline["capacity"]
    assert isinstance(capacity, dict) and isinstance(base, dict)
    return round(capacity["turns_per_second"] / base["turns_per_second"], 2)


async def main(heads: int, rates: list[float]) -> None:
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "tasks_per_head": TASKS,
    }
    sqlite = results["sqlite"] = await _run("sqlite", heads, rates)
    baseline = results["sqlite_aiosqlite_baseline"] = await _run("sqlite+aiosqlite", heads, [])
    results["sqlite_capacity_vs_aiosqlite"] = _capacity_ratio(sqlite, baseline)
    database = await _postgres_database()
    if database is not None:
        try:
            results["postgresql"] = await _run(database[0], heads, rates)
        finally:
            await _drop(database[1])
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--heads", type=int, default=200)
    parser.add_argument(
        "--rate",
        type=float,
        action="append",
        help="turns/s offered in a paced run, repeatable (default: 100, as 200 heads answering "
        "every 2 s, and 1000, the capacity target)",
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.heads, arguments.rate or [100.0, 1000.0]))

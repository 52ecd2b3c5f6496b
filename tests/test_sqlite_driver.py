"""The embedded default's SQLite driver: statements inline, lock waits asynchronous."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from chat import person
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import open_application
from bot.config import Settings
from bot.ward_setup import ensure_example_ward, invite
from handlers.checkin.actions import open_period
from storage import sqlite_inline
from storage.clock import FixedClock
from storage.db import create_engine
from storage.vocabulary import Role


def _hold_write_lock(path: Path, seconds: float, locked: threading.Event) -> None:
    """Another process's writer, as far as SQLite can tell: its own connection, in a thread."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    locked.set()
    threading.Event().wait(seconds)
    connection.execute("COMMIT")
    connection.close()


async def _locked_database(path: Path, seconds: float) -> tuple[AsyncEngine, threading.Thread]:
    """A database with a table, whose write lock another connection holds for `seconds`."""
    engine = create_engine(f"sqlite:///{path}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE note (body TEXT)"))
    locked = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, seconds, locked))
    holder.start()
    locked.wait()
    return engine, holder


def test_a_plain_sqlite_url_runs_inline_and_aiosqlite_stays_selectable(tmp_path: Path) -> None:
    inline = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    threaded = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}")
    assert inline.dialect.driver == sqlite_inline.DRIVER
    assert threaded.dialect.driver == "aiosqlite"


async def test_a_locked_database_is_waited_for_without_stopping_the_event_loop(
    tmp_path: Path,
) -> None:
    engine, holder = await _locked_database(tmp_path / "locked.db", 0.4)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while holder.is_alive():
            ticks += 1
            await asyncio.sleep(0.01)

    ticking = asyncio.create_task(tick())
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO note VALUES ('after the lock')"))
    await ticking
    holder.join()
    # The loop ran other work (about 40 ticks) while the write waited for the lock.
    assert ticks >= 10
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT body FROM note"))).scalar_one() == (
            "after the lock"
        )
    await engine.dispose()


async def test_a_lock_held_too_long_fails_the_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_inline, "LOCK_WAIT_SECONDS", 0.1)
    engine, holder = await _locked_database(tmp_path / "stuck.db", 0.6)
    with pytest.raises(OperationalError, match="locked"):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO note VALUES ('too late')"))
    holder.join()
    await engine.dispose()


@pytest.mark.parametrize("driver", ["sqlite", "sqlite+aiosqlite"])
async def test_a_check_in_runs_on_either_driver(
    tmp_path: Path, driver: str, clock: FixedClock
) -> None:
    settings = Settings(database_url=f"{driver}:///{tmp_path / 'chat.db'}")
    async with open_application(settings, clock) as application:
        async with application.transaction() as repositories:
            ward, _ = await ensure_example_ward(repositories, "Asia/Ho_Chi_Minh", "vi")
            code = (await invite(repositories, ward, Role.UNIT_HEAD, "Công an phường", 7)).code
        head = person(application.dispatcher(ward.id), "head", "Lê Hùng")
        assert "thành công" in (await head.send(f"/start {code}"))[0]
        assert "Chưa có kỳ báo cáo nào đang mở" in (await head.send("/baocao"))[0]
        async with application.transaction() as repositories:
            await open_period(repositories, ward, "2026-11", actor="test")
        assert (await head.send("/baocao"))[0].startswith("Kỳ báo cáo 2026-11 — Công an phường")

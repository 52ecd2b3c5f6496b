"""Shared fixtures: an application on a fresh database (SQLite, and PostgreSQL when marked)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings

from bot.app import Application, open_application
from bot.config import Settings
from storage.clock import FixedClock

POSTGRES_ADMIN_URL = os.environ.get(
    "REPORTBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
NOW = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)

# Hypothesis fails an example slower than 200 ms by default; on a loaded CI machine that is
# noise, not a finding. Speed has its benchmarks (bench/) and explicit time bounds.
settings.register_profile("reportbot", deadline=None)
settings.load_profile("reportbot")


async def _postgres_reachable() -> str | None:
    import asyncpg

    dsn = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
    try:
        connection = await asyncio.wait_for(asyncpg.connect(dsn), timeout=5)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    await connection.close()
    return None


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    # Asked from inside async fixtures, so the check runs on its own loop in a thread.
    with ThreadPoolExecutor(1) as executor:
        problem = executor.submit(asyncio.run, _postgres_reachable()).result()
    if problem is not None:
        message = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({problem})"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must run the PostgreSQL tests")
        pytest.skip(message)
    return POSTGRES_ADMIN_URL


async def _fresh_postgres_database(admin_url: str) -> tuple[str, str]:
    import asyncpg

    name = f"reportbot_{uuid.uuid4().hex[:12]}"
    dsn = admin_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}", name


async def _drop_postgres_database(admin_url: str, name: str) -> None:
    import asyncpg

    dsn = admin_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


# CI runs the check-in and storage tests a second time on aiosqlite, the other SQLite driver.
SQLITE_SCHEME = os.environ.get("REPORTBOT_TEST_SQLITE_SCHEME", "sqlite")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"{SQLITE_SCHEME}:///{tmp_path / 'reportbot.db'}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    url, name = await _fresh_postgres_database(admin_url)
    try:
        yield url
    finally:
        await _drop_postgres_database(admin_url, name)


@pytest.fixture
async def application(database_url: str, clock: FixedClock) -> AsyncIterator[Application]:
    async with open_application(Settings(database_url=database_url), clock) as app:
        yield app


@pytest.fixture
async def sqlite_application(tmp_path: Path, clock: FixedClock) -> AsyncIterator[Application]:
    """An application on SQLite only, for conversation tests that do not vary by database."""
    settings = Settings(database_url=f"{SQLITE_SCHEME}:///{tmp_path / 'chat.db'}")
    async with open_application(settings, clock) as app:
        yield app


@pytest.fixture
def postgres_database(postgres_admin_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database for a test that is not a coroutine (subprocess tests)."""
    url, name = asyncio.run(_fresh_postgres_database(postgres_admin_url))
    try:
        yield url
    finally:
        asyncio.run(_drop_postgres_database(postgres_admin_url, name))

"""Engine, sessions and schema migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, text
from sqlalchemy.dialects import registry
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession as AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import sqlite_inline
from storage.sqlite_inline import LOCK_WAIT_SECONDS

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any fixed number, the same in every process: the advisory lock migrations run under.
MIGRATION_LOCK_KEY = 57_2026
registry.register(f"sqlite.{sqlite_inline.DRIVER}", "storage.sqlite_inline", "InlineSQLiteDialect")


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An async engine; on SQLite the parent folder is created and foreign keys are enforced.

    A plain `sqlite://` URL runs on the inline driver (storage/sqlite_inline.py).
    """
    parsed = make_url(url)
    options: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        if parsed.drivername == "sqlite":
            parsed = parsed.set(drivername=f"sqlite+{sqlite_inline.DRIVER}")
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    else:
        options["pool_pre_ping"] = True
    engine = create_async_engine(parsed, **options)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 driver opens transactions lazily and mishandles SAVEPOINT; SQLAlchemy's
    # documented remedy is to let it do nothing and emit BEGIN ourselves (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    journal = cursor.fetchone()[0]
    # The inline driver waits for locks itself, which covers WAL, where only starting a
    # write transaction can meet one. Without WAL (a :memory: database, a filesystem without
    # shared memory) a COMMIT can meet a reader's lock too: SQLite's busy handler waits then.
    if journal != "wal" or not isinstance(dbapi_connection, sqlite_inline.InlineConnection):
        cursor.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT_SECONDS * 1000)}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock at the start, so concurrent writers wait (busy_timeout)
    # instead of failing when a reading transaction later tries to write.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def write_gate(engine: AsyncEngine) -> AbstractAsyncContextManager[object]:
    """What a transaction waits on before it starts.

    SQLite lets one writer in at a time; queueing writers here, in the process, is fair and
    fast, where SQLite's own busy handler would make them sleep and retry. PostgreSQL needs
    no gate.
    """
    if engine.dialect.name == "sqlite":
        return asyncio.Lock()
    return nullcontext()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    inline = engine.dialect.driver == sqlite_inline.DRIVER
    return async_sessionmaker(
        engine,
        class_=sqlite_inline.InlineSession if inline else AsyncSession,
        expire_on_commit=False,
    )


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    command.upgrade(_alembic_config(connection), revision)


def _is_current(connection: Connection) -> bool:
    script = ScriptDirectory.from_config(_alembic_config(connection))
    current = MigrationContext.configure(connection).get_current_heads()
    return set(current) == set(script.get_heads())


async def upgrade_schema(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply every pending Alembic migration (run by `reportbot db upgrade` and on start), or
    those up to `revision`."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Processes starting together migrate one after the other; the lock ends with
            # the transaction (PostgreSQL's DDL is transactional, so is the whole upgrade).
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        await connection.run_sync(_upgrade, revision)


async def schema_is_current(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        return await connection.run_sync(_is_current)

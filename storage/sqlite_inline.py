"""SQLite run on the event loop's own thread: the driver of the embedded default.

A statement on a local SQLite file takes microseconds; handing each one to a worker thread,
as aiosqlite does, costs more than the statement (README, "Performance"), and a chat turn makes
a dozen of them. So statements run inline. The one thing that may take long, another process
holding the write lock, is waited for asynchronously: the busy handler is off and a statement
refused for a lock outside a transaction (the `BEGIN IMMEDIATE` every transaction starts
with, see storage/db.py) is retried after an `asyncio.sleep`, so the loop keeps serving
other chats. Inside a transaction the write lock is already held (and, in WAL mode, readers
never wait), so a refusal there is an error, not something to repeat.

URLs: `sqlite:///path` (this driver); `sqlite+aiosqlite:///path` still selects aiosqlite.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import Connection, Executable, pool
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.util import EMPTY_DICT, await_, immutabledict

from storage.sqlite_direct import DirectStatements, is_marked

DRIVER = "inline"
LOCK_WAIT_SECONDS = 30.0
_FIRST_RETRY_SECONDS = 0.001
_LONGEST_RETRY_SECONDS = 0.05

_T = TypeVar("_T")


# Set while an InlineSession runs a statement directly, outside SQLAlchemy's greenlet.
_DIRECT: ContextVar[bool] = ContextVar("reportbot_sqlite_direct", default=False)


class _Directly:
    """`with _DIRECTLY:` marks the statements inside as run directly (see InlineSession).

    Never nested: what runs inside is SQLAlchemy's synchronous code, which does not come back
    to InlineSession's methods. The context variable keeps threads apart."""

    def __enter__(self) -> None:
        _DIRECT.set(True)

    def __exit__(self, *_exception: object) -> None:
        _DIRECT.set(False)


_DIRECTLY = _Directly()
_BUFFERED = immutabledict({"prebuffer_rows": True})


async def _ready() -> None:
    """Nothing to wait for: SQLAlchemy's asyncio layer expects each statement to await."""


def _waits_for_lock(error: sqlite3.OperationalError) -> bool:
    # Extended codes count (e.g. SQLITE_BUSY_RECOVERY) but a stale snapshot never clears.
    code = error.sqlite_errorcode
    return code & 0xFF == sqlite3.SQLITE_BUSY and code != sqlite3.SQLITE_BUSY_SNAPSHOT


def _run(connection: sqlite3.Connection, call: Callable[..., _T], *args: Any) -> _T:
    direct = _DIRECT.get()
    if not direct:
        await_(_ready())
    deadline: float | None = None
    delay = _FIRST_RETRY_SECONDS
    while True:
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if direct or connection.in_transaction or not _waits_for_lock(error):
                raise
            now = time.monotonic()
            deadline = deadline or now + LOCK_WAIT_SECONDS
            if now >= deadline:
                raise
            await_(asyncio.sleep(delay))
            delay = min(delay * 2, _LONGEST_RETRY_SECONDS)


class InlineCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> InlineCursor:
        _run(self.connection, super().execute, sql, parameters)
        return self

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> InlineCursor:
        # A retry needs the parameters again.
        rows = list(seq_of_parameters)
        _run(self.connection, super().executemany, sql, rows)
        return self

    async def _async_soft_close(self) -> None:
        """SQLAlchemy's asyncio layer calls this on an async driver's cursor before handing
        the result over; these rows stay readable from the open cursor, so nothing to do."""


class InlineConnection(sqlite3.Connection):
    def cursor(self, factory: Any = InlineCursor) -> Any:
        return super().cursor(factory)


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    driver = DRIVER
    is_async = True
    supports_statement_cache = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.direct_statements = DirectStatements()

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        return pool.AsyncAdaptedQueuePool if cls._is_url_file_db(url) else pool.StaticPool

    # A group commit takes two savepoints per chat turn. SQLAlchemy would build a clause for
    # each, and exec_driver_sql an execution context that costs more than the statement and
    # tells before_execute listeners of a possible write (the directory cache then read its
    # token again every turn); the statements are fixed text, run on the cursor. SQLAlchemy's
    # own savepoint events still fire around these methods.
    def do_savepoint(self, connection: Connection, name: str) -> None:
        _run_text(connection, f"SAVEPOINT {name}")

    def do_rollback_to_savepoint(self, connection: Connection, name: str) -> None:
        _run_text(connection, f"ROLLBACK TO SAVEPOINT {name}")

    def do_release_savepoint(self, connection: Connection, name: str) -> None:
        _run_text(connection, f"RELEASE SAVEPOINT {name}")

    def create_connect_args(self, url: URL) -> Any:
        args, options = super().create_connect_args(url)
        options["factory"] = InlineConnection
        # No busy handler: it would block the event loop; `_run` waits instead.
        options["timeout"] = 0
        options["check_same_thread"] = False
        return args, options


def _run_text(connection: Connection, sql: str) -> None:
    if connection._echo:
        # Logged like every other statement.
        connection.exec_driver_sql(sql)
        return
    # sqlite3 makes the cursor with the connection's cursor(): an InlineCursor, so a lock
    # is waited for as for any statement.
    connection.connection.driver_connection.execute(sql).close()  # type: ignore[union-attr]


def _is_plain(statement: Executable) -> bool:
    """A statement on tables and columns with no ORM entity: Session.execute makes the same
    test before it hands such a statement to the connection."""
    return statement._propagate_attrs.get("compile_state_plugin") != "orm"


class InlineSession(AsyncSession):
    """The session on the inline driver: once its transaction holds a connection, statements
    run directly instead of each in a greenlet of its own.

    SQLAlchemy's asyncio layer starts a greenlet for every call so that a driver may suspend.
    This driver suspends only to wait for another process's write lock, which happens when
    the transaction begins (`BEGIN IMMEDIATE`, in a greenlet as usual); after that the
    greenlets cost about a quarter of a chat turn's CPU on the 2-core machine for nothing.
    Before the connection is taken, and for every other method, the asyncio layer runs as
    usual, and a lazy load still fails as it does on PostgreSQL.
    """

    def _holds_connection(self) -> bool:
        transaction = self.sync_session.get_transaction()
        # SQLAlchemy keeps no public flag for "this transaction has its connection".
        return transaction is not None and bool(transaction._connections)

    async def execute(
        self,
        statement: Executable,
        params: Any = None,
        *,
        execution_options: Any = EMPTY_DICT,
        bind_arguments: Any = None,
        **kw: Any,
    ) -> Any:
        if not self._holds_connection():
            return await super().execute(
                statement,
                params,
                execution_options=execution_options,
                bind_arguments=bind_arguments,
                **kw,
            )
        options = (
            immutabledict(execution_options).union(_BUFFERED) if execution_options else _BUFFERED
        )
        with _DIRECTLY:
            if _is_plain(statement) and bind_arguments is None and not kw:
                # What Session.execute does for a statement without ORM entities, less its
                # bookkeeping, which is most of a plain statement's cost (README, "Performance").
                connection = self.sync_session.connection()
                if not execution_options and is_marked(statement):
                    direct = connection.dialect.direct_statements.execute(  # type: ignore[attr-defined]
                        connection, statement, params
                    )
                    if direct is not None:
                        return direct
                return connection.execute(statement, params, execution_options=options)
            return self.sync_session.execute(
                statement,
                params,
                execution_options=options,
                bind_arguments=bind_arguments,
                **kw,
            )

    async def scalar(self, statement: Executable, params: Any = None, **kw: Any) -> Any:
        return (await self.execute(statement, params, **kw)).scalar()

    async def get(self, *args: Any, **kw: Any) -> Any:
        if not self._holds_connection():
            return await super().get(*args, **kw)
        with _DIRECTLY:
            return self.sync_session.get(*args, **kw)

    async def flush(self, objects: Any = None) -> None:
        if not self._holds_connection():
            await super().flush(objects)
            return
        with _DIRECTLY:
            self.sync_session.flush(objects)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """The block in a SAVEPOINT, as `begin_nested()`: released (after a flush) when the
        block ends, rolled back when it raises."""
        if not self._holds_connection():
            async with self.begin_nested():
                yield
            return
        # What AsyncSessionTransaction does around a greenlet: the transaction's own context
        # protocol, which also rolls back a savepoint whose release (flush) fails.
        with _DIRECTLY:
            nested = self.sync_session.begin_nested()
            nested.__enter__()
        try:
            yield
        except BaseException as error:
            with _DIRECTLY:
                nested.__exit__(type(error), error, error.__traceback__)
            raise
        with _DIRECTLY:
            nested.__exit__(None, None, None)


def savepoint(session: AsyncSession) -> AbstractAsyncContextManager[object]:
    """A SAVEPOINT around a block, directly where the session can."""
    if isinstance(session, InlineSession):
        return session.savepoint()
    return session.begin_nested()

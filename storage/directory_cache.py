"""Members, periods, tasks and closed periods' answers kept between chat turns while the
directory has not changed.

Every message needs the sender's member with roles, units and ward, and every check-in message
the ward's open and previous periods, its tasks and the unit's answers last period. Loading
them was the largest part of a turn's reads, and they change rarely (a closed period's answers
never, through the bot). So each process keeps what it loaded, stamped with the directory
token it read just before. The database changes the token with every write to wards, units,
members, roles, identities, periods, plans, tasks and task links, and to a closed period's
answers (triggers, migration 0002), whichever process, statement or tool makes it, and an
entry is used only while its stamp is the current token. On PostgreSQL the token changes when the writing
transaction commits (so directory writes never wait for each other); until then that
transaction reads the directory afresh, as does any on SQLite after its own directory writes.

The token is read once per transaction until something may have changed it (a write to one
of those tables, plain SQL, a rollback): a turn's lookups cost one small query together, and
the turns of a SQLite group commit one query between them.

Cached objects are detached and shared between turns: read them, never change them. A flow
that changes a member loads it into its own session first (see handlers/onboarding.py).
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from storage.models import DIRECTORY_TABLES, DirectoryRevision
from storage.sqlite_direct import run_directly

T = TypeVar("T")

# Past this many entries (citizens each have one) the cache starts again.
MAX_ENTRIES = 50_000

_TOKEN = run_directly(select(DirectoryRevision.token).where(DirectoryRevision.id == 1))
_TOKEN_READ = "reportbot.directory_token"
_WROTE_DIRECTORY = "reportbot.wrote_directory"


class DirectoryCache:
    def __init__(self) -> None:
        self._token: int | None = None
        self._entries: dict[Hashable, tuple[int, Any]] = {}

    async def get(
        self, session: AsyncSession, key: Hashable, load: Callable[[AsyncSession], Awaitable[T]]
    ) -> T:
        """What `load` returns for `key`, from the cache while the directory is unchanged.

        `load` gets a session of its own in `session`'s transaction (see `_load_apart`).
        """
        if session.new or session.dirty or session.deleted:
            # What the queries this stands for did first (autoflush): this transaction's
            # pending changes reach the database, and mark it, before anything is looked up.
            await session.flush()
        if session.info.get(_WROTE_DIRECTORY):
            # Its own changes are not in the token yet (PostgreSQL) and would be lost with a
            # rollback: read afresh, keep nothing.
            value, _unchanged = await _load_apart(session, load)
            return value
        token = await _current_token(session)
        if token != self._token or len(self._entries) >= MAX_ENTRIES:
            # Entries stamped with an older token can never be used again.
            self._entries.clear()
            self._token = token
        entry = self._entries.get(key)
        if entry is not None and entry[0] == token:
            return entry[1]
        value, unchanged = await _load_apart(session, load)
        if unchanged:
            # Stamped with the token read before loading: if another transaction changed the
            # directory in between, the entry is simply never used.
            self._entries[key] = (token, value)
        return value


async def _load_apart(
    session: AsyncSession, load: Callable[[AsyncSession], Awaitable[T]]
) -> tuple[T, bool]:
    """What `load` returns, read in a session of its own within `session`'s transaction (in a
    savepoint it rolls back), and whether nothing that may change the directory happened
    meanwhile. When that session closes, what it loaded is detached: a rollback of the
    transaction cannot expire it, and objects the caller's session holds (the same rows,
    perhaps changed) are never handed out, detached or shared."""
    changes = _Changes.count
    async with AsyncSession(
        bind=await session.connection(),
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    ) as loading:
        value = await load(loading)
        return value, _Changes.count == changes


# The tables whose writes change the token (migration 0002's triggers are on the same list, and
# on task_report for closed periods only: not counted here, since the bot writes only open
# periods' answers, and every answer written would otherwise send the next lookup back to the
# database).
_WATCHED = frozenset(DIRECTORY_TABLES)


def _may_change_directory(statement: Any) -> bool:
    # A SELECT changes nothing, nor a write to a table outside the directory; plain SQL might.
    if getattr(statement, "is_select", False):
        return False
    table = getattr(statement, "table", None)
    return not (isinstance(table, Table) and table.name not in _WATCHED)


class _Changes:
    """How many times, in this process, the token may have changed under a session that
    remembers it: a remembered token holds while the count has not moved."""

    count = 0

    @classmethod
    def possible(cls, *_context: Any) -> None:
        cls.count += 1

    @classmethod
    def statement(cls, _connection: Connection, statement: Any, *_context: Any) -> None:
        # Every statement passes through a Connection, the ORM's flushes included.
        if _may_change_directory(statement):
            cls.count += 1


# A new transaction may see what others committed, and a rollback may take back a change.
# Savepoints taken and released change nothing: on SQLite a group commit's turns, each in its
# own savepoint of one write transaction, read the token once.
event.listen(Engine, "before_execute", _Changes.statement)
for _boundary in ("begin", "rollback", "rollback_savepoint"):
    event.listen(Engine, _boundary, _Changes.possible)


def _note_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        if type(instance).__table__.name in _WATCHED:
            session.info[_WROTE_DIRECTORY] = True
            return


def _note_statement(state: ORMExecuteState) -> None:
    if _may_change_directory(state.statement):
        state.session.info[_WROTE_DIRECTORY] = True


def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE_DIRECTORY, None)


# Which transactions changed the directory themselves. Statements an InlineSession sends
# straight to its connection pass no session event, but on SQLite the token has changed.
event.listen(Session, "before_flush", _note_flush)
event.listen(Session, "do_orm_execute", _note_statement)
event.listen(Session, "after_transaction_end", _transaction_ended)


async def _current_token(session: AsyncSession) -> int:
    remembered: tuple[int, int] | None = session.info.get(_TOKEN_READ)
    if remembered is not None and remembered[0] == _Changes.count:
        return remembered[1]
    writes = _Changes.count
    token: int = (await session.execute(_TOKEN)).scalar_one()
    session.info[_TOKEN_READ] = (writes, token)
    return token


_CACHES: weakref.WeakKeyDictionary[Engine, DirectoryCache] = weakref.WeakKeyDictionary()


def directory_cache(session: AsyncSession) -> DirectoryCache:
    """This database's cache in this process."""
    engine = session.get_bind().engine
    cache = _CACHES.get(engine)
    if cache is None:
        cache = _CACHES[engine] = DirectoryCache()
    return cache

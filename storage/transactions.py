"""How a chat turn gets its transaction: one of its own, or a share of a group commit.

PostgreSQL runs transactions side by side, so each turn has its own. SQLite admits one writer
and makes every COMMIT durable with an fsync (a large share of a turn, README "Performance"):
turns that queue while one runs share the next transaction instead, each in its own
SAVEPOINT, so a failing turn undoes only its own writes, and one COMMIT covers them all. A
turn's result is handed back only once its transaction has committed.

A unit of work gets the session and must not rely on the caller's context variables: in a
group commit it runs in the committing task's context.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.sqlite_inline import savepoint

T = TypeVar("T")
Work = Callable[[AsyncSession], Awaitable[T]]

# Past this many turns a group commits anyway, so the first in the queue is not kept waiting
# behind a whole burst. Through Telegram a long poll brings up to 100 updates at once, and each
# group's commit also wakes the delivery loop for its replies: groups of 32 served about a
# fifth more updates/s than groups of 8, and in-process the paced p99 differed by no more than
# the machine's noise (README, "Performance").
MAX_GROUP = 32


class Transactions(Protocol):
    async def run(self, work: Work[T]) -> T:
        """`work` inside a transaction, committed before its result is returned; an exception
        from `work` rolls back its writes and is raised here."""
        ...


class OwnTransactions:
    """A transaction per unit of work."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        gate: AbstractAsyncContextManager[object],
    ) -> None:
        self._sessions = sessions
        self._gate = gate

    async def run(self, work: Work[T]) -> T:
        async with self._gate, self._sessions() as session, session.begin():
            return await work(session)


class GroupCommit:
    """Units of work queued while a group commits run in the next group's transaction."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        gate: AbstractAsyncContextManager[object],
        max_group: int = MAX_GROUP,
    ) -> None:
        self._sessions = sessions
        self._gate = gate
        self._max_group = max_group
        self._queue: deque[tuple[Work[Any], asyncio.Future[Any]]] = deque()
        self._committer: asyncio.Task[None] | None = None

    async def run(self, work: Work[T]) -> T:
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append((work, future))
        if self._committer is None:
            self._committer = asyncio.create_task(self._commit_queued())
        return await future

    async def _commit_queued(self) -> None:
        try:
            while self._queue:
                group = [
                    self._queue.popleft() for _ in range(min(len(self._queue), self._max_group))
                ]
                await self._commit(group)
        finally:
            self._committer = None
            # Cancelled (shutting down): nobody is left to run what is still queued.
            while self._queue:
                _work, future = self._queue.popleft()
                if not future.done():
                    future.cancel()

    async def _commit(self, group: list[tuple[Work[Any], asyncio.Future[Any]]]) -> None:
        outcomes: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
        try:
            async with self._gate, self._sessions() as session, session.begin():
                for work, future in group:
                    if future.done():
                        # Its caller gave up waiting: the update was not processed, and a
                        # redelivery will be.
                        continue
                    try:
                        async with savepoint(session):
                            value = await work(session)
                    except Exception as error:
                        # Raised by the work or by flushing its writes when the SAVEPOINT
                        # was released: either way they are undone.
                        outcomes.append((future, None, error))
                    else:
                        outcomes.append((future, value, None))
                    # Each turn starts from an empty identity map, as in a session of its
                    # own: nothing a turn loaded, refreshed or had expired reaches the next.
                    session.expunge_all()
                    # The turns of a group run back to back; let the loop serve others.
                    await asyncio.sleep(0)
        except BaseException as error:
            # Nothing was committed: every turn of the group fails with the commit.
            for _work, future in group:
                if future.done():
                    continue
                if isinstance(error, Exception):
                    future.set_exception(error)
                else:
                    future.cancel()
            if not isinstance(error, Exception):
                raise
            return
        for future, value, failure in outcomes:
            if future.done():
                continue
            if failure is None:
                future.set_result(value)
            else:
                future.set_exception(failure)

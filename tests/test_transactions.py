"""Group commit: turns queued together share one COMMIT, and each keeps its own outcome."""

from __future__ import annotations

import asyncio

from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import Application
from storage.models import ProcessedUpdate
from storage.repositories import Repositories
from storage.transactions import MAX_GROUP, GroupCommit


def _commits(application: Application) -> list[int]:
    commits: list[int] = []
    event.listen(application.engine.sync_engine, "commit", lambda _connection: commits.append(1))
    return commits


async def _recorded(application: Application) -> set[str]:
    async with application.sessions() as session:
        rows = await session.execute(select(ProcessedUpdate.update_id))
        return set(rows.scalars())


def _record(application: Application, update_id: str, fail: bool = False):  # type: ignore[no-untyped-def]
    async def work(session: AsyncSession) -> str:
        repositories = Repositories(session, application.clock)
        assert await repositories.conversations.first_delivery("console", update_id)
        await session.flush()
        if fail:
            raise ValueError(update_id)
        return update_id

    return work


async def _record_together(application: Application, ids: list[str]) -> None:
    """Every id recorded by a turn of its own, all queued at once."""
    results = await asyncio.gather(
        *(application.transactions.run(_record(application, i)) for i in ids)
    )
    assert results == ids


async def test_turns_queued_together_share_one_commit(sqlite_application: Application) -> None:
    assert isinstance(sqlite_application.transactions, GroupCommit)
    commits = _commits(sqlite_application)
    ids = [f"u{n}" for n in range(20)]
    await _record_together(sqlite_application, ids)
    assert await _recorded(sqlite_application) == set(ids)
    assert 1 <= len(commits) < len(ids)


async def test_a_burst_commits_in_groups_of_at_most_max_group(
    sqlite_application: Application,
) -> None:
    """A long poll's hundred updates are not one group: the first reply would wait for all."""
    commits = _commits(sqlite_application)
    ids = [f"u{n}" for n in range(2 * MAX_GROUP + 1)]
    await _record_together(sqlite_application, ids)
    assert len(commits) == 3


async def test_a_failing_turn_undoes_only_its_own_writes(sqlite_application: Application) -> None:
    run = sqlite_application.transactions.run
    outcomes = await asyncio.gather(
        run(_record(sqlite_application, "before")),
        run(_record(sqlite_application, "broken", fail=True)),
        run(_record(sqlite_application, "after")),
        return_exceptions=True,
    )
    assert outcomes[0] == "before" and outcomes[2] == "after"
    assert isinstance(outcomes[1], ValueError)
    assert await _recorded(sqlite_application) == {"before", "after"}


async def test_when_the_commit_fails_every_turn_of_the_group_fails(
    sqlite_application: Application,
) -> None:
    def refuse(_connection: object) -> None:
        raise OSError("disk full")

    engine = sqlite_application.engine.sync_engine
    event.listen(engine, "commit", refuse)
    run = sqlite_application.transactions.run
    outcomes = await asyncio.gather(
        run(_record(sqlite_application, "a")),
        run(_record(sqlite_application, "b")),
        return_exceptions=True,
    )
    event.remove(engine, "commit", refuse)
    assert [type(outcome) for outcome in outcomes] == [OSError, OSError]
    assert await _recorded(sqlite_application) == set()
    # The next group commits as usual.
    assert await run(_record(sqlite_application, "c")) == "c"
    assert await _recorded(sqlite_application) == {"c"}


async def test_a_turn_whose_writes_fail_when_its_savepoint_is_released_fails(
    sqlite_application: Application,
) -> None:
    async def duplicate_left_for_the_flush(session: AsyncSession) -> str:
        # Added, not flushed: the unique key is only checked when the savepoint is released.
        session.add(
            ProcessedUpdate(
                channel="console", update_id="u1", processed_at=sqlite_application.clock.now()
            )
        )
        return "saved?"

    run = sqlite_application.transactions.run
    assert await run(_record(sqlite_application, "u1")) == "u1"
    # First in its group (the transaction takes its connection there), then after another.
    outcomes = await asyncio.gather(
        run(duplicate_left_for_the_flush),
        run(_record(sqlite_application, "u2")),
        run(duplicate_left_for_the_flush),
        run(_record(sqlite_application, "u3")),
        return_exceptions=True,
    )
    assert isinstance(outcomes[0], IntegrityError) and isinstance(outcomes[2], IntegrityError)
    assert outcomes[1] == "u2" and outcomes[3] == "u3"
    assert await _recorded(sqlite_application) == {"u1", "u2", "u3"}


async def test_a_turn_never_sees_what_a_failed_turn_left_in_memory(
    sqlite_application: Application,
) -> None:
    run = sqlite_application.transactions.run
    await run(_record(sqlite_application, "u1"))

    async def rename_then_fail(session: AsyncSession) -> None:
        await session.execute(update(ProcessedUpdate).values(update_id="renamed"))
        row = (await session.execute(select(ProcessedUpdate))).scalar_one()
        assert row.update_id == "renamed"
        raise ValueError("undone")

    async def read(session: AsyncSession) -> str:
        return (await session.execute(select(ProcessedUpdate))).scalar_one().update_id

    # First in its group (the transaction takes its connection there), then after another.
    outcomes = await asyncio.gather(
        run(rename_then_fail), run(read), run(rename_then_fail), run(read), return_exceptions=True
    )
    assert isinstance(outcomes[0], ValueError) and isinstance(outcomes[2], ValueError)
    assert outcomes[1] == outcomes[3] == "u1"

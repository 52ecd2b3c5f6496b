"""Statements marked `run_directly`: on the inline SQLite driver they run on the cursor and
read exactly as they do through SQLAlchemy; what the direct path cannot do goes the usual way."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    bindparam,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, session_factory
from storage.sqlite_direct import DirectResult, run_directly
from storage.types import UTCDateTime
from storage.vocabulary import TaskStatus

_METADATA = MetaData()
_NOTES = Table(
    "note",
    _METADATA,
    Column("id", Integer, primary_key=True),
    Column("body", String(200), nullable=False),
    Column("status", String(32)),
    Column("amount", Numeric(14, 4)),
    Column("details", JSON, nullable=False),
    Column("written_at", UTCDateTime(), nullable=False),
    Column("kind", String(20), nullable=False, default="plain"),
)
_COLUMNS = (
    _NOTES.c.id,
    _NOTES.c.body,
    _NOTES.c.status,
    _NOTES.c.amount,
    _NOTES.c.details,
    _NOTES.c.written_at,
)
_ADD = insert(_NOTES).returning(_NOTES.c.id)
_BY_BODY = select(*_COLUMNS).where(_NOTES.c.body == bindparam("body")).order_by(_NOTES.c.id)
_RENAME = update(_NOTES).where(_NOTES.c.id == bindparam("the_note"))
_NOT_DONE = select(_NOTES.c.id).where(_NOTES.c.status != TaskStatus.DONE.value)
_IN = select(_NOTES.c.id).where(_NOTES.c.id.in_(bindparam("ids", expanding=True)))
_MOMENT = datetime(2026, 12, 3, 1, 2, 3, 456000, tzinfo=UTC)


async def _engine(tmp_path: Path, **options: Any) -> AsyncEngine:
    engine = create_engine(f"sqlite:///{tmp_path / 'direct.db'}", **options)
    async with engine.begin() as connection:
        await connection.run_sync(_METADATA.create_all)
    return engine


def _note(body: str, **values: Any) -> dict[str, Any]:
    return {
        "body": body,
        "status": None,
        "amount": None,
        "details": [],
        "written_at": _MOMENT,
        "kind": "plain",
        **values,
    }


async def _both(engine: AsyncEngine, statement: Any, parameters: Any) -> tuple[Any, Any]:
    """The statement's rows (or row count), marked and not, in one transaction."""
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        await session.execute(select(1))  # the transaction holds its connection
        direct = await session.execute(run_directly(statement), parameters)
        usual = await session.execute(statement, parameters)
        assert isinstance(direct, DirectResult)
        assert not isinstance(usual, DirectResult)
        assert direct.returns_rows == usual.returns_rows
        if usual.returns_rows:
            return [tuple(row) for row in direct.all()], [tuple(row) for row in usual.all()]
        return direct.rowcount, usual.rowcount


async def test_a_marked_select_reads_what_sqlalchemy_reads(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        for body, values in [
            ("a", {"status": "done", "amount": Decimal("12.5"), "details": [{"k": "v"}]}),
            ("a", {}),
            ("b", {"status": "in_progress"}),
        ]:
            await session.execute(_ADD, _note(body, **values))
    direct, usual = await _both(engine, _BY_BODY, {"body": "a"})
    assert direct == usual
    assert direct[0][3] == Decimal("12.5") and direct[0][4] == [{"k": "v"}]
    assert direct[0][5] == _MOMENT
    # A literal in the statement is a parameter of its own, filled in from the statement.
    direct, usual = await _both(engine, _NOT_DONE, {})
    assert direct == usual == [(3,)]
    # IN lists of any length, each placeholder written out.
    for ids in ([2], [1, 3], [3, 2, 1, 99]):
        direct, usual = await _both(engine, _IN.order_by(_NOTES.c.id), {"ids": ids})
        assert direct == usual == [(i,) for i in sorted(ids) if i <= 3]
    await engine.dispose()


async def test_marked_writes_return_and_count_as_sqlalchemy_does(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    direct, usual = await _both(engine, _ADD, _note("x"))
    assert direct == [(1,)] and usual == [(2,)]
    direct, usual = await _both(engine, _RENAME, {"the_note": 1, "body": "y"})
    assert direct == usual == 1
    # Several parameter sets without RETURNING: one executemany.
    direct, usual = await _both(
        engine, _RENAME, [{"the_note": 1, "body": "z"}, {"the_note": 2, "body": "z"}]
    )
    assert direct == usual == 2
    await engine.dispose()


async def _executed(engine: AsyncEngine, statement: Any, parameters: Any) -> tuple[bool, Any]:
    """Whether the marked statement ran directly, and its rows (or row count)."""
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        await session.execute(select(1))
        result = await session.execute(run_directly(statement), parameters)
        rows = result.all() if result.returns_rows else result.rowcount
        return isinstance(result, DirectResult), rows


async def test_what_the_direct_path_cannot_do_goes_the_usual_way(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    # A column left to its Python default (kind): SQLAlchemy fills it in.
    without_kind = {k: v for k, v in _note("d").items() if k != "kind"}
    assert await _executed(engine, _ADD, without_kind) == (False, [(1,)])
    sessions = session_factory(engine)
    async with sessions() as session:
        assert (await session.execute(select(_NOTES.c.kind))).scalar_one() == "plain"
    # An empty IN list (SQLAlchemy writes an expression for it), and several parameter sets
    # with RETURNING.
    assert await _executed(engine, _IN, {"ids": []}) == (False, [])
    assert await _executed(engine, _ADD, [_note("e"), _note("f")]) == (False, [(2,), (3,)])
    await engine.dispose()


async def test_statement_listeners_still_hear_and_a_logging_engine_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = await _engine(tmp_path)
    heard: list[Any] = []
    event.listen(
        engine.sync_engine, "before_execute", lambda _c, statement, *_: heard.append(statement)
    )
    assert await _executed(engine, _RENAME, {"the_note": 1, "body": "q"}) == (True, 0)
    assert heard[-1] is not None and heard[-1].compare(_RENAME)
    await engine.dispose()

    logging_engine = await _engine(tmp_path, echo=True)
    with caplog.at_level("INFO", logger="sqlalchemy.engine"):
        assert await _executed(logging_engine, _RENAME, {"the_note": 1, "body": "q"}) == (
            False,
            0,
        )
    assert any("UPDATE note SET body" in record.getMessage() for record in caplog.records)
    await logging_engine.dispose()


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=_TEXT,
    amount=st.none() | st.decimals(min_value=-(10**9), max_value=10**9, places=4),
    details=st.lists(
        st.dictionaries(st.text(max_size=5), st.integers() | _TEXT, max_size=3), max_size=3
    ),
)
async def test_any_values_round_trip_alike(
    tmp_path: Path, body: str, amount: Decimal | None, details: list[Any]
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'property.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(_METADATA.drop_all)
        await connection.run_sync(_METADATA.create_all)
    await _both(engine, _ADD, _note(body, amount=amount, details=details))
    direct, usual = await _both(engine, _BY_BODY, {"body": body})
    assert direct == usual and len(direct) == 2
    await engine.dispose()


async def test_a_missing_parameter_is_refused_on_both_paths(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    sessions = session_factory(engine)
    for statement in (run_directly(_BY_BODY), _BY_BODY):
        async with sessions() as session, session.begin():
            await session.execute(select(1))
            with pytest.raises(SQLAlchemyError, match="A value is required for bind parameter"):
                await session.execute(statement, {"other": 1})
    await engine.dispose()

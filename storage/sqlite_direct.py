"""Fixed statements compiled once and run on the SQLite cursor itself.

A chat turn runs a dozen statements that never change (storage/repositories build them at
import). SQLAlchemy executes each through its execution context, events and result objects:
about 50 µs of bookkeeping around a statement SQLite runs in a few (README, "Performance").
A statement marked with `run_directly` is compiled once per set of parameter names, with
SQLAlchemy's own compiler, bind and result processors, and then executed on the DBAPI cursor
by InlineSession; every other statement, and every statement on PostgreSQL, takes the usual
path. The mark is an execution option, so the statement is the same object everywhere.

What the direct path cannot do the same way it does not do: a statement needing a Python-side
default or onupdate value, an empty IN list, several parameter sets with RETURNING, or a
connection that logs SQL or listens to cursor events goes the usual way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, Executable
from sqlalchemy.exc import InvalidRequestError, MultipleResultsFound, NoResultFound
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter, _anonymous_label

_DIRECT_OPTION = "reportbot_run_directly"
# A statement built from a marked one (`.where()` keeps execution options) is marked too; past
# this many plans new ones take the usual path instead of growing the cache each call.
MAX_PLANS = 256

E = TypeVar("E", bound=Executable)


def run_directly(statement: E) -> E:
    """The statement, marked to be run on the cursor by the inline SQLite driver."""
    return statement.execution_options(**{_DIRECT_OPTION: True})


def is_marked(statement: Executable) -> bool:
    return bool(statement._execution_options.get(_DIRECT_OPTION))


@dataclass(frozen=True)
class _Plan:
    sql: str
    compiled: SQLCompiler
    names: tuple[str, ...]
    bind_processors: tuple[Callable[[Any], Any] | None, ...]
    # None for a statement without rows; else the columns whose values are converted.
    converted_columns: tuple[tuple[int, Callable[[Any], Any]], ...] | None
    # The IN lists whose placeholders are written out for each call, by their lengths.
    expanding: frozenset[str]
    # For each placeholder: the caller's key for it and the statement's own value (_GIVEN
    # when the caller must give one); None where SQLAlchemy's construct_params must decide.
    slots: tuple[tuple[str, Any], ...] | None
    expanded_sql: dict[tuple[int, ...], str] = field(default_factory=dict)

    def positional(self, parameters: Mapping[str, Any]) -> list[Any]:
        """The values in the order of the placeholders, for a statement without IN lists."""
        if self.slots is None:
            values = self.compiled.construct_params(parameters)
            given = [values[name] for name in self.names]
        else:
            given = [
                parameters[key] if key in parameters else _required(key, fixed)
                for key, fixed in self.slots
            ]
        return [
            value if process is None else process(value)
            for process, value in zip(self.bind_processors, given, strict=True)
        ]

    def prepared(self, parameters: Mapping[str, Any]) -> tuple[str, list[Any]] | None:
        """The SQL and its positional values; None for an empty IN list (SQLAlchemy writes
        an expression of its own for it)."""
        if not self.expanding:
            return self.sql, self.positional(parameters)
        # construct_params fills in the values the statement carries itself (literals in a
        # WHERE clause become anonymous parameters) and checks that none is missing.
        values = self.compiled.construct_params(parameters)
        positional: list[Any] = []
        lengths: list[int] = []
        for name, process in zip(self.names, self.bind_processors, strict=True):
            value = values[name]
            if name in self.expanding:
                if not value:
                    return None
                lengths.append(len(value))
                positional.extend(value if process is None else map(process, value))
            else:
                positional.append(value if process is None else process(value))
        return self._sql_for(tuple(lengths)), positional

    def _sql_for(self, lengths: tuple[int, ...]) -> str:
        sql = self.expanded_sql.get(lengths)
        if sql is None:
            sql = self.sql
            # Each list's token appears once, in the order of the positional names.
            for name, length in zip(
                (name for name in self.names if name in self.expanding), lengths, strict=True
            ):
                sql = sql.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * length), 1)
            if len(self.expanded_sql) < MAX_PLANS:
                self.expanded_sql[lengths] = sql
        return sql

    def rows(self, raw: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        converted = self.converted_columns
        if not converted:
            return raw
        rows = []
        for row in raw:
            values = list(row)
            for index, process in converted:
                values[index] = process(values[index])
            rows.append(tuple(values))
        return rows


_GIVEN = object()


def _required(key: str, fixed: Any) -> Any:
    if fixed is _GIVEN:
        # What construct_params says.
        raise InvalidRequestError(f"A value is required for bind parameter {key!r}")
    return fixed


def _slots(compiled: SQLCompiler, names: tuple[str, ...]) -> tuple[tuple[str, Any], ...] | None:
    """What construct_params does for the plain case, worked out once: a parameter is the
    caller's, by its key, or the statement's own value (a literal in a WHERE clause)."""
    by_name = {name: bind for bind, name in compiled.bind_names.items()}
    if compiled.escaped_bind_names or any(
        bind.callable is not None or not (bind.key == name or _anonymous(bind))
        for name, bind in by_name.items()
    ):
        return None
    # A caller may give an anonymous parameter by its compiled name, as construct_params allows.
    return tuple(
        (name, _GIVEN if by_name[name].required else by_name[name].value) for name in names
    )


def _anonymous(bind: BindParameter[Any]) -> bool:
    return isinstance(bind.key, _anonymous_label)


def _plan(statement: Executable, connection: Connection, keys: Sequence[str]) -> _Plan | None:
    dialect = connection.dialect
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))  # type: ignore[attr-defined]
    if (
        compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.literal_execute_params
        or compiled.positiontup is None
    ):
        return None
    names = tuple(compiled.positiontup)
    expanding = frozenset(bind.key for bind in compiled.post_compile_params)
    if len(expanding) != len(compiled.post_compile_params) or any(
        names.count(name) != 1 for name in expanding
    ):
        return None
    bind_processors = tuple(compiled._bind_processors.get(name) for name in names)
    columns = compiled._result_columns
    converted = None
    if columns:
        processors = (entry[3]._cached_result_processor(dialect, None) for entry in columns)
        converted = tuple(
            (index, process) for index, process in enumerate(processors) if process is not None
        )
    slots = None if expanding else _slots(compiled, names)
    return _Plan(compiled.string, compiled, names, bind_processors, converted, expanding, slots)


class DirectStatements:
    """The plans of one engine's marked statements, by statement and parameter names."""

    def __init__(self) -> None:
        self._plans: dict[tuple[int, frozenset[str]], tuple[Executable, _Plan | None]] = {}

    def execute(
        self, connection: Connection, statement: Executable, parameters: Any
    ) -> DirectResult | None:
        """The statement run on the connection's cursor, or None when it must take the usual
        path (nothing has run then)."""
        many = isinstance(parameters, list)
        if many and len(parameters) == 1:
            parameters, many = parameters[0], False
        sets: list[Mapping[str, Any]] = parameters if many else [parameters or {}]
        if not sets or connection._echo:
            return None
        dispatch = connection.dispatch
        if (
            dispatch.before_cursor_execute
            or dispatch.after_cursor_execute
            or dispatch.after_execute
        ):
            return None
        key = (id(statement), frozenset(sets[0]))
        known = self._plans.get(key)
        if known is None:
            if len(self._plans) >= MAX_PLANS:
                return None
            # The statement is kept with its plan, so its id is never reused for another.
            known = (statement, _plan(statement, connection, list(sets[0])))
            self._plans[key] = known
        plan = known[1]
        if plan is None or (many and plan.converted_columns is not None):
            return None
        if many:
            if plan.expanding:
                return None
            self._announce(connection, statement, sets)
            cursor = self._cursor(connection)
            try:
                cursor.executemany(plan.sql, [plan.positional(values) for values in sets])
                return DirectResult([], cursor.rowcount, returns_rows=False)
            finally:
                cursor.close()
        prepared = plan.prepared(sets[0])
        if prepared is None:
            return None
        self._announce(connection, statement, sets)
        cursor = self._cursor(connection)
        try:
            cursor.execute(*prepared)
            if plan.converted_columns is None:
                return DirectResult([], cursor.rowcount, returns_rows=False)
            return DirectResult(plan.rows(cursor.fetchall()), cursor.rowcount, returns_rows=True)
        finally:
            cursor.close()

    @staticmethod
    def _announce(connection: Connection, statement: Executable, sets: list[Any]) -> None:
        # What Connection.execute tells its listeners (storage/directory_cache.py counts
        # the writes that may change the directory).
        for listener in connection.dispatch.before_execute:
            listener(connection, statement, sets, {}, statement._execution_options)

    @staticmethod
    def _cursor(connection: Connection) -> Any:
        return connection.connection.driver_connection.cursor()  # type: ignore[union-attr]


class DirectResult:
    """The rows of a statement run directly, read as its callers read a SQLAlchemy result:
    rows are plain tuples (positional, as every caller of a marked statement reads them)."""

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int, returns_rows: bool) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.returns_rows = returns_rows

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._rows)

    def all(self) -> list[tuple[Any, ...]]:
        return self._rows

    def first(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    def one_or_none(self) -> tuple[Any, ...] | None:
        if len(self._rows) > 1:
            raise MultipleResultsFound("Multiple rows were found when one or none was required")
        return self.first()

    def one(self) -> tuple[Any, ...]:
        row = self.one_or_none()
        if row is None:
            raise NoResultFound("No row was found when one was required")
        return row

    def scalar(self) -> Any:
        row = self.first()
        return None if row is None else row[0]

    def scalar_one_or_none(self) -> Any:
        row = self.one_or_none()
        return None if row is None else row[0]

    def scalar_one(self) -> Any:
        return self.one()[0]

"""A PostgreSQL connection as repositories use it (`storage.connection.Conn`), through psycopg 3.

Statements come in the portable spelling and are turned into PostgreSQL's by `storage.dialect.postgresql`. Rows
read by position and by name, as SQLite's do. Values go both ways as they do on SQLite: a Python bool is stored as
the integer 1 or 0 (zhibu's flags are integer columns on both engines), and a sum or an average comes back as an
int or a float, never a Decimal.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from functools import lru_cache
from types import TracebackType
from typing import Any

import psycopg
from psycopg import AsyncConnection, errors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus
from psycopg.rows import RowMaker
from psycopg.types.numeric import Int8Dumper

from storage.connection import Cursor, Parameters, Row
from storage.dialect import postgresql as spelled

ENGINE = "postgresql"

class _Record(tuple[Any, ...]):
    """A row readable as `row[0]` and `row["name"]`, with `keys()` so that `dict(row)` maps names to values."""

    __slots__ = ()
    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}

    def keys(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)


@lru_cache(maxsize=2048)
def _record_class(names: tuple[str, ...]) -> type[_Record]:
    return type("Record", (_Record,), {"__slots__": (), "_names": names,
                                       "_index": {name: i for i, name in enumerate(names)}})


def _records(cursor: psycopg.AsyncCursor[Any]) -> RowMaker[_Record]:
    description = cursor.description
    if description is None:
        return tuple  # type: ignore[return-value]  # no rows to make
    cls = _record_class(tuple(column.name for column in description))
    return cls  # a tuple subclass: called with the row's values


class _FlagDumper(Dumper):
    """A bool as an integer (1/0): flags are integer columns, as on SQLite."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _NumberLoader(Loader):
    """numeric (what sum() and avg() give) as an int when whole, else a float: what SQLite gives."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return float(text) if any(c in text for c in ".eEN") else int(text)


def configure(connection: AsyncConnection[Any]) -> None:
    """The adaptations zhibu's statements expect, on one connection."""
    connection.adapters.register_dumper(bool, _FlagDumper)
    # Every integer column is BIGINT: an int goes as one (psycopg would pick int2 for a small one, which a
    # recursive query's union of a parameter and a column then refuses).
    connection.adapters.register_dumper(int, Int8Dumper)
    connection.adapters.register_loader("numeric", _NumberLoader)
    connection.row_factory = _records


class Result:
    """A statement's rows, read in full before the connection is handed on (Cursor)."""

    def __init__(self, rows: list[Row], rowcount: int) -> None:
        self._rows = rows
        self._next = 0
        self._rowcount = rowcount

    @property
    def rowcount(self) -> int:
        return self._rowcount

    async def fetchone(self) -> Row | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list[Row]:
        rest = self._rows[self._next:]
        self._next = len(self._rows)
        return rest


def _positional(parameters: Parameters) -> Sequence[Any]:
    if isinstance(parameters, Sequence) and not isinstance(parameters, str | bytes):
        return parameters
    raise TypeError("zhibu's statements take positional `?` parameters")


async def run(connection: AsyncConnection[Any], sql: str, parameters: Parameters = ()) -> Result:
    """One statement on `connection`, its rows read."""
    async with connection.cursor() as cur:
        await cur.execute(spelled(sql), _positional(parameters))
        rows = await cur.fetchall() if cur.description is not None else []
        return Result(rows, cur.rowcount)


async def run_many(connection: AsyncConnection[Any], sql: str, parameters: Iterable[Parameters]) -> Result:
    """One statement over many parameter rows (psycopg sends them in one pipeline)."""
    batch = [_positional(p) for p in parameters]
    async with connection.cursor() as cur:
        if batch:
            await cur.executemany(spelled(sql), batch)
        return Result([], cur.rowcount if batch else 0)


class Pending:
    """A statement on its way (`storage.connection.Statement`): awaited, or `async with` to read its rows."""

    __slots__ = ("_work", "_result")

    def __init__(self, work: Any) -> None:
        self._work = work
        self._result: Result | None = None

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._work().__await__()  # type: ignore[no-any-return]

    async def __aenter__(self) -> Cursor:
        self._result = await self._work()
        return self._result

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None, /) -> None:
        self._result = None


class PgConn:
    """One PostgreSQL connection as a `Conn`: what the unit of work hands a write transaction, and what storage
    tests and tools use as a plain connection (autocommit, read-write)."""

    engine = ENGINE

    def __init__(self, connection: AsyncConnection[Any]) -> None:
        self.raw = connection

    def execute(self, sql: str, parameters: Parameters = (), /) -> Pending:
        return Pending(lambda: run(self.raw, sql, parameters))

    def executemany(self, sql: str, parameters: Iterable[Parameters], /) -> Pending:
        return Pending(lambda: run_many(self.raw, sql, parameters))

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    async def close(self) -> None:
        await self.raw.close()


async def open_connection(url: str, *, read_only: bool = False) -> AsyncConnection[Any]:
    """An autocommit connection configured for zhibu's statements. `read_only`: every transaction on it is read
    only unless it says otherwise (the unit of work's connections: a stray write outside `write()` fails)."""
    options = "-c default_transaction_read_only=on" if read_only else ""
    connection = await AsyncConnection.connect(url, autocommit=True, options=options or None)
    configure(connection)
    return connection


async def connect(url: str) -> PgConn:
    """A plain read-write connection (storage tests, tools), the PostgreSQL twin of `storage.sqlite.connect`."""
    return PgConn(await open_connection(url))


# SQLSTATEs after which the whole unit of work may simply be run again: serialization_failure, deadlock_detected.
CONFLICTS = (errors.SerializationFailure, errors.DeadlockDetected)


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, CONFLICTS)

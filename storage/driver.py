"""aiosqlite with one thread hop per statement.

aiosqlite runs each call on the connection's own thread and wakes the event loop with its result: `async with
db.execute(sql) as cur: await cur.fetchall()` is three such round trips (execute, fetch, close), and each costs
more CPU than a point query itself (measured: ≈ 260 µs of CPU for a one-row read against ≈ 90 µs in one trip, on
the 2-core machine). Here `execute` runs the statement, fetches every row and closes the cursor in one trip and
hands back the rows, read the way the repositories read a cursor (`fetchone`, `fetchall`, `rowcount`). Results
are whole in memory, as `fetchall` had them anyway.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
from aiosqlite.context import Result

from storage.connection import Parameters


class Rows:
    """A statement's result, fetched whole on the connection's thread; read like a cursor."""

    __slots__ = ("_rows", "_next", "rowcount", "lastrowid", "description")

    def __init__(self, rows: list[Any], rowcount: int, lastrowid: int | None, description: Any) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid
        self.description = description

    async def fetchone(self) -> Any:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list[Any]:
        rest = self._rows[self._next:] if self._next else self._rows
        self._next = len(self._rows)
        return rest

    async def fetchmany(self, size: int = 1) -> list[Any]:
        chunk = self._rows[self._next:self._next + size]
        self._next += len(chunk)
        return chunk

    async def close(self) -> None:
        """Nothing to release: the cursor was closed on the connection's thread."""

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Any]:
        while (row := await self.fetchone()) is not None:
            yield row


# Statements run on the event loop's thread one after another without letting other tasks in, up to this long
# (seconds); then the running task yields once. An await on the loop costs a system call (epoll), a trip to a
# thread two, so a handler's few reads go on without either, and a county-wide pass still shares the loop.
YIELD_AFTER = 0.002
STATEMENT_CACHE = 1024
_ran_since = 0.0  # when statements on the loop last let the other tasks in (shared by all inline connections)


class Connection(aiosqlite.Connection):
    """An aiosqlite connection whose `execute` is one trip to its thread (see the module's docstring) — or, made
    `inline`, no trip at all: the statement runs on the event loop's thread (see YIELD_AFTER)."""

    def __init__(self, connector: Any, iter_chunk_size: int, *, inline: bool = False) -> None:
        super().__init__(connector, iter_chunk_size)
        self.inline = inline

    def execute(self, sql: str, parameters: Parameters | None = None) -> Result[Rows]:  # type: ignore[override]
        parameters = () if parameters is None else parameters
        return Result(self._here(sql, parameters) if self.inline else self._there(sql, parameters))

    async def _there(self, sql: str, parameters: Parameters) -> Rows:
        rows: Rows = await self._execute(self._run, sql, parameters)  # type: ignore[no-untyped-call]
        return rows

    async def _here(self, sql: str, parameters: Parameters) -> Rows:
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        rows = self._run(sql, parameters)
        global _ran_since
        if time.perf_counter() - _ran_since > YIELD_AFTER:  # a long run of statements lets the others in
            await asyncio.sleep(0)
            _ran_since = time.perf_counter()
        return rows

    def _run(self, sql: str, parameters: Parameters) -> Rows:
        """On the connection's thread: the statement, all its rows, the cursor closed."""
        cursor = self._conn.execute(sql, parameters)
        try:
            rows = cursor.fetchall()
            return Rows(rows, cursor.rowcount, cursor.lastrowid, cursor.description)
        finally:
            cursor.close()


def connect(path: Path | str, *, inline: bool = False, **kwargs: Any) -> Connection:
    """As `aiosqlite.connect`: await it (or `async with` it) to open the database. `inline`: statements run on the
    event loop's thread (for short reads that never wait for a lock: WAL readers). Opening, closing and backing up
    still go through the connection's own thread: no statement may run on the connection meanwhile (the caller
    owns that; the unit of work's read connections only do so at start and at shutdown)."""
    if inline:
        kwargs["check_same_thread"] = False  # opened on the connection's thread, used on the loop's too
    # Prepared statements kept per connection: zhibu has several hundred distinct statements, and sqlite3's 128 by
    # default made a county-wide pass prepare most of its statements anew each time.
    kwargs.setdefault("cached_statements", STATEMENT_CACHE)

    def connector() -> sqlite3.Connection:
        connection: sqlite3.Connection = sqlite3.connect(str(path), **kwargs)
        return connection

    return Connection(connector, iter_chunk_size=64, inline=inline)

"""The unit of work every use case goes through (`Database`), over the SQLite file's connections.

The file itself (opening it, its permissions) is storage/sqlite.py, its schema storage/schema.py, copies of it
(backups, scratch copies for dry runs) storage/copies.py, and what repositories may do with a connection
storage/connection.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from storage import copies, updates
from storage.connection import Conn, Cursor, Parameters, Statement
from storage.schema import migrate
from storage.sqlite import connect

# The write transaction the running task is inside of, if any. Tasks copy their context when created, so only the
# task that opened a unit of work (and tasks it starts inside it) reads through it.
_unit_of_work: ContextVar[object | None] = ContextVar("zhibu_unit_of_work", default=None)


@dataclass
class UpdateMark:
    """The Telegram update the running task handles: its id goes into the applied_updates table inside the
    update's first write transaction, and `committed` tells the error handler that a change was saved."""

    update_id: int
    now: Callable[[], datetime]
    task: asyncio.Task[object] | None
    committed: bool = False


# Set by the update processor around one update's handling. Tasks started inside (an outbox wake, say) copy the
# context but are other tasks: `current_update` ignores the mark there, so their writes do not claim the update.
_update_mark: ContextVar[UpdateMark | None] = ContextVar("zhibu_update", default=None)


@contextmanager
def applying_update(update_id: int, now: Callable[[], datetime]) -> Iterator[UpdateMark]:
    """Within the block, this task's write transactions record `update_id` as applied, with their change."""
    mark = UpdateMark(update_id, now, asyncio.current_task())
    token = _update_mark.set(mark)
    try:
        yield mark
    finally:
        _update_mark.reset(token)


def current_update() -> UpdateMark | None:
    """The update this very task is handling, if any."""
    mark = _update_mark.get()
    if mark is None or mark.task is not asyncio.current_task():
        return None
    return mark


class Database:
    """The unit of work every use case goes through; the one place that knows the driver.

    One writer connection, used only inside `write()`: one write transaction at a time (BEGIN IMMEDIATE under a
    lock), committed when the block ends, rolled back when it raises; a `write()` inside another joins it. Reads
    outside a write run on separate read-only connections, so they see committed data only — never the open
    transaction of another use case. Reads inside a write (through the Database or the block's connection) see
    that unit of work's own changes. `read()` gives a consistent snapshot for several queries.
    """

    def __init__(self, path: Path | str, writer: aiosqlite.Connection, reader: aiosqlite.Connection,
                 snapshots: list[aiosqlite.Connection]) -> None:
        self.path = path
        self._writer = writer
        self._reader = reader
        self._lock = asyncio.Lock()
        self._snapshots: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all = [writer, reader, *snapshots]
        self._active: object | None = None  # the open write transaction's marker
        for connection in snapshots:
            self._snapshots.put_nowait(connection)

    @classmethod
    async def open(cls, path: Path | str, *, snapshots: int = 2, migrate_schema: bool = True) -> Database:
        """Connect (creating the file and its folder), bring the schema up to date, open the read connections."""
        writer = await connect(path)
        opened = [writer]
        try:
            if migrate_schema:
                await migrate(writer)
                copies.remove_stale(Path(path))
            reader = await connect(path, read_only=True)
            opened.append(reader)
            readers = []
            for _ in range(snapshots):
                readers.append(await connect(path, read_only=True))
                opened.append(readers[-1])
        except BaseException:
            for connection in opened:
                await connection.close()
            raise
        return cls(path, writer, reader, readers)

    def _inside_write(self) -> bool:
        marker = _unit_of_work.get()
        return marker is not None and marker is self._active

    def execute(self, sql: str, parameters: Parameters = ()) -> Statement[Cursor]:
        """A read: of committed data, or inside this task's `write()` of that unit of work's state.

        Outside a write the connection is query-only, so a stray write fails loudly instead of escaping its
        transaction."""
        connection = self._writer if self._inside_write() else self._reader
        return connection.execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Parameters]) -> Statement[Cursor]:
        """A batch of one statement, inside this task's `write()` (outside one it fails loudly, as `execute` does)."""
        connection = self._writer if self._inside_write() else self._reader
        return connection.executemany(sql, parameters)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Conn]:
        """One write transaction: everything in the block commits together, or nothing does."""
        if self._inside_write():  # a step of a larger use case: part of its unit of work
            yield self._writer
            return
        async with self._lock:
            db = self._writer
            marker = object()
            await db.execute("BEGIN IMMEDIATE")
            self._active = marker
            token = _unit_of_work.set(marker)
            update = current_update()
            try:
                yield db
                if update is not None:  # the change and "this update is applied" commit together, or neither
                    await updates.record(db, update.update_id, update.now())
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            else:
                await db.execute("COMMIT")
                if update is not None:
                    update.committed = True
            finally:
                self._active = None
                _unit_of_work.reset(token)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        """A consistent snapshot of committed data for several queries; inside a write, that unit of work's state."""
        if self._inside_write():
            yield self._writer
            return
        db = await self._snapshots.get()
        try:
            await db.execute("BEGIN")
            try:
                yield db
            finally:
                await db.execute("COMMIT")
        finally:
            self._snapshots.put_nowait(db)

    def scratch(self) -> AbstractAsyncContextManager[Conn]:
        """A private writable copy of the committed data, discarded when the block ends (storage/copies.py): a
        dry run of a large use case (a roster import's preview) runs the very statements the real run would, on
        the copy, without ever taking this database's writer."""
        return copies.copy_of(Path(self.path))

    async def close(self) -> None:
        for connection in self._all:
            await connection.close()


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[Conn]:
    """One write transaction on a plain connection (storage tests, tools that open the file themselves).

    Use cases never call this: they go through `Database.write()`, which also keeps other use cases' reads off
    the open transaction."""
    if isinstance(db, Database):
        raise TypeError("a Database's writes go through db.write()")
    await db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    else:
        await db.execute("COMMIT")


async def open_database(path: Path | str) -> Database:
    """Connect and bring the schema up to date."""
    return await Database.open(path)

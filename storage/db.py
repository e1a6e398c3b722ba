"""The unit of work every use case goes through (`Database`), on either engine: SQLite (a file, the default) or
PostgreSQL (ZHIBU_DB=postgresql://…, storage/pg_database.py).

What both share is here: a write transaction per `write()` block, joined by a `write()` inside it; reads of
committed data outside it; the Telegram update a write belongs to, recorded as applied in its first committed
transaction (storage/work.py). The SQLite file itself (opening it, its permissions) is
storage/sqlite.py, its schema storage/schema.py, copies of it storage/copies.py, and what repositories may do with
a connection storage/connection.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import aiosqlite

from storage import copies
from storage.connection import Conn, Cursor, Parameters, Statement
from storage.schema import migrate
from storage.sqlite import connect
from storage.work import Database, UpdateMark, WriteConflict, applying_update, current_update

__all__ = ["Database", "SqliteDatabase", "UpdateMark", "WriteConflict", "applying_update",
           "current_update", "open_database", "transaction"]


class SqliteDatabase(Database):
    """The unit of work over an SQLite file.

    One writer connection, used only inside `write()`: one write transaction at a time (BEGIN IMMEDIATE under a
    lock). Reads outside a write run on separate read-only connections (query_only), so a stray write fails there.
    """

    engine = "sqlite"

    def __init__(self, path: Path | str, writer: aiosqlite.Connection, reader: aiosqlite.Connection,
                 snapshots: list[aiosqlite.Connection]) -> None:
        self.path = path
        self._writer = writer
        self._reader = reader
        self._lock = asyncio.Lock()
        self._snapshots: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all = [writer, reader, *snapshots]
        for connection in snapshots:
            self._snapshots.put_nowait(connection)

    @staticmethod
    async def open(target: Path | str, *, snapshots: int = 2, migrate_schema: bool = True) -> SqliteDatabase:
        """Connect (creating the file and its folder), bring the schema up to date, open the read connections."""
        writer = await connect(target)
        opened = [writer]
        try:
            if migrate_schema:
                await migrate(writer)
                copies.remove_stale(Path(target))
            reader = await connect(target, read_only=True)
            opened.append(reader)
            readers = []
            for _ in range(snapshots):
                readers.append(await connect(target, read_only=True))
                opened.append(readers[-1])
        except BaseException:
            for connection in opened:
                await connection.close()
            raise
        return SqliteDatabase(target, writer, reader, readers)

    @staticmethod
    async def open_read_only(target: Path | str, *, snapshots: int = 2) -> SqliteDatabase:
        """Another process's database, only read: every connection query-only (a write fails loudly), no
        migration, and a missing file is an error rather than a new empty database."""
        if not Path(target).is_file():
            raise FileNotFoundError(f"no database at {target}")
        opened = []
        try:
            for _ in range(2 + snapshots):
                opened.append(await connect(target, read_only=True))
        except BaseException:
            for connection in opened:
                await connection.close()
            raise
        return SqliteDatabase(target, opened[0], opened[1], opened[2:])

    def execute(self, sql: str, parameters: Parameters = ()) -> Statement[Cursor]:
        """Outside a write the connection is query-only, so a stray write fails loudly instead of escaping its
        transaction."""
        connection = self._writer if self._open_write() is not None else self._reader
        return connection.execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Parameters]) -> Statement[Cursor]:
        connection = self._writer if self._open_write() is not None else self._reader
        return connection.executemany(sql, parameters)

    @asynccontextmanager
    async def _transaction(self, row_locks: bool = False) -> AsyncIterator[Conn]:
        async with self._lock:
            db = self._writer
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        joined = self._open_write()
        if joined is not None:
            yield joined.conn
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
        """A private copy of the file (storage/copies.py), never taking this database's writer."""
        return copies.copy_of(Path(self.path))

    async def close(self) -> None:
        for connection in self._all:
            await connection.close()


@asynccontextmanager
async def transaction(db: Conn) -> AsyncIterator[Conn]:
    """One write transaction on a plain connection (storage tests, tools that open the database themselves).

    Use cases never call this: they go through `Database.write()`, which also keeps other use cases' reads off
    the open transaction."""
    if isinstance(db, Database):
        raise TypeError("a Database's writes go through db.write()")
    await db.execute("BEGIN" if getattr(db, "engine", None) == "postgresql" else "BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    else:
        await db.execute("COMMIT")


POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


def is_postgresql(target: object) -> bool:
    """Whether ZHIBU_DB names a PostgreSQL database (a URL) rather than an SQLite file (a path)."""
    return isinstance(target, str) and target.startswith(POSTGRESQL_SCHEMES)


async def open_database(target: Path | str, *, snapshots: int = 2, migrate_schema: bool = True) -> Database:
    """Connect and bring the schema up to date: an SQLite file (a path) or a PostgreSQL database (a URL)."""
    if is_postgresql(target):
        # psycopg (≈ 25 MB and a second's import) is loaded only by a process that uses PostgreSQL.
        from storage.pg_database import PgDatabase

        return await PgDatabase.open(target, migrate_schema=migrate_schema)
    return await SqliteDatabase.open(target, snapshots=snapshots, migrate_schema=migrate_schema)


async def open_read_only(target: Path | str) -> Database:
    """A database another process owns, for reading only (the roll-up over the counties): an SQLite file with
    query-only connections, or a PostgreSQL database whose schema is left as it is and whose every transaction is
    READ ONLY (a write fails in the server)."""
    if is_postgresql(target):
        from storage.pg_database import PgDatabase

        # A roll-up holds one of these per county and handles one update at a time: a small pool, so a hundred
        # counties on one server stay within PostgreSQL's connection limit (100 by default) beside the bots' own.
        return await PgDatabase.open(target, migrate_schema=False, read_only=True, pool_min=1, pool_max=2)
    return await SqliteDatabase.open_read_only(target)

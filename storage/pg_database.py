"""The unit of work over a PostgreSQL database (ZHIBU_DB=postgresql://…), with psycopg 3's async connections from
a psycopg_pool pool.

- `write()`: SERIALIZABLE, READ WRITE (`write(row_locks=True)`: READ COMMITTED, for the outbox's locked claims). A serialization failure or a deadlock — from a statement or from the
  commit — comes out as WriteConflict after the rollback (storage/work.py).
- Reads outside a write: one statement each on a pooled connection whose transactions are read only by default,
  so a stray write fails loudly. `read()`: REPEATABLE READ READ ONLY, one snapshot for several statements.
- `scratch()`: a transaction that is always rolled back (the SQLite engine copies its file instead).
- Opened `read_only` (another process's database: the roll-up over the counties), every transaction, `write()` and
  `scratch()` too, begins READ ONLY on sessions that default to it: any write fails in the server.
As on SQLite, one write transaction at a time runs in a process (a lock); SERIALIZABLE keeps another process's
writes from interleaving unseen (a conflict is a WriteConflict).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from psycopg import AsyncConnection, OperationalError
from psycopg.pq import TransactionStatus
from psycopg_pool import AsyncConnectionPool

from storage.connection import Conn, Cursor, Parameters, Statement
from storage.postgresql import CONFLICTS, ENGINE, Pending, PgConn, Result, configure, connect, run
from storage.schema import migrate
from storage.work import Database, Leadership, WriteConflict

log = logging.getLogger(__name__)

POOL_MIN = 2
POOL_MAX = 10
_SERIALIZABLE = "BEGIN ISOLATION LEVEL SERIALIZABLE READ WRITE"
# write(row_locks=True): statements whose safety is their own row locks and fences (the outbox's claim and finish).
_READ_COMMITTED = "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"
# Every transaction of a database opened read_only: a write in it fails (25006, read_only_sql_transaction).
_READ_ONLY = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"


async def _configure(connection: AsyncConnection[Any]) -> None:
    configure(connection)


async def _conflicts_as_write_conflict(work: Awaitable[Result]) -> Result:
    try:
        return await work
    except CONFLICTS as exc:
        raise WriteConflict(str(exc).strip()) from exc


class _WriterConn(PgConn):
    """The connection of an open write transaction: a conflict a statement meets is a WriteConflict at once."""

    def execute(self, sql: str, parameters: Parameters = (), /) -> Pending:
        inner = super().execute(sql, parameters)
        return Pending(lambda: _conflicts_as_write_conflict(inner._work()))

    def executemany(self, sql: str, parameters: Iterable[Parameters], /) -> Pending:
        inner = super().executemany(sql, parameters)
        return Pending(lambda: _conflicts_as_write_conflict(inner._work()))


async def _end(raw: AsyncConnection[Any], statement: str) -> None:
    """COMMIT or ROLLBACK; a broken connection has ended the transaction by itself, and the pool replaces it."""
    if raw.closed or raw.info.transaction_status == TransactionStatus.UNKNOWN:
        return
    await raw.execute(statement)


class PgDatabase(Database):
    engine = ENGINE

    def __init__(self, url: str, pool: AsyncConnectionPool[Any], *, read_only: bool = False) -> None:
        self.path = url
        self._pool = pool
        self.read_only = read_only
        # One write transaction at a time in this process, as on SQLite: this process's writes never abort each
        # other, and SERIALIZABLE guards against another process's.
        self._lock = asyncio.Lock()

    @staticmethod
    async def open(target: Path | str, *, snapshots: int = 0, migrate_schema: bool = True, pool_min: int = POOL_MIN,
                   pool_max: int = POOL_MAX, read_only: bool = False) -> PgDatabase:
        """Connect a pool to the database at the URL `target` and bring its schema up to date (`snapshots` is
        SQLite's; the pool serves every read here). `read_only`: no migration, and no transaction may write."""
        url = str(target)
        plain = await connect(url)  # a database that is not there fails here at once, not after the pool's wait
        try:
            if migrate_schema and not read_only:
                await migrate(plain)
        finally:
            await plain.close()
        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            url, min_size=pool_min, max_size=pool_max, open=False, configure=_configure,
            kwargs={"autocommit": True, "options": "-c default_transaction_read_only=on"})
        await pool.open(wait=True, timeout=30)
        return PgDatabase(url, pool, read_only=read_only)

    async def _read_one(self, sql: str, parameters: Parameters) -> Result:
        async with self._pool.connection() as raw:
            return await run(raw, sql, parameters)

    def execute(self, sql: str, parameters: Parameters = ()) -> Statement[Cursor]:
        unit = self._open_write()
        if unit is not None:
            return unit.conn.execute(sql, parameters)  # type: ignore[no-any-return]
        return Pending(lambda: self._read_one(sql, parameters))

    def executemany(self, sql: str, parameters: Iterable[Parameters]) -> Statement[Cursor]:
        unit = self._open_write()
        if unit is not None:
            return unit.conn.executemany(sql, parameters)  # type: ignore[no-any-return]
        rows = list(parameters)

        async def outside() -> Result:
            async with self._pool.connection() as raw:
                return await PgConn(raw).executemany(sql, rows)  # type: ignore[return-value]
        return Pending(outside)

    @asynccontextmanager
    async def _transaction(self, row_locks: bool = False) -> AsyncIterator[Conn]:
        async with self._lock, self._pool.connection() as raw:
            try:
                await raw.execute(_READ_ONLY if self.read_only else _READ_COMMITTED if row_locks else _SERIALIZABLE)
                yield _WriterConn(raw)
            except BaseException:
                await _end(raw, "ROLLBACK")
                raise
            if raw.info.transaction_status == TransactionStatus.INERROR:
                await _end(raw, "ROLLBACK")  # a statement failed and its error was caught: nothing may commit
                raise RuntimeError("a statement of the write transaction failed; it was rolled back")
            try:
                await raw.execute("COMMIT")
            except CONFLICTS as exc:  # the transaction is over (rolled back) when COMMIT fails
                raise WriteConflict(str(exc).strip()) from exc

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        unit = self._open_write()
        if unit is not None:
            yield unit.conn
            return
        async with self._pool.connection() as raw:
            await raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield PgConn(raw)
            finally:
                await _end(raw, "COMMIT")

    @asynccontextmanager
    async def scratch(self) -> AsyncIterator[Conn]:
        """A transaction on committed data that is rolled back whatever happens: what it changes no one else ever
        sees. It takes no lock of the live writers' but the rows it changes, for the seconds a preview lasts."""
        async with self._pool.connection() as raw:
            await raw.execute(_READ_ONLY if self.read_only else "BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE")
            try:
                yield PgConn(raw)
            finally:
                await _end(raw, "ROLLBACK")

    async def close(self) -> None:
        await self._pool.close()


# The leadership's advisory lock key (any number unique to zhibu; storage/schema.py's migration lock is another).
PG_LEADER_LOCK = 0x7A68_6962_7502
NUDGE_CHANNEL = "zhibu_outbox"


class PgLeadership(Leadership):
    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: Any = None

    async def try_lead(self) -> bool:
        try:
            if self._conn is None or self._conn.closed:
                self._conn = await AsyncConnection.connect(self.url, autocommit=True, application_name="zhibu-leader")
                self.leads = False
            if self.leads:
                await self._conn.execute("SELECT 1")  # the lock lives as long as this connection
            else:
                cur = await self._conn.execute("SELECT pg_try_advisory_lock(%s)", (PG_LEADER_LOCK,))
                row = await cur.fetchone()
                self.leads = bool(row and row[0])
                if self.leads:  # the others' nudges arrive on this connection, read whenever it is used
                    self._conn.add_notify_handler(lambda _: self.on_nudge())
                    await self._conn.execute(f"LISTEN {NUDGE_CHANNEL}")
        except OperationalError as exc:
            if self.leads:
                log.error("lost the connection that holds the leadership: %s", exc)
            self.leads = False
            await self._drop()
        return self.leads

    async def nudge(self) -> None:
        try:
            if self._conn is None or self._conn.closed:
                self._conn = await AsyncConnection.connect(self.url, autocommit=True, application_name="zhibu-leader")
            await self._conn.execute(f"NOTIFY {NUDGE_CHANNEL}")
        except OperationalError as exc:  # the leader's next drain sends them anyway
            log.warning("could not tell the leading process to send: %s", exc)

    async def _drop(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.close()
            except Exception:  # already broken
                log.debug("closing the leadership connection failed", exc_info=True)
            self._conn = None

    async def close(self) -> None:
        self.leads = False
        await self._drop()

"""The SQLite connection and its migrations."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from collections.abc import (
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

from storage import driver, updates

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
_NUMBERED = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_SQLITE_HEADER = b"SQLite format 3\x00"


def _private_dir(folder: Path) -> None:
    """Create the folder (and missing parents) readable by zhibu's user only; existing folders are left alone."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir()
        except FileExistsError:
            continue
        os.chmod(created, PRIVATE_DIR)  # explicit: mkdir's mode is filtered by the umask


def _private_file(path: Path) -> None:
    """Create the file 0600 before SQLite does (SQLite would use 0644 less the umask): members' data stays
    unreadable to other users of the machine. An existing file keeps its mode."""
    _private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def _tighten(path: Path) -> None:
    """0600 on a file SQLite made beside the database (-wal, -shm), if it is there and lets others in."""
    try:
        if path.stat().st_mode & 0o077:
            os.chmod(path, PRIVATE_FILE)
    except FileNotFoundError:
        pass


async def connect(path: Path | str, *, read_only: bool = False) -> aiosqlite.Connection:
    """Open the database with WAL, foreign keys and a busy timeout (the CLI may write while the bot runs)."""
    path = Path(path)
    _private_file(path)
    # One thread hop per statement; reads (WAL readers never wait for a lock) run on the event loop itself.
    db = await driver.connect(path, isolation_level=None, inline=read_only)
    db.row_factory = aiosqlite.Row
    if read_only:
        # Reads never write: a statement that tries is a bug, and fails loudly here.
        await db.execute("PRAGMA query_only=ON")
    else:
        await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("PRAGMA foreign_keys=ON")
    await db.execute("PRAGMA busy_timeout=5000")
    # WAL makes NORMAL durable across application crashes; only an OS crash can lose the last commit.
    await db.execute("PRAGMA synchronous=NORMAL")
    for suffix in ("-wal", "-shm"):
        _tighten(path.with_name(path.name + suffix))
    return db


def migration_files() -> list[tuple[int, Path]]:
    """The numbered migrations in order; a gap or a duplicate number is a packaging error."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        match = _NUMBERED.match(path.name)
        if not match:
            raise RuntimeError(f"migration file {path.name} is not named NNN_name.sql")
        found.append((int(match.group(1)), path))
    numbers = [n for n, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {numbers}")
    return found


async def schema_version(db: aiosqlite.Connection) -> int:
    async with db.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    return int(row[0])


async def migrate(db: aiosqlite.Connection) -> list[int]:
    """Apply the migrations newer than PRAGMA user_version, each in its own transaction; return those applied."""
    current = await schema_version(db)
    applied = []
    for number, path in migration_files():
        if number <= current:
            continue
        script = path.read_text(encoding="utf-8")
        # executescript would COMMIT on its own; wrap it so the DDL and the version bump land together.
        try:
            await db.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
        except Exception:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise
        log.info("applied migration %s", path.name)
        applied.append(number)
    return applied


# The write transaction the running task is inside of, if any. Tasks copy their context when created, so only the
# task that opened a unit of work (and tasks it starts inside it) reads through it.
_unit_of_work: ContextVar[object | None] = ContextVar("zhibu_unit_of_work", default=None)


@dataclass
class UpdateMark:
    """The Telegram update the running task handles: its id goes into the applied_updates table inside the
    update's first write transaction, and `committed` tells the error handler that a change was saved."""

    update_id: int
    now: Callable[[], datetime]
    task: asyncio.Task | None
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
                from storage import scratch  # see Database.scratch

                scratch.remove_stale(Path(path))
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

    def execute(self, sql: str, parameters: Sequence | Mapping = ()):  # noqa: ANN201  (the driver's cursor context)
        """A read: of committed data, or inside this task's `write()` of that unit of work's state.

        Outside a write the connection is query-only, so a stray write fails loudly instead of escaping its
        transaction."""
        connection = self._writer if self._inside_write() else self._reader
        return connection.execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Sequence | Mapping]):  # noqa: ANN201
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
        """A private writable copy of the committed data, discarded when the block ends (storage/scratch.py): a
        dry run of a large use case (a roster import's preview) runs the very statements the real run would, on
        the copy, without ever taking this database's writer."""
        from storage import (
            scratch,  # it connects the way this module does; imported here to avoid a cycle
        )

        return scratch.copy_of(Path(self.path))

    async def close(self) -> None:
        for connection in self._all:
            await connection.close()


class Conn(Protocol):
    """What repositories need of a connection: `execute` (awaitable, or an async context for its cursor)."""

    def execute(self, sql: str, parameters: Sequence | Mapping = ...) -> Any: ...


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


class BackupRefused(ValueError):
    """The target of a backup would destroy something: the live database, or a file that is not a database."""


def _check_backup_target(source: Path, target: Path) -> None:
    if target.is_dir():
        raise BackupRefused(f"{target} is a directory; give the path of the copy to write")
    if not target.exists():
        return
    if source.exists() and target.samefile(source):
        raise BackupRefused(f"{target} is the live database itself; choose another path")
    with target.open("rb") as existing:
        header = existing.read(len(_SQLITE_HEADER))
    if header and header != _SQLITE_HEADER:
        raise BackupRefused(f"{target} exists and is not an SQLite database; refusing to overwrite it")


def backup(source: Path | str, target: Path | str) -> None:
    """Copy the database with SQLite's online backup API: consistent even while the bot writes.

    The copy is 0600 (its folder 0700 when created here). BackupRefused when the target is the live database
    or an existing file that is not a database: a typo must not destroy either."""
    source, target = Path(source), Path(target)
    _check_backup_target(source, target)
    _private_file(target)
    os.chmod(target, PRIVATE_FILE)  # an older copy being replaced may have been readable by others
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    for suffix in ("-wal", "-shm", "-journal"):
        _tighten(target.with_name(target.name + suffix))

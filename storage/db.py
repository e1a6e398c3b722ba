"""The SQLite connection and its migrations."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
_NUMBERED = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


async def connect(path: Path | str) -> aiosqlite.Connection:
    """Open the database with WAL, foreign keys and a busy timeout (the CLI may write while the bot runs)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = await aiosqlite.connect(str(path), isolation_level=None)
    db.row_factory = aiosqlite.Row
    await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("PRAGMA foreign_keys=ON")
    await db.execute("PRAGMA busy_timeout=5000")
    # WAL makes NORMAL durable across application crashes; only an OS crash can lose the last commit.
    await db.execute("PRAGMA synchronous=NORMAL")
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


_locks: weakref.WeakKeyDictionary[aiosqlite.Connection, asyncio.Lock] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """One write transaction at a time on the shared connection.

    Handlers and scheduler jobs share one connection; without the lock a second coroutine's
    statements would silently join (and commit or roll back with) the first one's transaction.
    """
    lock = _locks.setdefault(db, asyncio.Lock())
    async with lock:
        await db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        else:
            await db.execute("COMMIT")


async def open_database(path: Path | str) -> aiosqlite.Connection:
    """Connect and bring the schema up to date."""
    db = await connect(path)
    try:
        await migrate(db)
    except Exception:
        await db.close()
        raise
    return db


def backup(source: Path | str, target: Path | str) -> None:
    """Copy the database with SQLite's online backup API: consistent even while the bot writes."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()

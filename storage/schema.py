"""The schema: the numbered migrations and the version a database is at, for each engine.

SQLite's are storage/migrations/NNN_name.sql, its version PRAGMA user_version. PostgreSQL's are their twins in
storage/migrations/postgresql/ — the same numbers and names, in PostgreSQL's words (BIGINT for Telegram ids and
every other integer, identity columns, COLLATE "C" on the keys searched by prefix) — and its version is the one
row of zhibu_schema_version. Both sets give the same tables, columns and indexes (tests/storage/test_pg_schema.py).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import aiosqlite

from storage.connection import Conn, one_row

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
PG_MIGRATIONS = MIGRATIONS / "postgresql"
PG_VERSION_TABLE = "zhibu_schema_version"
# Processes starting together migrate one at a time (a PostgreSQL advisory lock; any number unique to zhibu).
PG_MIGRATION_LOCK = 0x7A68_6962_7501
_NUMBERED = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migration_files(folder: Path = MIGRATIONS) -> list[tuple[int, Path]]:
    """The numbered migrations in order; a duplicate number is a packaging error. Numbers are reserved ahead for
    work in progress, so a gap may stand until the migrations between land."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NUMBERED.match(path.name)
        if not match:
            raise RuntimeError(f"migration file {path.name} is not named NNN_name.sql")
        found.append((int(match.group(1)), path))
    numbers = [n for n, _ in found]
    if len(set(numbers)) != len(numbers) or (numbers and numbers[0] != 1):
        raise RuntimeError(f"migrations must be numbered from 1 without duplicates, found {numbers}")
    return found


def _postgresql(db: object) -> bool:
    return getattr(db, "engine", None) == "postgresql"


async def schema_version(db: Conn) -> int:
    if _postgresql(db):
        async with db.execute(f"SELECT coalesce(max(version), 0) FROM {PG_VERSION_TABLE}") as cur:
            return int((await one_row(cur))[0])
    async with db.execute("PRAGMA user_version") as cur:
        return int((await one_row(cur))[0])


# A SQLite migration that starts with this line rebuilds a table others refer to (see _migrate_sqlite).
REBUILD_MARK = "-- rebuilds:"


async def migrate(db: Any) -> list[int]:
    """Apply the migrations newer than the database's version, each in its own transaction; return those applied.
    `db` is a plain connection: aiosqlite's, or storage.postgresql's."""
    if _postgresql(db):
        return await _migrate_postgresql(db)
    return await _migrate_sqlite(db)


async def _migrate_sqlite(db: aiosqlite.Connection) -> list[int]:
    current = await schema_version(db)
    applied = []
    for number, path in migration_files():
        if number <= current:
            continue
        script = path.read_text(encoding="utf-8")
        rebuilds = script.startswith(REBUILD_MARK)
        if rebuilds:
            # SQLite's documented way to rebuild a table others refer to: foreign keys off (only possible outside a
            # transaction), the new table renamed into place, and every reference checked before the commit.
            await db.execute("PRAGMA foreign_keys=OFF")
        # executescript would COMMIT on its own; wrap it so the DDL and the version bump land together.
        try:
            await db.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};")
            if rebuilds:
                broken = list(await (await db.execute("PRAGMA foreign_key_check")).fetchall())
                if broken:
                    raise RuntimeError(f"migration {path.name} would break {len(broken)} references: {broken[:5]}")
            await db.execute("COMMIT")
        except Exception:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise
        finally:
            if rebuilds:
                await db.execute("PRAGMA foreign_keys=ON")
        log.info("applied migration %s", path.name)
        applied.append(number)
    return applied


async def _migrate_postgresql(db: Any) -> list[int]:
    """The same on PostgreSQL, under an advisory lock so that processes starting together take turns."""
    raw = db.raw
    await raw.execute("SELECT pg_advisory_lock(%s)", (PG_MIGRATION_LOCK,))
    try:
        await raw.execute(f"CREATE TABLE IF NOT EXISTS {PG_VERSION_TABLE} (version INTEGER NOT NULL)")
        current = await schema_version(db)
        applied = []
        for number, path in migration_files(PG_MIGRATIONS):
            if number <= current:
                continue
            script = path.read_text(encoding="utf-8")
            async with raw.transaction():
                await raw.execute(script.encode())  # no parameters: the whole script in one simple query
                await raw.execute(f"DELETE FROM {PG_VERSION_TABLE}")
                await raw.execute(f"INSERT INTO {PG_VERSION_TABLE} (version) VALUES (%s)", (number,))
            log.info("applied migration postgresql/%s", path.name)
            applied.append(number)
        return applied
    finally:
        await raw.execute("SELECT pg_advisory_unlock(%s)", (PG_MIGRATION_LOCK,))

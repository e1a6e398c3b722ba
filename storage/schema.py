"""The schema: the numbered migrations in storage/migrations/ and the version the database is at (PRAGMA user_version)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import aiosqlite

from storage.connection import Conn, one_row

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
_NUMBERED = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


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


async def schema_version(db: Conn) -> int:
    async with db.execute("PRAGMA user_version") as cur:
        return int((await one_row(cur))[0])


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

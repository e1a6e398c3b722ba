"""Marks for periodic work already done (a day's digest …), so restarts neither skip nor repeat it."""

from __future__ import annotations

from datetime import datetime

from storage.connection import Conn
from storage.dialect import prefix_bounds, starts_with
from storage.times import to_db


async def claim(db: Conn, key: str, now: datetime) -> bool:
    """Set the mark; True the first time only."""
    async with db.execute(
        "INSERT INTO schedule_marks (key, at) VALUES (?, ?) ON CONFLICT DO NOTHING", (key, to_db(now))
    ) as cur:
        return cur.rowcount == 1


async def missing(db: Conn, keys: list[str]) -> set[str]:
    """The keys among `keys` not marked yet (one query for many branches)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        async with db.execute(f"SELECT key FROM schedule_marks WHERE key IN ({marks})", chunk) as cur:
            found.update(r[0] for r in await cur.fetchall())
    return set(keys) - found


async def any_with_prefix(db: Conn, prefix: str) -> bool:
    """Whether some step under this prefix has been done (e.g. 'themeday:create:' — the county's theme days made)."""
    async with db.execute(
        f"SELECT 1 FROM schedule_marks WHERE {starts_with('key')} LIMIT 1", prefix_bounds(prefix)
    ) as cur:
        return await cur.fetchone() is not None

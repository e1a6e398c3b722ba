"""When a theme day's theme was fixed: the 'theme by the 5th' rule (seed 002) is judged on it."""

from __future__ import annotations

from datetime import datetime

from storage.connection import Conn
from storage.times import to_db


async def mark_theme_set(db: Conn, meeting_id: int, now: datetime) -> None:
    """The first time a meeting's theme was fixed (the theme-by-the-5th rule is judged on it)."""
    await db.execute("UPDATE meetings SET theme_set_at = COALESCE(theme_set_at, ?) WHERE id = ?",
                     (to_db(now), meeting_id))


async def theme_set_at(db: Conn, meeting_id: int) -> datetime | None:
    async with db.execute("SELECT theme_set_at FROM meetings WHERE id = ?", (meeting_id,)) as cur:
        row = await cur.fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None

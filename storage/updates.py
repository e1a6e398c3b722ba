"""The Telegram updates whose changes are committed: a redelivered update_id is not applied twice."""

from __future__ import annotations

from datetime import datetime

from storage.connection import Conn
from storage.times import to_db


async def applied(db: Conn, update_id: int) -> bool:
    async with db.execute("SELECT 1 FROM applied_updates WHERE update_id = ?", (update_id,)) as cur:
        return await cur.fetchone() is not None


class AlreadyApplied(Exception):
    """The update's change was committed before (by this process or another one that got the same update)."""


async def record(db: Conn, update_id: int, now: datetime) -> None:
    """Inside the write transaction of the update's change: a fence. An update recorded already raises
    AlreadyApplied, so the transaction and the handling it belongs to roll back. (On PostgreSQL a second process
    recording the same update at the same moment waits for the first, then fails alike or with a WriteConflict.)"""
    async with db.execute("""INSERT INTO applied_updates (update_id, applied_at) VALUES (?, ?)
                             ON CONFLICT DO NOTHING RETURNING update_id""", (update_id, to_db(now))) as cur:
        if await cur.fetchone() is None:
            raise AlreadyApplied(f"update {update_id} was applied already")


async def prune(db: Conn, before: datetime) -> int:
    async with db.execute("DELETE FROM applied_updates WHERE applied_at < ?", (to_db(before),)) as cur:
        return cur.rowcount

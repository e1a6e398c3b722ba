"""已读 receipts of notices, for every kind of notice alike: a branch's (notice_receipts) and an officer's to a
subtree (officer_notice_receipts, which also keeps each recipient's branch). One row a recipient: read or not, and
how many times they were nudged."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from bot.domain.notices import ReadCounts
from storage.connection import Conn, one_row
from storage.times import to_db


class Table(StrEnum):
    """The receipt tables (the only names these queries are ever built with)."""

    BRANCH = "notice_receipts"
    OFFICER = "officer_notice_receipts"


async def add(db: Conn, table: Table, notice_id: int,
              recipients: Iterable[tuple[int, int]]) -> None:
    """(member id, branch id) of each recipient; one already there stays as it is."""
    if table is Table.OFFICER:
        await db.executemany(
            f"INSERT INTO {table} (notice_id, member_id, branch_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(notice_id, m, b) for m, b in recipients])
    else:
        await db.executemany(f"INSERT INTO {table} (notice_id, member_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                             [(notice_id, m) for m, _ in recipients])


async def mark_read(db: Conn, table: Table, notice_id: int, member_id: int,
                    now: datetime) -> bool | None:
    """True when newly read, False when it was read already, None when this member was not a recipient."""
    async with db.execute(
        f"UPDATE {table} SET read_at = ? WHERE notice_id = ? AND member_id = ? AND read_at IS NULL",
        (to_db(now), notice_id, member_id),
    ) as cur:
        if cur.rowcount == 1:
            return True
    async with db.execute(
        f"SELECT 1 FROM {table} WHERE notice_id = ? AND member_id = ?", (notice_id, member_id)
    ) as cur:
        return False if await cur.fetchone() else None


async def is_read(db: Conn, table: Table, notice_id: int, member_id: int) -> bool:
    async with db.execute(
        f"SELECT read_at IS NOT NULL FROM {table} WHERE notice_id = ? AND member_id = ?", (notice_id, member_id)
    ) as cur:
        row = await cur.fetchone()
    return bool(row and row[0])


async def counts(db: Conn, table: Table, notice_id: int) -> ReadCounts:
    async with db.execute(f"SELECT COUNT(*), COUNT(read_at) FROM {table} WHERE notice_id = ?", (notice_id,)) as cur:
        total, read = await one_row(cur)
    return ReadCounts(total=total, read=read)


async def member_ids(db: Conn, table: Table, notice_id: int, *, unread: bool = False) -> list[int]:
    """The recipients (or those who have not read it yet), by member id."""
    async with db.execute(
        f"SELECT member_id FROM {table} WHERE notice_id = ?" + (" AND read_at IS NULL" if unread else "")
        + " ORDER BY member_id", (notice_id,),
    ) as cur:
        return [r[0] for r in await cur.fetchall()]


async def count_nudge(db: Conn, table: Table, notice_id: int, member_ids: list[int]) -> None:
    await db.executemany(
        f"UPDATE {table} SET nudges = nudges + 1 WHERE notice_id = ? AND member_id = ?",
        [(notice_id, m) for m in member_ids],
    )

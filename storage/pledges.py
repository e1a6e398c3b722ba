"""Members' posts and yearly pledges (member_pledges)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.pledges import Kept, Pledge
from storage.connection import Conn
from storage.times import to_db

_COLUMNS = "id, branch_id, member_id, year, post, pledge, confirmed_by, kept, kept_note"


async def of_member(db: Conn, member_id: int, year: int) -> Pledge | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM member_pledges WHERE member_id = ? AND year = ?",
                          (member_id, year)) as cur:
        row = await cur.fetchone()
    return Pledge.model_validate(dict(row)) if row else None


async def get(db: Conn, pledge_id: int) -> Pledge | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM member_pledges WHERE id = ?", (pledge_id,)) as cur:
        row = await cur.fetchone()
    return Pledge.model_validate(dict(row)) if row else None


async def enter(db: Conn, *, branch_id: int, member_id: int, year: int, post: str, pledge: str,
                now: datetime) -> None:
    """The member's entry for the year; entered again before it is confirmed, it replaces the first."""
    await db.execute(
        """INSERT INTO member_pledges (branch_id, member_id, year, post, pledge, entered_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (member_id, year) DO UPDATE SET post = excluded.post, pledge = excluded.pledge,
               entered_at = excluded.entered_at WHERE member_pledges.confirmed_by IS NULL""",
        (branch_id, member_id, year, post, pledge, to_db(now)),
    )


async def confirm(db: Conn, pledge_id: int, by: int, now: datetime) -> bool:
    async with db.execute(
        "UPDATE member_pledges SET confirmed_by = ?, confirmed_at = ? WHERE id = ? AND confirmed_by IS NULL",
        (by, to_db(now), pledge_id),
    ) as cur:
        return cur.rowcount == 1


async def review(db: Conn, pledge_id: int, kept: Kept, note: str, by: int, now: datetime) -> None:
    await db.execute("UPDATE member_pledges SET kept = ?, kept_note = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                     (kept.value, note, by, to_db(now), pledge_id))


async def of_branch_year(db: Conn, branch_id: int, year: int) -> dict[int, Pledge]:
    async with db.execute(f"SELECT {_COLUMNS} FROM member_pledges WHERE branch_id = ? AND year = ?",
                          (branch_id, year)) as cur:
        return {row[2]: Pledge.model_validate(dict(row)) for row in await cur.fetchall()}

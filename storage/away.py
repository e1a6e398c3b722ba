"""Approved standing leave (请销假) and the meeting rows it writes."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.away import StandingLeave
from storage.connection import Conn
from storage.times import to_db

_COLUMNS = "id, submission_id, branch_id, member_id, reason, starts_on, ends_on, ended_on, created_at"


async def create(db: Conn, *, submission_id: int, branch_id: int, member_id: int, reason: str,
                 starts_on: date, ends_on: date, now: datetime) -> None:
    await db.execute(
        """INSERT INTO standing_leave (submission_id, branch_id, member_id, reason, starts_on, ends_on, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id) DO NOTHING""",
        (submission_id, branch_id, member_id, reason, starts_on.isoformat(), ends_on.isoformat(), to_db(now)),
    )


async def current_of(db: Conn, member_id: int, today: date) -> StandingLeave | None:
    """The member's standing leave that is not over by `today` (under way or still to come)."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM standing_leave WHERE member_id = ? AND COALESCE(ended_on, ends_on) >= ?
                AND (ended_on IS NULL OR ended_on >= starts_on) ORDER BY starts_on LIMIT 1""",
        (member_id, today.isoformat()),
    ) as cur:
        row = await cur.fetchone()
    return StandingLeave.model_validate(dict(row)) if row else None


async def in_branch(db: Conn, branch_id: int, since: date) -> list[StandingLeave]:
    """The branch's standing leaves not over before `since`."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM standing_leave WHERE branch_id = ? AND COALESCE(ended_on, ends_on) >= ?
            ORDER BY member_id, starts_on""",
        (branch_id, since.isoformat()),
    ) as cur:
        return [StandingLeave.model_validate(dict(r)) for r in await cur.fetchall()]


async def end_early(db: Conn, leave_id: int, last_day: date) -> bool:
    """销假: `last_day` is the last day away."""
    async with db.execute("UPDATE standing_leave SET ended_on = ? WHERE id = ? AND ended_on IS NULL",
                          (last_day.isoformat(), leave_id)) as cur:
        return cur.rowcount == 1


async def clear_leave(db: Conn, meeting_id: int, member_id: int) -> bool:
    """Back from standing leave before a meeting: its 请假 row goes, so the member is expected again."""
    async with db.execute(
        "DELETE FROM attendance WHERE meeting_id = ? AND member_id = ? AND status = 'on_leave'",
        (meeting_id, member_id),
    ) as cur:
        return cur.rowcount == 1


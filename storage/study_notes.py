"""学习心得: a member's note on a 专题学习 they attended (study_notes) — the text for its author, the names for the
branch, the counts for the yearly register."""

from __future__ import annotations

from datetime import datetime

from storage.connection import Conn
from storage.times import to_db


async def save(db: Conn, meeting_id: int, member_id: int, text: str, now: datetime) -> None:
    """Keep the member's note on the session (a second note replaces the first)."""
    await db.execute(
        """INSERT INTO study_notes (meeting_id, member_id, text, written_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (meeting_id, member_id) DO UPDATE SET text = excluded.text, written_at = excluded.written_at""",
        (meeting_id, member_id, text, to_db(now)),
    )


async def text_of(db: Conn, meeting_id: int, member_id: int) -> str | None:
    """The member's own note on the session, None when they wrote none."""
    async with db.execute("SELECT text FROM study_notes WHERE meeting_id = ? AND member_id = ?",
                          (meeting_id, member_id)) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def authors(db: Conn, meeting_id: int) -> set[int]:
    """Who handed in a note on the session (their ids; never the texts)."""
    async with db.execute("SELECT member_id FROM study_notes WHERE meeting_id = ?", (meeting_id,)) as cur:
        return {row[0] for row in await cur.fetchall()}


async def year_attendance(db: Conn, branch_id: int, since: datetime,
                          until: datetime) -> dict[int, tuple[int, int, int, int]]:
    """member id → (sessions they were expected at, present, made up, notes handed in) over the branch's 专题学习
    starting in [since, until) and not called off. A session is counted once its attendance is on record."""
    async with db.execute(
        """SELECT a.member_id, COUNT(*),
                  SUM(CASE WHEN a.status IN ('checked_in', 'late') THEN 1 ELSE 0 END),
                  SUM(CASE WHEN a.made_up_at IS NOT NULL THEN 1 ELSE 0 END),
                  SUM(CASE WHEN EXISTS (SELECT 1 FROM study_notes n WHERE n.meeting_id = a.meeting_id
                                                                      AND n.member_id = a.member_id)
                           THEN 1 ELSE 0 END)
           FROM attendance a JOIN meetings m ON m.id = a.meeting_id
           WHERE m.branch_id = ? AND m.kind = 'study' AND m.status != 'cancelled'
             AND m.starts_at >= ? AND m.starts_at < ?
           GROUP BY a.member_id""",
        (branch_id, to_db(since), to_db(until)),
    ) as cur:
        return {row[0]: (int(row[1]), int(row[2] or 0), int(row[3] or 0), int(row[4] or 0))
                for row in await cur.fetchall()}

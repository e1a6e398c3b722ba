"""三会一课 records: who hosts and records a meeting, and the branch's meeting rules (JSON)."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.minutes import MeetingRules, Staff
from storage.connection import Conn
from storage.times import to_db


async def set_staff(db: Conn, meeting_id: int, host_id: int | None, recorder_id: int | None,
                    scheduled_by: int | None, now: datetime) -> None:
    await db.execute(
        """INSERT INTO meeting_staff (meeting_id, host_id, recorder_id, scheduled_by, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (meeting_id) DO UPDATE SET host_id = excluded.host_id, recorder_id = excluded.recorder_id""",
        (meeting_id, host_id, recorder_id, scheduled_by, to_db(now)),
    )


async def set_lecturer(db: Conn, meeting_id: int, lecturer_id: int | None, name: str | None, leader: bool) -> None:
    """A 党课's 主讲人: a member (`lecturer_id`) or a typed name, and whether a 领导干部."""
    await db.execute(
        "UPDATE meeting_staff SET lecturer_id = ?, lecturer_name = ?, lecturer_leader = ? WHERE meeting_id = ?",
        (lecturer_id, name, int(leader), meeting_id),
    )


async def staff_of(db: Conn, meeting_id: int) -> Staff | None:
    async with db.execute(
        """SELECT meeting_id, host_id, recorder_id, scheduled_by, lecturer_id, lecturer_name, lecturer_leader
           FROM meeting_staff WHERE meeting_id = ?""", (meeting_id,)
    ) as cur:
        row = await cur.fetchone()
    return Staff.model_validate(dict(row)) if row else None


async def rules_of(db: Conn, branch_id: int) -> MeetingRules:
    async with db.execute("SELECT settings FROM meeting_settings WHERE branch_id = ?", (branch_id,)) as cur:
        row = await cur.fetchone()
    return MeetingRules.model_validate(json.loads(row[0])) if row else MeetingRules()


async def save_rules(db: Conn, branch_id: int, rules: MeetingRules, now: datetime) -> None:
    await db.execute(
        """INSERT INTO meeting_settings (branch_id, settings, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (branch_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at""",
        (branch_id, rules.model_dump_json(), to_db(now)),
    )


async def lectures_by_leaders(db: Conn, branch_id: int, since: datetime, until: datetime) -> list[tuple[str, int]]:
    """(主讲人, lectures) of the 领导干部 who gave the branch's 党课 held in [since, until), by name (a theme day
    holding a 党课 counts)."""
    async with db.execute(
        """SELECT COALESCE(m.name, s.lecturer_name) AS lecturer, COUNT(*) FROM meeting_staff s
           JOIN meetings g ON g.id = s.meeting_id LEFT JOIN members m ON m.id = s.lecturer_id
           WHERE g.branch_id = ? AND (g.kind = 'lecture' OR ',' || g.holds || ',' LIKE '%,lecture,%')
             AND g.status = 'closed' AND s.lecturer_leader = 1
             AND g.starts_at >= ? AND g.starts_at < ?
           GROUP BY lecturer ORDER BY lecturer""",
        (branch_id, to_db(since), to_db(until)),
    ) as cur:
        return [(str(r[0]), int(r[1])) for r in await cur.fetchall() if r[0] is not None]

"""The six-month alarm: what zhibu knows of each member of a branch (meetings, dues, standing leave), read in a
few queries a branch, and the alarms raised and resolved."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime

from bot.domain.lapse import Alarm
from storage.connection import Conn, Row
from storage.times import to_db

_COLUMNS = "id, member_id, branch_id, level, facts, raised_at, resolved_at, resolution"


def _alarm(row: Row) -> Alarm:
    return Alarm.model_validate({**dict(row), "facts": json.loads(row["facts"])})


async def meetings_of(db: Conn, branch_id: int, since: datetime) -> dict[int, list[tuple[datetime, str, str | None, str]]]:
    """member → (start, kind, title, presence) of the branch's closed meetings since `since` they were expected at."""
    found: dict[int, list[tuple[datetime, str, str | None, str]]] = defaultdict(list)
    async with db.execute(
        """SELECT a.member_id, m.starts_at, m.kind, m.title, a.status FROM attendance a
           JOIN meetings m ON m.id = a.meeting_id
           WHERE m.branch_id = ? AND m.status = 'closed' AND m.starts_at >= ? ORDER BY m.starts_at""",
        (branch_id, to_db(since)),
    ) as cur:
        for row in await cur.fetchall():
            found[row[0]].append((datetime.fromisoformat(row[1]), row[2], row[3], row[4]))
    return found


async def paid_of(db: Conn, branch_id: int, since: str) -> dict[int, set[str]]:
    """member → the periods (YYYY-MM, from `since`) their dues were reported or confirmed for."""
    found: dict[int, set[str]] = defaultdict(set)
    async with db.execute("SELECT member_id, period FROM dues_payments WHERE branch_id = ? AND period >= ?",
                          (branch_id, since)) as cur:
        for row in await cur.fetchall():
            found[row[0]].add(row[1])
    return found


async def away_of(db: Conn, branch_id: int) -> dict[int, list[tuple[date, date]]]:
    """member → (first day, last day) of each approved standing leave."""
    found: dict[int, list[tuple[date, date]]] = defaultdict(list)
    async with db.execute(
        "SELECT member_id, starts_on, coalesce(ended_on, ends_on) FROM standing_leave WHERE branch_id = ?",
        (branch_id,),
    ) as cur:
        for row in await cur.fetchall():
            found[row[0]].append((date.fromisoformat(row[1]), date.fromisoformat(row[2])))
    return found


async def open_in_branch(db: Conn, branch_id: int) -> dict[int, Alarm]:
    """member → their alarm still open."""
    async with db.execute(f"SELECT {_COLUMNS} FROM lapse_alarms WHERE branch_id = ? AND resolved_at IS NULL",
                          (branch_id,)) as cur:
        return {a.member_id: a for a in [_alarm(r) for r in await cur.fetchall()]}


async def last_resolved(db: Conn, branch_id: int) -> dict[int, Alarm]:
    """member → their alarm resolved last (by a talk or a reason: it stands until the member lapses further)."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM lapse_alarms WHERE branch_id = ? AND resolved_at IS NOT NULL
            ORDER BY resolved_at, id""", (branch_id,)) as cur:
        return {a.member_id: a for a in [_alarm(r) for r in await cur.fetchall()]}


async def get(db: Conn, alarm_id: int) -> Alarm | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM lapse_alarms WHERE id = ?", (alarm_id,)) as cur:
        row = await cur.fetchone()
    return _alarm(row) if row else None


async def raise_alarm(db: Conn, member_id: int, branch_id: int, level: int, facts: dict[str, object], now: datetime) -> Alarm:
    """A new alarm, or the open one raised to `level` with the facts as they are now."""
    async with db.execute(
        f"""INSERT INTO lapse_alarms (member_id, branch_id, level, facts, raised_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (member_id) WHERE resolved_at IS NULL
            DO UPDATE SET level = excluded.level, facts = excluded.facts, updated_at = excluded.updated_at
            RETURNING {_COLUMNS}""",
        (member_id, branch_id, level, json.dumps(facts, ensure_ascii=False), to_db(now), to_db(now)),
    ) as cur:
        row = await cur.fetchone()
    assert row is not None  # an upsert … RETURNING always returns its row
    return _alarm(row)


async def resolve(db: Conn, alarm_id: int, resolution: str, by: int | None, now: datetime,
                  talk_id: int | None = None) -> bool:
    async with db.execute(
        """UPDATE lapse_alarms SET resolved_at = ?, resolution = ?, resolved_by = ?, talk_id = ?, updated_at = ?
           WHERE id = ? AND resolved_at IS NULL""",
        (to_db(now), resolution, by, talk_id, to_db(now), alarm_id),
    ) as cur:
        return cur.rowcount > 0

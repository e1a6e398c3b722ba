"""谈心谈话 records and the dates of members' 党性分析."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.domain.talks import Talk
from storage.connection import Conn, one_row
from storage.times import to_db

_COLUMNS = "id, branch_id, member_id, talker_id, day, topic, created_at"


async def add(db: Conn, *, branch_id: int, member_id: int, talker_id: int, day: date, topic: str,
              now: datetime) -> Talk:
    async with db.execute(
        f"""INSERT INTO talks (branch_id, member_id, talker_id, day, topic, created_at) VALUES (?, ?, ?, ?, ?, ?)
            RETURNING {_COLUMNS}""",
        (branch_id, member_id, talker_id, day.isoformat(), topic, to_db(now)),
    ) as cur:
        row = await one_row(cur)
    return Talk.model_validate(dict(row))


async def in_branch(db: Conn, branch_id: int, since: date, until: date) -> list[Talk]:
    """The branch's talks with since <= day < until, in date order."""
    async with db.execute(
        f"SELECT {_COLUMNS} FROM talks WHERE branch_id = ? AND day >= ? AND day < ? ORDER BY day, id",
        (branch_id, since.isoformat(), until.isoformat()),
    ) as cur:
        return [Talk.model_validate(dict(r)) for r in await cur.fetchall()]


async def names_without_talk(db: Conn, branch_ids: Sequence[int], since: date, until: date) -> dict[int, list[str]]:
    """branch id → names of its active members with no talk in it with since <= day < until, in member order (one
    statement for many branches: the digest asks it of the whole county)."""
    if not branch_ids:
        return {}
    marks = ",".join("?" * len(branch_ids))
    found: dict[int, list[str]] = {}
    async with db.execute(
        f"""SELECT m.branch_id, m.name FROM members m WHERE m.branch_id IN ({marks}) AND m.status = 'active'
            AND (m.branch_id, m.id) NOT IN (SELECT t.branch_id, t.member_id FROM talks t
                                            WHERE t.branch_id IN ({marks}) AND t.day >= ? AND t.day < ?)
            ORDER BY m.id""",
        (*branch_ids, *branch_ids, since.isoformat(), until.isoformat()),
    ) as cur:
        for branch_id, name in await cur.fetchall():
            found.setdefault(branch_id, []).append(name)
    return found


async def record_party_spirit(db: Conn, member_id: int, submission_id: int, day: date) -> None:
    await db.execute(
        """INSERT INTO party_spirit_analyses (member_id, submission_id, analysed_on) VALUES (?, ?, ?)
           ON CONFLICT (member_id, submission_id) DO UPDATE SET analysed_on = excluded.analysed_on""",
        (member_id, submission_id, day.isoformat()),
    )


async def last_party_spirit(db: Conn, member_ids: list[int]) -> dict[int, date]:
    """Each member's latest 党性分析 date (members without one are left out)."""
    found: dict[int, date] = {}
    for start in range(0, len(member_ids), 500):
        chunk = member_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        async with db.execute(
            f"""SELECT member_id, MAX(analysed_on) FROM party_spirit_analyses WHERE member_id IN ({marks})
                GROUP BY member_id""", chunk,
        ) as cur:
            found.update({r[0]: date.fromisoformat(r[1]) for r in await cur.fetchall()})
    return found

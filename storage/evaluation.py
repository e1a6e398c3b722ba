"""Evaluation campaigns, anonymous peer grades and the branch's final grades.

Peer grades are anonymous by construction: the table holds no grader member id, only an opaque ballot id
while the campaign is open, and this module offers no query that pairs a grader with a subject. A grader
can read back only their own ballot (to change it); everyone else gets counts per grade per member.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from bot.domain.evaluation import Campaign, Grade, Result
from storage.connection import Conn, Row, one_row
from storage.times import to_db

_COLUMNS = "id, branch_id, year, deadline, status, opened_by, opened_at, closed_at"


def _campaign(row: Row) -> Campaign:
    return Campaign.model_validate(dict(row))


async def create(db: Conn, branch_id: int, year: int, deadline: datetime, salt: str, opened_by: int,
                 now: datetime) -> Campaign | None:
    """A new open campaign; None when the branch already has one for that year."""
    async with db.execute(
        f"""INSERT INTO evaluation_campaigns (branch_id, year, deadline, ballot_salt, opened_by, opened_at)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (branch_id, year) DO NOTHING RETURNING {_COLUMNS}""",
        (branch_id, year, to_db(deadline), salt, opened_by, to_db(now)),
    ) as cur:
        row = await cur.fetchone()
    return _campaign(row) if row else None


async def get(db: Conn, campaign_id: int) -> Campaign | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM evaluation_campaigns WHERE id = ?", (campaign_id,)) as cur:
        row = await cur.fetchone()
    return _campaign(row) if row else None


async def for_year(db: Conn, branch_id: int, year: int) -> Campaign | None:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM evaluation_campaigns WHERE branch_id = ? AND year = ?", (branch_id, year)
    ) as cur:
        row = await cur.fetchone()
    return _campaign(row) if row else None


async def for_year_in(db: Conn, branch_ids: Sequence[int], year: int) -> dict[int, Campaign]:
    """branch id → its campaign of the year (a branch without one is left out)."""
    if not branch_ids:
        return {}
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM evaluation_campaigns WHERE branch_id IN ({",".join("?" * len(branch_ids))})
            AND year = ?""", (*branch_ids, year)
    ) as cur:
        return {c.branch_id: c for c in map(_campaign, await cur.fetchall())}


async def open_in(db: Conn, branch_ids: Sequence[int]) -> dict[int, Campaign]:
    """branch id → its open campaign, the latest if several (a branch without one is left out)."""
    if not branch_ids:
        return {}
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM evaluation_campaigns WHERE branch_id IN ({",".join("?" * len(branch_ids))})
            AND status = 'open' ORDER BY id""", tuple(branch_ids)
    ) as cur:
        return {c.branch_id: c for c in map(_campaign, await cur.fetchall())}


async def open_for_branch(db: Conn, branch_id: int) -> Campaign | None:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM evaluation_campaigns WHERE branch_id = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
        (branch_id,),
    ) as cur:
        row = await cur.fetchone()
    return _campaign(row) if row else None


async def latest(db: Conn, branch_id: int) -> Campaign | None:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM evaluation_campaigns WHERE branch_id = ? ORDER BY year DESC LIMIT 1", (branch_id,)
    ) as cur:
        row = await cur.fetchone()
    return _campaign(row) if row else None


async def salt(db: Conn, campaign_id: int) -> str | None:
    async with db.execute("SELECT ballot_salt FROM evaluation_campaigns WHERE id = ?", (campaign_id,)) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def set_deadline(db: Conn, campaign_id: int, deadline: datetime) -> None:
    await db.execute("UPDATE evaluation_campaigns SET deadline = ? WHERE id = ? AND status = 'open'",
                     (to_db(deadline), campaign_id))


async def close(db: Conn, campaign_id: int, now: datetime) -> bool:
    """Close and erase the link between graders and their grades (salt and ballot ids); False if closed already."""
    async with db.execute(
        """UPDATE evaluation_campaigns SET status = 'closed', closed_at = ?, ballot_salt = NULL
           WHERE id = ? AND status = 'open'""",
        (to_db(now), campaign_id),
    ) as cur:
        if cur.rowcount != 1:
            return False
    await db.execute("UPDATE evaluation_peer_grades SET ballot = NULL WHERE campaign_id = ?", (campaign_id,))
    return True


# --- peer grades -----------------------------------------------------------------------------------------------

async def set_peer_grade(db: Conn, campaign_id: int, ballot: str, subject_id: int, grade: Grade) -> None:
    await db.execute(
        """INSERT INTO evaluation_peer_grades (campaign_id, ballot, subject_id, grade) VALUES (?, ?, ?, ?)
           ON CONFLICT (campaign_id, ballot, subject_id) DO UPDATE SET grade = excluded.grade""",
        (campaign_id, ballot, subject_id, grade.value),
    )


async def set_peer_comment(db: Conn, campaign_id: int, ballot: str, subject_id: int,
                           comment: str | None) -> bool:
    """The comment rides on the grade: False when this ballot has not graded the subject yet."""
    async with db.execute(
        "UPDATE evaluation_peer_grades SET comment = ? WHERE campaign_id = ? AND ballot = ? AND subject_id = ?",
        (comment, campaign_id, ballot, subject_id),
    ) as cur:
        return cur.rowcount == 1


async def own_ballot(db: Conn, campaign_id: int, ballot: str) -> dict[int, tuple[Grade, str | None]]:
    """What one grader gave (subject → grade, comment): only ever called with the caller's own ballot."""
    async with db.execute(
        "SELECT subject_id, grade, comment FROM evaluation_peer_grades WHERE campaign_id = ? AND ballot = ?",
        (campaign_id, ballot),
    ) as cur:
        return {r[0]: (Grade(r[1]), r[2]) for r in await cur.fetchall()}


async def peer_counts(db: Conn, campaign_id: int) -> dict[int, Counter[Grade]]:
    """Per subject, how many graders gave each grade — the only view of others' grades there is."""
    async with db.execute(
        """SELECT subject_id, grade, COUNT(*) FROM evaluation_peer_grades WHERE campaign_id = ?
           GROUP BY subject_id, grade""",
        (campaign_id,),
    ) as cur:
        rows = await cur.fetchall()
    counts: dict[int, Counter[Grade]] = {}
    for subject_id, grade, count in rows:
        counts.setdefault(subject_id, Counter())[Grade(grade)] = count
    return counts


async def peer_comments(db: Conn, campaign_id: int, subject_id: int) -> list[str]:
    """Comments on one member, without who wrote them, sorted by text so that their order tells nothing either."""
    async with db.execute(
        """SELECT comment FROM evaluation_peer_grades WHERE campaign_id = ? AND subject_id = ?
           AND comment IS NOT NULL AND comment != '' ORDER BY comment""",
        (campaign_id, subject_id),
    ) as cur:
        return [r[0] for r in await cur.fetchall()]


async def finished_ballots(db: Conn, campaign_id: int, subject_ids: list[int]) -> int:
    """How many graders have graded every one of `subject_ids` except themselves (a count, not who)."""
    if not subject_ids:
        return 0
    marks = ",".join("?" * len(subject_ids))
    async with db.execute(
        f"""SELECT COUNT(*) FROM (SELECT ballot FROM evaluation_peer_grades
                                  WHERE campaign_id = ? AND ballot IS NOT NULL AND subject_id IN ({marks})
                                  GROUP BY ballot HAVING COUNT(*) >= ?) AS ballots""",
        (campaign_id, *subject_ids, len(subject_ids) - 1),
    ) as cur:
        return int((await one_row(cur))[0])


# --- final grades ----------------------------------------------------------------------------------------------

async def set_final(db: Conn, campaign_id: int, member_id: int, grade: Grade, by: int,
                    now: datetime) -> None:
    await db.execute(
        """INSERT INTO evaluation_results (campaign_id, member_id, final_grade, decided_by, decided_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (campaign_id, member_id) DO UPDATE SET final_grade = excluded.final_grade,
               decided_by = excluded.decided_by, decided_at = excluded.decided_at""",
        (campaign_id, member_id, grade.value, by, to_db(now)),
    )


async def set_remark(db: Conn, campaign_id: int, member_id: int, remark: str | None) -> None:
    await db.execute(
        """INSERT INTO evaluation_results (campaign_id, member_id, remark) VALUES (?, ?, ?)
           ON CONFLICT (campaign_id, member_id) DO UPDATE SET remark = excluded.remark""",
        (campaign_id, member_id, remark),
    )


async def results(db: Conn, campaign_id: int) -> dict[int, Result]:
    async with db.execute(
        "SELECT member_id, final_grade, remark FROM evaluation_results WHERE campaign_id = ?", (campaign_id,)
    ) as cur:
        return {r[0]: Result(member_id=r[0], final_grade=r[1], remark=r[2]) for r in await cur.fetchall()}

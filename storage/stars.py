"""Stars awarded for deeds (member_stars), and the 民心墙 orders a member's work was rated 满意 on (their evidence)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.connection import Conn
from storage.times import to_db


@dataclass(frozen=True)
class Star:
    id: int
    member_id: int
    year: int
    deed: str
    evidence: str | None
    evidence_note: str
    awarded_at: str


_COLUMNS = "id, member_id, year, deed, evidence, evidence_note, awarded_at"


async def add(db: Conn, *, branch_id: int, member_id: int, year: int, deed: str, evidence: str | None,
              evidence_note: str, awarded_by: int, now: datetime) -> bool:
    """Award the star; False when this evidence already earned the member one."""
    async with db.execute(
        """INSERT INTO member_stars (branch_id, member_id, year, deed, evidence, evidence_note, awarded_by, awarded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
        (branch_id, member_id, year, deed, evidence, evidence_note, awarded_by, to_db(now)),
    ) as cur:
        return cur.rowcount == 1


async def of_member(db: Conn, member_id: int) -> list[Star]:
    async with db.execute(f"SELECT {_COLUMNS} FROM member_stars WHERE member_id = ? ORDER BY awarded_at, id",
                          (member_id,)) as cur:
        return [Star(*row) for row in await cur.fetchall()]


async def of_branch_year(db: Conn, branch_id: int, year: int) -> dict[int, list[Star]]:
    """The year's stars by member."""
    found: dict[int, list[Star]] = {}
    async with db.execute(
        f"SELECT {_COLUMNS} FROM member_stars WHERE branch_id = ? AND year = ? ORDER BY awarded_at, id",
        (branch_id, year),
    ) as cur:
        for row in await cur.fetchall():
            found.setdefault(row[1], []).append(Star(*row))
    return found


async def satisfied_orders(db: Conn, member_id: int) -> list[int]:
    """The 民心墙 orders whose round this member handled was rated 满意 and that earned them no star yet."""
    async with db.execute(
        """SELECT r.order_id FROM wall_ratings r
           WHERE r.member_id = ? AND r.rating = 'good'
             AND NOT EXISTS (SELECT 1 FROM member_stars s
                             WHERE s.member_id = r.member_id AND s.evidence = 'wall:' || r.order_id)
           ORDER BY r.order_id""",
        (member_id,),
    ) as cur:
        return [row[0] for row in await cur.fetchall()]


async def satisfied(db: Conn, member_id: int, order_id: int) -> bool:
    async with db.execute(
        "SELECT 1 FROM wall_ratings WHERE member_id = ? AND order_id = ? AND rating = 'good'", (member_id, order_id)
    ) as cur:
        return await cur.fetchone() is not None

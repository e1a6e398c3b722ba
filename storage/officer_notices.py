"""Officers' notices to their subtree: the draft, its recipients (chosen in SQL over the whole subtree at once) and
read counts per branch; the receipts themselves are storage/receipts.py's."""

from __future__ import annotations

from datetime import datetime

from bot.domain.notices import Recipient
from bot.domain.overview import BranchReads, OfficerNotice
from bot.domain.units import ROOT_ID
from storage.connection import Conn, one_row
from storage.times import to_db
from storage.units import _SUBTREE

_COLUMNS = "id, unit_id, author_telegram_id, author_name, body, audience, status, created_at, sent_at"


async def create_draft(db: Conn, unit_id: int, author_telegram_id: int, author_name: str, body: str,
                       now: datetime) -> OfficerNotice:
    async with db.execute(
        f"""INSERT INTO officer_notices (unit_id, author_telegram_id, author_name, body, created_at)
            VALUES (?, ?, ?, ?, ?) RETURNING {_COLUMNS}""",
        (unit_id, author_telegram_id, author_name, body, to_db(now)),
    ) as cur:
        return OfficerNotice.model_validate(dict(await one_row(cur)))


async def get(db: Conn, notice_id: int) -> OfficerNotice | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM officer_notices WHERE id = ?", (notice_id,)) as cur:
        row = await cur.fetchone()
    return OfficerNotice.model_validate(dict(row)) if row else None


async def set_audience(db: Conn, notice_id: int, audience: str) -> None:
    await db.execute("UPDATE officer_notices SET audience = ? WHERE id = ? AND status = 'draft'", (audience, notice_id))


async def discard(db: Conn, notice_id: int) -> bool:
    async with db.execute(
        "UPDATE officer_notices SET status = 'discarded' WHERE id = ? AND status = 'draft'", (notice_id,)
    ) as cur:
        return cur.rowcount == 1


async def mark_sent(db: Conn, notice_id: int, now: datetime) -> bool:
    """True once: a second 发送 (a double tap) finds it sent already."""
    async with db.execute(
        "UPDATE officer_notices SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'draft'",
        (to_db(now), notice_id),
    ) as cur:
        return cur.rowcount == 1


def _audience_filter(audience: str) -> str:
    if audience == "secretaries":
        return "AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id AND r.role = 'secretary')"
    return ""


async def recipients(db: Conn, unit_id: int, audience: str) -> list[Recipient]:
    """Every active member (or every secretary) of every branch under the unit, chosen over the whole subtree in
    one statement."""
    sql = _SUBTREE.format(marks="?") + f"""
        SELECT m.id AS member_id, m.branch_id, m.telegram_id, m.reachable FROM members m
        JOIN branches b ON b.id = m.branch_id
        WHERE m.status = 'active' AND coalesce(b.unit_id, {ROOT_ID}) IN (SELECT id FROM tree)
          {_audience_filter(audience)}
        ORDER BY m.branch_id, m.id"""
    async with db.execute(sql, (unit_id,)) as cur:
        return [Recipient.model_validate(dict(r)) for r in await cur.fetchall()]


async def reads_by_branch(db: Conn, notice_id: int) -> list[BranchReads]:
    """Per branch: recipients and how many have read it, the lowest read rate first (one query)."""
    async with db.execute(
        """SELECT r.branch_id, b.name, count(*) AS recipients, count(r.read_at) AS read
           FROM officer_notice_receipts r JOIN branches b ON b.id = r.branch_id
           WHERE r.notice_id = ? GROUP BY r.branch_id, b.name
           ORDER BY CAST(count(r.read_at) AS REAL) / count(*), b.name""",
        (notice_id,),
    ) as cur:
        return [BranchReads.model_validate(dict(r)) for r in await cur.fetchall()]

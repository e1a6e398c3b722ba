"""Filings waiting for the unit above, the daily filing digests that carried them and their files, and the
follow-ups of 不合格 results."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.filing import Filing, ReviewStatus
from bot.domain.followup import Followup, ItemKind
from storage import followups
from storage.connection import Conn, one_row
from storage.times import to_db

_FILING = """id, kind, ref, branch_id, unit_id, title, filed_at, digest_id, review_status, review_by, reviewed_at,
             reviewed_by, reviewed_by_name, review_comment, reminded_at"""


async def add(db: Conn, kind: str, ref: str, branch_id: int, unit_id: int, title: str,
              now: datetime, review_by: date | None = None) -> bool:
    """Record a filing once: the same record approved again (after a resubmission) is not filed twice — unless the
    unit returned it, when it is filed anew (waiting for the next digest and a new review)."""
    async with db.execute(
        """INSERT INTO filings (kind, ref, branch_id, unit_id, title, filed_at, review_by) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (kind, ref) DO UPDATE SET unit_id = excluded.unit_id, title = excluded.title,
               filed_at = excluded.filed_at, review_by = excluded.review_by, digest_id = NULL,
               review_status = 'waiting', reviewed_at = NULL, reviewed_by = NULL, reviewed_by_name = NULL,
               reminded_at = NULL
           WHERE filings.review_status = 'returned'""",
        (kind, ref, branch_id, unit_id, title, to_db(now), review_by.isoformat() if review_by else None),
    ) as cur:
        return cur.rowcount > 0


async def get(db: Conn, filing_id: int) -> Filing | None:
    async with db.execute(f"SELECT {_FILING} FROM filings WHERE id = ?", (filing_id,)) as cur:
        row = await cur.fetchone()
    return Filing.model_validate(dict(row)) if row else None


async def for_review(db: Conn, unit_ids: list[int], status: ReviewStatus | None = ReviewStatus.WAITING,
                     limit: int = 200) -> list[Filing]:
    """Filings with these units (a subtree's), of one review status (None: any), oldest first."""
    if not unit_ids:
        return []
    marks = ",".join("?" * len(unit_ids))
    where = "" if status is None else "AND review_status = ?"
    params = (*unit_ids, *(() if status is None else (status.value,)), limit)
    async with db.execute(
        f"SELECT {_FILING} FROM filings WHERE unit_id IN ({marks}) {where} ORDER BY filed_at, id LIMIT ?", params,
    ) as cur:
        return [Filing.model_validate(dict(r)) for r in await cur.fetchall()]


async def decide_review(db: Conn, filing_id: int, status: ReviewStatus, by: int, by_name: str,
                        comment: str | None, now: datetime) -> bool:
    """已审阅 or 退回, once: False when someone answered it first (or it was filed anew since)."""
    async with db.execute(
        """UPDATE filings SET review_status = ?, reviewed_at = ?, reviewed_by = ?, reviewed_by_name = ?,
               review_comment = ?
           WHERE id = ? AND review_status = 'waiting'""",
        (status.value, to_db(now), by, by_name, comment, filing_id),
    ) as cur:
        return cur.rowcount == 1


async def past_review_unreminded(db: Conn, today: date) -> list[Filing]:
    """Filings still unreviewed after their last day whose officers were not reminded yet."""
    async with db.execute(
        f"""SELECT {_FILING} FROM filings WHERE review_status = 'waiting' AND review_by < ? AND reminded_at IS NULL
            ORDER BY unit_id, filed_at, id""", (today.isoformat(),),
    ) as cur:
        return [Filing.model_validate(dict(r)) for r in await cur.fetchall()]


async def review_counts(db: Conn, branch_ids: list[int], today: date) -> dict[int, dict[str, int]]:
    """branch id → how many of its filings wait (and of those, are past their day), were reviewed, were returned."""
    if not branch_ids:
        return {}
    marks = ",".join("?" * len(branch_ids))
    async with db.execute(
        f"""SELECT branch_id, review_status, review_by < ? AS late, count(*) FROM filings
            WHERE branch_id IN ({marks}) GROUP BY branch_id, review_status, late""", (today.isoformat(), *branch_ids),
    ) as cur:
        rows = await cur.fetchall()
    found: dict[int, dict[str, int]] = {}
    for branch_id, status, late, count in rows:
        counts = found.setdefault(branch_id, {"waiting": 0, "overdue": 0, "reviewed": 0, "returned": 0})
        counts[status] += count
        if status == ReviewStatus.WAITING.value and late:
            counts["overdue"] += count
    return found


async def mark_reminded(db: Conn, filing_ids: list[int], now: datetime) -> None:
    for filing_id in filing_ids:
        await db.execute("UPDATE filings SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
                         (to_db(now), filing_id))


async def waiting_units(db: Conn) -> list[int]:
    async with db.execute("SELECT DISTINCT unit_id FROM filings WHERE digest_id IS NULL ORDER BY unit_id") as cur:
        return [r[0] for r in await cur.fetchall()]


async def waiting(db: Conn, unit_id: int, until: datetime) -> list[Filing]:
    async with db.execute(
        f"""SELECT {_FILING} FROM filings WHERE unit_id = ? AND digest_id IS NULL AND filed_at <= ?
            ORDER BY filed_at, id""",
        (unit_id, to_db(until)),
    ) as cur:
        return [Filing.model_validate(dict(r)) for r in await cur.fetchall()]


async def in_branches(db: Conn, branch_ids: list[int], since: datetime | None = None,
                      until: datetime | None = None) -> list[Filing]:
    """The branches' filings, oldest first (filed in [since, until) when given)."""
    if not branch_ids:
        return []
    marks = ",".join("?" * len(branch_ids))
    span = " AND filed_at >= ? AND filed_at < ?" if since and until else ""
    params = [*branch_ids, *((to_db(since), to_db(until)) if since and until else ())]
    async with db.execute(
        f"SELECT {_FILING} FROM filings WHERE branch_id IN ({marks}){span} ORDER BY filed_at, id", params
    ) as cur:
        return [Filing.model_validate(dict(r)) for r in await cur.fetchall()]


async def claim_digest(db: Conn, unit_id: int, day: str, now: datetime) -> int | None:
    """The digest of this unit for this day, when nobody made it yet (else None: it went out already)."""
    async with db.execute(
        """INSERT INTO filing_digests (unit_id, day, created_at) VALUES (?, ?, ?)
           ON CONFLICT (unit_id, day) DO NOTHING RETURNING id""",
        (unit_id, day, to_db(now)),
    ) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def digest_made(db: Conn, unit_id: int, day: str) -> bool:
    async with db.execute("SELECT 1 FROM filing_digests WHERE unit_id = ? AND day = ?", (unit_id, day)) as cur:
        return await cur.fetchone() is not None


async def carry(db: Conn, digest_id: int, filing_ids: list[int]) -> None:
    for filing_id in filing_ids:
        await db.execute("UPDATE filings SET digest_id = ? WHERE id = ? AND digest_id IS NULL", (digest_id, filing_id))


async def add_file(db: Conn, digest_id: int, filename: str, data: bytes) -> int:
    async with db.execute(
        "INSERT INTO filing_files (digest_id, filename, data) VALUES (?, ?, ?) RETURNING id",
        (digest_id, filename, data),
    ) as cur:
        return int((await one_row(cur))[0])


async def file(db: Conn, file_id: int) -> tuple[str, bytes] | None:
    async with db.execute("SELECT filename, data FROM filing_files WHERE id = ?", (file_id,)) as cur:
        row = await cur.fetchone()
    return (row[0], bytes(row[1])) if row else None


# --- follow-ups: the 不合格 members' items of the shared mechanism (storage/followups.py) ---------------------------

get_followup = followups.get


async def followups_of(db: Conn, branch_ids: list[int], include_closed: bool = False) -> list[Followup]:
    """The 不合格 follow-ups of these branches (the open ones, or all)."""
    return await followups.in_branches(db, branch_ids, [ItemKind.UNQUALIFIED], include_closed)

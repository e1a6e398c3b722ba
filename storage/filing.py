"""Filings waiting for the unit above, the daily filing digests that carried them and their files, and the
follow-ups of 不合格 results."""

from __future__ import annotations

from datetime import datetime

from bot.domain.filing import Filing
from bot.domain.followup import Followup, ItemKind
from storage import followups
from storage.connection import Conn, one_row
from storage.times import to_db

_FILING = "id, kind, ref, branch_id, unit_id, title, filed_at, digest_id"


async def add(db: Conn, kind: str, ref: str, branch_id: int, unit_id: int, title: str,
              now: datetime) -> bool:
    """Record a filing once: the same record approved again (after a resubmission) is not filed twice."""
    async with db.execute(
        """INSERT INTO filings (kind, ref, branch_id, unit_id, title, filed_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (kind, ref) DO NOTHING""",
        (kind, ref, branch_id, unit_id, title, to_db(now)),
    ) as cur:
        return cur.rowcount > 0


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


async def in_branches(db: Conn, branch_ids: list[int]) -> list[Filing]:
    if not branch_ids:
        return []
    marks = ",".join("?" * len(branch_ids))
    async with db.execute(
        f"SELECT {_FILING} FROM filings WHERE branch_id IN ({marks}) ORDER BY filed_at, id", branch_ids
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

"""Invitation codes for a branch's deep link."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Invitation
from storage.connection import Conn, one_row
from storage.times import to_db

_COLUMNS = "id, branch_id, code, created_by, created_at, revoked_at"


async def create(
    db: Conn, branch_id: int, code: str, created_by: int | None, now: datetime
) -> Invitation:
    async with db.execute(
        f"""INSERT INTO invitations (branch_id, code, created_by, created_at) VALUES (?, ?, ?, ?)
            RETURNING {_COLUMNS}""",
        (branch_id, code, created_by, to_db(now)),
    ) as cur:
        return Invitation.model_validate(dict(await one_row(cur)))


async def live_for_branch(db: Conn, branch_id: int) -> Invitation | None:
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM invitations WHERE branch_id = ? AND revoked_at IS NULL
            ORDER BY id DESC LIMIT 1""",
        (branch_id,),
    ) as cur:
        row = await cur.fetchone()
    return Invitation.model_validate(dict(row)) if row else None


async def by_code(db: Conn, code: str) -> Invitation | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM invitations WHERE code = ?", (code,)) as cur:
        row = await cur.fetchone()
    return Invitation.model_validate(dict(row)) if row else None


async def revoke_all(db: Conn, branch_id: int, now: datetime) -> int:
    async with db.execute(
        "UPDATE invitations SET revoked_at = ? WHERE branch_id = ? AND revoked_at IS NULL",
        (to_db(now), branch_id),
    ) as cur:
        return cur.rowcount

"""Units of the organisation tree, their officers, and which branches hang under which unit."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Branch
from bot.domain.units import ROOT_ID, Officer, OfficerInvite, Unit
from storage.branches import _COLUMNS as _BRANCH_COLUMNS
from storage.branches import _branch
from storage.connection import Conn, one_row
from storage.times import to_db

_UNIT = "id, name, kind, parent_id, created_at"

# The subtree of a set of units, the units themselves included (SQLite's recursive CTE; any depth).
_SUBTREE = """
    WITH RECURSIVE tree(id) AS (
        SELECT id FROM units WHERE id IN ({marks})
        UNION SELECT u.id FROM units u JOIN tree t ON u.parent_id = t.id
    )
"""


async def create(db: Conn, name: str, parent_id: int, now: datetime, kind: str = "") -> Unit:
    async with db.execute(
        f"INSERT INTO units (name, kind, parent_id, created_at) VALUES (?, ?, ?, ?) RETURNING {_UNIT}",
        (name, kind, parent_id, to_db(now)),
    ) as cur:
        return Unit.model_validate(dict(await one_row(cur)))


async def get(db: Conn, unit_id: int) -> Unit | None:
    async with db.execute(f"SELECT {_UNIT} FROM units WHERE id = ?", (unit_id,)) as cur:
        row = await cur.fetchone()
    return Unit.model_validate(dict(row)) if row else None


async def by_name(db: Conn, name: str) -> Unit | None:
    async with db.execute(f"SELECT {_UNIT} FROM units WHERE name = ?", (name,)) as cur:
        row = await cur.fetchone()
    return Unit.model_validate(dict(row)) if row else None


async def every(db: Conn) -> list[Unit]:
    async with db.execute(f"SELECT {_UNIT} FROM units ORDER BY id") as cur:
        return [Unit.model_validate(dict(r)) for r in await cur.fetchall()]


async def set_parent(db: Conn, unit_id: int, parent_id: int, kind: str) -> None:
    await db.execute("UPDATE units SET parent_id = ?, kind = ? WHERE id = ?", (parent_id, kind, unit_id))


async def subtree_ids(db: Conn, roots: list[int]) -> list[int]:
    if not roots:
        return []
    sql = _SUBTREE.format(marks=",".join("?" * len(roots))) + "SELECT id FROM tree ORDER BY id"
    async with db.execute(sql, roots) as cur:
        return [r[0] for r in await cur.fetchall()]


async def branches_under(db: Conn, roots: list[int]) -> list[Branch]:
    """Branches in the subtrees of `roots`; a branch with no unit counts as the root's."""
    if not roots:
        return []
    columns = ", ".join("b." + c.strip() for c in _BRANCH_COLUMNS.split(","))
    sql = _SUBTREE.format(marks=",".join("?" * len(roots))) + f"""
        SELECT {columns} FROM branches b
        WHERE coalesce(b.unit_id, {ROOT_ID}) IN (SELECT id FROM tree) ORDER BY b.id"""
    async with db.execute(sql, roots) as cur:
        return [_branch(r) for r in await cur.fetchall()]


async def branch_units(db: Conn) -> dict[int, int]:
    """branch id → unit id, for every branch (unit-less branches under the root)."""
    async with db.execute(f"SELECT id, coalesce(unit_id, {ROOT_ID}) FROM branches") as cur:
        return {r[0]: r[1] for r in await cur.fetchall()}


async def unit_of_branch(db: Conn, branch_id: int) -> int | None:
    async with db.execute(f"SELECT coalesce(unit_id, {ROOT_ID}) FROM branches WHERE id = ?", (branch_id,)) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def branch_named(db: Conn, unit_id: int, name: str) -> int | None:
    """The id of the branch of this name directly under the unit (unit-less branches count as the root's)."""
    async with db.execute(
        f"SELECT id FROM branches WHERE coalesce(unit_id, {ROOT_ID}) = ? AND name = ? ORDER BY id LIMIT 1",
        (unit_id, name),
    ) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def place_branch(db: Conn, branch_id: int, unit_id: int) -> None:
    await db.execute("UPDATE branches SET unit_id = ? WHERE id = ?", (unit_id, branch_id))


async def add_officer(db: Conn, unit_id: int, telegram_id: int, name: str, now: datetime) -> bool:
    """True when they were not an officer of the unit yet."""
    async with db.execute(
        """INSERT INTO unit_officers (unit_id, telegram_id, name, added_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (unit_id, telegram_id) DO NOTHING""",
        (unit_id, telegram_id, name, to_db(now)),
    ) as cur:
        return cur.rowcount > 0


async def remove_officer(db: Conn, unit_id: int, telegram_id: int) -> bool:
    async with db.execute(
        "DELETE FROM unit_officers WHERE unit_id = ? AND telegram_id = ?", (unit_id, telegram_id)
    ) as cur:
        return cur.rowcount > 0


async def officers_of(db: Conn, unit_id: int) -> list[Officer]:
    async with db.execute(
        "SELECT unit_id, telegram_id, name, added_at FROM unit_officers WHERE unit_id = ? ORDER BY added_at",
        (unit_id,),
    ) as cur:
        return [Officer.model_validate(dict(r)) for r in await cur.fetchall()]


async def officer_telegram_ids(db: Conn) -> list[int]:
    """Everyone who is an officer of some unit (ZHIBU_ADMINS are not stored)."""
    async with db.execute("SELECT DISTINCT telegram_id FROM unit_officers ORDER BY telegram_id") as cur:
        return [r[0] for r in await cur.fetchall()]


async def units_of_officer(db: Conn, telegram_id: int) -> list[int]:
    async with db.execute(
        "SELECT unit_id FROM unit_officers WHERE telegram_id = ? ORDER BY unit_id", (telegram_id,)
    ) as cur:
        return [r[0] for r in await cur.fetchall()]


async def create_officer_invite(db: Conn, code: str, unit_id: int, created_by: int,
                                now: datetime) -> None:
    await db.execute(
        "INSERT INTO officer_invites (code, unit_id, created_by, created_at) VALUES (?, ?, ?, ?)",
        (code, unit_id, created_by, to_db(now)),
    )


async def officer_invite(db: Conn, code: str) -> OfficerInvite | None:
    async with db.execute(
        "SELECT code, unit_id, created_by, created_at, used_by, revoked_at FROM officer_invites WHERE code = ?",
        (code,),
    ) as cur:
        row = await cur.fetchone()
    return OfficerInvite.model_validate(dict(row)) if row else None


async def use_officer_invite(db: Conn, code: str, telegram_id: int, now: datetime) -> int | None:
    """The unit of an unused, unrevoked officer link, now marked used by this person; None for any other code."""
    async with db.execute(
        """UPDATE officer_invites SET used_by = ?, used_at = ?
           WHERE code = ? AND used_by IS NULL AND revoked_at IS NULL RETURNING unit_id""",
        (telegram_id, to_db(now), code),
    ) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def revoke_officer_invites(db: Conn, unit_id: int, issued_by: int, now: datetime) -> int:
    """Void the unused links of a unit, and those its removed officer issued: how many."""
    async with db.execute(
        """UPDATE officer_invites SET revoked_at = ?
           WHERE used_by IS NULL AND revoked_at IS NULL AND (unit_id = ? OR created_by = ?)""",
        (to_db(now), unit_id, issued_by),
    ) as cur:
        return cur.rowcount

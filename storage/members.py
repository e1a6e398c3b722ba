"""Members of branches and their roles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.domain.models import Member, MemberStatus
from bot.domain.roles import Role
from storage.connection import Conn, Row, one_row
from storage.dialect import joined
from storage.times import to_db

# Roles are folded into one column (`joined`, group_concat) so that a roster is one query, not one per member.
_SELECT = f"""
    SELECT m.id, m.branch_id, m.telegram_id, m.name, m.status, m.reachable, m.party_group, m.menu, m.dues_fen,
           m.created_at, m.updated_at,
           (SELECT {joined('role')} FROM member_roles r WHERE r.member_id = m.id) AS roles
    FROM members m
"""


def _member(row: Row) -> Member:
    data = dict(row)
    data["roles"] = frozenset(Role(r) for r in (data["roles"] or "").split(",") if r)
    data["reachable"] = bool(data["reachable"])
    return Member.model_validate(data)


async def create(
    db: Conn,
    *,
    branch_id: int,
    telegram_id: int | None,
    name: str,
    status: MemberStatus,
    now: datetime,
    roles: Iterable[Role] = (),
) -> Member:
    async with db.execute(
        """INSERT INTO members (branch_id, telegram_id, name, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
        (branch_id, telegram_id, name, status.value, to_db(now), to_db(now)),
    ) as cur:
        member_id = (await one_row(cur))[0]
    for role in roles:
        await add_role(db, member_id, role)
    member = await get(db, member_id)
    assert member is not None
    return member


async def get(db: Conn, member_id: int) -> Member | None:
    async with db.execute(_SELECT + " WHERE m.id = ?", (member_id,)) as cur:
        row = await cur.fetchone()
    return _member(row) if row else None


async def by_telegram_id(db: Conn, telegram_id: int) -> Member | None:
    """The person's live (pending or active) membership, if any."""
    async with db.execute(
        _SELECT + " WHERE m.telegram_id = ? AND m.status IN ('pending', 'active')", (telegram_id,)
    ) as cur:
        row = await cur.fetchone()
    return _member(row) if row else None


async def in_branch(
    db: Conn, branch_id: int, statuses: Iterable[MemberStatus] = (MemberStatus.ACTIVE,)
) -> list[Member]:
    return (await in_branches(db, [branch_id], statuses)).get(branch_id, [])


async def in_branches(
    db: Conn, branch_ids: Sequence[int], statuses: Iterable[MemberStatus] = (MemberStatus.ACTIVE,)
) -> dict[int, list[Member]]:
    """branch id → its members of these statuses, in id order (a branch without any is left out)."""
    wanted = [s.value for s in statuses]
    if not branch_ids:
        return {}
    async with db.execute(
        _SELECT + f" WHERE m.branch_id IN ({_marks(branch_ids)}) AND m.status IN ({_marks(wanted)}) ORDER BY m.id",
        (*branch_ids, *wanted),
    ) as cur:
        return _by_branch(await cur.fetchall())


async def with_role(db: Conn, branch_id: int, roles: Iterable[Role]) -> list[Member]:
    """Active members of the branch holding any of the roles."""
    return (await with_role_in(db, [branch_id], roles)).get(branch_id, [])


async def with_role_in(db: Conn, branch_ids: Sequence[int], roles: Iterable[Role]) -> dict[int, list[Member]]:
    """branch id → its active members holding any of the roles, in id order. Each member's roles are looked up by
    the primary key (EXISTS), so the county's other role-holders are never read."""
    wanted = [r.value for r in roles]
    if not branch_ids:
        return {}
    async with db.execute(
        _SELECT
        + f""" WHERE m.branch_id IN ({_marks(branch_ids)}) AND m.status = 'active'
               AND EXISTS (SELECT 1 FROM member_roles h WHERE h.member_id = m.id AND h.role IN ({_marks(wanted)}))
               ORDER BY m.id""",
        (*branch_ids, *wanted),
    ) as cur:
        return _by_branch(await cur.fetchall())


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def _by_branch(rows: Iterable[Row]) -> dict[int, list[Member]]:
    found: dict[int, list[Member]] = {}
    for row in rows:
        member = _member(row)
        found.setdefault(member.branch_id, []).append(member)
    return found


async def set_status(db: Conn, member_id: int, status: MemberStatus, now: datetime) -> None:
    await db.execute(
        "UPDATE members SET status = ?, updated_at = ? WHERE id = ?", (status.value, to_db(now), member_id)
    )


async def decide_pending(db: Conn, member_id: int, status: MemberStatus, now: datetime) -> bool:
    """A join request decided, only while it still waits (False: someone decided it first)."""
    async with db.execute(
        "UPDATE members SET status = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
        (status.value, to_db(now), member_id),
    ) as cur:
        return cur.rowcount == 1


async def rename_pending(db: Conn, member_id: int, name: str, now: datetime) -> bool:
    """A join request's name corrected by the applicant; only while it waits (False once decided)."""
    async with db.execute(
        "UPDATE members SET name = ?, updated_at = ? WHERE id = ? AND status = 'pending'", (name, to_db(now), member_id)
    ) as cur:
        return cur.rowcount == 1


async def set_reachable(db: Conn, member_id: int, reachable: bool, now: datetime) -> bool:
    """Set the flag; True when it changed (so the secretary is told once, not on every failed send)."""
    async with db.execute(
        "UPDATE members SET reachable = ?, updated_at = ? WHERE id = ? AND reachable != ?",
        (int(reachable), to_db(now), member_id, int(reachable)),
    ) as cur:
        return cur.rowcount > 0


async def set_menu(db: Conn, member_id: int, menu: str) -> None:
    """Remember the command menu the member was given (no updated_at: it is not a change to the member)."""
    await db.execute("UPDATE members SET menu = ? WHERE id = ?", (menu, member_id))


async def set_party_group(db: Conn, member_id: int, group: str | None, now: datetime) -> None:
    await db.execute(
        "UPDATE members SET party_group = ?, updated_at = ? WHERE id = ?", (group, to_db(now), member_id)
    )


async def add_role(db: Conn, member_id: int, role: Role) -> None:
    await db.execute(
        "INSERT INTO member_roles (member_id, role) VALUES (?, ?) ON CONFLICT DO NOTHING", (member_id, role.value)
    )


async def remove_role(db: Conn, member_id: int, role: Role) -> None:
    await db.execute("DELETE FROM member_roles WHERE member_id = ? AND role = ?", (member_id, role.value))


async def clear_roles(db: Conn, member_id: int) -> None:
    await db.execute("DELETE FROM member_roles WHERE member_id = ?", (member_id,))


async def set_dues(db: Conn, member_id: int, fen: int | None, now: datetime) -> None:
    """The member's monthly 党费 in fen (None: not set)."""
    await db.execute("UPDATE members SET dues_fen = ?, updated_at = ? WHERE id = ?", (fen, to_db(now), member_id))

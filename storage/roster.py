"""Bulk reads and writes of an imported roster: members with their profiles in one query, inserts in batches,
and the personal links that tie an imported member to their Telegram account."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.domain.roles import Role
from bot.domain.units import PROFILE_FIELDS, Profile
from storage.connection import Conn, one_row
from storage.dialect import joined
from storage.times import to_db

_PROFILE = "member_id, " + ", ".join(PROFILE_FIELDS) + ", link_code"


async def live_members(db: Conn) -> list[dict[str, Any]]:
    """Every active member with branch, name, group, roles and profile: what an import matches against."""
    sql = f"""
        SELECT m.id, m.branch_id, m.name, m.telegram_id, m.party_group, m.dues_fen,
               (SELECT {joined('role')} FROM member_roles r WHERE r.member_id = m.id) AS roles,
               {', '.join('p.' + f for f in PROFILE_FIELDS)}, p.link_code
        FROM members m LEFT JOIN member_profiles p ON p.member_id = m.id
        WHERE m.status = 'active' ORDER BY m.id"""
    async with db.execute(sql) as cur:
        return [dict(r) for r in await cur.fetchall()]


async def insert_member(db: Conn, branch_id: int, name: str, group: str | None,
                        now: datetime) -> int:
    """An active member not linked to Telegram yet."""
    async with db.execute(
        """INSERT INTO members (branch_id, telegram_id, name, status, party_group, created_at, updated_at)
           VALUES (?, NULL, ?, 'active', ?, ?, ?) RETURNING id""",
        (branch_id, name, group, to_db(now), to_db(now)),
    ) as cur:
        return int((await one_row(cur))[0])


async def save_profiles(db: Conn, rows: Iterable[tuple[int, dict[str, Any], str | None]]) -> None:
    """(member id, profile fields, link code to set when the member has none) for each row."""
    columns = ", ".join(PROFILE_FIELDS)
    updates = ", ".join(f"{f} = excluded.{f}" for f in PROFILE_FIELDS)
    await db.executemany(
        f"""INSERT INTO member_profiles (member_id, {columns}, link_code)
            VALUES (?, {', '.join('?' * len(PROFILE_FIELDS))}, ?)
            ON CONFLICT (member_id) DO UPDATE SET {updates}""",
        [(member_id, *(fields.get(f) for f in PROFILE_FIELDS), code) for member_id, fields, code in rows],
    )


async def add_roles(db: Conn, rows: Iterable[tuple[int, Role]]) -> None:
    await db.executemany("INSERT INTO member_roles (member_id, role) VALUES (?, ?) ON CONFLICT DO NOTHING",
                         [(m, r.value) for m, r in rows])


async def set_groups(db: Conn, rows: Iterable[tuple[int, str | None]], now: datetime) -> None:
    await db.executemany("UPDATE members SET party_group = ?, updated_at = ? WHERE id = ?",
                         [(g, to_db(now), m) for m, g in rows])


async def set_dues(db: Conn, rows: Iterable[tuple[int, int]], now: datetime) -> None:
    """(member id, monthly dues standard in fen) for each row whose standard the file sets."""
    await db.executemany("UPDATE members SET dues_fen = ?, updated_at = ? WHERE id = ?",
                         [(fen, to_db(now), m) for m, fen in rows])


async def profile(db: Conn, member_id: int) -> Profile | None:
    async with db.execute(f"SELECT {_PROFILE} FROM member_profiles WHERE member_id = ?", (member_id,)) as cur:
        row = await cur.fetchone()
    return Profile.model_validate(dict(row)) if row else None


async def by_link_code(db: Conn, code: str) -> int | None:
    async with db.execute("SELECT member_id FROM member_profiles WHERE link_code = ?", (code,)) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def ensure_link_code(db: Conn, member_id: int, code: str) -> str:
    """The member's personal link code, `code` stored when they had none."""
    await db.execute(
        """INSERT INTO member_profiles (member_id, link_code) VALUES (?, ?)
           ON CONFLICT (member_id) DO UPDATE SET link_code = coalesce(member_profiles.link_code, excluded.link_code)""",
        (member_id, code),
    )
    async with db.execute("SELECT link_code FROM member_profiles WHERE member_id = ?", (member_id,)) as cur:
        return str((await one_row(cur))[0])


async def link_telegram(db: Conn, member_id: int, telegram_id: int, now: datetime) -> bool:
    """Tie an unlinked member to a Telegram account; the personal link is used up. False when already linked."""
    async with db.execute(
        "UPDATE members SET telegram_id = ?, updated_at = ? WHERE id = ? AND telegram_id IS NULL",
        (telegram_id, to_db(now), member_id),
    ) as cur:
        changed = cur.rowcount > 0
    if changed:
        await db.execute("UPDATE member_profiles SET link_code = NULL WHERE member_id = ?", (member_id,))
    return changed


async def unlinked_named(db: Conn, branch_id: int, name: str) -> list[int]:
    async with db.execute(
        """SELECT id FROM members WHERE branch_id = ? AND name = ? AND status = 'active' AND telegram_id IS NULL
           ORDER BY id""",
        (branch_id, name),
    ) as cur:
        return [r[0] for r in await cur.fetchall()]

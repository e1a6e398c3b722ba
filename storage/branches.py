"""Branches and their settings."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.models import Branch, BranchSettings
from storage.connection import Conn, Row, one_row
from storage.times import to_db

_COLUMNS = "id, name, tz, settings, group_chat_id, created_at"


# Branches parsed, by their whole row: the county-wide ticks read every branch each minute, and parsing the settings
# (JSON, then validation) cost more than the query. A changed row is another key, so it is parsed anew; a Branch is
# frozen, so the one handed to several readers cannot be changed by any of them.
_PARSED: dict[tuple[object, ...], Branch] = {}
_PARSED_MAX = 20_000  # then the memo starts again (a county has a few thousand branches)


def _branch(row: Row) -> Branch:
    key = tuple(row)
    branch = _PARSED.get(key)
    if branch is None:
        data = dict(row)
        data["settings"] = BranchSettings.model_validate(json.loads(data["settings"] or "{}"))
        branch = Branch.model_validate(data)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = branch
    return branch


async def create(db: Conn, name: str, now: datetime, tz: str | None = None) -> Branch:
    async with db.execute(
        f"INSERT INTO branches (name, tz, created_at) VALUES (?, ?, ?) RETURNING {_COLUMNS}",
        (name, tz, to_db(now)),
    ) as cur:
        row = await one_row(cur)
    return _branch(row)


async def every(db: Conn) -> list[Branch]:
    """All branches in one query: what a county-wide tick walks through."""
    async with db.execute(f"SELECT {_COLUMNS} FROM branches ORDER BY id") as cur:
        return [_branch(r) for r in await cur.fetchall()]


async def get(db: Conn, branch_id: int) -> Branch | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM branches WHERE id = ?", (branch_id,)) as cur:
        row = await cur.fetchone()
    return _branch(row) if row else None


async def by_group_chat(db: Conn, chat_id: int) -> Branch | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM branches WHERE group_chat_id = ?", (chat_id,)) as cur:
        row = await cur.fetchone()
    return _branch(row) if row else None


async def list_with_counts(db: Conn) -> list[tuple[Branch, int, int]]:
    """Every branch with its number of active and pending members."""
    sql = f"""
        SELECT {', '.join('b.' + c.strip() for c in _COLUMNS.split(','))},
               COUNT(m.id) FILTER (WHERE m.status = 'active')  AS active,
               COUNT(m.id) FILTER (WHERE m.status = 'pending') AS pending
        FROM branches b LEFT JOIN members m ON m.branch_id = b.id
        GROUP BY b.id ORDER BY b.id
    """
    async with db.execute(sql) as cur:
        rows = await cur.fetchall()
    return [(_branch(r), r["active"], r["pending"]) for r in rows]


async def all_ids(db: Conn) -> list[int]:
    async with db.execute("SELECT id FROM branches ORDER BY id") as cur:
        return [r[0] for r in await cur.fetchall()]


async def save_settings(db: Conn, branch_id: int, settings: BranchSettings) -> None:
    await db.execute(
        "UPDATE branches SET settings = ? WHERE id = ?", (settings.model_dump_json(), branch_id)
    )


async def link_group(db: Conn, branch_id: int, chat_id: int | None) -> None:
    await db.execute("UPDATE branches SET group_chat_id = ? WHERE id = ?", (chat_id, branch_id))

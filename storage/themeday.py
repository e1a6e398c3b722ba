"""The theme day's per-branch settings and the units' unified themes for their subtrees."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.domain.calendar import ThemeDaySettings
from bot.domain.units import ROOT_ID
from storage.connection import Conn
from storage.times import to_db


async def settings_of(db: Conn, branch_id: int) -> ThemeDaySettings:
    async with db.execute("SELECT settings FROM themeday_settings WHERE branch_id = ?", (branch_id,)) as cur:
        row = await cur.fetchone()
    return ThemeDaySettings.model_validate(json.loads(row[0]) if row else {})


async def saved(db: Conn, branch_id: int) -> bool:
    """Whether the branch has set its theme day (else it runs on the defaults)."""
    async with db.execute("SELECT 1 FROM themeday_settings WHERE branch_id = ?", (branch_id,)) as cur:
        return await cur.fetchone() is not None


async def all_settings(db: Conn) -> dict[int, ThemeDaySettings]:
    """Every branch that changed its settings (the others take the defaults)."""
    async with db.execute("SELECT branch_id, settings FROM themeday_settings") as cur:
        return {r[0]: ThemeDaySettings.model_validate(json.loads(r[1])) for r in await cur.fetchall()}


async def save_settings(db: Conn, branch_id: int, settings: ThemeDaySettings, now: datetime) -> None:
    await db.execute(
        """INSERT INTO themeday_settings (branch_id, settings, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (branch_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at""",
        (branch_id, settings.model_dump_json(exclude_defaults=True), to_db(now)),
    )


@dataclass(frozen=True)
class UnitTheme:
    """A unit's unified theme for a month, as a branch below it inherits it."""

    title: str
    unit_id: int
    unit: str  # the unit's name: the branch sees where its theme came from
    fixed_at: datetime


# The branch's unit and every unit above it, nearest first; a branch without a unit hangs under the root.
_BRANCH_CHAIN = f"""
    WITH RECURSIVE chain(id, depth) AS (
        SELECT coalesce((SELECT unit_id FROM branches WHERE id = ?), {ROOT_ID}), 0
        UNION ALL SELECT u.parent_id, c.depth + 1 FROM units u JOIN chain c ON u.id = c.id
        WHERE u.parent_id IS NOT NULL
    )
"""


async def theme_for_branch(db: Conn, branch_id: int, period: str) -> UnitTheme | None:
    """The nearest unit's theme for the month above a branch, or None when no unit above it set one."""
    async with db.execute(
        f"""{_BRANCH_CHAIN}
            SELECT t.title, t.unit_id, u.name, t.fixed_at FROM chain c
            JOIN unit_themes t ON t.unit_id = c.id AND t.period = ? JOIN units u ON u.id = t.unit_id
            ORDER BY c.depth LIMIT 1""",
        (branch_id, period),
    ) as cur:
        row = await cur.fetchone()
    return UnitTheme(row[0], row[1], row[2], datetime.fromisoformat(row[3])) if row else None


async def unit_theme(db: Conn, unit_id: int, period: str) -> str | None:
    """The theme a unit itself set for a month."""
    async with db.execute("SELECT title FROM unit_themes WHERE unit_id = ? AND period = ?", (unit_id, period)) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def set_unit_theme(db: Conn, unit_id: int, period: str, title: str, set_by: int | None,
                         now: datetime) -> None:
    await db.execute(
        """INSERT INTO unit_themes (unit_id, period, title, set_by, fixed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (unit_id, period) DO UPDATE SET title = excluded.title, set_by = excluded.set_by,
               updated_at = excluded.updated_at""",
        (unit_id, period, title, set_by, to_db(now), to_db(now)),
    )


async def county_theme(db: Conn, period: str) -> str | None:
    """The root's (the county's) theme for a month."""
    return await unit_theme(db, ROOT_ID, period)


async def set_county_theme(db: Conn, period: str, title: str, admin_id: int, now: datetime) -> None:
    await set_unit_theme(db, ROOT_ID, period, title, admin_id, now)

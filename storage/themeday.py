"""The theme day's per-branch settings and the upper committee's county-wide themes."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.calendar import ThemeDaySettings
from storage.connection import Conn
from storage.times import to_db


async def settings_of(db: Conn, branch_id: int) -> ThemeDaySettings:
    async with db.execute("SELECT settings FROM themeday_settings WHERE branch_id = ?", (branch_id,)) as cur:
        row = await cur.fetchone()
    return ThemeDaySettings.model_validate(json.loads(row[0]) if row else {})


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


async def county_theme(db: Conn, period: str) -> str | None:
    async with db.execute("SELECT title FROM county_themes WHERE period = ?", (period,)) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def set_county_theme(db: Conn, period: str, title: str, admin_id: int, now: datetime) -> None:
    await db.execute(
        """INSERT INTO county_themes (period, title, set_by, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (period) DO UPDATE SET title = excluded.title, set_by = excluded.set_by,
               updated_at = excluded.updated_at""",
        (period, title, admin_id, to_db(now)),
    )

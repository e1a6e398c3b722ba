"""Inspectors (巡查) of units: read-only people of a unit's subtree."""

from __future__ import annotations

from datetime import datetime

from bot.domain.units import Inspector
from storage.connection import Conn
from storage.times import to_db


async def add(db: Conn, unit_id: int, telegram_id: int, name: str, added_by: int | None, now: datetime) -> bool:
    """True when they were not an inspector of the unit yet."""
    async with db.execute(
        """INSERT INTO unit_inspectors (unit_id, telegram_id, name, added_by, added_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (unit_id, telegram_id) DO NOTHING""",
        (unit_id, telegram_id, name, added_by, to_db(now)),
    ) as cur:
        return cur.rowcount > 0


async def remove(db: Conn, unit_id: int, telegram_id: int) -> bool:
    async with db.execute(
        "DELETE FROM unit_inspectors WHERE unit_id = ? AND telegram_id = ?", (unit_id, telegram_id)
    ) as cur:
        return cur.rowcount > 0


async def of_unit(db: Conn, unit_id: int) -> list[Inspector]:
    async with db.execute(
        """SELECT unit_id, telegram_id, name, added_by, added_at FROM unit_inspectors WHERE unit_id = ?
           ORDER BY added_at, telegram_id""",
        (unit_id,),
    ) as cur:
        return [Inspector.model_validate(dict(r)) for r in await cur.fetchall()]


async def units_of(db: Conn, telegram_id: int) -> list[int]:
    """The units this person inspects."""
    async with db.execute(
        "SELECT unit_id FROM unit_inspectors WHERE telegram_id = ? ORDER BY unit_id", (telegram_id,)
    ) as cur:
        return [r[0] for r in await cur.fetchall()]

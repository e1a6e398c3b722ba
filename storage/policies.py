"""Units' policies (unit_policies): what each unit set for its subtree, and what its branches were last told."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from storage.connection import Conn, Row
from storage.times import to_db


@dataclass(frozen=True)
class Stored:
    unit_id: int
    values: dict[str, str]
    told: dict[str, str]
    changed_at: datetime
    changed_by: int | None


def _stored(row: Row) -> Stored:
    return Stored(row[0], json.loads(row[1]), json.loads(row[2]), datetime.fromisoformat(row[3]), row[4])


async def values_by_unit(db: Conn) -> dict[int, dict[str, str]]:
    """Every unit's own values (a county has a few hundred units at most: one small read)."""
    async with db.execute("SELECT unit_id, vals FROM unit_policies") as cur:
        return {r[0]: json.loads(r[1]) for r in await cur.fetchall()}


async def of_unit(db: Conn, unit_id: int) -> Stored | None:
    async with db.execute(
        "SELECT unit_id, vals, told, changed_at, changed_by FROM unit_policies WHERE unit_id = ?", (unit_id,)
    ) as cur:
        row = await cur.fetchone()
    return _stored(row) if row else None


async def save(db: Conn, unit_id: int, values: dict[str, str], by: int | None, now: datetime) -> None:
    """The unit's values after a change; `told` stays what the branches were told before it."""
    await db.execute(
        """INSERT INTO unit_policies (unit_id, vals, told, changed_at, changed_by) VALUES (?, ?, '{}', ?, ?)
           ON CONFLICT (unit_id) DO UPDATE SET vals = excluded.vals, changed_at = excluded.changed_at,
               changed_by = excluded.changed_by""",
        (unit_id, json.dumps(values, sort_keys=True), to_db(now), by),
    )


async def untold(db: Conn, quiet_since: datetime) -> list[Stored]:
    """Units whose values differ from what their branches were told, unchanged since `quiet_since`."""
    async with db.execute(
        """SELECT unit_id, vals, told, changed_at, changed_by FROM unit_policies
           WHERE vals <> told AND changed_at <= ? ORDER BY unit_id""",
        (to_db(quiet_since),),
    ) as cur:
        return [_stored(r) for r in await cur.fetchall()]


async def mark_told(db: Conn, unit_id: int, values: dict[str, str]) -> bool:
    """The branches were told about `values`; False when the unit changed again meanwhile (told next time)."""
    text = json.dumps(values, sort_keys=True)
    async with db.execute(
        "UPDATE unit_policies SET told = ? WHERE unit_id = ? AND vals = ?", (text, unit_id, text)
    ) as cur:
        return cur.rowcount > 0

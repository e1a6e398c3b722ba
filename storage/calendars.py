"""The holiday arrangements units entered (unit_calendar_years / unit_calendar_days), and the chain of units
above a branch that decides which of them apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.holidays import CalendarLayer, DayKind
from storage.connection import Conn
from storage.times import to_db

# A unit and the units above it, nearest first (a recursive CTE; the tree is shallow).
_CHAIN = """
    WITH RECURSIVE chain(id, depth) AS (
        SELECT ?, 0
        UNION ALL SELECT u.parent_id, c.depth + 1 FROM units u JOIN chain c ON u.id = c.id
        WHERE u.parent_id IS NOT NULL
    )
"""


@dataclass(frozen=True)
class EnteredYear:
    unit_id: int
    year: int
    title: str
    entered_by: int | None
    entered_at: str


async def chain(db: Conn, unit_id: int) -> list[tuple[int, str]]:
    """(id, name) of the unit and every unit above it, nearest first."""
    async with db.execute(
        f"{_CHAIN} SELECT u.id, u.name FROM chain c JOIN units u ON u.id = c.id ORDER BY c.depth", (unit_id,)
    ) as cur:
        return [(r[0], r[1]) for r in await cur.fetchall()]


async def layers(db: Conn, unit_id: int, since: date) -> tuple[CalendarLayer, ...]:
    """The entries that decide days from `since` on for the unit's subtree, nearest unit first: each unit's
    stated days and the years it entered (one query for the years, one for the days)."""
    units = await chain(db, unit_id)
    ids = [unit for unit, _ in units]
    marks = ", ".join("?" * len(ids))
    async with db.execute(f"SELECT unit_id, year FROM unit_calendar_years WHERE unit_id IN ({marks})", ids) as cur:
        years: dict[int, set[int]] = {}
        for row in await cur.fetchall():
            years.setdefault(row[0], set()).add(row[1])
    if not years:
        return ()
    entered = [unit for unit in ids if unit in years]
    days: dict[int, dict[date, DayKind]] = {unit: {} for unit in entered}
    names: dict[int, dict[date, str]] = {unit: {} for unit in entered}
    async with db.execute(
        f"""SELECT unit_id, day, kind, festival FROM unit_calendar_days
            WHERE unit_id IN ({", ".join("?" * len(entered))}) AND day >= ? ORDER BY year""",
        [*entered, since.isoformat()],
    ) as cur:
        for row in await cur.fetchall():
            day = date.fromisoformat(row[1])
            days[row[0]][day] = DayKind(row[2])
            if row[3]:
                names[row[0]][day] = row[3]
    named = dict(units)
    return tuple(CalendarLayer(named[unit], days[unit], names[unit], frozenset(years[unit])) for unit in entered)


async def entered_year(db: Conn, unit_id: int, year: int) -> EnteredYear | None:
    async with db.execute(
        "SELECT unit_id, year, title, entered_by, entered_at FROM unit_calendar_years WHERE unit_id = ? AND year = ?",
        (unit_id, year),
    ) as cur:
        row = await cur.fetchone()
    return EnteredYear(*row) if row else None


async def days_of_year(db: Conn, unit_id: int, year: int) -> dict[date, DayKind]:
    async with db.execute(
        "SELECT day, kind FROM unit_calendar_days WHERE unit_id = ? AND year = ?", (unit_id, year)
    ) as cur:
        return {date.fromisoformat(r[0]): DayKind(r[1]) for r in await cur.fetchall()}


async def years_entered(db: Conn) -> list[EnteredYear]:
    async with db.execute(
        "SELECT unit_id, year, title, entered_by, entered_at FROM unit_calendar_years ORDER BY year, unit_id"
    ) as cur:
        return [EnteredYear(*row) for row in await cur.fetchall()]


async def replace_year(db: Conn, unit_id: int, year: int, title: str,
                       days: list[tuple[date, DayKind, str]], entered_by: int | None, now: datetime) -> None:
    """The unit's entry for `year` becomes exactly `days` (date, kind, festival)."""
    await db.execute("DELETE FROM unit_calendar_days WHERE unit_id = ? AND year = ?", (unit_id, year))
    await db.execute(
        """INSERT INTO unit_calendar_years (unit_id, year, title, entered_by, entered_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (unit_id, year) DO UPDATE SET title = excluded.title, entered_by = excluded.entered_by,
               entered_at = excluded.entered_at""",
        (unit_id, year, title, entered_by, to_db(now)),
    )
    await db.executemany(
        "INSERT INTO unit_calendar_days (unit_id, year, day, kind, festival) VALUES (?, ?, ?, ?, ?)",
        [(unit_id, year, day.isoformat(), kind.value, festival) for day, kind, festival in days],
    )


async def years_entered_above(db: Conn, unit_id: int) -> set[int]:
    """The years the unit or any unit above it entered."""
    async with db.execute(
        f"{_CHAIN} SELECT DISTINCT y.year FROM chain c JOIN unit_calendar_years y ON y.unit_id = c.id", (unit_id,)
    ) as cur:
        return {row[0] for row in await cur.fetchall()}

"""述职评议: a unit's yearly rounds and each branch's part in one (its 述职 is a submission, its problems are items
of the follow-up mechanism, storage/followups.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.shuzhi import Cycle, Grade, Report
from storage.connection import Conn, Row
from storage.times import to_db

_CYCLE = "id, unit_id, year, graded, deadline, opened_by, opened_at"
_REPORT = "id, cycle_id, branch_id, comment, grade, evaluated_by, evaluated_at, problems_sent, plan_due"


def _cycle(row: Row) -> Cycle:
    return Cycle.model_validate({**dict(row), "graded": bool(row["graded"])})


def _report(row: Row) -> Report:
    return Report.model_validate(dict(row))


async def create_cycle(db: Conn, *, unit_id: int, year: int, graded: bool, deadline: datetime, opened_by: int,
                       now: datetime) -> Cycle | None:
    """A new round; None when the unit has one for the year already."""
    async with db.execute(
        f"""INSERT INTO shuzhi_cycles (unit_id, year, graded, deadline, opened_by, opened_at)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (unit_id, year) DO NOTHING RETURNING {_CYCLE}""",
        (unit_id, year, int(graded), to_db(deadline), opened_by, to_db(now)),
    ) as cur:
        row = await cur.fetchone()
    return _cycle(row) if row else None


async def get_cycle(db: Conn, cycle_id: int) -> Cycle | None:
    async with db.execute(f"SELECT {_CYCLE} FROM shuzhi_cycles WHERE id = ?", (cycle_id,)) as cur:
        row = await cur.fetchone()
    return _cycle(row) if row else None


async def cycle_for(db: Conn, unit_id: int, year: int) -> Cycle | None:
    async with db.execute(f"SELECT {_CYCLE} FROM shuzhi_cycles WHERE unit_id = ? AND year = ?",
                          (unit_id, year)) as cur:
        row = await cur.fetchone()
    return _cycle(row) if row else None


async def cycles_of_units(db: Conn, unit_ids: Sequence[int], year: int | None = None) -> list[Cycle]:
    if not unit_ids:
        return []
    marks = ",".join("?" * len(unit_ids))
    year_clause = "AND year = ?" if year is not None else ""
    async with db.execute(
        f"SELECT {_CYCLE} FROM shuzhi_cycles WHERE unit_id IN ({marks}) {year_clause} ORDER BY year DESC, unit_id",
        [*unit_ids, *([year] if year is not None else [])],
    ) as cur:
        return [_cycle(r) for r in await cur.fetchall()]


async def add_reports(db: Conn, cycle_id: int, branch_ids: Sequence[int]) -> None:
    await db.executemany(
        "INSERT INTO shuzhi_reports (cycle_id, branch_id) VALUES (?, ?) ON CONFLICT (cycle_id, branch_id) DO NOTHING",
        [(cycle_id, branch_id) for branch_id in branch_ids],
    )


async def get_report(db: Conn, report_id: int) -> Report | None:
    async with db.execute(f"SELECT {_REPORT} FROM shuzhi_reports WHERE id = ?", (report_id,)) as cur:
        row = await cur.fetchone()
    return _report(row) if row else None


async def reports_of(db: Conn, cycle_id: int) -> list[Report]:
    async with db.execute(
        f"""SELECT {_REPORT} FROM shuzhi_reports r WHERE cycle_id = ?
            ORDER BY (SELECT name FROM branches b WHERE b.id = r.branch_id), id""",
        (cycle_id,),
    ) as cur:
        return [_report(r) for r in await cur.fetchall()]


async def reports_of_branch(db: Conn, branch_id: int) -> list[tuple[Report, Cycle]]:
    """The branch's part in every round, the newest first."""
    async with db.execute(
        f"""SELECT {", ".join("r." + c.strip() for c in _REPORT.split(","))},
                   c.unit_id, c.year, c.graded, c.deadline, c.opened_by, c.opened_at
            FROM shuzhi_reports r JOIN shuzhi_cycles c ON c.id = r.cycle_id
            WHERE r.branch_id = ? ORDER BY c.year DESC, c.id DESC""",
        (branch_id,),
    ) as cur:
        rows = await cur.fetchall()
    found = []
    for row in rows:
        data = dict(row)
        cycle = Cycle(id=data["cycle_id"], unit_id=data["unit_id"], year=data["year"], graded=bool(data["graded"]),
                      deadline=data["deadline"], opened_by=data["opened_by"], opened_at=data["opened_at"])
        found.append((Report.model_validate(data), cycle))
    return found


async def evaluate(db: Conn, report_id: int, *, officer: int, now: datetime, comment: str | None = None,
                   grade: Grade | None = None) -> None:
    """The officer's 点评 or grade (whichever is given), and who gave it when."""
    await db.execute(
        """UPDATE shuzhi_reports SET comment = coalesce(?, comment), grade = coalesce(?, grade), evaluated_by = ?,
               evaluated_at = ? WHERE id = ?""",
        (comment, grade.value if grade else None, officer, to_db(now), report_id),
    )


async def problems_sent(db: Conn, report_id: int, at: datetime, plan_due: datetime) -> None:
    await db.execute("UPDATE shuzhi_reports SET problems_sent = ?, plan_due = ? WHERE id = ?",
                     (to_db(at), to_db(plan_due), report_id))

"""Tasks from above (材料报送) and the branches each went to."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.domain.tasks import Target, Task, TaskStatus
from storage.connection import Conn, one_row
from storage.times import to_db

_TASK = """id, unit_id, target_unit, title, body, deadline, file_id, file_name, status, created_by, created_by_name,
           created_at, issued_at, closed_at"""
EDITABLE = ("title", "body", "deadline", "file_id", "file_name", "target_unit", "unit_id")


async def create(db: Conn, unit_id: int, created_by: int, created_by_name: str, now: datetime) -> Task:
    async with db.execute(
        f"""INSERT INTO tasks (unit_id, target_unit, created_by, created_by_name, created_at)
            VALUES (?, ?, ?, ?, ?) RETURNING {_TASK}""",
        (unit_id, unit_id, created_by, created_by_name, to_db(now)),
    ) as cur:
        return Task.model_validate(dict(await one_row(cur)))


async def get(db: Conn, task_id: int) -> Task | None:
    async with db.execute(f"SELECT {_TASK} FROM tasks WHERE id = ?", (task_id,)) as cur:
        row = await cur.fetchone()
    return Task.model_validate(dict(row)) if row else None


async def update(db: Conn, task_id: int, **fields: Any) -> None:
    """Change a draft's fields (a deadline as an aware datetime)."""
    if not fields or set(fields) - set(EDITABLE):
        raise ValueError(f"not a task's editable fields: {sorted(fields)}")
    values = [to_db(v) if isinstance(v, datetime) else v for v in fields.values()]
    assignments = ", ".join(f"{name} = ?" for name in fields)
    await db.execute(f"UPDATE tasks SET {assignments} WHERE id = ? AND status = 'draft'", (*values, task_id))


async def of_units(db: Conn, unit_ids: list[int], statuses: tuple[TaskStatus, ...] = (TaskStatus.OPEN,
                                                                                      TaskStatus.CLOSED)) -> list[Task]:
    """The tasks these units issued, newest first."""
    if not unit_ids:
        return []
    marks, status_marks = ",".join("?" * len(unit_ids)), ",".join("?" * len(statuses))
    async with db.execute(
        f"""SELECT {_TASK} FROM tasks WHERE unit_id IN ({marks}) AND status IN ({status_marks})
            ORDER BY coalesce(issued_at, created_at) DESC, id DESC""", (*unit_ids, *[s.value for s in statuses]),
    ) as cur:
        return [Task.model_validate(dict(r)) for r in await cur.fetchall()]


async def issue(db: Conn, task_id: int, branch_ids: list[int], now: datetime) -> bool:
    """The draft goes out to these branches; False when it was issued already."""
    async with db.execute(
        "UPDATE tasks SET status = 'open', issued_at = ? WHERE id = ? AND status = 'draft'", (to_db(now), task_id),
    ) as cur:
        if cur.rowcount != 1:
            return False
    for branch_id in branch_ids:
        await db.execute("INSERT INTO task_targets (task_id, branch_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                         (task_id, branch_id))
    return True


async def close(db: Conn, task_id: int, now: datetime) -> bool:
    async with db.execute(
        "UPDATE tasks SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'", (to_db(now), task_id),
    ) as cur:
        return cur.rowcount == 1


async def targets(db: Conn, task_id: int) -> list[Target]:
    async with db.execute(
        "SELECT task_id, branch_id, urged_on, urges FROM task_targets WHERE task_id = ? ORDER BY branch_id",
        (task_id,),
    ) as cur:
        return [Target.model_validate(dict(r)) for r in await cur.fetchall()]


async def target(db: Conn, task_id: int, branch_id: int) -> Target | None:
    async with db.execute(
        "SELECT task_id, branch_id, urged_on, urges FROM task_targets WHERE task_id = ? AND branch_id = ?",
        (task_id, branch_id),
    ) as cur:
        row = await cur.fetchone()
    return Target.model_validate(dict(row)) if row else None


async def of_branch(db: Conn, branch_id: int, statuses: tuple[TaskStatus, ...] = (TaskStatus.OPEN,)) -> list[Task]:
    """The tasks that went to a branch, newest first."""
    marks = ",".join("?" * len(statuses))
    columns = ", ".join("t." + c.strip() for c in _TASK.split(","))
    async with db.execute(
        f"""SELECT {columns} FROM tasks t JOIN task_targets g ON g.task_id = t.id
            WHERE g.branch_id = ? AND t.status IN ({marks}) ORDER BY t.issued_at DESC, t.id DESC""",
        (branch_id, *[s.value for s in statuses]),
    ) as cur:
        return [Task.model_validate(dict(r)) for r in await cur.fetchall()]


async def open_past(db: Conn, now: datetime) -> list[Task]:
    """Open tasks whose deadline has passed."""
    async with db.execute(
        f"SELECT {_TASK} FROM tasks WHERE status = 'open' AND deadline <= ? ORDER BY deadline, id", (to_db(now),),
    ) as cur:
        return [Task.model_validate(dict(r)) for r in await cur.fetchall()]


async def mark_urged(db: Conn, task_id: int, branch_id: int, today: date) -> bool:
    """催办 recorded for the branch today; False when it was urged today already."""
    async with db.execute(
        """UPDATE task_targets SET urged_on = ?, urges = urges + 1
           WHERE task_id = ? AND branch_id = ? AND (urged_on IS NULL OR urged_on < ?)""",
        (today.isoformat(), task_id, branch_id, today.isoformat()),
    ) as cur:
        return cur.rowcount == 1


async def draft_of(db: Conn, created_by: int) -> Task | None:
    """The officer's task still being written, if any (the newest)."""
    async with db.execute(
        f"SELECT {_TASK} FROM tasks WHERE created_by = ? AND status = 'draft' ORDER BY id DESC LIMIT 1",
        (created_by,),
    ) as cur:
        row = await cur.fetchone()
    return Task.model_validate(dict(row)) if row else None


async def delete_draft(db: Conn, task_id: int) -> bool:
    async with db.execute("DELETE FROM tasks WHERE id = ? AND status = 'draft'", (task_id,)) as cur:
        return cur.rowcount == 1

"""约谈: the talk's notice, its record, and (in storage/followups.py, kind 'yuetan') the rectification it requires."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.yuetan import Reason, Status, Yuetan
from storage.connection import Conn, Row
from storage.dialect import contains
from storage.times import to_db

_COLUMNS = """id, unit_id, branch_id, member_id, reason_code, reason, starts_at, place, scheduled_by, scheduled_at,
              status, content, rectification, recorded_by, recorded_at"""


def _row(row: Row) -> Yuetan:
    return Yuetan.model_validate(dict(row))


async def create(db: Conn, *, unit_id: int, branch_id: int, member_id: int, reason_code: Reason, reason: str,
                 starts_at: datetime, place: str, scheduled_by: int, now: datetime) -> Yuetan:
    async with db.execute(
        f"""INSERT INTO yuetan (unit_id, branch_id, member_id, reason_code, reason, starts_at, place, scheduled_by,
                                scheduled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}""",
        (unit_id, branch_id, member_id, reason_code.value, reason, to_db(starts_at), place, scheduled_by, to_db(now)),
    ) as cur:
        row = await cur.fetchone()
    assert row is not None  # an INSERT … RETURNING always returns its row
    return _row(row)


async def get(db: Conn, yuetan_id: int) -> Yuetan | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM yuetan WHERE id = ?", (yuetan_id,)) as cur:
        row = await cur.fetchone()
    return _row(row) if row else None


async def in_units(db: Conn, unit_ids: Sequence[int], since: datetime, until: datetime) -> list[Yuetan]:
    """The talks held by these units between the two moments, in time order (cancelled ones left out)."""
    if not unit_ids:
        return []
    marks = ",".join("?" * len(unit_ids))
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM yuetan WHERE unit_id IN ({marks}) AND starts_at >= ? AND starts_at < ?
            AND status != 'cancelled' ORDER BY starts_at, id""",
        [*unit_ids, to_db(since), to_db(until)],
    ) as cur:
        return [_row(r) for r in await cur.fetchall()]


async def of_member(db: Conn, member_id: int) -> list[Yuetan]:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM yuetan WHERE member_id = ? AND status != 'cancelled' ORDER BY starts_at DESC, id",
        (member_id,),
    ) as cur:
        return [_row(r) for r in await cur.fetchall()]


async def counts(db: Conn, member_ids: Sequence[int], since: datetime, until: datetime) -> dict[int, int]:
    """member → how many talks (not cancelled) they were called to in the period."""
    if not member_ids:
        return {}
    marks = ",".join("?" * len(member_ids))
    async with db.execute(
        f"""SELECT member_id, COUNT(*) FROM yuetan WHERE member_id IN ({marks}) AND status != 'cancelled'
            AND starts_at >= ? AND starts_at < ? GROUP BY member_id""",
        [*member_ids, to_db(since), to_db(until)],
    ) as cur:
        return {r[0]: r[1] for r in await cur.fetchall()}


async def record(db: Conn, yuetan_id: int, *, content: str, rectification: str, by: int, now: datetime) -> bool:
    async with db.execute(
        """UPDATE yuetan SET status = 'recorded', content = ?, rectification = ?, recorded_by = ?, recorded_at = ?
           WHERE id = ? AND status = 'scheduled'""",
        (content, rectification, by, to_db(now), yuetan_id),
    ) as cur:
        return cur.rowcount > 0


async def cancel(db: Conn, yuetan_id: int) -> bool:
    async with db.execute("UPDATE yuetan SET status = ? WHERE id = ? AND status = 'scheduled'",
                          (Status.CANCELLED.value, yuetan_id)) as cur:
        return cur.rowcount > 0


async def people_named(db: Conn, branch_ids: Sequence[int], name: str, limit: int) -> list[tuple[int, str, int]]:
    """(member id, name, branch id) of the active members of these branches whose name contains `name`."""
    if not branch_ids:
        return []
    marks = ",".join("?" * len(branch_ids))
    async with db.execute(
        f"""SELECT id, name, branch_id FROM members WHERE branch_id IN ({marks}) AND status = 'active'
            AND {contains('name')} ORDER BY name = ? DESC, name, id LIMIT ?""",
        [*branch_ids, name, name, limit],
    ) as cur:
        return [(r[0], r[1], r[2]) for r in await cur.fetchall()]


async def of_branch(db: Conn, branch_id: int, since: datetime, until: datetime) -> list[Yuetan]:
    """The talks with people of one branch between the two moments, in time order (cancelled ones left out)."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM yuetan WHERE branch_id = ? AND starts_at >= ? AND starts_at < ?
            AND status != 'cancelled' ORDER BY starts_at, id""",
        (branch_id, to_db(since), to_db(until)),
    ) as cur:
        return [_row(r) for r in await cur.fetchall()]

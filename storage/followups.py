"""The items of the one follow-up mechanism (bot/domain/followup.py): 不合格 members, 述职 problems, 约谈
rectifications — opened, planned, handed in, decided, carried into the next year."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.followup import Followup, FollowupStatus, ItemKind, Measure
from storage.connection import Conn, Row
from storage.times import to_db

_COLUMNS = """id, kind, source, seq, branch_id, unit_id, member_id, reason, measure, deadline, status, plan_id,
              closing_note, evidence_id, carried_into, opened_at, requested_at, closed_at, closed_by"""


def _item(row: Row) -> Followup:
    return Followup.model_validate(dict(row))


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


async def open_item(db: Conn, *, kind: ItemKind, source: str, seq: int, branch_id: int, unit_id: int,
                    member_id: int | None, reason: str | None, now: datetime,
                    deadline: datetime | None = None) -> Followup | None:
    """A new item; None when the source has one at this place already."""
    async with db.execute(
        f"""INSERT INTO followup_items (kind, source, seq, branch_id, unit_id, member_id, reason, deadline, opened_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, seq) DO NOTHING RETURNING {_COLUMNS}""",
        (kind.value, source, seq, branch_id, unit_id, member_id, reason, to_db(deadline) if deadline else None,
         to_db(now)),
    ) as cur:
        row = await cur.fetchone()
    return _item(row) if row else None


async def get(db: Conn, item_id: int) -> Followup | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM followup_items WHERE id = ?", (item_id,)) as cur:
        row = await cur.fetchone()
    return _item(row) if row else None


async def in_branches(db: Conn, branch_ids: Sequence[int], kinds: Sequence[ItemKind],
                      include_closed: bool = False) -> list[Followup]:
    if not branch_ids or not kinds:
        return []
    closed = "" if include_closed else "AND status != 'closed'"
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM followup_items WHERE branch_id IN ({_marks(branch_ids)})
            AND kind IN ({_marks(kinds)}) {closed} ORDER BY coalesce(deadline, opened_at), id""",
        [*branch_ids, *(k.value for k in kinds)],
    ) as cur:
        return [_item(r) for r in await cur.fetchall()]


async def of_sources(db: Conn, sources: Sequence[str]) -> list[Followup]:
    """The items these sources opened, in their order on each list."""
    if not sources:
        return []
    async with db.execute(
        f"SELECT {_COLUMNS} FROM followup_items WHERE source IN ({_marks(sources)}) ORDER BY source, seq",
        list(sources),
    ) as cur:
        return [_item(r) for r in await cur.fetchall()]


async def carried_into(db: Conn, sources: Sequence[str]) -> list[Followup]:
    """The items of earlier years carried into these sources (listed again there)."""
    if not sources:
        return []
    async with db.execute(
        f"SELECT {_COLUMNS} FROM followup_items WHERE carried_into IN ({_marks(sources)}) ORDER BY opened_at, id",
        list(sources),
    ) as cur:
        return [_item(r) for r in await cur.fetchall()]


async def of_member(db: Conn, member_id: int, kind: ItemKind) -> list[Followup]:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM followup_items WHERE member_id = ? AND kind = ? ORDER BY id",
        (member_id, kind.value),
    ) as cur:
        return [_item(r) for r in await cur.fetchall()]


async def overdue_for_unit(db: Conn, unit_id: int, now: datetime, kind: ItemKind) -> list[Followup]:
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM followup_items WHERE unit_id = ? AND kind = ? AND status = 'open'
            AND deadline <= ? ORDER BY deadline, id""",
        (unit_id, kind.value, to_db(now)),
    ) as cur:
        return [_item(r) for r in await cur.fetchall()]


async def units_with_overdue(db: Conn, now: datetime, kind: ItemKind) -> list[int]:
    async with db.execute(
        """SELECT DISTINCT unit_id FROM followup_items WHERE kind = ? AND status = 'open' AND deadline <= ?
           ORDER BY unit_id""",
        (kind.value, to_db(now)),
    ) as cur:
        return [r[0] for r in await cur.fetchall()]


async def open_by_unit(db: Conn, kind: ItemKind, opened_before: datetime) -> dict[int, int]:
    """unit → how many items of the kind, opened before then, are not closed (one grouped query)."""
    async with db.execute(
        """SELECT unit_id, COUNT(*) FROM followup_items WHERE kind = ? AND status != 'closed' AND opened_at < ?
           GROUP BY unit_id""",
        (kind.value, to_db(opened_before)),
    ) as cur:
        return {r[0]: r[1] for r in await cur.fetchall()}


async def open_in_units(db: Conn, unit_ids: Sequence[int], kind: ItemKind) -> list[Followup]:
    if not unit_ids:
        return []
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM followup_items WHERE unit_id IN ({_marks(unit_ids)}) AND kind = ?
            AND status != 'closed' ORDER BY branch_id, opened_at, seq""",
        [*unit_ids, kind.value],
    ) as cur:
        return [_item(r) for r in await cur.fetchall()]


# --- the steps ----------------------------------------------------------------------------------------------------

async def set_measure(db: Conn, item_id: int, measure: Measure, deadline: datetime) -> bool:
    """An unqualified item's plan: the measure and its deadline (while open)."""
    async with db.execute(
        "UPDATE followup_items SET measure = ?, deadline = ? WHERE id = ? AND status = 'open'",
        (measure.value, to_db(deadline), item_id),
    ) as cur:
        return cur.rowcount > 0


async def set_plan(db: Conn, item_id: int, plan_id: int | None, deadline: datetime | None) -> bool:
    """The approved plan (None: turned down, to be drafted again) and the deadline of the next step."""
    async with db.execute(
        "UPDATE followup_items SET plan_id = ?, deadline = ? WHERE id = ? AND status = 'open'",
        (plan_id, to_db(deadline) if deadline else None, item_id),
    ) as cur:
        return cur.rowcount > 0


async def set_deadline(db: Conn, item_ids: Sequence[int], deadline: datetime | None) -> None:
    if item_ids:
        await db.execute(
            f"UPDATE followup_items SET deadline = ? WHERE id IN ({_marks(item_ids)}) AND status = 'open'",
            [to_db(deadline) if deadline else None, *item_ids],
        )


async def request_close(db: Conn, item_id: int, note: str | None, evidence_id: int | None, now: datetime) -> bool:
    """Evidence handed in: 销号 is asked (only while open)."""
    async with db.execute(
        """UPDATE followup_items SET status = 'closing', closing_note = coalesce(?, closing_note),
               evidence_id = coalesce(?, evidence_id), requested_at = ?
           WHERE id = ? AND status = 'open'""",
        (note, evidence_id, to_db(now), item_id),
    ) as cur:
        return cur.rowcount > 0


async def decide_close(db: Conn, item_id: int, confirm: bool, officer_id: int | None, now: datetime) -> bool:
    """销号 confirmed (closed) or sent back (open again, the note kept for the record); only while asked."""
    status = FollowupStatus.CLOSED if confirm else FollowupStatus.OPEN
    async with db.execute(
        "UPDATE followup_items SET status = ?, closed_at = ?, closed_by = ? WHERE id = ? AND status = 'closing'",
        (status.value, to_db(now) if confirm else None, officer_id if confirm else None, item_id),
    ) as cur:
        return cur.rowcount > 0


async def carry(db: Conn, branch_id: int, kind: ItemKind, into: str) -> list[int]:
    """Every item of the kind still open in the branch, from an earlier source, is carried into `into`."""
    async with db.execute(
        """UPDATE followup_items SET carried_into = ? WHERE branch_id = ? AND kind = ? AND status != 'closed'
               AND source != ? AND carried_into IS DISTINCT FROM ? RETURNING id""",
        (into, branch_id, kind.value, into, into),
    ) as cur:
        return [r[0] for r in await cur.fetchall()]

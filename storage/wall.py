"""The 民心墙's walls, orders, their photos and each round's rating (walls / wall_orders / wall_order_photos /
wall_ratings)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.wall import LIVE, OrderStatus, Rating, WallOrder
from storage.connection import Conn, one_row
from storage.times import to_db

_COLUMNS = """id, branch_id, resident_chat, status, need, phone, latitude, longitude, round, member_id,
    dispatcher_id, rating, created_at, submitted_at, dispatched_at, closed_at, erased_at"""


async def wall_code(db: Conn, branch_id: int) -> str | None:
    async with db.execute("SELECT code FROM walls WHERE branch_id = ?", (branch_id,)) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def create_wall(db: Conn, branch_id: int, code: str, now: datetime) -> None:
    await db.execute("INSERT INTO walls (branch_id, code, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                     (branch_id, code, to_db(now)))


async def branch_of_code(db: Conn, code: str) -> int | None:
    async with db.execute("SELECT branch_id FROM walls WHERE code = ?", (code,)) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def get(db: Conn, order_id: int) -> WallOrder | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM wall_orders WHERE id = ?", (order_id,)) as cur:
        row = await cur.fetchone()
    return WallOrder.model_validate(dict(row)) if row else None


async def draft_of(db: Conn, branch_id: int, chat_id: int) -> WallOrder | None:
    """The resident's order still being written at this wall."""
    async with db.execute(
        f"SELECT {_COLUMNS} FROM wall_orders WHERE branch_id = ? AND resident_chat = ? AND status = 'draft'",
        (branch_id, chat_id),
    ) as cur:
        row = await cur.fetchone()
    return WallOrder.model_validate(dict(row)) if row else None


async def live_count(db: Conn, chat_id: int) -> int:
    """How many orders from this chat are under way, at any wall."""
    marks = ", ".join("?" * len(LIVE))
    async with db.execute(
        f"SELECT COUNT(*) FROM wall_orders WHERE resident_chat = ? AND status IN ({marks})",
        (chat_id, *sorted(LIVE)),
    ) as cur:
        return int((await one_row(cur))[0])


async def create(db: Conn, branch_id: int, chat_id: int, now: datetime) -> WallOrder:
    async with db.execute(
        f"""INSERT INTO wall_orders (branch_id, resident_chat, created_at) VALUES (?, ?, ?)
            RETURNING {_COLUMNS}""",
        (branch_id, chat_id, to_db(now)),
    ) as cur:
        return WallOrder.model_validate(dict(await one_row(cur)))


async def save_input(db: Conn, order_id: int, *, need: str, phone: str | None, latitude: float | None,
                     longitude: float | None) -> None:
    await db.execute("UPDATE wall_orders SET need = ?, phone = ?, latitude = ?, longitude = ? WHERE id = ?",
                     (need, phone, latitude, longitude, order_id))


async def photos(db: Conn, order_id: int) -> list[str]:
    async with db.execute("SELECT file_id FROM wall_order_photos WHERE order_id = ? ORDER BY position",
                          (order_id,)) as cur:
        return [row[0] for row in await cur.fetchall()]


async def add_photo(db: Conn, order_id: int, file_id: str) -> None:
    await db.execute(
        """INSERT INTO wall_order_photos (order_id, position, file_id)
           VALUES (?, (SELECT COUNT(*) FROM wall_order_photos WHERE order_id = ?), ?)""",
        (order_id, order_id, file_id),
    )


async def delete(db: Conn, order_id: int) -> None:
    await db.execute("DELETE FROM wall_orders WHERE id = ? AND status = 'draft'", (order_id,))


async def set_status(db: Conn, order_id: int, status: OrderStatus, now: datetime, **fields: Any) -> None:
    """Move the order to `status`; `submitted`, `dispatched` and `closed` stamp their moment, other fields
    (member_id, dispatcher_id, rating, round) are set as given."""
    sets, values = ["status = ?"], [status.value]
    for moment in ("submitted", "dispatched", "closed"):
        if fields.pop(moment, False):
            sets.append(f"{moment}_at = ?")
            values.append(to_db(now))
    for column in ("member_id", "dispatcher_id", "rating", "round"):
        if column in fields:
            sets.append(f"{column} = ?")
            value = fields.pop(column)
            values.append(value.value if isinstance(value, Rating) else value)
    if fields:
        raise ValueError(f"unknown order fields: {sorted(fields)}")
    await db.execute(f"UPDATE wall_orders SET {', '.join(sets)} WHERE id = ?", (*values, order_id))


async def record_rating(db: Conn, order: WallOrder, rating: Rating, now: datetime) -> None:
    await db.execute(
        """INSERT INTO wall_ratings (order_id, round, member_id, rating, rated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (order_id, round) DO NOTHING""",
        (order.id, order.round, order.member_id, rating.value, to_db(now)),
    )


async def save_reason(db: Conn, order_id: int, round_: int, reason: str) -> None:
    await db.execute("UPDATE wall_ratings SET reason = ? WHERE order_id = ? AND round = ?", (reason, order_id, round_))


async def ratings(db: Conn, order_id: int) -> list[tuple[int, int | None, Rating, str | None]]:
    """(round, member id, rating, reason) of each round rated, in order."""
    async with db.execute(
        "SELECT round, member_id, rating, reason FROM wall_ratings WHERE order_id = ? ORDER BY round", (order_id,)
    ) as cur:
        return [(r[0], r[1], Rating(r[2]), r[3]) for r in await cur.fetchall()]


async def of_branch(db: Conn, branch_id: int, limit: int = 20) -> list[WallOrder]:
    """The branch's orders handed in, newest first."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM wall_orders WHERE branch_id = ? AND status <> 'draft'
            ORDER BY id DESC LIMIT ?""",
        (branch_id, limit),
    ) as cur:
        return [WallOrder.model_validate(dict(row)) for row in await cur.fetchall()]


async def of_resident(db: Conn, chat_id: int, limit: int = 20) -> list[WallOrder]:
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM wall_orders WHERE resident_chat = ? AND status <> 'draft'
            ORDER BY id DESC LIMIT ?""",
        (chat_id, limit),
    ) as cur:
        return [WallOrder.model_validate(dict(row)) for row in await cur.fetchall()]


async def erase_closed_before(db: Conn, before: datetime, now: datetime) -> int:
    """Blank the resident's details of orders closed before `before` (photos deleted, the reasons they gave for 不满意
    too); how many were erased."""
    where = "status = 'closed' AND erased_at IS NULL AND closed_at < ?"
    await db.execute(f"DELETE FROM wall_order_photos WHERE order_id IN (SELECT id FROM wall_orders WHERE {where})",
                     (to_db(before),))
    await db.execute(f"UPDATE wall_ratings SET reason = NULL WHERE order_id IN (SELECT id FROM wall_orders WHERE {where})",
                     (to_db(before),))
    async with db.execute(
        f"""UPDATE wall_orders SET resident_chat = NULL, need = '', phone = NULL, latitude = NULL, longitude = NULL,
               erased_at = ? WHERE {where}""",
        (to_db(now), to_db(before)),
    ) as cur:
        return cur.rowcount


async def of_member(db: Conn, member_id: int) -> list[WallOrder]:
    """The orders dispatched to this member that they have not finished (to take, or to report on)."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM wall_orders WHERE member_id = ? AND status IN ('dispatched', 'taken')
            ORDER BY id""",
        (member_id,),
    ) as cur:
        return [WallOrder.model_validate(dict(row)) for row in await cur.fetchall()]


async def reports_waiting(db: Conn, branch_id: int) -> list[int]:
    """Submission ids of the reports on the branch's orders waiting for a dispatcher — whoever handed them in: a
    member of the branch, or of another branch reporting to it (社区报到), whose submission is under their own."""
    async with db.execute(
        """SELECT s.id FROM submissions s JOIN wall_orders o ON s.ref = 'wall:' || o.id || ':' || o.round
           WHERE s.kind = 'wall_report' AND s.status = 'submitted' AND o.branch_id = ?
           ORDER BY s.submitted_at, s.id""",
        (branch_id,),
    ) as cur:
        return [row[0] for row in await cur.fetchall()]

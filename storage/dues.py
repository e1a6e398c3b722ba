"""党费 records: who said they paid which month, who confirmed it, who paid for whom (代缴)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.dues import DuesPayment, DuesStatus
from storage.connection import Conn
from storage.times import to_db

_COLUMNS = "member_id, period, branch_id, status, amount_fen, paid_by, reported_at, confirmed_by, confirmed_at"


async def get(db: Conn, member_id: int, period: str) -> DuesPayment | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM dues_payments WHERE member_id = ? AND period = ?",
                          (member_id, period)) as cur:
        row = await cur.fetchone()
    return DuesPayment.model_validate(dict(row)) if row else None


async def for_period(db: Conn, branch_id: int, period: str) -> dict[int, DuesPayment]:
    async with db.execute(f"SELECT {_COLUMNS} FROM dues_payments WHERE branch_id = ? AND period = ?",
                          (branch_id, period)) as cur:
        return {r["member_id"]: DuesPayment.model_validate(dict(r)) for r in await cur.fetchall()}


async def for_year(db: Conn, branch_id: int, year: int) -> list[DuesPayment]:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM dues_payments WHERE branch_id = ? AND period >= ? AND period < ? ORDER BY period",
        (branch_id, f"{year:04d}-01", f"{year + 1:04d}-01"),
    ) as cur:
        return [DuesPayment.model_validate(dict(r)) for r in await cur.fetchall()]


async def report(db: Conn, branch_id: int, member_id: int, period: str, amount_fen: int | None,
                 now: datetime) -> bool:
    """The member says they paid; True when this is news (a confirmed or earlier report stays as it is)."""
    async with db.execute(
        """INSERT INTO dues_payments (member_id, period, branch_id, status, amount_fen, reported_at, updated_at)
           VALUES (?, ?, ?, 'reported', ?, ?, ?) ON CONFLICT (member_id, period) DO NOTHING""",
        (member_id, period, branch_id, amount_fen, to_db(now), to_db(now)),
    ) as cur:
        return cur.rowcount == 1


async def set_reported_amount(db: Conn, member_id: int, period: str, amount_fen: int,
                              now: datetime) -> bool:
    """The member's own amount on their report; False when the month is already confirmed (it stays as it is)."""
    async with db.execute(
        """UPDATE dues_payments SET amount_fen = ?, updated_at = ?
           WHERE member_id = ? AND period = ? AND status = 'reported'""",
        (amount_fen, to_db(now), member_id, period),
    ) as cur:
        return cur.rowcount == 1


async def confirm(db: Conn, branch_id: int, member_id: int, period: str, amount_fen: int | None,
                  by_member: int | None, paid_by: str | None, now: datetime) -> bool:
    """The collector has the money (from the member, or from `paid_by` for them); True when it changed. `by_member`
    None: an officer above the branch confirmed it (the audit log names them)."""
    async with db.execute(
        """INSERT INTO dues_payments (member_id, period, branch_id, status, amount_fen, paid_by, confirmed_by,
                                      confirmed_at, updated_at)
           VALUES (?, ?, ?, 'confirmed', ?, ?, ?, ?, ?)
           ON CONFLICT (member_id, period) DO UPDATE SET status = 'confirmed',
               amount_fen = COALESCE(dues_payments.amount_fen, excluded.amount_fen), paid_by = excluded.paid_by,
               confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at,
               updated_at = excluded.updated_at
           WHERE dues_payments.status != ?""",
        (member_id, period, branch_id, amount_fen, paid_by, by_member, to_db(now), to_db(now),
         DuesStatus.CONFIRMED.value),
    ) as cur:
        return cur.rowcount == 1


async def unconfirm(db: Conn, member_id: int, period: str, now: datetime) -> DuesPayment | None:
    """Undo a confirmation: back to the member's report when there was one (its amount kept), else no record at
    all; the record as it was confirmed (None when it was not confirmed: nothing changed)."""
    confirmed = await get(db, member_id, period)
    if confirmed is None or confirmed.status is not DuesStatus.CONFIRMED:
        return None
    if confirmed.reported_at is None:
        await db.execute("DELETE FROM dues_payments WHERE member_id = ? AND period = ?", (member_id, period))
    else:
        await db.execute(
            """UPDATE dues_payments SET status = 'reported', paid_by = NULL, confirmed_by = NULL, confirmed_at = NULL,
                   updated_at = ? WHERE member_id = ? AND period = ?""", (to_db(now), member_id, period))
    return confirmed

"""Branch notices (their 已读 receipts are storage/receipts.py's)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.notices import Notice
from storage.connection import Conn, Row, one_row
from storage.times import to_db

_COLUMNS = """id, branch_id, author_id, body, file_id, file_kind, audience, to_group, status,
              status_chat_id, status_message_id, created_at, sent_at"""


def _notice(row: Row) -> Notice:
    return Notice.model_validate({**dict(row), "to_group": bool(row["to_group"])})


async def revise_draft(db: Conn, notice_id: int, body: str, file_id: str | None,
                       file_kind: str | None) -> Notice | None:
    """A draft's new content (more text sent before it went out); None once it is no longer a draft."""
    async with db.execute(
        f"""UPDATE notices SET body = ?, file_id = ?, file_kind = ? WHERE id = ? AND status = 'draft'
            RETURNING {_COLUMNS}""",
        (body, file_id, file_kind, notice_id),
    ) as cur:
        row = await cur.fetchone()
    return _notice(row) if row else None


async def create_draft(
    db: Conn, branch_id: int, author_id: int, body: str, file_id: str | None, file_kind: str | None,
    now: datetime,
) -> Notice:
    async with db.execute(
        f"""INSERT INTO notices (branch_id, author_id, body, file_id, file_kind, created_at)
            VALUES (?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}""",
        (branch_id, author_id, body, file_id, file_kind, to_db(now)),
    ) as cur:
        return _notice(await one_row(cur))


async def get(db: Conn, notice_id: int) -> Notice | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM notices WHERE id = ?", (notice_id,)) as cur:
        row = await cur.fetchone()
    return _notice(row) if row else None


async def set_options(db: Conn, notice_id: int, audience: str, to_group: bool) -> None:
    await db.execute("UPDATE notices SET audience = ?, to_group = ? WHERE id = ?", (audience, int(to_group), notice_id))


async def mark_sent(db: Conn, notice_id: int, now: datetime) -> bool:
    async with db.execute(
        "UPDATE notices SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'draft'", (to_db(now), notice_id)
    ) as cur:
        return cur.rowcount == 1


async def discard(db: Conn, notice_id: int) -> bool:
    async with db.execute(
        "UPDATE notices SET status = 'discarded' WHERE id = ? AND status = 'draft'", (notice_id,)
    ) as cur:
        return cur.rowcount == 1


async def set_status_message(db: Conn, notice_id: int, chat_id: int, message_id: int) -> None:
    await db.execute(
        "UPDATE notices SET status_chat_id = ?, status_message_id = ? WHERE id = ?", (chat_id, message_id, notice_id)
    )


async def recent(db: Conn, branch_id: int, limit: int = 5) -> list[Notice]:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM notices WHERE branch_id = ? AND status = 'sent' ORDER BY id DESC LIMIT ?",
        (branch_id, limit),
    ) as cur:
        return [_notice(r) for r in await cur.fetchall()]

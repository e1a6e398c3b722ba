"""Review cards opened again from /pending: which message shows which submission's version, in whose chat."""

from __future__ import annotations

from datetime import datetime

from bot.domain.review import ShownCard
from storage.connection import Conn, one_row
from storage.times import to_db

_COLUMNS = "id, submission_id, version, branch_id, member_id, chat_id, message_id"


async def add(db: Conn, *, submission_id: int, version: int, branch_id: int, member_id: int,
              chat_id: int, message_id: int, now: datetime) -> ShownCard:
    """Keep one shown copy (the same message twice, e.g. an update delivered again, is kept once)."""
    await db.execute(
        """INSERT INTO review_card_copies (submission_id, version, branch_id, member_id, chat_id, message_id, shown_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO NOTHING""",
        (submission_id, version, branch_id, member_id, chat_id, message_id, to_db(now)),
    )
    async with db.execute(
        f"SELECT {_COLUMNS} FROM review_card_copies WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
    ) as cur:
        return ShownCard.model_validate(dict(await one_row(cur)))


async def for_version(db: Conn, submission_id: int, version: int) -> list[ShownCard]:
    """Every shown copy of this version's card, oldest first."""
    async with db.execute(
        f"SELECT {_COLUMNS} FROM review_card_copies WHERE submission_id = ? AND version = ? ORDER BY id",
        (submission_id, version),
    ) as cur:
        return [ShownCard.model_validate(dict(r)) for r in await cur.fetchall()]

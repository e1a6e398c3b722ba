"""Saved state of a person's multi-step form."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.domain.models import Conversation
from storage.connection import Conn
from storage.times import to_db


async def get(db: Conn, telegram_id: int) -> Conversation | None:
    async with db.execute(
        "SELECT telegram_id, kind, step, data, updated_at FROM conversations WHERE telegram_id = ?",
        (telegram_id,),
    ) as cur:
        row = await cur.fetchone()
    if row is None:
        return None
    return Conversation.model_validate({**dict(row), "data": json.loads(row["data"])})


async def save(
    db: Conn, telegram_id: int, kind: str, step: str, data: dict[str, Any], now: datetime
) -> None:
    await db.execute(
        """INSERT INTO conversations (telegram_id, kind, step, data, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (telegram_id) DO UPDATE SET kind = excluded.kind, step = excluded.step,
               data = excluded.data, updated_at = excluded.updated_at""",
        (telegram_id, kind, step, json.dumps(data, ensure_ascii=False), to_db(now)),
    )


async def clear(db: Conn, telegram_id: int) -> None:
    await db.execute("DELETE FROM conversations WHERE telegram_id = ?", (telegram_id,))

"""The audit log: every state change, who made it and when."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.domain.models import AuditEntry
from storage.connection import Conn
from storage.times import to_db


async def record(
    db: Conn,
    *,
    now: datetime,
    action: str,
    branch_id: int | None,
    actor_id: int | None,
    subject: str | None = None,
    **detail: Any,
) -> None:
    await db.execute(
        """INSERT INTO audit_log (at, branch_id, actor_id, action, subject, detail)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (to_db(now), branch_id, actor_id, action, subject, json.dumps(detail, ensure_ascii=False, default=str)),
    )


async def for_branch(db: Conn, branch_id: int, limit: int = 100) -> list[AuditEntry]:
    async with db.execute(
        """SELECT id, at, branch_id, actor_id, action, subject, detail FROM audit_log
           WHERE branch_id = ? ORDER BY id DESC LIMIT ?""",
        (branch_id, limit),
    ) as cur:
        rows = await cur.fetchall()
    return [AuditEntry.model_validate({**dict(r), "detail": json.loads(r["detail"])}) for r in rows]

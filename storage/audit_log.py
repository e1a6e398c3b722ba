"""Reading the audit log back: a page of entries of some branches (or of the county level), newest first."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.models import AuditEntry
from storage.connection import Conn, Row
from storage.times import to_db

_COLUMNS = "id, at, branch_id, actor_id, action, subject, detail"


def _entry(row: Row) -> AuditEntry:
    return AuditEntry.model_validate({**dict(row), "detail": json.loads(row["detail"] or "{}")})


async def page(db: Conn, branch_ids: list[int], offset: int, limit: int) -> list[AuditEntry]:
    """Entries of these branches, newest first; `limit + 1` asked for tells whether a next page exists."""
    if not branch_ids:
        return []
    marks = ",".join("?" * len(branch_ids))
    async with db.execute(
        f"SELECT {_COLUMNS} FROM audit_log WHERE branch_id IN ({marks}) ORDER BY id DESC LIMIT ? OFFSET ?",
        [*branch_ids, limit, offset],
    ) as cur:
        return [_entry(r) for r in await cur.fetchall()]


async def between(db: Conn, branch_ids: list[int], since: datetime, until: datetime) -> list[AuditEntry]:
    """Entries of these branches in [since, until), oldest first: the audit sheet of an export."""
    if not branch_ids:
        return []
    marks = ",".join("?" * len(branch_ids))
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM audit_log WHERE branch_id IN ({marks}) AND at >= ? AND at < ?
            ORDER BY id""",
        [*branch_ids, to_db(since), to_db(until)],
    ) as cur:
        return [_entry(r) for r in await cur.fetchall()]

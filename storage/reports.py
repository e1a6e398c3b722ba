"""Thought reports (思想汇报): submissions of kind 'report', one per report, looked at by member and by date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.review import Submission
from storage.connection import Conn
from storage.submissions import _COLUMNS, _submission
from storage.times import to_db

KIND = "report"
_HANDED_IN = "('submitted', 'approved')"


async def last_handed_in(db: Conn, branch_ids: Sequence[int]) -> dict[int, dict[int, datetime]]:
    """branch id → each member's latest report handed in there (waiting for review or approved), by member id."""
    if not branch_ids:
        return {}
    found: dict[int, dict[int, datetime]] = {}
    async with db.execute(
        f"""SELECT branch_id, author_id, MAX(submitted_at) FROM submissions
            WHERE kind = ? AND branch_id IN ({",".join("?" * len(branch_ids))}) AND status IN {_HANDED_IN}
            GROUP BY branch_id, author_id""", (KIND, *branch_ids),
    ) as cur:
        for branch_id, author_id, latest in await cur.fetchall():
            found.setdefault(branch_id, {})[author_id] = datetime.fromisoformat(latest)
    return found


async def handed_in_since(db: Conn, author_id: int, since: datetime) -> bool:
    async with db.execute(
        f"""SELECT 1 FROM submissions WHERE kind = ? AND author_id = ? AND status IN {_HANDED_IN}
            AND submitted_at >= ? LIMIT 1""", (KIND, author_id, to_db(since)),
    ) as cur:
        return await cur.fetchone() is not None


async def in_branch(db: Conn, branch_id: int, since: datetime, until: datetime) -> list[Submission]:
    """The branch's reports handed in (any decision since) between the two moments, by date."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM submissions WHERE kind = ? AND branch_id = ? AND status != 'draft'
            AND submitted_at >= ? AND submitted_at < ? ORDER BY submitted_at, id""",
        (KIND, branch_id, to_db(since), to_db(until)),
    ) as cur:
        return [_submission(r) for r in await cur.fetchall()]

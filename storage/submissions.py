"""Submissions under review and their attached files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.review import Submission, SubmissionFile, SubmissionStatus
from storage.connection import Conn, Row
from storage.dialect import prefix_bounds, starts_with
from storage.times import to_db

_COLUMNS = """id, branch_id, author_id, kind, ref, status, content, version, comment, decided_by,
              decided_by_name, submitted_at, decided_at, created_at, updated_at"""


def _submission(row: Row) -> Submission:
    return Submission.model_validate({**dict(row), "content": json.loads(row["content"])})


async def get_or_create(
    db: Conn, *, branch_id: int, author_id: int, kind: str, ref: str, now: datetime,
    content: dict[str, Any] | None = None,
) -> Submission:
    """The author's submission for (kind, ref), created as a draft the first time."""
    await db.execute(
        """INSERT INTO submissions (branch_id, author_id, kind, ref, content, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, ref, author_id) DO NOTHING""",
        (branch_id, author_id, kind, ref, json.dumps(content or {}, ensure_ascii=False), to_db(now), to_db(now)),
    )
    found = await find(db, kind, ref, author_id)
    assert found is not None
    return found


async def find(db: Conn, kind: str, ref: str, author_id: int) -> Submission | None:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM submissions WHERE kind = ? AND ref = ? AND author_id = ?", (kind, ref, author_id)
    ) as cur:
        row = await cur.fetchone()
    return _submission(row) if row else None


async def latest_open(db: Conn, author_id: int, kind: str) -> Submission | None:
    """The author's newest submission of `kind` still being written or returned for changes."""
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM submissions WHERE kind = ? AND author_id = ? AND status IN ('draft', 'returned')
            ORDER BY id DESC LIMIT 1""", (kind, author_id),
    ) as cur:
        row = await cur.fetchone()
    return _submission(row) if row else None


async def get(db: Conn, submission_id: int) -> Submission | None:
    async with db.execute(f"SELECT {_COLUMNS} FROM submissions WHERE id = ?", (submission_id,)) as cur:
        row = await cur.fetchone()
    return _submission(row) if row else None


async def for_ref(db: Conn, kind: str, ref: str) -> list[Submission]:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM submissions WHERE kind = ? AND ref = ? ORDER BY id", (kind, ref)
    ) as cur:
        return [_submission(r) for r in await cur.fetchall()]


async def with_ref_prefix(db: Conn, kind: str, prefix: str) -> list[Submission]:
    """Every submission of the kind whose ref starts with `prefix` (the attempts at one thing), oldest first."""
    async with db.execute(
        f"SELECT {_COLUMNS} FROM submissions WHERE kind = ? AND {starts_with('ref')} ORDER BY id",
        (kind, *prefix_bounds(prefix)),
    ) as cur:
        return [_submission(r) for r in await cur.fetchall()]


async def by_author(db: Conn, author_id: int, kind: str | None = None) -> list[Submission]:
    sql = f"SELECT {_COLUMNS} FROM submissions WHERE author_id = ?" + (" AND kind = ?" if kind else "")
    params = (author_id, kind) if kind else (author_id,)
    async with db.execute(sql + " ORDER BY id", params) as cur:
        return [_submission(r) for r in await cur.fetchall()]


async def waiting(db: Conn, branch_id: int) -> list[Submission]:
    """Everything in the branch waiting for a reviewer, oldest first."""
    async with db.execute(
        f"SELECT {_COLUMNS} FROM submissions WHERE branch_id = ? AND status = 'submitted' ORDER BY submitted_at, id",
        (branch_id,),
    ) as cur:
        return [_submission(r) for r in await cur.fetchall()]


async def waiting_in(db: Conn, branch_ids: Sequence[int], kinds: Sequence[str]) -> list[Submission]:
    """Everything of these kinds waiting for a reviewer in these branches, oldest first."""
    if not branch_ids or not kinds:
        return []
    branch_marks, kind_marks = ", ".join("?" for _ in branch_ids), ", ".join("?" for _ in kinds)
    async with db.execute(
        f"""SELECT {_COLUMNS} FROM submissions WHERE status = 'submitted' AND branch_id IN ({branch_marks})
            AND kind IN ({kind_marks}) ORDER BY submitted_at, id""", (*branch_ids, *kinds),
    ) as cur:
        return [_submission(r) for r in await cur.fetchall()]


async def save_content(db: Conn, submission_id: int, content: dict[str, Any], now: datetime) -> None:
    await db.execute(
        "UPDATE submissions SET content = ?, updated_at = ? WHERE id = ?",
        (json.dumps(content, ensure_ascii=False), to_db(now), submission_id),
    )


async def mark_submitted(db: Conn, submission_id: int, now: datetime) -> None:
    await db.execute(
        """UPDATE submissions SET status = 'submitted', version = version + 1, submitted_at = ?,
               comment = NULL, decided_by = NULL, decided_by_name = NULL, decided_at = NULL, updated_at = ?
           WHERE id = ?""",
        (to_db(now), to_db(now), submission_id),
    )


async def decide(
    db: Conn, submission_id: int, version: int, status: SubmissionStatus, by: int | None,
    comment: str | None, now: datetime, by_name: str | None = None,
) -> bool:
    """Record a decision if the submission is still waiting at that version; False when someone was first. `by` is
    the deciding member, `by_name` the name they decided under (an officer of a unit may be no member)."""
    async with db.execute(
        """UPDATE submissions SET status = ?, comment = ?, decided_by = ?, decided_by_name = ?, decided_at = ?,
               updated_at = ?
           WHERE id = ? AND version = ? AND status = 'submitted'""",
        (status.value, comment, by, by_name, to_db(now), to_db(now), submission_id, version),
    ) as cur:
        return cur.rowcount == 1


async def reopen(db: Conn, submission_id: int, comment: str, by_name: str, now: datetime) -> bool:
    """An approved record sent back for changes from above (the unit returned it after filing): returned, with
    the reason and who gave it; the author edits and hands it in again."""
    async with db.execute(
        """UPDATE submissions SET status = 'returned', comment = ?, decided_by = NULL, decided_by_name = ?,
               decided_at = ?, updated_at = ?
           WHERE id = ? AND status = 'approved'""",
        (comment, by_name, to_db(now), to_db(now), submission_id),
    ) as cur:
        return cur.rowcount == 1


async def set_status(db: Conn, submission_id: int, status: SubmissionStatus, now: datetime) -> None:
    await db.execute(
        "UPDATE submissions SET status = ?, updated_at = ? WHERE id = ?", (status.value, to_db(now), submission_id)
    )


async def add_file(
    db: Conn, submission_id: int, file_id: str, file_kind: str, caption: str | None, now: datetime,
    file_name: str | None = None,
) -> None:
    await db.execute(
        """INSERT INTO submission_files (submission_id, file_id, file_kind, caption, created_at, file_name)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (submission_id, file_id, file_kind, caption, to_db(now), file_name),
    )


async def files(db: Conn, submission_id: int) -> list[SubmissionFile]:
    async with db.execute(
        """SELECT id, submission_id, file_id, file_kind, caption, file_name FROM submission_files
           WHERE submission_id = ? ORDER BY id""",
        (submission_id,),
    ) as cur:
        return [SubmissionFile.model_validate(dict(r)) for r in await cur.fetchall()]


async def remove_files(db: Conn, submission_id: int) -> None:
    await db.execute("DELETE FROM submission_files WHERE submission_id = ?", (submission_id,))

"""Oversight queries over a whole subtree at once: a handful of aggregate queries, whatever the number of branches
(never one query per branch), and the officers' notices with their per-branch read counts."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from bot.domain.minutes import MeetingRules
from bot.domain.overview import BranchRow, EvaluationRow, MeetingRow, SubtreeFacts
from bot.domain.units import ROOT_ID
from storage.connection import Conn
from storage.dialect import joined
from storage.times import to_db
from storage.units import _SUBTREE

# The branches of a subtree, as a CTE after the tree's (a branch with no unit counts as the root's).
_SCOPE = _SUBTREE.rstrip() + f""",
    scope(id) AS (SELECT id FROM branches WHERE coalesce(unit_id, {ROOT_ID}) IN (SELECT id FROM tree))
"""


def _with_scope(roots: list[int], body: str) -> str:
    return _SCOPE.format(marks=",".join("?" * len(roots))) + body


async def branch_rows(db: Conn, roots: list[int], now: datetime) -> list[BranchRow]:
    """Each branch of the subtree with its unit, active members, secretaries and latest activity (one query)."""
    if not roots:
        return []
    sql = _with_scope(roots, f"""
        SELECT b.id, b.name, b.tz, b.created_at, u.name AS unit_name,
            (SELECT count(*) FROM members m WHERE m.branch_id = b.id AND m.status = 'active') AS active,
            (SELECT {joined('m.name', '、')} FROM members m JOIN member_roles r ON r.member_id = m.id
              WHERE m.branch_id = b.id AND m.status = 'active' AND r.role = 'secretary') AS secretaries,
            (SELECT max(starts_at) FROM meetings mt WHERE mt.branch_id = b.id AND mt.status != 'cancelled'
              AND mt.starts_at <= ?) AS last_meeting_at,
            (SELECT max(submitted_at) FROM submissions s WHERE s.branch_id = b.id AND s.submitted_at <= ?)
              AS last_submission_at
        FROM branches b JOIN units u ON u.id = coalesce(b.unit_id, {ROOT_ID})
        WHERE b.id IN (SELECT id FROM scope) ORDER BY b.id""")
    async with db.execute(sql, [*roots, to_db(now), to_db(now)]) as cur:
        return [BranchRow.model_validate(dict(r)) for r in await cur.fetchall()]


async def meeting_rows(db: Conn, roots: list[int], since: datetime,
                       until: datetime) -> dict[int, list[MeetingRow]]:
    """branch id → its meetings starting in [since, until), not called off, with the record's state, whether it has
    a recorder, and attendance counts (one query)."""
    if not roots:
        return {}
    sql = _with_scope(roots, """
        SELECT m.id, m.branch_id, m.kind, m.holds, m.starts_at, m.audience, m.period, m.status = 'closed' AS closed,
            coalesce(s.status, 'none') AS minutes, st.meeting_id IS NOT NULL AND st.recorder_id IS NOT NULL AS has_staff,
            (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id AND a.status IN ('checked_in', 'late'))
              AS present,
            (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id) AS marked
        FROM meetings m
        LEFT JOIN submissions s ON s.kind = 'minutes' AND s.ref = 'meeting:' || m.id
        LEFT JOIN meeting_staff st ON st.meeting_id = m.id
        WHERE m.branch_id IN (SELECT id FROM scope) AND m.status != 'cancelled'
          AND m.starts_at >= ? AND m.starts_at < ?
        ORDER BY m.starts_at""")
    found: dict[int, list[MeetingRow]] = defaultdict(list)
    async with db.execute(sql, [*roots, to_db(since), to_db(until)]) as cur:
        for row in await cur.fetchall():
            data = dict(row)
            if data["minutes"] == "withdrawn":
                data["minutes"] = "none"
            found[data["branch_id"]].append(MeetingRow.model_validate(data))
    return dict(found)


async def meeting_rules(db: Conn, roots: list[int]) -> dict[int, MeetingRules]:
    """The branches' own 三会一课 rules (branches without any take the defaults)."""
    sql = _with_scope(roots, "SELECT branch_id, settings FROM meeting_settings WHERE branch_id IN (SELECT id FROM scope)")
    async with db.execute(sql, roots) as cur:
        return {r[0]: MeetingRules.model_validate(json.loads(r[1])) for r in await cur.fetchall()}


async def party_groups(db: Conn, roots: list[int]) -> dict[int, list[str]]:
    sql = _with_scope(roots, """
        SELECT DISTINCT branch_id, party_group FROM members
        WHERE status = 'active' AND party_group IS NOT NULL AND party_group != ''
          AND branch_id IN (SELECT id FROM scope) ORDER BY branch_id, party_group""")
    found: dict[int, list[str]] = defaultdict(list)
    async with db.execute(sql, roots) as cur:
        for branch_id, group in await cur.fetchall():
            found[branch_id].append(group)
    return dict(found)


async def open_evaluations(db: Conn, roots: list[int]) -> dict[int, EvaluationRow]:
    """Each branch's open 民主评议 with how many active members have handed in their self-evaluation."""
    sql = _with_scope(roots, """
        SELECT c.branch_id, c.year,
            (SELECT count(*) FROM submissions s JOIN members m ON m.id = s.author_id AND m.status = 'active'
              WHERE s.kind = 'selfeval' AND s.ref = 'evaluation:' || c.id AND s.status IN ('submitted', 'approved'))
              AS done
        FROM evaluation_campaigns c WHERE c.status = 'open' AND c.branch_id IN (SELECT id FROM scope)""")
    async with db.execute(sql, roots) as cur:
        return {r[0]: EvaluationRow.model_validate(dict(r)) for r in await cur.fetchall()}


async def subtree_facts(db: Conn, roots: list[int], now: datetime, since: datetime,
                        until: datetime) -> SubtreeFacts:
    """Everything /overview needs for the subtrees of `roots`: five queries in all."""
    if not roots:
        return SubtreeFacts([], {}, {}, {}, {})
    return SubtreeFacts(await branch_rows(db, roots, now), await meeting_rows(db, roots, since, until),
                        await meeting_rules(db, roots), await party_groups(db, roots), await open_evaluations(db, roots))


async def officers(db: Conn) -> list[tuple[int, int]]:
    """(unit id, telegram id) of every stored officer."""
    async with db.execute("SELECT unit_id, telegram_id FROM unit_officers ORDER BY unit_id, telegram_id") as cur:
        return [(r[0], r[1]) for r in await cur.fetchall()]


async def backdate_branch(db: Conn, branch_id: int, created_at: datetime) -> None:
    """The demo's history: a branch that has used zhibu for a while (so it can be silent)."""
    await db.execute("UPDATE branches SET created_at = ? WHERE id = ?", (to_db(created_at), branch_id))

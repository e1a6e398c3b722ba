"""The query planner has statistics, and the digest's 未能送达 reads only the failed rows' index."""

from __future__ import annotations

import pytest

from storage import maintenance, outbox
from storage.db import transaction


async def test_optimize_runs_in_a_write_on_either_engine(db):
    """The upkeep at start and after the prune runs inside a write transaction on SQLite and on PostgreSQL (where
    it leaves statistics to autovacuum), and the transaction still commits its own change."""
    async with transaction(db) as tx:
        await tx.execute("INSERT INTO schedule_marks (key, at) VALUES ('planner:test', '2026-12-03T00:00:00Z')")
        await maintenance.optimize(tx)
    async with db.execute("SELECT COUNT(*) FROM schedule_marks WHERE key = 'planner:test'") as cur:
        assert (await cur.fetchone())[0] == 1


@pytest.mark.sqlite_only
async def test_optimize_analyses_a_new_database_then_keeps_it_current(db):
    """The first call analyses (sqlite_stat1 appears); later calls run PRAGMA optimize without error."""
    async with transaction(db) as tx:
        await maintenance.optimize(tx)
    async with db.execute("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'") as cur:
        assert (await cur.fetchone())[0] == 1
    async with transaction(db) as tx:
        await maintenance.optimize(tx)


@pytest.mark.sqlite_only
async def test_undelivered_reads_the_failed_rows_index(db):
    """undelivered_since searches outbox_failed by branch and time: it never scans the outbox."""
    plan = " ".join(await outbox.undelivered_plan(db))
    assert "USING INDEX outbox_failed (branch_id=? AND updated_at>?)" in plan

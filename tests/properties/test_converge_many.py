"""Converging many scopes at once is converging each alone: after any history of plans, sends, cancellations,
unreachable members and restores over several events, `converge_many` leaves the outbox exactly as converging
each scope in turn would (every column of every row, ids included), and reports the same totals."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.outbox import OutboxStatus, Planned
from bot.outgoing import Outgoing
from storage import outbox
from storage.bulk import seed_county
from storage.db import open_database, transaction
from storage.sqlite import connect
from tests.support import finish_row

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
# "x:1:" and "x:10:" are neighbours in key order without overlapping, as meeting 1's and meeting 10's are.
SCOPES = ("x:1:", "x:10:", "x:2:")
KEYS = st.integers(0, 4)  # row k belongs to member k % 3 + 1
FINISHED = sorted({OutboxStatus.SENT, OutboxStatus.SKIPPED, OutboxStatus.EXPIRED, OutboxStatus.FAILED})
SCOPE = st.sampled_from(SCOPES)
PLAN = st.tuples(st.sets(KEYS), st.integers(0, 3))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated database file, with members 1–3 whose rows the outbox refers to, that each example copies."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"

    async def create() -> None:
        database = await open_database(path)
        try:
            async with database.write() as db:
                await seed_county(db, branches=1, members=3, now=NOW)
        finally:
            await database.close()
    asyncio.run(create())
    return path


def _wanted(scope: str, keys: set[int], version: int) -> list[Planned]:
    return [Planned(key=f"{scope}{k}", chat_id=k % 3 + 1, kind="t", member_id=k % 3 + 1,
                    payload=Outgoing(template="common/cancelled.j2", params={"v": version}),
                    due_at=NOW + timedelta(hours=k + version), expires_at=NOW + timedelta(days=version + 1))
            for k in sorted(keys)]


async def _apply(db, step) -> None:
    match step:
        case ("converge", scope, (keys, version)):
            await outbox.converge(db, scope, _wanted(scope, keys, version), NOW)
        case ("finish", scope, k, status):
            row = await outbox.get(db, f"{scope}{k}")
            if row is not None and row.status is OutboxStatus.PENDING:
                await finish_row(db, row.id, status, NOW)
        case ("cancel_all", scope):
            await outbox.cancel_prefix(db, scope, NOW)
        case ("unreachable", member_id):
            await outbox.cancel_for_member(db, member_id, NOW)
        case ("restore", member_id):
            await outbox.restore_for_member(db, member_id, NOW)


async def _table(db) -> list[tuple]:
    async with db.execute("SELECT * FROM outbox ORDER BY id") as cur:
        return [tuple(r) for r in await cur.fetchall()]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(st.one_of(
    st.tuples(st.just("converge"), SCOPE, PLAN),
    st.tuples(st.just("finish"), SCOPE, KEYS, st.sampled_from(FINISHED)),
    st.tuples(st.just("cancel_all"), SCOPE),
    st.tuples(st.just("unreachable"), st.integers(1, 3)),
    st.tuples(st.just("restore"), st.integers(1, 3)),
), max_size=15), final=st.dictionaries(SCOPE, PLAN, max_size=3))
def test_converge_many_equals_converging_each_scope_alone(migrated, history, final):
    """The same rows, columns and totals, whether the final plans converge one scope at a time or all at once."""
    async def main() -> None:
        with tempfile.TemporaryDirectory() as folder:
            shutil.copyfile(migrated, Path(folder) / "p.db")
            db = await connect(Path(folder) / "p.db")
            try:
                async with transaction(db):
                    for step in history:
                        await _apply(db, step)
                    plans = [(scope, _wanted(scope, keys, version)) for scope, (keys, version) in final.items()]
                    await db.execute("SAVEPOINT alone")
                    totals = [0, 0, 0]
                    for scope, wanted in plans:
                        done = await outbox.converge(db, scope, wanted, NOW)
                        totals = [totals[0] + done.inserted, totals[1] + done.updated, totals[2] + done.cancelled]
                    alone = await _table(db)
                    await db.execute("ROLLBACK TO alone")
                    done = await outbox.converge_many(db, plans, NOW)
                    assert await _table(db) == alone
                    assert [done.inserted, done.updated, done.cancelled] == totals
            finally:
                await db.close()
    asyncio.run(main())

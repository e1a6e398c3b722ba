"""A use case that meets a write conflict (another process changed the same rows) runs again from its start, a
bounded number of times: on a real PostgreSQL server, two processes' use cases racing for one row, and one that
always conflicts; SQLite, one writer at a time, never needs it."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time

import psycopg
import pytest

from bot.catalog import core_registry
from bot.services import Services, community_service, membership
from bot.services.updates import CONFLICT_TRIES, WriteConflict, again_on_conflict
from storage import members, wall
from storage.db import open_database
from tests.support import FIRST_MEMBER_ID, conflicting_inserts, conflicts_made

RETRY = "running it again from its start"


async def _until_a_writer_waits_for_a_lock(url: str, timeout: float = 20.0) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            cur = await conn.execute("""SELECT count(*) FROM pg_stat_activity
                                        WHERE datname = current_database() AND wait_event_type = 'Lock'""")
            row = await cur.fetchone()
            if row and row[0]:
                return
            await asyncio.sleep(0.02)
    raise AssertionError("the second use case never waited for the first one's row")


@pytest.mark.parametrize("engine", ["postgresql"])
async def test_two_processes_making_the_same_row_one_retried_both_right(services, branch, settings, clock, target,
                                                                        caplog):
    """Two processes make a community's code at once: the second's insert waits for the first's row, fails as a
    serialization conflict when the first commits, runs again from its start, reads the row and returns the same
    code — one row, one retry logged, no error."""
    caplog.set_level(logging.WARNING, logger="storage.work")
    second = await open_database(target)  # another process's pool: its own connections and writer
    other = Services(db=second, settings=settings, clock=clock, features=core_registry())
    tries: list[bool] = []

    async def other_process(last: bool) -> str:
        tries.append(last)
        return await community_service.community_code(other, branch.branch_id)
    try:
        async with services.db.write():  # the first process's use case, held open just before its commit
            first_code = await community_service.community_code(services, branch.branch_id)
            racing = asyncio.create_task(again_on_conflict(other_process, "community code"),
                                         context=contextvars.Context())  # not inside this task's write
            await _until_a_writer_waits_for_a_lock(str(target))
        second_code = await racing
    finally:
        await second.close()
    assert second_code == first_code
    assert await wall.wall_code(services.db, branch.branch_id) == first_code
    assert tries == [False, False]  # conflicted once, then went through on its second try
    assert len([r for r in caplog.records if RETRY in r.getMessage()]) == 1


@pytest.mark.parametrize("condition", ["serialization_failure", "deadlock_detected"])
@pytest.mark.parametrize("engine", ["postgresql"])
async def test_a_use_case_that_always_conflicts_gives_up_after_the_tries(services, branch, target, caplog, condition):
    """A join whose insert fails every time (a serialization failure, or a deadlock) is tried CONFLICT_TRIES times,
    each retry logged, then its WriteConflict comes out; nothing of it is stored (no member, the join form still
    waiting for the name)."""
    caplog.set_level(logging.WARNING, logger="storage.work")
    invitation = await membership.current_invitation(services, branch.secretary.telegram_id)
    await membership.begin_join(services, FIRST_MEMBER_ID, invitation.code)
    data = {"branch_id": branch.branch_id, "code": invitation.code}
    with conflicting_inserts(str(target), "members", times=1000, condition=condition):
        with pytest.raises(WriteConflict):
            await again_on_conflict(lambda last: membership.submit_join_name(services, FIRST_MEMBER_ID, "李红梅", data),
                                    "join")
        assert conflicts_made(str(target)) == CONFLICT_TRIES
    assert await members.by_telegram_id(services.db, FIRST_MEMBER_ID) is None
    retries = [r for r in caplog.records if RETRY in r.getMessage()]
    assert len(retries) == CONFLICT_TRIES - 1
    assert any("giving up" in r.getMessage() for r in caplog.records)
    joined = await membership.submit_join_name(services, FIRST_MEMBER_ID, "李红梅", data)  # the form kept its place
    assert joined.member.name == "李红梅"


@pytest.mark.parametrize("engine", ["sqlite"])
async def test_sqlite_runs_racing_use_cases_one_after_the_other_without_retries(services, branch, caplog):
    """On SQLite the second use case waits for the writer and runs once: the same code, no conflict, no retry."""
    caplog.set_level(logging.WARNING, logger="storage.work")
    tries: list[bool] = []

    async def racer(last: bool) -> str:
        tries.append(last)
        return await community_service.community_code(services, branch.branch_id)
    async with services.db.write():
        first_code = await community_service.community_code(services, branch.branch_id)
        racing = asyncio.create_task(again_on_conflict(racer, "community code"),
                                     context=contextvars.Context())  # another update's task
        await asyncio.sleep(0.05)
        assert not racing.done()  # waiting for the open write to end
    assert await racing == first_code
    assert tries == [False]
    assert not [r for r in caplog.records if r.name == "storage.work"]

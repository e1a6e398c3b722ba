"""An update's id is recorded with its first committed write, in the same transaction, and by no other task."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from storage import branches, updates
from storage.db import applying_update, current_update


async def test_the_id_commits_with_the_change_and_a_rollback_drops_both(database, clock):
    """A write that raises leaves neither the change nor the id (the redelivery may apply the update); a write
    that commits leaves both, and the mark says a change was committed."""
    with applying_update(41, clock.now) as mark:
        with pytest.raises(RuntimeError):
            async with database.write() as tx:
                await branches.create(tx, "一支部", clock.now())
                raise RuntimeError("crash before the commit")
        assert not mark.committed and not await updates.applied(database, 41)
        async with database.write() as tx:
            await branches.create(tx, "一支部", clock.now())
        assert mark.committed and await updates.applied(database, 41)
    assert current_update() is None


async def test_a_task_started_while_handling_an_update_does_not_claim_it(database, clock):
    """A task spawned inside the update's handling (an outbox wake) copies the context, but its writes are its
    own: they do not mark the update applied."""
    async def elsewhere() -> None:
        async with database.write() as tx:
            await branches.create(tx, "二支部", clock.now())

    with applying_update(42, clock.now):
        await asyncio.create_task(elsewhere())
    assert not await updates.applied(database, 42)


async def test_old_ids_are_pruned(database, clock):
    """Ids older than the cut-off go; newer ones stay."""
    async with database.write() as tx:
        await updates.record(tx, 1, clock.now() - timedelta(days=3))
        await updates.record(tx, 2, clock.now())
        assert await updates.prune(tx, clock.now() - timedelta(days=2)) == 1
    assert not await updates.applied(database, 1) and await updates.applied(database, 2)


async def test_a_duplicate_update_fails_its_fence_and_rolls_back_its_change(database, clock):
    """The applied-update record is a fence: the same update handled again (another delivery, another process)
    fails its insert, so that handling's whole transaction rolls back and its change is not there."""
    with applying_update(43, clock.now):
        async with database.write() as tx:
            await branches.create(tx, "一支部", clock.now())
    with applying_update(43, clock.now):
        with pytest.raises(updates.AlreadyApplied):
            async with database.write() as tx:
                await branches.create(tx, "二支部", clock.now())
    assert [b.name for b in await branches.every(database)] == ["一支部"]
